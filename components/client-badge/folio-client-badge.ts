import { ClientBadge } from './client-badge.ts';

export { ClientBadge };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-client-badge'))
  customElements.define('folio-client-badge', ClientBadge);
