import type { StageCounts } from '../../core/lifecycle/funnel.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { histogramMedian } from '../../core/lifecycle/funnel.ts';
import {
  type DayCounts,
  flowPrefixes,
  type FlowPrefix,
  pastDayCounts,
  stageDayCounts,
} from './rollups.ts';

/**
 * Medians from the day histograms kept as of the sweep when asOf is at or after it (the cheaper
 * read), else from the dyadic blocks, which answer any past asOf.
 */
async function stageMedians(db: D1Database, workspaceId: string, asOfMs: number) {
  const counts =
    (await stageDayCounts(db, workspaceId, asOfMs)) ??
    (await pastDayCounts(db, workspaceId, asOfMs));
  const medians = (h: DayCounts) =>
    new Map(
      [...h].flatMap(([stage, c]) => {
        const m = histogramMedian(c);
        return m === null ? [] : [[stage, m] as const];
      }),
    );
  return { stay: medians(counts.stay), reach: medians(counts.reach) };
}

/**
 * The stage counts of a workspace at `asOf`: counts come from the flow rollups (prefix sums at
 * asOf, `from` and the window's end, see flowPrefixes), whole-day medians from the day histograms
 * (stageDayCounts, or pastDayCounts before the sweep instant).
 */
export async function funnelCounts(
  db: D1Database,
  workspaceId: string,
  path: readonly Stage[],
  window: { asOf: string; from: string; to: string },
): Promise<{ counts: Map<Stage, StageCounts>; furthest: Map<Stage, number>; total: number }> {
  const asOfMs = Date.parse(window.asOf);
  // Everything at or before asOf counts: the prefix strictly before the next millisecond.
  const end = asOfMs + 1;
  const fromMs = Date.parse(window.from);
  const toMs = Math.min(Date.parse(window.to), end);
  const [prefixes, medians] = await Promise.all([
    flowPrefixes(db, workspaceId, [end, fromMs, Math.max(toMs, fromMs)]),
    stageMedians(db, workspaceId, asOfMs),
  ]);
  const [atEnd, atFrom, atTo] = prefixes as [FlowPrefix, FlowPrefix, FlowPrefix];
  const med = medians.stay;
  const cum = medians.reach;
  const round1 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
  const get = (m: Map<string, number>, key: string) => m.get(key) ?? 0;
  const stages = new Set<Stage>(
    [...atEnd.marks]
      .filter(([k, n]) => n > 0 && k.startsWith('first:') && k !== 'first:*')
      .map(([k]) => k)
      .map((k) => k.slice(6) as Stage),
  );
  const counts = new Map<Stage, StageCounts>(
    [...stages].map((s) => [
      s,
      {
        current: get(atEnd.entries, s) - get(atEnd.exits, s),
        entered: toMs > fromMs ? get(atTo.entries, s) - get(atFrom.entries, s) : 0,
        ever: get(atEnd.marks, `first:${s}`),
        medianDays: round1(med.get(s)),
        cumulativeMedianDays: round1(cum.get(s)),
      },
    ]),
  );
  // Clients whose furthest path stage is p: reached p or beyond, minus reached p + 1 or beyond.
  const atLeast = path.map((s) => get(atEnd.marks, `reach:${s}`));
  const furthest = new Map<Stage, number>(
    path.map((s, p) => [s, atLeast[p]! - (atLeast[p + 1] ?? 0)]),
  );
  return { counts, furthest, total: get(atEnd.marks, 'first:*') };
}
