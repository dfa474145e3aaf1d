import type { StageCounts } from '../../core/lifecycle/funnel.ts';
import type { Stage } from '../../schema/lifecycle.ts';

const median = (source: string) => `
  ranked AS (SELECT stage, days, ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn, COUNT(*) OVER (PARTITION BY stage) AS n FROM ${source})
  SELECT stage, AVG(days) AS days FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage`;

/**
 * The stage counts of a workspace at `asOf`, all computed in SQLite over the stage spells (a few
 * rows per client), never over the event log. Medians use window functions so no rows travel.
 */
export async function funnelCounts(
  db: D1Database,
  workspaceId: string,
  path: readonly Stage[],
  window: { asOf: string; from: string; to: string },
): Promise<{ counts: Map<Stage, StageCounts>; furthest: Map<Stage, number>; total: number }> {
  const asOfMs = Date.parse(window.asOf);
  const rankCase = `CASE stage ${path.map((_, i) => `WHEN ?${i + 3} THEN ${i}`).join(' ')} ELSE -1 END`;
  const [current, entered, ever, furthest, inStage, toReach, total] = await db.batch<
    Record<string, unknown>
  >([
    db
      .prepare(
        'SELECT stage, COUNT(*) AS n FROM stage_spells WHERE workspace_id = ?1 AND entered_ms <= ?2 AND (left_ms IS NULL OR left_ms > ?2) GROUP BY stage',
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        'SELECT stage, COUNT(DISTINCT client_id) AS n FROM stage_spells WHERE workspace_id = ?1 AND entered_at >= ?2 AND entered_at < ?3 AND entered_at <= ?4 GROUP BY stage',
      )
      .bind(workspaceId, window.from, window.to, window.asOf),
    db
      .prepare(
        'SELECT stage, COUNT(DISTINCT client_id) AS n FROM stage_spells WHERE workspace_id = ?1 AND entered_at <= ?2 GROUP BY stage',
      )
      .bind(workspaceId, window.asOf),
    db
      .prepare(
        `SELECT r AS rank, COUNT(*) AS n FROM (
           SELECT client_id, MAX(${rankCase}) AS r FROM stage_spells WHERE workspace_id = ?1 AND entered_at <= ?2 GROUP BY client_id
         ) WHERE r >= 0 GROUP BY r`,
      )
      .bind(workspaceId, window.asOf, ...path),
    db
      .prepare(
        `WITH spells AS (
           SELECT stage, (MIN(COALESCE(left_ms, ?2), ?2) - entered_ms) / 86400000.0 AS days
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
         reach AS (SELECT stage, (MIN(entered_ms) - first_ms) / 86400000.0 AS days FROM s GROUP BY client_id, stage),
         ${median('reach')}`,
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        'SELECT COUNT(DISTINCT client_id) AS n FROM stage_spells WHERE workspace_id = ?1 AND entered_at <= ?2',
      )
      .bind(workspaceId, window.asOf),
  ]);
  const byStage = (r: D1Result<Record<string, unknown>> | undefined, field: string) =>
    new Map((r?.results ?? []).map((row) => [row.stage as Stage, row[field] as number]));
  const cur = byStage(current, 'n');
  const ent = byStage(entered, 'n');
  const evr = byStage(ever, 'n');
  const med = byStage(inStage, 'days');
  const cum = byStage(toReach, 'days');
  const stages = new Set<Stage>([...cur.keys(), ...evr.keys()]);
  const round1 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
  const counts = new Map<Stage, StageCounts>(
    [...stages].map((s) => [
      s,
      {
        current: cur.get(s) ?? 0,
        entered: ent.get(s) ?? 0,
        ever: evr.get(s) ?? 0,
        medianDays: round1(med.get(s)),
        cumulativeMedianDays: round1(cum.get(s)),
      },
    ]),
  );
  const far = new Map<Stage, number>(
    (furthest?.results ?? []).map((row) => [path[row.rank as number]!, row.n as number]),
  );
  return { counts, furthest: far, total: (total?.results[0]?.n as number | undefined) ?? 0 };
}
