import { css } from 'lit';

export const actionListStyles = css`
  .summary {
    margin: 0 0 var(--_gap);
    color: var(--_muted);
  }
  .group + .group {
    margin-block-start: calc(var(--_gap) * 2);
  }
  h3 {
    font-size: 1em;
    margin: 0 0 calc(var(--_gap) / 2);
  }
  .count {
    color: var(--_muted);
    font-weight: normal;
  }
  .items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  .item {
    display: grid;
    grid-template-columns: 1fr auto;
    grid-template-areas: 'head button' 'reason button' 'error error';
    column-gap: var(--_gap);
    align-items: center;
    padding: calc(var(--_gap) / 2) var(--_gap);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_prio);
    border-radius: var(--_radius);
    --_prio: var(--folio-action-priority-2, #8a5a00);
  }
  .item[part~='priority-1'] {
    --_prio: var(--folio-action-priority-1, #b42318);
  }
  .item[part~='priority-3'] {
    --_prio: var(--folio-action-priority-3, #52606d);
  }
  .item:focus-within {
    border-color: var(--_accent);
  }
  .head {
    grid-area: head;
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_gap);
    align-items: baseline;
  }
  .kind {
    font-weight: 600;
  }
  .priority {
    font-size: 0.85em;
    color: var(--_prio);
  }
  .due {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .due.late {
    color: var(--folio-color-danger, #b42318);
    font-weight: 600;
  }
  .reason {
    grid-area: reason;
    margin: 0.15rem 0 0;
    color: var(--_muted);
  }
  .done {
    grid-area: button;
    font: inherit;
    cursor: pointer;
    color: var(--_surface);
    background: var(--_accent);
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    padding: 0.25rem 0.75rem;
    transition: opacity var(--_duration);
  }
  .done[aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  .item > .error {
    grid-area: error;
    margin: 0.25rem 0 0;
  }
`;
