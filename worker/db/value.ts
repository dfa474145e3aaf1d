import type { HistoryGroup } from '../../core/value/summary.ts';
import type { ClvModel, InsufficientData } from '../../schema/value.ts';

export type StoredModel = ClvModel | InsufficientData;

export async function getModel(db: D1Database, workspaceId: string): Promise<StoredModel | null> {
  const row = await db
    .prepare('SELECT body FROM clv_models WHERE workspace_id = ?1')
    .bind(workspaceId)
    .first<{ body: string }>();
  if (!row) return null;
  const body = JSON.parse(row.body) as StoredModel;
  // Models stored before the other purchase models existed are BG/NBD.
  return 'status' in body || body.model
    ? body
    : ({ ...(body as object), model: 'bgnbd' } as StoredModel);
}

export async function saveModel(
  db: D1Database,
  workspaceId: string,
  model: StoredModel,
  now: string,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO clv_models (workspace_id, status, body, fitted_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (workspace_id) DO UPDATE SET status = excluded.status, body = excluded.body, fitted_at = excluded.fitted_at`,
    )
    .bind(workspaceId, 'status' in model ? model.status : 'fitted', JSON.stringify(model), now)
    .run();
}

/**
 * The purchases before `before`, as the continuous-time fits read them: customers grouped by
 * identical history (purchase days after the first, first and last purchase day, repeat spend) in
 * one statement, so the Worker receives one row per distinct history rather than a row per
 * purchase or client. Same-day purchases are one transaction, days are UTC (instants are stored as
 * ISO strings in UTC). A client whose last purchase is before `before` is read from its purchase
 * history columns (migration 0025), grouped in the order of their covering index; only a client
 * who also bought at or after `before` (or whose columns are not filled) has its purchases after
 * its first purchase day and before `before` read from the purchase index (migration 0021): the
 * first day is all before `before`, or the client has no purchase day after it yet.
 */
export async function loadPurchaseHistories(
  db: D1Database,
  workspaceId: string,
  before: string,
): Promise<{ histories: HistoryGroup[]; rowsRead: number }> {
  const result = await db
    .prepare(
      `SELECT x, first_day, last_day, repeat_spend, SUM(customers) AS customers
       FROM (
         SELECT purchase_days - 1 AS x, first_purchase_day AS first_day, last_purchase_day AS last_day,
                repeat_spend, COUNT(*) AS customers
         FROM client_aggregates INDEXED BY client_purchase_histories
         WHERE workspace_id = ?1 AND last_purchase_at < ?2 AND purchase_days IS NOT NULL AND repeat_spend IS NOT NULL
         GROUP BY purchase_days, first_purchase_day, last_purchase_day, repeat_spend
         UNION ALL
         SELECT COUNT(DISTINCT substr(e.at, 1, 10)), s.first_purchase_day,
                COALESCE(CAST(julianday(MAX(substr(e.at, 1, 10))) - 2440587.5 AS INTEGER), s.first_purchase_day),
                TOTAL(e.amount), 1
         FROM client_aggregates AS s INDEXED BY client_purchase_histories
         LEFT JOIN events AS e INDEXED BY events_purchase_days
           ON e.workspace_id = ?1 AND e.type = 'purchase' AND e.client_id = s.client_id
           AND substr(e.at, 1, 10) > substr(s.first_purchase_at, 1, 10) AND e.at < ?2
         WHERE s.workspace_id = ?1 AND s.last_purchase_at IS NOT NULL AND s.first_purchase_at < ?2
           AND (s.last_purchase_at >= ?2 OR s.purchase_days IS NULL OR s.repeat_spend IS NULL)
         GROUP BY s.client_id
       )
       GROUP BY x, first_day, last_day, repeat_spend`,
    )
    .bind(workspaceId, before)
    .all<{
      x: number;
      first_day: number;
      last_day: number;
      repeat_spend: number;
      customers: number;
    }>();
  return {
    histories: result.results.map((r) => ({
      x: r.x,
      firstDay: r.first_day,
      lastDay: r.last_day,
      repeatSpend: r.repeat_spend,
      customers: r.customers,
    })),
    rowsRead: result.meta.rows_read,
  };
}

/**
 * Purchases before `before`, for a fit at a past date, a backtest or BG/BB (the events-by-type
 * index), grouped in the database to one row per client and UTC day (instants are stored as
 * ISO strings in UTC): the models count purchase days, so the day's first instant and its total
 * are all they read. A split of a day by `holdoutFrom` assigns the whole day by its first purchase.
 */
export async function loadPurchases(
  db: D1Database,
  workspaceId: string,
  before: string,
): Promise<{ clientId: string; at: string; amount: number }[]> {
  const rows = await db
    .prepare(
      `SELECT client_id, MIN(at) AS at, SUM(json_extract(body, '$.amount')) AS amount FROM events
       WHERE workspace_id = ?1 AND type = 'purchase' AND at < ?2 GROUP BY client_id, substr(at, 1, 10)`,
    )
    .bind(workspaceId, before)
    .all<{ client_id: string; at: string; amount: number }>();
  return rows.results.map((r) => ({ clientId: r.client_id, at: r.at, amount: r.amount }));
}
