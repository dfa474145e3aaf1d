import { ActionList } from './action-list.ts';

export { ActionList };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-action-list'))
  customElements.define('folio-action-list', ActionList);
