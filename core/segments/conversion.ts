import type { ClientSnapshot } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import type {
  ConversionQuery,
  ConversionResult,
  ConversionSegment,
} from '../../schema/segments.ts';
import { histogramMedian } from '../lifecycle/funnel.ts';
import { round } from '../stats.ts';
import { cents } from './window.ts';

type Snapshot = Pick<ClientSnapshot, 'id' | 'attributes' | 'stage'> & {
  aggregates: Pick<
    ClientSnapshot['aggregates'],
    'orders' | 'revenue' | 'firstPurchaseAt' | 'firstDevelopedAt'
  >;
};

type AttributeValue = string | number | boolean | null;

export const NONE_LABEL = '(none)';

/** Stages of a client who stopped buying, in either model. */
const GONE: ReadonlySet<Stage> = new Set<Stage>(['sleeping', 'lost', 're_engagement']);

// Objects and arrays cannot be stored as attributes; should one slip through, it groups by its JSON.
const attributeValue = (raw: unknown): AttributeValue =>
  raw === undefined || raw === null
    ? null
    : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
      ? raw
      : JSON.stringify(raw);

/** One segment's figures: what the answer is made of, from the clients or from the rollups. */
export interface ConversionGroup {
  /** null: the clients without a value of the attribute. */
  value: AttributeValue;
  clients: number;
  acquired: number;
  developed: number;
  vanished: number;
  /** Lifetime revenue of the acquired clients, in cents (exact sums). */
  revenueCents: number;
  /** Whole UTC days from the first purchase to developed → clients (exact medians). */
  daysToDeveloped: Map<number, number>;
}

const ratio = (n: number, d: number) => (d > 0 ? round(n / d, 6) : null);

/** Whole UTC days between the dates of two instants. */
const wholeDays = (from: string, to: string) =>
  (Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY_MS;

/**
 * Which segments (values of one client attribute) become developed and which buy once and vanish
 * (docs/domain.md 1.4). Acquired = made a first purchase; developed = ever reached the developed stage
 * (`firstDevelopedAt`), whatever the stage now; vanished = exactly one order and now sleeping, lost
 * or being re-engaged. Missing values form their own segment, `null` / "(none)". Days to developed
 * are whole UTC days (the date of developed minus the date of the first purchase), like the funnel's.
 */
export function segmentConversion(
  snapshots: readonly Snapshot[],
  query: ConversionQuery,
): ConversionResult {
  const groups = new Map<string, ConversionGroup>();
  for (const s of snapshots) {
    const value = attributeValue(s.attributes[query.by]);
    // Typed keys: the string "1" and the number 1 are different values.
    const key = value === null ? 'null' : `${typeof value}:${String(value)}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        value,
        clients: 0,
        acquired: 0,
        developed: 0,
        vanished: 0,
        revenueCents: 0,
        daysToDeveloped: new Map(),
      };
      groups.set(key, g);
    }
    g.clients += 1;
    const a = s.aggregates;
    if (a.firstPurchaseAt === null) continue;
    g.acquired += 1;
    g.revenueCents += Math.round(a.revenue * 100);
    if (a.firstDevelopedAt !== null) {
      g.developed += 1;
      const days = wholeDays(a.firstPurchaseAt, a.firstDevelopedAt);
      g.daysToDeveloped.set(days, (g.daysToDeveloped.get(days) ?? 0) + 1);
    }
    if (a.orders === 1 && s.stage !== null && GONE.has(s.stage)) g.vanished += 1;
  }
  return conversionAnswer([...groups.values()], snapshots.length, query);
}

/** The answer from the segments' figures, sorted as asked. */
export function conversionAnswer(
  groups: readonly ConversionGroup[],
  clients: number,
  query: ConversionQuery,
): ConversionResult {
  const segments: ConversionSegment[] = groups.map((g) => {
    const days = histogramMedian(g.daysToDeveloped);
    const revenue = g.revenueCents / 100;
    return {
      value: g.value,
      label: g.value === null ? NONE_LABEL : String(g.value),
      clients: g.clients,
      acquired: g.acquired,
      developed: g.developed,
      developedShare: ratio(g.developed, g.acquired),
      vanished: g.vanished,
      vanishedShare: ratio(g.vanished, g.acquired),
      medianDaysToDeveloped: days === null ? null : round(days, 1),
      revenue: cents(revenue),
      averageRevenue: g.acquired > 0 ? cents(revenue / g.acquired) : null,
    };
  });
  segments.sort(compareBy(query.sort));
  return { by: query.by, sort: query.sort, clients, segments };
}

/**
 * Largest first for the chosen figure (a segment without buyers, whose shares are null, after
 * every segment with buyers); ties by acquired clients, then label (then the value's kind: a
 * boolean, a number, a text), and the missing value last.
 */
function compareBy(sort: ConversionQuery['sort']) {
  const key = (s: ConversionSegment): number | null =>
    sort === 'acquired'
      ? s.acquired
      : sort === 'value'
        ? null
        : sort === 'developedShare'
          ? s.developedShare
          : sort === 'vanishedShare'
            ? s.vanishedShare
            : s.averageRevenue;
  return (p: ConversionSegment, q: ConversionSegment): number => {
    if (sort !== 'value') {
      const kp = key(p);
      const kq = key(q);
      if (kp !== kq) {
        if (kp === null) return 1;
        if (kq === null) return -1;
        return kq - kp;
      }
      if (q.acquired !== p.acquired) return q.acquired - p.acquired;
    }
    if ((p.value === null) !== (q.value === null)) return p.value === null ? 1 : -1;
    if (p.label !== q.label) return p.label < q.label ? -1 : 1;
    // The same label for values of two kinds (the number 1 and the text "1"): a fixed order,
    // whatever order the segments came in.
    const [tp, tq] = [typeof p.value, typeof q.value];
    return tp < tq ? -1 : tp > tq ? 1 : 0;
  };
}
