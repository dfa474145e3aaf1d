import { ModelCheck } from './model-check.ts';

export { ModelCheck };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-model-check'))
  customElements.define('folio-model-check', ModelCheck);
