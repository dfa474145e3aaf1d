import type { ClientAggregates, PeriodBucket } from '../../schema/clients.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { LifecycleSettings, Milestone, StageSpell } from '../../schema/lifecycle.ts';
import {
  type AggregateFold,
  emptyAggregateFold,
  finishAggregates,
  stepAggregates,
} from './aggregates.ts';
import { addMarkMinima, type FunnelMark, type MarkMinima, marksOf } from './marks.ts';
import { stageModel } from './models.ts';
import { chronological } from './order.ts';
import { emptyStageFold, type SleepRule, stageFolder, type StageFold } from './stages.ts';

export interface DerivedClient {
  stages: StageSpell[];
  milestones: Milestone[];
  aggregates: ClientAggregates;
  periods: PeriodBucket[];
  /**
   * What the funnel's rollups count for this client (first entries, furthest stage reached), at
   * or after `marksFrom` (every mark, when derived from scratch): earlier marks come from spells
   * that no later event changes, so they stay as stored.
   */
  marks: FunnelMark[];
  marksFrom: number;
  /** The seq of `stages[0]`: spells before it are unchanged (0 when derived from scratch). */
  spellBase: number;
  /** `periods` replace the stored buckets from this month on ('' when derived from scratch). */
  periodsFrom: string;
  /** The state a later event continues from (compacted: see compactFold). */
  fold: ClientFold;
}

/**
 * Where a client's derivation stands after its latest event (`last`, in chronological order):
 * enough to continue with later events without replaying its history. Plain JSON.
 */
export interface ClientFold {
  last: { at: string; id: string } | null;
  stages: StageFold;
  aggregates: AggregateFold;
  /** Mark minima over the spells before `stages.base` (dropped from the fold). */
  marks: MarkMinima;
}

export const emptyFold = (): ClientFold => ({
  last: null,
  stages: emptyStageFold(),
  aggregates: emptyAggregateFold(),
  marks: {},
});

/**
 * A deep copy of plain JSON data, as folds are: a few times faster than a round trip through
 * text (core has no structuredClone, which is no faster).
 */
function clone<T>(x: T): T {
  if (Array.isArray(x)) return x.map(clone) as T;
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(x)) out[key] = clone((x as Record<string, unknown>)[key]);
    return out as T;
  }
  return x;
}

/** Whether an event comes after everything a fold has seen (the one replay order, by time then id). */
export const isAfter = (fold: ClientFold, e: Pick<ClientEvent, 'at' | 'id'>): boolean =>
  fold.last === null || e.at > fold.last.at || (e.at === fold.last.at && e.id > fold.last.id);

/**
 * Continues `fold` with `events` (each after the fold's last, see isAfter) and finishes: the
 * client's derived state, the same as deriveClient over all of its events, with only the spells
 * and month buckets that can have changed. `fold` itself is not modified.
 */
export function continueClient(
  fold: ClientFold,
  events: readonly ClientEvent[],
  settings: LifecycleSettings,
  sleepRule?: SleepRule,
  milestones?: Milestone[],
): DerivedClient {
  const f = clone(fold);
  const spellBase = f.stages.base;
  const periodsFrom = f.aggregates.periods[0]?.period ?? '';
  // A mark of the spells before the base is at or before the entry of the spell at the base, and
  // stays the minimum: only marks from that entry on can change.
  const openSpell = f.stages.spells[0];
  const marksFrom =
    spellBase === 0 || !openSpell ? Number.MIN_SAFE_INTEGER : Date.parse(openSpell.enteredAt);
  const stages = stageFolder(settings, sleepRule, milestones);
  const options = {
    developedAfterOrders: settings.developedAfterOrders,
    interestRecheckDays: settings.interestRecheckDays,
  };
  for (const e of chronological(events)) {
    stages.step(f.stages, e);
    stepAggregates(f.aggregates, e, options);
    f.last = { at: e.at, id: e.id };
  }
  const finished = clone(f.stages);
  stages.finish(finished);
  const model = stageModel(settings.model);
  const marks = marksOf(addMarkMinima({ ...f.marks }, finished.spells, model)).filter(
    (m) => m.atMs >= marksFrom,
  );
  return {
    stages: finished.spells,
    milestones: milestones ?? [],
    aggregates: finishAggregates(f.aggregates, f.stages.reactivations),
    periods: f.aggregates.periods,
    marks,
    spellBase,
    periodsFrom,
    marksFrom,
    fold: compactFold(f, model),
  };
}

