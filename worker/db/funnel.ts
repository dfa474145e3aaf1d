import type { StageCounts } from '../../core/lifecycle/funnel.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { histogramMedian } from '../../core/lifecycle/funnel.ts';
import { type DayCounts, flowPrefixes, type FlowPrefix, stageDayCounts } from './rollups.ts';

const median = (source: string) => `
  ranked AS (SELECT stage, days, ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn, COUNT(*) OVER (PARTITION BY stage) AS n FROM ${source})
  SELECT stage, AVG(days) AS days FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage`;

/**
 * Whole-day medians (days in stage, days to reach) over the stage spells: the answer for an asOf
 * before the workspace's sweep instant, which the day histograms cannot rewind to. Reads every
 * spell begun by asOf.
 */
async function scannedMedians(db: D1Database, workspaceId: string, asOfMs: number) {
  const [inStage, toReach] = await db.batch<{ stage: Stage; days: number }>([
    db
      .prepare(
        `WITH spells AS (
           SELECT stage, MIN(COALESCE(left_ms, CAST(?2 AS INTEGER)), CAST(?2 AS INTEGER)) / 86400000 - entered_ms / 86400000 AS days
           FROM stage_spells WHERE workspace_id = ?1 AND entered_ms <= ?2
         ), ${median('spells')}`,
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        `WITH s AS (
           SELECT client_id, stage, entered_ms, MIN(entered_ms) OVER (PARTITION BY client_id) AS first_ms
           FROM stage_spells WHERE workspace_id = ?1 AND entered_ms <= ?2
         ),
         reach AS (SELECT stage, MIN(entered_ms) / 86400000 - first_ms / 86400000 AS days FROM s GROUP BY client_id, stage),
         ${median('reach')}`,
      )
      .bind(workspaceId, asOfMs),
  ]);
  const byStage = (r: D1Result<{ stage: Stage; days: number }> | undefined) =>
    new Map((r?.results ?? []).map((row) => [row.stage, row.days]));
  return { stay: byStage(inStage), reach: byStage(toReach) };
}

/** Medians from the day histograms when asOf allows, else from the spells. */
async function stageMedians(db: D1Database, workspaceId: string, asOfMs: number) {
  const counts = await stageDayCounts(db, workspaceId, asOfMs);
  if (counts === null) return scannedMedians(db, workspaceId, asOfMs);
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
 * (stageDayCounts).
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
