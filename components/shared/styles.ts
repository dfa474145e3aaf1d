import { css } from 'lit';

/**
 * What every component shares: the host box, the theme's custom properties with their defaults,
 * visually hidden text, the state messages, a visible focus ring and no motion for those who ask.
 */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--folio-font-family, inherit);
    font-size: var(--folio-font-size, 0.875rem);
    line-height: 1.4;
    color: var(--folio-color-text, #1f2933);
    --_surface: var(--folio-color-surface, #fff);
    --_muted: var(--folio-color-muted, #52606d);
    --_border: var(--folio-color-border, #cbd2d9);
    --_accent: var(--folio-color-accent, #2558c7);
    --_radius: var(--folio-radius, 6px);
    --_gap: var(--folio-gap, 0.5rem);
    --_duration: var(--folio-transition-duration, 150ms);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .state {
    margin: 0;
    padding: var(--_gap);
    color: var(--_muted);
  }
  .error {
    color: var(--folio-color-danger, #b42318);
  }
  :focus-visible {
    outline: var(--folio-focus-ring, 2px solid var(--_accent));
    outline-offset: 2px;
  }
  .muted {
    color: var(--_muted);
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/**
 * The data table behind every chart: visually hidden (but read by screen readers) unless the page
 * asks to show it with the `show-table` attribute. The wrapper is what gets hidden, because a
 * table itself will not shrink below its content.
 */
export const tableStyles = css`
  :host(:not([show-table])) .data-table {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .data-table {
    margin-block-start: var(--_gap);
    overflow-x: auto;
  }
  .data-table table {
    border-collapse: collapse;
    width: 100%;
  }
  .data-table caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: 0.25rem;
  }
  .data-table th,
  .data-table td {
    padding: 0.25rem 0.5rem;
    border-bottom: 1px solid var(--_border);
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .data-table th[scope='row'],
  .data-table thead th:first-child {
    text-align: start;
  }
`;
