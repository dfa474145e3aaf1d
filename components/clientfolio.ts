// Every component, registered: the entry of the one-file bundle dist/clientfolio.js.
//
// Any order of these imports is correct, but it is the order of the modules in the bundle, and
// gzip only finds repeats within the last 32 KB: of the 720 orders this one (the calculator first,
// which puts valibot's code right after Lit's) measured smallest, 25,207 B against 25,548 B for
// the order before it and 25,689 B for the worst. Worth measuring again after large changes.
import './clv-calculator/folio-clv-calculator.ts';
import './abc-xyz-matrix/folio-abc-xyz-matrix.ts';
import './client-badge/folio-client-badge.ts';
import './client-card/folio-client-card.ts';
import './action-list/folio-action-list.ts';
import './stage-funnel/folio-stage-funnel.ts';

export * from './index.ts';
