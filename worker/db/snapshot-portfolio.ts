import * as v from 'valibot';
import type { BuyerRow, BuyerTier } from '../../core/segments/snapshot-portfolio.ts';
import { type Reason, ReasonSchema } from '../../schema/reasons.ts';
import type { PortfolioResult } from '../../schema/segments.ts';
import { PortfolioStateSchema, type SnapshotState } from '../../schema/snapshots.ts';
import { planJsonRows } from './plan.ts';
import { addCountsStatements } from './snapshots.ts';

/** The portfolio pass and the portfolio reads of a snapshot (client_classes' portfolio columns). */

type Row = Record<string, string | number | null>;

/**
 * One chunk of the portfolio pass: the window's buyers after `after` in the order window revenue
 * desc, then id, on client_classes_by_buyer.
 */
export async function buyersChunk(
  db: D1Database,
  workspaceId: string,
  id: string,
  after: { revenue: number; clientId: string } | null,
  limit: number,
): Promise<(BuyerRow & { revenueRank: number | null })[]> {
  const sql = (condition: string) =>
    `SELECT k.client_id, k.window_revenue, k.window_margin, k.window_orders, k.revenue_rank
     FROM client_classes k INDEXED BY client_classes_by_buyer
     WHERE k.workspace_id = ?1 AND k.snapshot_id = ?2 AND k.window_revenue > 0 AND ${condition}
     ORDER BY k.window_revenue DESC, k.client_id LIMIT ?3`;
  let results: Row[];
  if (!after) {
    results = (await db.prepare(sql('true')).bind(workspaceId, id, limit).all<Row>()).results;
  } else {
    const [same, below] = await db.batch<Row>([
      db
        .prepare(sql('k.window_revenue = ?4 AND k.client_id > ?5'))
        .bind(workspaceId, id, limit, after.revenue, after.clientId),
      db.prepare(sql('k.window_revenue < ?4')).bind(workspaceId, id, limit, after.revenue),
    ]);
    results = [...same!.results, ...below!.results].slice(0, limit);
  }
  return results.map((r) => ({
    id: String(r.client_id),
    windowRevenue: Number(r.window_revenue),
    windowMargin: Number(r.window_margin),
    windowOrders: Number(r.window_orders),
    revenueRank: r.revenue_rank === null ? null : Number(r.revenue_rank),
  }));
}

/** The portfolio pass's writes of one chunk: each buyer's place, tier and reasons, the tier counts. */
export function writeTiersStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
  clients: readonly BuyerTier[],
  counts: Parameters<typeof addCountsStatements>[3],
): D1PreparedStatement[] {
  const j = (i: number) => `json_extract(value, '$[${i}]')`;
  // An upsert driven by the chunk's rows (a key lookup each), only for rows still there, as the
  // classify pass writes.
  const tiers = planJsonRows(
    db,
    (p) =>
      `INSERT INTO client_classes (workspace_id, snapshot_id, client_id, value_cents, revenue, margin, window_revenue,
         window_margin, window_orders, frequency, monetary, portfolio_rank, tier, tier_reason, key_reasons)
       SELECT ?1, ?2, ${j(0)}, 0, 0, 0, 0, 0, 0, 0, 0, ${[1, 2, 3, 4].map(j).join(', ')} FROM json_each(${p})
       WHERE EXISTS (SELECT 1 FROM client_classes x WHERE x.workspace_id = ?1 AND x.snapshot_id = ?2 AND x.client_id = ${j(0)})
       ON CONFLICT (workspace_id, snapshot_id, client_id) DO UPDATE SET portfolio_rank = excluded.portfolio_rank,
         tier = excluded.tier, tier_reason = excluded.tier_reason, key_reasons = excluded.key_reasons`,
    [workspaceId, id],
    clients.map((c) => [
      c.id,
      c.rank,
      c.tier,
      JSON.stringify(c.reason),
      c.keyReasons && JSON.stringify(c.keyReasons),
    ]),
  );
  return [...tiers, ...addCountsStatements(db, workspaceId, id, counts)];
}

