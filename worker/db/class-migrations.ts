import type { MigrationCell, MigrationDimension } from '../../schema/segment-migrations.ts';
import type { Snapshot } from '../../schema/snapshots.ts';

export interface MonthEndRun {
  id: string;
  status: Exclude<Snapshot['status'], 'failed'>;
  computedAt: string | null;
}

/** The month-end runs as of each instant (the newest that did not fail), done or still running. */
export async function monthEndRuns(
  db: D1Database,
  workspaceId: string,
  asOfs: readonly string[],
): Promise<Map<string, MonthEndRun>> {
  const { results } = await db
    .prepare(
      `SELECT as_of, id, status, finished_at FROM snapshots
       WHERE workspace_id = ?1 AND kind = 'month_end' AND status <> 'failed' AND as_of IN (?2, ?3)
       ORDER BY status = 'done', started_at`,
    )
    .bind(workspaceId, asOfs[0], asOfs[1] ?? asOfs[0])
    .all<{
      as_of: string;
      id: string;
      status: MonthEndRun['status'];
      finished_at: string | null;
    }>();
  // Ordered so that a finished run, then the newest, is the one kept for its instant.
  const runs = new Map<string, MonthEndRun>();
  for (const r of results)
    runs.set(r.as_of, { id: r.id, status: r.status, computedAt: r.finished_at });
  return runs;
}

/**
 * Each client's class in one snapshot: its column, or for types the set of types it carries
 * (sorted, joined by "+"), "none" when it has none. A client is in the portfolio at a month-end
 * when it has a stage there (an event placed it); one without is not counted.
 */
const CLASS_OF: Record<Exclude<MigrationDimension, 'type'>, string> = {
  stage: 'c.stage',
  abc: "COALESCE(c.abc, 'none')",
  xyz: "COALESCE(c.xyz, 'none')",
  rfm: "COALESCE(c.rfm_segment, 'none')",
};
const classOf = (dimension: MigrationDimension, snapshotParam: string) =>
  dimension === 'type'
    ? `COALESCE((SELECT group_concat(type, '+') FROM (SELECT t.type FROM client_class_types t
         WHERE t.workspace_id = ?1 AND t.snapshot_id = ${snapshotParam} AND t.client_id = c.client_id ORDER BY t.type)), 'none')`
    : CLASS_OF[dimension];

/**
 * The matrix between two snapshots, aggregated by SQLite: the Worker receives one row per cell,
 * never a row per client, so its memory is the answer's; the database reads the two snapshots'
 * rows once. Revenue is the later snapshot's (its 12 whole months before the month-end); clients
 * gone by then (erased) count with the revenue they had.
 */
export async function migrationCells(
  db: D1Database,
  workspaceId: string,
  fromSnapshot: string,
  toSnapshot: string,
  dimension: MigrationDimension,
): Promise<MigrationCell[]> {
  const side = (param: string) =>
    `SELECT c.client_id, ${classOf(dimension, param)} AS cls, c.revenue FROM client_classes c
     WHERE c.workspace_id = ?1 AND c.snapshot_id = ${param} AND c.stage IS NOT NULL`;
  const result = await db
    .prepare(
      `WITH a AS (${side('?2')}), b AS (${side('?3')})
       SELECT a.cls AS from_class, b.cls AS to_class, COUNT(*) AS clients, SUM(b.revenue) AS revenue
       FROM b LEFT JOIN a ON a.client_id = b.client_id GROUP BY 1, 2
       UNION ALL
       SELECT a.cls, NULL, COUNT(*), SUM(a.revenue) FROM a
       WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.client_id = a.client_id) GROUP BY 1`,
    )
    .bind(workspaceId, fromSnapshot, toSnapshot)
    .all<{
      from_class: string | null;
      to_class: string | null;
      clients: number;
      revenue: number;
    }>();
  return result.results.map((r) => ({
    from: r.from_class,
    to: r.to_class,
    clients: r.clients,
    revenue: Math.round(r.revenue * 100) / 100,
  }));
}
