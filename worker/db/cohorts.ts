import { NO_PERIODS } from '../../core/lifecycle/derive.ts';
import type { CohortGrain } from '../../schema/cohorts.ts';

/** A month `YYYY-MM` (SQL text) as its quarter `YYYY-Qn`. */
const quarterOf = (month: string) =>
  `substr(${month}, 1, 4) || '-Q' || ((CAST(substr(${month}, 6, 2) AS INTEGER) + 2) / 3)`;
const cents = (col: string) => `CAST(ROUND(${col} * 100) AS INTEGER)`;

/**
 * The rows to add (`sign`, bound as ?2) to the workspace's (?1) cohort cells the months of the clients in
 * `scope` (a table of `client_id` and `periods_from`) from each one's `periods_from` on (a quarter
 * start, see core's quarterStart; '' for all): a client's cohort is its first month with an order, and
 * it is active in every month (or quarter) with one. Run before a write (-1) and after it (+1),
 * it moves the cells by exactly what the write changed: the months before `periods_from` are
 * untouched by it, and so is the cohort when one of them has an order (otherwise they count in
 * no cell). Runs beside the funnel's rollup deltas (flowDeltaStatements), so every write keeps
 * the cells.
 */
export function cohortDeltaSql(scope: string): string {
  // The first month with an order: the client's first periods, until one has an order.
  // A client whose write keeps its months (NO_PERIODS) is not even looked up.
  const first = `(SELECT client_id, periods_from, (SELECT period FROM client_periods
                    WHERE workspace_id = ?1 AND client_id = s.client_id AND orders > 0 ORDER BY period LIMIT 1) AS cohort
                  FROM ${scope} s WHERE s.periods_from < '${NO_PERIODS}')`;
  const months = `FROM ${first} f CROSS JOIN client_periods p ON p.workspace_id = ?1 AND p.client_id = f.client_id
         AND p.period >= f.periods_from WHERE f.cohort IS NOT NULL AND p.orders > 0`;
  return `SELECT ?1, grain, cohort, period, ?2 * COUNT(*), ?2 * SUM(rc), ?2 * SUM(mc) FROM (
         SELECT 'month' AS grain, f.cohort, p.period, ${cents('p.revenue')} AS rc, ${cents('p.margin')} AS mc
         ${months}
         UNION ALL
         SELECT 'quarter', ${quarterOf('f.cohort')}, ${quarterOf('p.period')}, SUM(${cents('p.revenue')}), SUM(${cents('p.margin')})
         ${months}
         GROUP BY p.client_id, ${quarterOf('p.period')}
       ) GROUP BY grain, cohort, period`;
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
