import { css } from 'lit';

export const calculatorStyles = css`
  .base {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: calc(var(--_gap) * 3);
    align-items: start;
  }
  form {
    display: grid;
    gap: var(--_gap);
  }
  .field {
    display: grid;
    gap: 0.125rem;
  }
  label,
  legend {
    color: var(--_muted);
    font-size: 0.9em;
  }
  input[type='text'] {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.375rem 0.5rem;
    font-variant-numeric: tabular-nums;
    width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--folio-color-danger, #b42318);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem var(--_gap);
  }
  legend {
    padding: 0;
    margin-bottom: 0.125rem;
  }
  .field-error {
    color: var(--folio-color-danger, #b42318);
    font-size: 0.85em;
  }
  .result {
    display: grid;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .headline {
    font-size: 1.75em;
    font-weight: 700;
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .verdict {
    margin: 0;
    padding: 0.375rem 0.5rem;
    border-inline-start: 4px solid var(--_tone);
    background: color-mix(in srgb, var(--_tone) 8%, var(--_surface));
    --_tone: var(--folio-color-accent, #2558c7);
  }
  .verdict[data-verdict='meets'] {
    --_tone: var(--folio-color-success, #1d7a3c);
  }
  .verdict[data-verdict='below'] {
    --_tone: var(--folio-color-warning, #a15c07);
  }
  .verdict[data-verdict='losing'] {
    --_tone: var(--folio-color-danger, #b42318);
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25rem var(--_gap);
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    text-align: end;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
`;
