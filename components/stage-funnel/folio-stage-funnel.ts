import { StageFunnel } from './stage-funnel.ts';

export { StageFunnel };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-stage-funnel'))
  customElements.define('folio-stage-funnel', StageFunnel);
