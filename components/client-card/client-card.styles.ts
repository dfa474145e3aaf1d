import { css } from 'lit';

export const cardStyles = css`
  article {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_gap) * 2);
    display: grid;
    gap: calc(var(--_gap) * 2);
  }
  header {
    display: grid;
    gap: var(--_gap);
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
  }
  h3 {
    margin: 0 0 var(--_gap);
    font-size: 1em;
    color: var(--_muted);
  }
  .stage-line {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: baseline;
  }
  .stage {
    font-weight: 600;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    background: color-mix(in srgb, var(--folio-card-stage-color, var(--_accent)) 12%, var(--_surface));
    color: var(--folio-card-stage-color, var(--_accent));
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .tags li {
    padding: 0 0.375rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
    gap: var(--_gap) calc(var(--_gap) * 2);
  }
  dt {
    color: var(--_muted);
    font-size: 0.85em;
  }
  dd {
    margin: 0;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .events li {
    display: grid;
    grid-template-columns: 7.5rem 1fr;
    gap: var(--_gap);
    padding: 0.25rem 0;
    border-bottom: 1px solid var(--_border);
  }
  .events li:last-child {
    border-bottom: 0;
  }
  time {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
`;
