import { DAY_MS } from '../../schema/common.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { LifecycleSettings, Milestone, Stage, StageSpell } from '../../schema/lifecycle.ts';
import { median } from '../stats.ts';
import { toIso, toMs } from '../time.ts';
import { type RelationshipState, stageModel } from './models.ts';
import { chronological } from './order.ts';

/**
 * How long after the last purchase a buyer falls asleep, given the UTC days (ms) of its purchases
 * so far. The default is the fixed rule of docs/domain.md 1.3; a fitted BG/NBD model may supply
 * another (P(alive) falling below a threshold). Returns null for "never".
 */
export type SleepRule = (purchaseDaysMs: readonly number[]) => number | null;

export const daysSleepRule =
  (settings: Pick<LifecycleSettings, 'sleepingAfterDays' | 'sleepingGapMultiple'>): SleepRule =>
  (days) => {
    const gaps: number[] = [];
    for (let i = 1; i < days.length; i++) gaps.push(days[i]! - days[i - 1]!);
    const medianGap = median(gaps) ?? 0;
    return Math.max(settings.sleepingAfterDays * DAY_MS, settings.sleepingGapMultiple * medianGap);
  };

export interface StageReplay {
  stages: StageSpell[];
  milestones: Milestone[];
}

const RESPONSES = new Set<ClientEvent['type']>([
  'response',
  'request',
  'interest',
  'meeting',
  'offer',
  'contact',
  'complaint',
  'review',
  'referral',
  'purchase_refused',
  'payment',
]);

const dayStart = (ms: number) => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);

/**
 * Where a client's stage replay stands after its latest event, before time passes beyond it: the
 * state a later event continues from (so a client's history need not be replayed again), as plain
 * JSON. `spells` holds the spells from seq `base` on: a compacted fold keeps only the open one.
 */
export interface StageFold {
  state: RelationshipState;
  spells: StageSpell[];
  base: number;
  /** Distinct UTC days (ms) of the purchases so far: the sleeping rule reads their gaps. */
  purchaseDays: number[];
  lastPurchaseMs: number | null;
  override: { stage: Stage; underlying: Stage | null } | null;
  reactivations: number;
}

export const emptyStageFold = (): StageFold => ({
  state: { known: false, responded: false, orders: 0, advocate: false, dormancy: 'active' },
  spells: [],
  base: 0,
  purchaseDays: [],
  lastPurchaseMs: null,
  override: null,
  reactivations: 0,
});

/**
 * The stage replay as a fold: `step` applies one event (events must come in `chronological`
 * order, each after the fold's last), `finish` lets time pass after the last one. Both mutate
 * the fold they are given; milestones go to `milestones` when the caller wants them.
 */
