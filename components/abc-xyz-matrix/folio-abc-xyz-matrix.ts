import { AbcXyzMatrix } from './abc-xyz-matrix.ts';

export { AbcXyzMatrix };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-abc-xyz-matrix'))
  customElements.define('folio-abc-xyz-matrix', AbcXyzMatrix);