/** What a snapshot's state holds for portfolio health: one row by its key. */
export type PortfolioSnapshotState = Pick<
  SnapshotState,
  'totalRevenue' | 'totalMargin' | 'portfolio'
>;

export async function portfolioState(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<PortfolioSnapshotState> {
  const row = await db
    .prepare(
      `SELECT json_extract(state, '$.totalRevenue') AS revenue, json_extract(state, '$.totalMargin') AS margin,
         json_extract(state, '$.portfolio') AS portfolio FROM snapshots WHERE workspace_id = ?1 AND id = ?2`,
    )
    .bind(workspaceId, id)
    .first<{ revenue: number | null; margin: number | null; portfolio: string | null }>();
  return {
    totalRevenue: Number(row?.revenue ?? 0),
    totalMargin: Number(row?.margin ?? 0),
    portfolio: v.parse(
      PortfolioStateSchema,
      row?.portfolio ? (JSON.parse(row.portfolio) as unknown) : {},
    ),
  };
}

/** Which of these clients are still in the snapshot (an erased client has left it). */
export async function presentClients(
  db: D1Database,
  workspaceId: string,
  id: string,
  clientIds: readonly string[],
): Promise<Set<string>> {
  if (clientIds.length === 0) return new Set();
  const rows = await db
    .prepare(
      `SELECT client_id FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2
         AND client_id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(workspaceId, id, JSON.stringify(clientIds))
    .all<{ client_id: string }>();
  return new Set(rows.results.map((r) => r.client_id));
}

export type TierRow = PortfolioResult['tiers']['clients'][number] & {
  rank: number;
  margin: number;
  keyReasons: Reason[] | null;
};

const reasonOf = (text: Row[string] | undefined) => v.parse(ReasonSchema, JSON.parse(String(text)));
const reasonsOf = (text: Row[string] | undefined) =>
  text === null || text === undefined
    ? null
    : v.parse(v.array(ReasonSchema), JSON.parse(String(text)));

const tierSql = (index: string, condition: string) =>
  `SELECT k.client_id, c.name, k.portfolio_rank, k.tier, k.tier_reason, k.key_reasons, k.window_revenue, k.window_margin
   FROM client_classes k INDEXED BY ${index}
   LEFT JOIN clients c ON c.workspace_id = k.workspace_id AND c.id = k.client_id
   WHERE k.workspace_id = ?1 AND k.snapshot_id = ?2 AND ${condition}
   ORDER BY k.portfolio_rank LIMIT ?3`;

const toTierRow = (r: Row, totalRevenue: number): TierRow => ({
  id: String(r.client_id),
  name: r.name === null ? null : String(r.name),
  rank: Number(r.portfolio_rank),
  tier: r.tier as TierRow['tier'],
  revenue: Number(r.window_revenue),
  margin: Number(r.window_margin),
  share: totalRevenue > 0 ? Number(r.window_revenue) / totalRevenue : 0,
  reason: reasonOf(r.tier_reason),
  keyReasons: reasonsOf(r.key_reasons),
});

/** One page of the buyers by their place (largest first) after place `afterRank`. */
export async function tierPage(
  db: D1Database,
  workspaceId: string,
  id: string,
  afterRank: number,
  limit: number,
  totalRevenue: number,
): Promise<TierRow[]> {
  const rows = await db
    .prepare(
      tierSql(
        'client_classes_by_portfolio_rank',
        'k.portfolio_rank IS NOT NULL AND k.portfolio_rank > ?4',
      ),
    )
    .bind(workspaceId, id, limit, afterRank)
    .all<Row>();
  return rows.results.map((r) => toTierRow(r, totalRevenue));
}

/** The `limit` largest key clients, by their place. */
export async function topKeyClients(
  db: D1Database,
  workspaceId: string,
  id: string,
  limit: number,
  totalRevenue: number,
): Promise<TierRow[]> {
  const rows = await db
    .prepare(tierSql('client_classes_by_key_rank', 'k.key_reasons IS NOT NULL'))
    .bind(workspaceId, id, limit)
    .all<Row>();
  return rows.results.map((r) => toTierRow(r, totalRevenue));
}
