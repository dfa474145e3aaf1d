import type { ClientSnapshot } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import {
  matchRfmRule,
  RFM_PROSPECTS,
  type RfmClient,
  type RfmResult,
  type SegmentSettings,
} from '../../schema/segments.ts';
import { quintileScores } from './rank.ts';

/** Whole days from the last purchase to `asOfMs`; a purchase after it counts as 0 days. */
export const recencyDays = (lastPurchaseAt: string, asOfMs: number) =>
  Math.max(0, Math.floor((asOfMs - Date.parse(lastPurchaseAt)) / DAY_MS));

/** The first rule whose R and FM = (F + M) / 2 ranges hold the scores. */
export const rfmSegment = (
  rules: SegmentSettings['rfm']['rules'],
  r: number,
  f: number,
  m: number,
) =>
  // The settings schema guarantees full coverage; the fallback only guards hand-built settings.
  matchRfmRule(rules, r, (f + m) / 2)?.segment ?? 'unclassified';

type RfmInput = Pick<ClientSnapshot, 'id'> & {
  aggregates: Pick<ClientSnapshot['aggregates'], 'orders' | 'revenue' | 'lastPurchaseAt'>;
};

/**
 * RFM as of `asOf`: recency is whole days since the last purchase (a purchase after `asOf` counts
 * as 0 days), frequency the orders, monetary the revenue, all from the maintained lifetime
 * aggregates. Scores are mid-rank quintiles over the clients with a purchase (see
 * `quintileScores`); the segment is the first rule whose R and FM = (F + M) / 2 ranges hold the
 * client. Clients without a purchase are prospects with null scores.
 */
export function rfm(
  snapshots: readonly RfmInput[],
  asOf: string,
  settings: Pick<SegmentSettings, 'rfm'>,
): RfmResult {
  const asOfMs = Date.parse(asOf);
  const buyers: { id: string; recencyDays: number; frequency: number; monetary: number }[] = [];
  const prospects: RfmClient[] = [];
  for (const s of snapshots) {
    const a = s.aggregates;
    if (a.orders > 0 && a.lastPurchaseAt !== null) {
      buyers.push({
        id: s.id,
        recencyDays: recencyDays(a.lastPurchaseAt, asOfMs),
        frequency: a.orders,
        monetary: a.revenue,
      });
    } else {
      prospects.push({
        id: s.id,
        r: null,
        f: null,
        m: null,
        segment: RFM_PROSPECTS,
        recencyDays: null,
        frequency: 0,
        monetary: 0,
      });
    }
  }

  const r = quintileScores(
    buyers.map((b) => b.recencyDays),
    false,
  );
  const f = quintileScores(
    buyers.map((b) => b.frequency),
    true,
  );
  const m = quintileScores(
    buyers.map((b) => b.monetary),
    true,
  );
  const rules = settings.rfm.rules;
  const segments: Record<string, number> = Object.fromEntries([
    ...rules.map((x) => [x.segment, 0] as const),
    [RFM_PROSPECTS, 0] as const,
  ]);

  const scored: RfmClient[] = buyers.map((b, i) => {
    const ri = r[i]!;
    const fi = f[i]!;
    const mi = m[i]!;
    const segment = rfmSegment(rules, ri, fi, mi);
    return {
      id: b.id,
      r: ri,
      f: fi,
      m: mi,
      segment,
      recencyDays: b.recencyDays,
      frequency: b.frequency,
      monetary: b.monetary,
    };
  });
  scored.sort(
    (p, q) => q.r! - p.r! || q.f! - p.f! || q.m! - p.m! || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0),
  );
  prospects.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  const clients = [...scored, ...prospects];
  for (const c of clients) segments[c.segment] = (segments[c.segment] ?? 0) + 1;
  return { asOf, clients, segments };
}
