import type { CohortGrain } from '../../schema/cohorts.ts';

/** A month `YYYY-MM` (SQL text) as its quarter `YYYY-Qn`. */
const quarterOf = (month: string) =>
  `substr(${month}, 1, 4) || '-Q' || ((CAST(substr(${month}, 6, 2) AS INTEGER) + 2) / 3)`;
const cents = (col: string) => `CAST(ROUND(${col} * 100) AS INTEGER)`;

/**
 * Adds (`sign` 1) or removes (-1) the clients whose ids are bound from `?3` on (at most 98 of
 * them) from the workspace's cohort cells, reading only their monthly buckets: a client's cohort
 * is its first month with an order, and it is active in every month (or quarter) with one. Runs
 * beside the funnel's rollup deltas (flowDeltaStatements), so every write keeps the cells.
 */
export function cohortDeltaStatement(
  db: D1Database,
  workspaceId: string,
  clientIds: readonly string[],
  sign: 1 | -1,
  idsSql: string,
): D1PreparedStatement {
  const first = `(SELECT client_id, MIN(period) AS cohort FROM client_periods
                  WHERE workspace_id = ?1 AND client_id IN (${idsSql}) AND orders > 0 GROUP BY client_id)`;
  return db
    .prepare(
      `INSERT INTO cohort_cells (workspace_id, grain, cohort, period, clients, revenue_cents, margin_cents)
       SELECT ?1, grain, cohort, period, ?2 * COUNT(*), ?2 * SUM(rc), ?2 * SUM(mc) FROM (
         SELECT 'month' AS grain, f.cohort, p.period, ${cents('p.revenue')} AS rc, ${cents('p.margin')} AS mc
         FROM client_periods p JOIN ${first} f ON f.client_id = p.client_id
         WHERE p.workspace_id = ?1 AND p.client_id IN (${idsSql}) AND p.orders > 0
         UNION ALL
         SELECT 'quarter', ${quarterOf('f.cohort')}, ${quarterOf('p.period')}, SUM(${cents('p.revenue')}), SUM(${cents('p.margin')})
         FROM client_periods p JOIN ${first} f ON f.client_id = p.client_id
         WHERE p.workspace_id = ?1 AND p.client_id IN (${idsSql}) AND p.orders > 0
         GROUP BY p.client_id, ${quarterOf('p.period')}
       ) WHERE true GROUP BY grain, cohort, period
       ON CONFLICT (workspace_id, grain, cohort, period) DO UPDATE SET clients = clients + excluded.clients,
         revenue_cents = revenue_cents + excluded.revenue_cents, margin_cents = margin_cents + excluded.margin_cents`,
    )
    .bind(workspaceId, sign, ...clientIds);
}

export interface CohortCell {
  cohort: string;
  period: string;
  clients: number;
  revenueCents: number;
  marginCents: number;
}

/** The cells of the cohorts `from`..`to` up to period `to`: the triangle, nothing else. */
export async function cohortCells(
  db: D1Database,
  workspaceId: string,
  grain: CohortGrain,
  from: string,
  to: string,
): Promise<CohortCell[]> {
  const rows = await db
    .prepare(
      `SELECT cohort, period, clients, revenue_cents, margin_cents FROM cohort_cells
       WHERE workspace_id = ?1 AND grain = ?2 AND cohort >= ?3 AND cohort <= ?4 AND period <= ?4 AND clients <> 0
       ORDER BY cohort, period`,
    )
    .bind(workspaceId, grain, from, to)
    .all<{
      cohort: string;
      period: string;
      clients: number;
      revenue_cents: number;
      margin_cents: number;
    }>();
  return rows.results.map((r) => ({
    cohort: r.cohort,
    period: r.period,
    clients: r.clients,
    revenueCents: r.revenue_cents,
    marginCents: r.margin_cents,
  }));
}
