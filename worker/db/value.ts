import type { ValueAggregates } from '../../core/value/summary.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
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

/** One row per buyer with what the models read: fits at scale never touch the event log. */
export async function loadValueAggregates(
  db: D1Database,
  workspaceId: string,
): Promise<{ id: string; aggregates: ValueAggregates }[]> {
  const rows = await db
    .prepare(
      `SELECT client_id, json_extract(data, '$.purchaseDays') AS purchase_days, first_purchase_at, last_purchase_at, revenue,
              json_extract(data, '$.firstPurchaseDayRevenue') AS first_day_revenue
       FROM client_aggregates WHERE workspace_id = ?1 AND orders > 0`,
    )
    .bind(workspaceId)
    .all<{
      client_id: string;
      purchase_days: number;
      first_purchase_at: string;
      last_purchase_at: string;
      revenue: number;
      first_day_revenue: number;
    }>();
  return rows.results.map((r) => ({
    id: r.client_id,
    aggregates: {
      purchaseDays: r.purchase_days,
      firstPurchaseAt: r.first_purchase_at,
      lastPurchaseAt: r.last_purchase_at,
      revenue: r.revenue,
      firstPurchaseDayRevenue: r.first_day_revenue,
    } satisfies Pick<ClientAggregates, keyof ValueAggregates>,
  }));
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