/**
 * Drops from a fold what later events cannot change: every spell but the open one (its entry
 * counted in the mark minima) and every month bucket but the latest.
 */
function compactFold(f: ClientFold, model: ReturnType<typeof stageModel>): ClientFold {
  const keep = Math.max(0, f.stages.spells.length - 1);
  addMarkMinima(f.marks, f.stages.spells.slice(0, keep), model);
  f.stages.spells = f.stages.spells.slice(keep);
  f.stages.base += keep;
  f.aggregates.periods = f.aggregates.periods.slice(-1);
  return f;
}

/** The `periodsFrom` of a write that keeps every stored month bucket: later than any month. */
export const NO_PERIODS = '~';

/**
 * `d` writing no month buckets when they are the client's `stored` ones (a continuation's: the
 * latest month, kept in its fold), as after any event but a purchase: its month rows and cohort
 * cells then stay as they are.
 */
export function withChangedPeriods(
  d: DerivedClient,
  stored: readonly PeriodBucket[],
): DerivedClient {
  return JSON.stringify(d.periods) === JSON.stringify(stored)
    ? { ...d, periods: [], periodsFrom: NO_PERIODS }
    : d;
}

/** The `marksFrom` of a write that keeps every stored mark of its client: later than any mark. */
export const NO_MARKS = Number.MAX_SAFE_INTEGER;

/**
 * `d` writing only the marks that differ from the client's `stored` ones: from the earliest
 * instant at which a mark changed, appeared or went (a mark is keyed by kind and stage), the
 * marks before it being the same in both. Nothing at all when none differ. A continuing client
 * (the usual stream) keeps its marks while it stays in its stage, so its write then leaves them
 * and their rollups alone.
 */
export function withChangedMarks(d: DerivedClient, stored: readonly FunnelMark[]): DerivedClient {
  const key = (m: FunnelMark) => `${m.kind}:${m.stage}`;
  const before = new Map(stored.filter((m) => m.atMs >= d.marksFrom).map((m) => [key(m), m]));
  let from = NO_MARKS;
  for (const m of d.marks) {
    const was = before.get(key(m));
    before.delete(key(m));
    if (was?.atMs !== m.atMs || was.days !== m.days)
      from = Math.min(from, m.atMs, was?.atMs ?? m.atMs);
  }
  for (const gone of before.values()) from = Math.min(from, gone.atMs);
  return { ...d, marks: d.marks.filter((m) => m.atMs >= from), marksFrom: from };
}

/**
 * `d` writing only the spells that differ from the client's `stored` ones (those from
 * `d.spellBase` on, in seq order): from the first seq at which a spell changed, appeared or went.
 * Nothing at all when none differ. A continuing client's spells stay the same under most events
 * (a payment, a contact), and its write then leaves them and their rollups alone.
 */
export function withChangedSpells(d: DerivedClient, stored: readonly StageSpell[]): DerivedClient {
  let same = 0;
  while (
    same < d.stages.length &&
    same < stored.length &&
    d.stages[same]!.stage === stored[same]!.stage &&
    d.stages[same]!.enteredAt === stored[same]!.enteredAt &&
    d.stages[same]!.leftAt === stored[same]!.leftAt &&
    d.stages[same]!.eventId === stored[same]!.eventId
  )
    same++;
  return { ...d, stages: d.stages.slice(same), spellBase: d.spellBase + same };
}

/** Everything ingestion maintains for one client, derived from all of its events. */
export function deriveClient(
  events: readonly ClientEvent[],
  settings: LifecycleSettings,
  sleepRule?: SleepRule,
): DerivedClient {
  return continueClient(emptyFold(), events, settings, sleepRule, []);
}

/**
 * A short key of the lifecycle settings a fold was derived under: a stored fold continues only
 * under the same settings (another key means a replay). FNV-1a over the settings' JSON.
 */
export function foldKey(settings: LifecycleSettings): string {
  const text = JSON.stringify(settings);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x0100019d) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
