import type { ClientSnapshot } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import type {
  ConversionQuery,
  ConversionResult,
  ConversionSegment,
} from '../../schema/segments.ts';
import { median, round } from '../stats.ts';
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

interface Group {
  value: AttributeValue;
  clients: number;
  acquired: number;
  developed: number;
  vanished: number;
  revenue: number;
  daysToDeveloped: number[];
}

const ratio = (n: number, d: number) => (d > 0 ? round(n / d, 6) : null);

/**
 * Which segments (values of one client attribute) become developed and which buy once and vanish
 * (docs/domain.md 1.4). Acquired = made a first purchase; developed = ever reached the developed stage
 * (`firstDevelopedAt`), whatever the stage now; vanished = exactly one order and now sleeping, lost
 * or being re-engaged. Missing values form their own segment, `null` / "(none)".
 */
export function segmentConversion(
  snapshots: readonly Snapshot[],
  query: ConversionQuery,
): ConversionResult {
  const groups = new Map<string, Group>();
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
        revenue: 0,
        daysToDeveloped: [],
      };
      groups.set(key, g);
    }
    g.clients += 1;
    const a = s.aggregates;
    if (a.firstPurchaseAt === null) continue;
    g.acquired += 1;
    g.revenue += a.revenue;
    if (a.firstDevelopedAt !== null) {
      g.developed += 1;
      g.daysToDeveloped.push(
        (Date.parse(a.firstDevelopedAt) - Date.parse(a.firstPurchaseAt)) / DAY_MS,
      );
    }
    if (a.orders === 1 && s.stage !== null && GONE.has(s.stage)) g.vanished += 1;
  }

  const segments: ConversionSegment[] = [...groups.values()].map((g) => {
    const days = median(g.daysToDeveloped);
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
      revenue: cents(g.revenue),
      averageRevenue: g.acquired > 0 ? cents(g.revenue / g.acquired) : null,
    };
  });
  segments.sort(compareBy(query.sort));
  return { by: query.by, sort: query.sort, clients: snapshots.length, segments };
}

/**
 * Largest first for the chosen figure (a segment without buyers, whose shares are null, after
 * every segment with buyers); ties by acquired clients, then label, and the missing value last.
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
    return p.label < q.label ? -1 : p.label > q.label ? 1 : 0;
  };
}
