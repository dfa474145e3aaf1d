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
  const model = stageModel(settings.model);
  const state: RelationshipState = {
    known: false,
    responded: false,
    orders: 0,
    advocate: false,
    dormancy: 'active',
  };
  const stages: StageSpell[] = [];
  const milestones: Milestone[] = [];
  const purchaseDays: number[] = [];
  let lastPurchaseMs: number | null = null;
  let override: { stage: Stage; underlying: Stage | null } | null = null;

  const current = (): Stage | null => stages.at(-1)?.stage ?? null;
  const moveTo = (stage: Stage | null, at: string, eventId: string | null) => {
    if (stage === null || stage === current()) return;
    const open = stages.at(-1);
    if (open) open.leftAt = at;
    stages.push({ stage, enteredAt: at, leftAt: null, eventId });
  };
  const settle = (at: string, eventId: string | null) => {
    const derived = model.stageOf(state, settings.developedAfterOrders);
    if (override && override.underlying === derived) return;
    override = null;
    moveTo(derived, at, eventId);
  };
  /** Applies the dormancy transitions due strictly before `untilMs` (Infinity: all of them). */
  const passTime = (untilMs: number) => {
    if (lastPurchaseMs === null || state.dormancy === 'lost') return;
    const sleepAfter = sleepRule(purchaseDays);
    if (sleepAfter === null) return;
    const sleepAt = lastPurchaseMs + sleepAfter;
    const lostAt = Math.max(lastPurchaseMs + settings.lostAfterDays * DAY_MS, sleepAt);
    if (state.dormancy === 'active' && sleepAt < untilMs) {
      state.dormancy = 'sleeping';
      settle(toIso(sleepAt), null);
    }
    if (state.dormancy === 'sleeping' && lostAt < untilMs) {
      state.dormancy = 'lost';
      settle(toIso(lostAt), null);
    }
  };

  for (const e of chronological(events)) {
    // Our own bookkeeping (a work-list item marked done) says nothing about the relationship.
    if (e.type === 'action_done') continue;
    const atMs = toMs(e.at);
    passTime(atMs);
    state.known = true;
    if (RESPONSES.has(e.type)) state.responded = true;
    switch (e.type) {
      case 'request':
        milestones.push({ kind: 'attraction_request', at: e.at, eventId: e.id });
        break;
      case 'interest':
        milestones.push({
          kind: 'attraction_interest',
          at: e.at,
          eventId: e.id,
          recheckAt: e.recheckAt ?? toIso(atMs + settings.interestRecheckDays * DAY_MS),
        });
        break;
      case 'refusal': {
        // A refusal we make ourselves is a non-target; the client's own says nothing more unless told.
        const refusalKind = e.kind ?? (e.by === 'us' ? 'non_target' : undefined);
        milestones.push({
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
        milestones.push({
          kind: e.by === 'client' ? 'deal_refused_by_client' : 'deal_refused_by_us',
          at: e.at,
          eventId: e.id,
          by: e.by,
          reason: e.reason,
        });
        break;
      case 'purchase': {
        const wasDormant = state.dormancy !== 'active';
        if (wasDormant) {
          milestones.push({
            kind: 'reactivation',
            at: e.at,
            eventId: e.id,
            fromStage: current() ?? undefined,
          });
          state.dormancy = 'active';
        }
        state.orders += 1;
        milestones.push({
          kind: state.orders === 1 ? 'deal_purchase' : 'repeat_deal',
          at: e.at,
          eventId: e.id,
          orderNumber: state.orders,
        });
        const day = dayStart(atMs);
        if (purchaseDays.at(-1) !== day) purchaseDays.push(day);
        lastPurchaseMs = atMs;
        break;
      }
      case 'referral':
        state.advocate = true;
        milestones.push({ kind: 'referral_given', at: e.at, eventId: e.id });
        break;
      case 'review':
        if (e.rating === undefined || e.rating >= 4) state.advocate = true;
        break;
      case 'contact':
        if (state.orders > 0) milestones.push({ kind: 'kept_in_touch', at: e.at, eventId: e.id });
        break;
      case 'stage_override':
        if (model.stages.includes(e.stage)) {
          moveTo(e.stage, e.at, e.id);
          override = {
            stage: e.stage,
            underlying: model.stageOf(state, settings.developedAfterOrders),
          };
          continue;
        }
        break;
    }
    settle(e.at, e.id);
  }
  passTime(Number.POSITIVE_INFINITY);
  return { stages, milestones };
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
