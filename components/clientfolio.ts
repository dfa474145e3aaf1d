// Every component, registered: the entry of the one-file bundle dist/clientfolio.js.
import './abc-xyz-matrix/folio-abc-xyz-matrix.ts';
import './client-badge/folio-client-badge.ts';
import './client-card/folio-client-card.ts';
import './clv-calculator/folio-clv-calculator.ts';
import './stage-funnel/folio-stage-funnel.ts';

export * from './index.ts';
import './action-list/folio-action-list.ts';
