// The card draws the client's types with the badge.
import '../client-badge/folio-client-badge.ts';
import { ClientCard } from './client-card.ts';

export { ClientCard };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-client-card'))
  customElements.define('folio-client-card', ClientCard);