export function stageFolder(
  settings: LifecycleSettings,
  sleepRule: SleepRule = daysSleepRule(settings),
  milestones?: Milestone[],
) {
  const model = stageModel(settings.model);
  const note = (m: Milestone) => milestones?.push(m);

  const current = (f: StageFold): Stage | null => f.spells.at(-1)?.stage ?? null;
  const moveTo = (f: StageFold, stage: Stage | null, at: string, eventId: string | null) => {
    if (stage === null || stage === current(f)) return;
    const open = f.spells.at(-1);
    if (open) open.leftAt = at;
    f.spells.push({ stage, enteredAt: at, leftAt: null, eventId });
  };
  const settle = (f: StageFold, at: string, eventId: string | null) => {
    const derived = model.stageOf(f.state, settings.developedAfterOrders);
    if (f.override && f.override.underlying === derived) return;
    f.override = null;
    moveTo(f, derived, at, eventId);
  };
  /** Applies the dormancy transitions due strictly before `untilMs` (Infinity: all of them). */
  const passTime = (f: StageFold, untilMs: number) => {
    const state = f.state;
    if (f.lastPurchaseMs === null || state.dormancy === 'lost') return;
    const sleepAfter = sleepRule(f.purchaseDays);
    if (sleepAfter === null) return;
    const sleepAt = f.lastPurchaseMs + sleepAfter;
    const lostAt = Math.max(f.lastPurchaseMs + settings.lostAfterDays * DAY_MS, sleepAt);
    if (state.dormancy === 'active' && sleepAt < untilMs) {
      state.dormancy = 'sleeping';
      settle(f, toIso(sleepAt), null);
    }
    if (state.dormancy === 'sleeping' && lostAt < untilMs) {
      state.dormancy = 'lost';
      settle(f, toIso(lostAt), null);
    }
  };

  const step = (f: StageFold, e: ClientEvent) => {
    // Our own bookkeeping (a work-list item marked done) says nothing about the relationship.
    if (e.type === 'action_done') return;
    const state = f.state;
    const atMs = toMs(e.at);
    passTime(f, atMs);
    state.known = true;
    if (RESPONSES.has(e.type)) state.responded = true;
    switch (e.type) {
      case 'request':
        note({ kind: 'attraction_request', at: e.at, eventId: e.id });
        break;
      case 'interest':
        note({
          kind: 'attraction_interest',
          at: e.at,
          eventId: e.id,
          recheckAt: e.recheckAt ?? toIso(atMs + settings.interestRecheckDays * DAY_MS),
        });
        break;
      case 'refusal': {
        // A refusal we make ourselves is a non-target; the client's own says nothing more unless told.
        const refusalKind = e.kind ?? (e.by === 'us' ? 'non_target' : undefined);
        note({
          kind: 'attraction_refusal',
          at: e.at,
          eventId: e.id,
          by: e.by,
          reason: e.reason,
          ...(refusalKind && { refusalKind }),
        });
        break;
      }
      case 'purchase_refused':
        note({
          kind: e.by === 'client' ? 'deal_refused_by_client' : 'deal_refused_by_us',
          at: e.at,
          eventId: e.id,
          by: e.by,
          reason: e.reason,
        });
        break;
      case 'purchase': {
        if (state.dormancy !== 'active') {
          f.reactivations += 1;
          note({
            kind: 'reactivation',
            at: e.at,
            eventId: e.id,
            fromStage: current(f) ?? undefined,
          });
          state.dormancy = 'active';
        }
        state.orders += 1;
        note({
          kind: state.orders === 1 ? 'deal_purchase' : 'repeat_deal',
          at: e.at,
          eventId: e.id,
          orderNumber: state.orders,
        });
        const day = dayStart(atMs);
        if (f.purchaseDays.at(-1) !== day) f.purchaseDays.push(day);
        f.lastPurchaseMs = atMs;
        break;
      }
      case 'referral':
        state.advocate = true;
        note({ kind: 'referral_given', at: e.at, eventId: e.id });
        break;
      case 'review':
        if (e.rating === undefined || e.rating >= 4) state.advocate = true;
        break;
      case 'contact':
        if (state.orders > 0) note({ kind: 'kept_in_touch', at: e.at, eventId: e.id });
        break;
      case 'stage_override':
        if (model.stages.includes(e.stage)) {
          moveTo(f, e.stage, e.at, e.id);
          f.override = {
            stage: e.stage,
            underlying: model.stageOf(state, settings.developedAfterOrders),
          };
          return;
        }
        break;
    }
    settle(f, e.at, e.id);
  };

  return { step, finish: (f: StageFold) => passTime(f, Number.POSITIVE_INFINITY) };
}

/**
 * Replays a client's events into its stage history and milestones. Time passes between events
 * and after the last one: a buyer who stops buying falls asleep and is later lost at the instants
 * the rules give, so the history also holds the transitions still to come if nothing happens
 * (readers clip at their `asOf`). Pure: the same events give the same history in any order.
 */
export function replayStages(
  events: readonly ClientEvent[],
  settings: LifecycleSettings,
  sleepRule: SleepRule = daysSleepRule(settings),
): StageReplay {
  const milestones: Milestone[] = [];
  const { step, finish } = stageFolder(settings, sleepRule, milestones);
  const fold = emptyStageFold();
  for (const e of chronological(events)) step(fold, e);
  finish(fold);
  return { stages: fold.spells, milestones };
}

/** The stage a history puts the client in at `asOf`, and the spells clipped to what had happened by then. */
export function stagesAsOf(
  spells: readonly StageSpell[],
  asOf: string,
): { stage: Stage | null; spells: StageSpell[] } {
  const past = spells
    .filter((s) => s.enteredAt <= asOf)
    .map((s) => (s.leftAt !== null && s.leftAt > asOf ? { ...s, leftAt: null } : s));
  return { stage: past.at(-1)?.stage ?? null, spells: past };
}
