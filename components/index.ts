// The component classes, without registering any tag: for pages that pick their own tag names
// or scope registries. Import a `folio-*` module (or clientfolio.ts) to register the standard tags.
export { AbcXyzMatrix, type SegmentSelectDetail } from './abc-xyz-matrix/abc-xyz-matrix.ts';
export { ClientBadge } from './client-badge/client-badge.ts';
export { ClientCard } from './client-card/client-card.ts';
export { ClvCalculator, type ClvChangeDetail } from './clv-calculator/clv-calculator.ts';
export { StageFunnel, type StageSelectDetail } from './stage-funnel/stage-funnel.ts';
export type { ClientProfile, ClientTypeEntry } from './shared/profile.ts';
export { ActionList, type ActionDoneDetail } from './action-list/action-list.ts';
