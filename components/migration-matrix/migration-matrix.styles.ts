import { css } from 'lit';

export const migrationStyles = css`
  .summary {
    margin: 0 0 var(--_gap);
    color: var(--_muted);
  }
  .scroll {
    overflow-x: auto;
  }
  .grid {
    border-collapse: separate;
    border-spacing: 3px;
    font-variant-numeric: tabular-nums;
  }
  .grid th {
    font-weight: 600;
    padding: 0.25rem 0.5rem;
    white-space: nowrap;
  }
  .grid th[scope='row'] {
    text-align: start;
  }
  .corner {
    font-weight: normal;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .cell {
    min-width: 4rem;
    padding: 0.375rem 0.25rem;
    text-align: center;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: color-mix(
      in srgb,
      var(--folio-migration-cell-color, var(--_accent)) calc(var(--level, 0) * 35%),
      var(--_surface)
    );
    cursor: pointer;
    transition: border-color var(--_duration), background-color var(--_duration);
  }
  .cell.stay {
    border-style: dashed;
  }
  .cell:hover {
    border-color: var(--_accent);
  }
  .cell[aria-selected='true'] {
    border: 2px solid var(--_accent);
  }
  .count {
    display: block;
    font-weight: 600;
  }
  .money {
    display: block;
    font-size: 0.85em;
  }
`;
