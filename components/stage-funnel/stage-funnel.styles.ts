import { css } from 'lit';

export const funnelStyles = css`
  .summary {
    margin: 0 0 var(--_gap);
    color: var(--_muted);
  }
  .stages {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  .stage {
    font: inherit;
    color: inherit;
    width: 100%;
    background: none;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    padding: 0.25rem 0.5rem;
    cursor: pointer;
    text-align: start;
    display: grid;
    grid-template-columns: minmax(7rem, 1fr) 3fr minmax(3rem, auto);
    grid-template-areas: 'label track count' '. meta meta';
    align-items: center;
    column-gap: var(--_gap);
    transition: background-color var(--_duration);
  }
  .stage:hover,
  .stage[aria-current='true'] {
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
    border-color: color-mix(in srgb, var(--_accent) 40%, transparent);
  }
  .label {
    grid-area: label;
  }
  .count {
    grid-area: count;
    text-align: end;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .track {
    grid-area: track;
    display: flex;
    align-items: center;
  }
  .bar {
    display: block;
    width: calc(var(--size) * 100%);
    min-width: 2px;
    height: var(--folio-funnel-bar-thickness, 1.25rem);
    background: var(--folio-funnel-bar-color, var(--_accent));
    border-radius: calc(var(--_radius) / 2);
    transition: width var(--_duration), height var(--_duration);
  }
  .meta {
    grid-area: meta;
    color: var(--_muted);
    font-size: 0.85em;
  }
  :host([layout='horizontal']) .stages {
    grid-auto-flow: column;
    grid-auto-columns: minmax(0, 1fr);
  }
  :host([layout='horizontal']) .stage {
    height: 100%;
    grid-template-columns: 1fr;
    grid-template-areas: 'track' 'count' 'label' 'meta';
    text-align: center;
  }
  :host([layout='horizontal']) .count {
    text-align: center;
  }
  :host([layout='horizontal']) .track {
    height: var(--folio-funnel-height, 8rem);
    align-items: flex-end;
    justify-content: center;
  }
  :host([layout='horizontal']) .bar {
    width: 60%;
    height: calc(var(--size) * 100%);
    min-height: 2px;
  }
`;
