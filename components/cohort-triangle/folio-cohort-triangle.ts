import { CohortTriangle } from './cohort-triangle.ts';

export { CohortTriangle };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-cohort-triangle'))
  customElements.define('folio-cohort-triangle', CohortTriangle);
