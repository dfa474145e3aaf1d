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
 * one statement over the covering purchase index (migration 0021), so the Worker receives one row
 * per distinct history rather than a row per purchase or client. Same-day purchases are one
 * transaction, days are UTC (instants are stored as ISO strings in UTC). The repeat spend is the
 * client's total minus its first day's, that day's purchases found by one index seek per repeat
 * buyer.
 */
export async function loadPurchaseHistories(
  db: D1Database,
  workspaceId: string,
  before: string,
): Promise<{ histories: HistoryGroup[]; rowsRead: number }> {
  const result = await db
    .prepare(
      `SELECT x, CAST(julianday(first) - 2440587.5 AS INTEGER) AS first_day,
              CAST(julianday(last) - 2440587.5 AS INTEGER) AS last_day, repeat_spend, COUNT(*) AS customers
       FROM (
         SELECT x, first, last,
                CASE WHEN x > 0 THEN total - (
                  SELECT TOTAL(f.amount) FROM events AS f INDEXED BY events_purchase_days
                  WHERE f.workspace_id = ?1 AND f.type = 'purchase' AND f.client_id = c.client_id AND substr(f.at, 1, 10) = c.first
                ) ELSE 0 END AS repeat_spend
         FROM (
           SELECT client_id, COUNT(DISTINCT substr(at, 1, 10)) - 1 AS x, substr(MIN(at), 1, 10) AS first,
                  substr(MAX(at), 1, 10) AS last, TOTAL(amount) AS total
           FROM events INDEXED BY events_purchase_days
           WHERE workspace_id = ?1 AND type = 'purchase' AND at < ?2
           GROUP BY client_id
         ) AS c
       )
       GROUP BY x, first, last, repeat_spend`,
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
