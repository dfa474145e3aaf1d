import { css } from 'lit';

export const modelCheckStyles = css`
  .charts {
    display: grid;
    gap: calc(var(--_gap) * 2);
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-weight: 600;
    margin-bottom: calc(var(--_gap) / 2);
  }
  svg {
    display: block;
    width: 100%;
    height: var(--folio-model-check-height, 9rem);
    overflow: visible;
  }
  .actual {
    fill: var(--folio-model-check-actual-color, var(--_accent));
    stroke: var(--folio-model-check-actual-color, var(--_accent));
  }
  .model {
    fill: var(--folio-model-check-model-color, var(--_muted));
    stroke: var(--folio-model-check-model-color, var(--_muted));
  }
  polyline {
    fill: none;
    stroke-width: 2;
    vector-effect: non-scaling-stroke;
  }
  polyline.model {
    stroke-dasharray: 4 3;
  }
  .cut {
    stroke: var(--_border);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  text {
    fill: var(--_muted);
    font-size: 0.75rem;
  }
  .legend {
    display: flex;
    gap: var(--_gap);
    margin: 0;
    padding: 0;
    list-style: none;
    color: var(--_muted);
  }
  .legend li::before {
    content: '';
    display: inline-block;
    width: 0.75em;
    height: 0.75em;
    margin-inline-end: 0.3em;
    background: var(--folio-model-check-actual-color, var(--_accent));
  }
  .legend li.model::before {
    background: var(--folio-model-check-model-color, var(--_muted));
  }
`;
