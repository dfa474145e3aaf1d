import { MigrationMatrix } from './migration-matrix.ts';

export { MigrationMatrix };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-migration-matrix'))
  customElements.define('folio-migration-matrix', MigrationMatrix);
