import { css } from 'lit';

export const badgeStyles = css`
  :host {
    display: inline-block;
  }
  .state {
    padding: 0;
  }
  .types {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .chip {
    position: relative;
    --_tone: var(--folio-badge-color, var(--_accent));
  }
  .chip[data-tone='warn'] {
    --_tone: var(--folio-badge-warn-color, var(--folio-color-danger, #b42318));
  }
  .chip[data-tone='quiet'] {
    --_tone: var(--folio-badge-quiet-color, var(--_muted));
  }
  .trigger {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.125rem 0.5rem;
    border: 1px solid color-mix(in srgb, var(--_tone) 50%, transparent);
    border-radius: 999px;
    background: color-mix(in srgb, var(--_tone) 8%, var(--_surface));
    color: var(--_tone);
    white-space: nowrap;
    cursor: default;
  }
  svg {
    width: 1em;
    height: 1em;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.4;
    stroke-linejoin: round;
    stroke-linecap: round;
    flex: none;
  }
  .tip {
    display: none;
    position: absolute;
    z-index: var(--folio-tooltip-z-index, 10);
    top: calc(100% + 4px);
    inset-inline-start: 0;
    min-width: 12rem;
    max-width: 20rem;
    padding: 0.375rem 0.5rem;
    border-radius: var(--_radius);
    background: var(--folio-tooltip-background, #1f2933);
    color: var(--folio-tooltip-color, #fff);
    font-size: 0.85em;
    white-space: normal;
  }
  .tip .reason {
    display: block;
  }
  .chip:hover .tip,
  .trigger:focus + .tip {
    display: block;
  }
  .chip.dismissed .tip {
    display: none;
  }
`;
