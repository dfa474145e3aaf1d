import { ClvCalculator } from './clv-calculator.ts';

export { ClvCalculator };

// Guarded: a second copy of this module or of the bundle on the page is harmless, and where
// there is no registry (a server, a worker) importing it does nothing.
if (globalThis.customElements && !customElements.get('folio-clv-calculator'))
  customElements.define('folio-clv-calculator', ClvCalculator);
