import { css } from 'lit';

export const matrixStyles = css`
  .summary {
    margin: 0 0 var(--_gap);
    color: var(--_muted);
  }
  .grid {
    border-collapse: separate;
    border-spacing: 4px;
    width: 100%;
    table-layout: fixed;
  }
  .grid th {
    font-weight: 600;
    text-align: center;
    padding: 0.25rem;
  }
  .grid th[scope='row'] {
    text-align: start;
    width: 22%;
  }
  .grid small {
    display: block;
    font-weight: normal;
    color: var(--_muted);
  }
  .cell {
    text-align: center;
    padding: 0.5rem 0.25rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: color-mix(in srgb, var(--folio-matrix-cell-color, var(--_accent)) calc(var(--level, 0) * 28%), var(--_surface));
    cursor: pointer;
    font-variant-numeric: tabular-nums;
    transition: border-color var(--_duration), background-color var(--_duration);
  }
  .cell:hover {
    border-color: var(--_accent);
  }
  .cell[aria-selected='true'] {
    border: 2px solid var(--_accent);
  }
  .count {
    display: block;
    font-size: 1.25em;
    font-weight: 600;
  }
  .money {
    display: block;
  }
`;
