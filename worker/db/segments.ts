import type { ClientSnapshot, PeriodBucket } from '../../schema/clients.ts';

/**
 * Only the monthly buckets inside `[fromMonth, toMonth)` (`YYYY-MM`), grouped per client: all that
 * ABC-XYZ reads, straight from the `(workspace_id, period)` index.
 */
export async function loadPeriodsInWindow(
  db: D1Database,
  workspaceId: string,
  fromMonth: string,
  toMonth: string,
): Promise<Pick<ClientSnapshot, 'id' | 'periods'>[]> {
  const rows = await db
    .prepare(
      'SELECT client_id, period, revenue, margin, orders FROM client_periods WHERE workspace_id = ?1 AND period >= ?2 AND period < ?3',
    )
    .bind(workspaceId, fromMonth, toMonth)
    .all<{ client_id: string; period: string; revenue: number; margin: number; orders: number }>();
  const byClient = new Map<string, PeriodBucket[]>();
  for (const r of rows.results) {
    const list = byClient.get(r.client_id) ?? [];
    list.push({ period: r.period, revenue: r.revenue, margin: r.margin, orders: r.orders });
    byClient.set(r.client_id, list);
  }
  return [...byClient].map(([id, periods]) => ({ id, periods }));
}

/** Recency, frequency and money per buyer, from the aggregate table's columns (no JSON parsing). */
export async function loadRfmInputs(db: D1Database, workspaceId: string) {
  const rows = await db
    .prepare(
      'SELECT client_id, orders, revenue, last_purchase_at FROM client_aggregates WHERE workspace_id = ?1',
    )
    .bind(workspaceId)
    .all<{ client_id: string; orders: number; revenue: number; last_purchase_at: string | null }>();
  return rows.results.map((r) => ({
    id: r.client_id,
    aggregates: { orders: r.orders, revenue: r.revenue, lastPurchaseAt: r.last_purchase_at },
  }));
}
