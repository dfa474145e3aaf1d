import type { ClientAggregates, PeriodBucket } from '../../schema/clients.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { LifecycleSettings, Milestone, StageSpell } from '../../schema/lifecycle.ts';
import { aggregateEvents } from './aggregates.ts';
import { funnelMarks, type FunnelMark } from './marks.ts';
import { stageModel } from './models.ts';
import { replayStages, type SleepRule } from './stages.ts';

export interface DerivedClient {
  stages: StageSpell[];
  milestones: Milestone[];
  aggregates: ClientAggregates;
  periods: PeriodBucket[];
  /** What the funnel's rollups count for this client (first entries, furthest stage reached). */
  marks: FunnelMark[];
}

/** Everything ingestion maintains for one client, derived from all of its events. */
export function deriveClient(
  events: readonly ClientEvent[],
  settings: LifecycleSettings,
  sleepRule?: SleepRule,
): DerivedClient {
  const { stages, milestones } = replayStages(events, settings, sleepRule);
  const reactivations = milestones.filter((m) => m.kind === 'reactivation').length;
  const { aggregates, periods } = aggregateEvents(events, {
    developedAfterOrders: settings.developedAfterOrders,
    interestRecheckDays: settings.interestRecheckDays,
    reactivations,
  });
  const marks = funnelMarks(stages, stageModel(settings.model));
  return { stages, milestones, aggregates, periods, marks };
}
