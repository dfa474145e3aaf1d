import * as v from 'valibot';
import type {
  ClassCount,
  ClientClasses,
  ClientMeasures,
  MeasuredRow,
} from '../../core/segments/snapshot.ts';
import { cutCount } from '../../core/segments/rank.ts';
import type { AbcRow, CountRow, RfmRow } from '../../core/segments/snapshot-answers.ts';
import type { SegmentSettings } from '../../schema/segments.ts';
import {
  type QuantileEdge,
  type Snapshot,
  type SnapshotEdges,
  type SnapshotKind,
  type SnapshotState,
  SnapshotStateSchema,
  type SnapshotStep,
} from '../../schema/snapshots.ts';
import { planJsonRows } from './plan.ts';

/** A run as stored, with its state parsed. */
export interface SnapshotRun extends Snapshot {
  workspaceId: string;
  startedAt: string;
  step: SnapshotStep | 'done';
  position: string;
  state: SnapshotState;
}

interface RunRaw {
  workspace_id: string;
  id: string;
  kind: SnapshotKind;
  status: Snapshot['status'];
  as_of: string;
  started_at: string;
  finished_at: string | null;
  clients: number;
  step: SnapshotStep | 'done';
  position: string;
  state: string;
  error: string | null;
}

const toRun = (r: RunRaw): SnapshotRun => ({
  workspaceId: r.workspace_id,
  id: r.id,
  kind: r.kind,
  status: r.status,
  asOf: r.as_of,
  computedAt: r.status === 'done' ? r.finished_at : null,
  startedAt: r.started_at,
  clients: r.clients,
  step: r.step,
  position: r.position,
  state: v.parse(SnapshotStateSchema, JSON.parse(r.state)),
  error: r.error,
});

export function insertSnapshotStatement(
  db: D1Database,
  run: { workspaceId: string; id: string; kind: SnapshotKind; asOf: string; startedAt: string },
  settings: SegmentSettings,
  chunk: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO snapshots (workspace_id, id, kind, status, as_of, started_at, step, position, state)
       VALUES (?1, ?2, ?3, 'running', ?4, ?5, 'measure', '', ?6)`,
    )
    .bind(
      run.workspaceId,
      run.id,
      run.kind,
      run.asOf,
      run.startedAt,
      JSON.stringify({ settings, chunk }),
    );
}

export async function getSnapshotRun(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<SnapshotRun | null> {
  const row = await db
    .prepare('SELECT * FROM snapshots WHERE workspace_id = ?1 AND id = ?2')
    .bind(workspaceId, id)
    .first<RunRaw>();
  return row ? toRun(row) : null;
}

/** The snapshot widgets read: the finished one with the latest asOf. One index row. */
export interface CurrentSnapshot {
  id: string;
  asOf: string;
  computedAt: string;
  clients: number;
  edges: SnapshotEdges;
  settings: SegmentSettings;
}

export async function currentSnapshot(
  db: D1Database,
  workspaceId: string,
): Promise<CurrentSnapshot | null> {
  const row = await db
    .prepare(
      `SELECT id, as_of, finished_at, clients, json_extract(state, '$.edges') AS edges, json_extract(state, '$.settings') AS settings
       FROM snapshots WHERE workspace_id = ?1 AND status = 'done' ORDER BY as_of DESC, id DESC LIMIT 1`,
    )
    .bind(workspaceId)
    .first<{
      id: string;
      as_of: string;
      finished_at: string;
      clients: number;
      edges: string;
      settings: string;
    }>();
  if (!row) return null;
  const state = v.parse(SnapshotStateSchema, {
    settings: JSON.parse(row.settings) as unknown,
    edges: JSON.parse(row.edges) as unknown,
  });
  return {
    id: row.id,
    asOf: row.as_of,
    computedAt: row.finished_at,
    clients: row.clients,
    edges: state.edges!,
    settings: state.settings,
  };
}

/** When the workspace's latest run of a kind started (any status), or null. */
export async function latestRunStart(
  db: D1Database,
  workspaceId: string,
  kind: SnapshotKind,
): Promise<{ startedAt: string; asOf: string } | null> {
  const row = await db
    .prepare(
      `SELECT MAX(started_at) AS started_at, MAX(as_of) AS as_of FROM snapshots WHERE workspace_id = ?1 AND kind = ?2 AND status <> 'failed'`,
    )
    .bind(workspaceId, kind)
    .first<{ started_at: string | null; as_of: string | null }>();
  return row?.started_at ? { startedAt: row.started_at, asOf: row.as_of! } : null;
}

/**
 * Moves a run from `from` to `to` (step and position) with its new state, failing the whole batch
 * (write_guard's CHECK) unless the run is still at `from`: a redelivered or concurrent message
 * cannot apply a chunk twice. Put first in the chunk's batch; `guardStatements` then `advance`.
 */
export function guardStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
  from: { step: string; position: string },
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO write_guard (ok) SELECT COUNT(*) FROM snapshots
         WHERE workspace_id = ?1 AND id = ?2 AND status = 'running' AND step = ?3 AND position = ?4`,
      )
      .bind(workspaceId, id, from.step, from.position),
    db.prepare('DELETE FROM write_guard'),
  ];
}

/**
 * What one step took: its name, its wall time up to its batch and the clients it loaded (null for
 * a step of ordered index reads that loads none). The run keeps its longest step (migration 0022).
 */
export interface StepTime {
  step: SnapshotStep;
  ms: number;
  clients: number | null;
}

export function advanceStatement(
  db: D1Database,
  workspaceId: string,
  id: string,
  to: { step: string; position: string; state: SnapshotState; clients?: number },
  took: StepTime,
): D1PreparedStatement {
  // Every SET expression reads the row as it was, so the three longest_step columns agree.
  const longer = '?7 > COALESCE(longest_step_ms, -1)';
  return db
    .prepare(
      `UPDATE snapshots SET step = ?3, position = ?4, state = ?5, clients = clients + ?6,
         longest_step = CASE WHEN ${longer} THEN ?8 ELSE longest_step END,
         longest_step_clients = CASE WHEN ${longer} THEN ?9 ELSE longest_step_clients END,
         longest_step_ms = MAX(COALESCE(longest_step_ms, -1), ?7)
       WHERE workspace_id = ?1 AND id = ?2`,
    )
    .bind(
      workspaceId,
      id,
      to.step,
      to.position,
      JSON.stringify(to.state),
      to.clients ?? 0,
      Math.round(took.ms),
      took.step,
      took.clients,
    );
}

/** The longest step of a run so far, or null before its first step. */
export async function longestStep(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<StepTime | null> {
  const row = await db
    .prepare(
      'SELECT longest_step, longest_step_ms, longest_step_clients FROM snapshots WHERE workspace_id = ?1 AND id = ?2',
    )
    .bind(workspaceId, id)
    .first<{
      longest_step: SnapshotStep | null;
      longest_step_ms: number | null;
      longest_step_clients: number | null;
    }>();
  return row?.longest_step
    ? { step: row.longest_step, ms: row.longest_step_ms!, clients: row.longest_step_clients }
    : null;
}

export function finishStatement(
  db: D1Database,
  workspaceId: string,
  id: string,
  finishedAt: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE snapshots SET status = 'done', step = 'done', position = '', finished_at = ?3 WHERE workspace_id = ?1 AND id = ?2`,
    )
    .bind(workspaceId, id, finishedAt);
}

export function failStatement(
  db: D1Database,
  workspaceId: string,
  id: string,
  finishedAt: string,
  error: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE snapshots SET status = 'failed', finished_at = ?3, error = ?4 WHERE workspace_id = ?1 AND id = ?2 AND status = 'running'`,
    )
    .bind(workspaceId, id, finishedAt, error);
}

/** The measure pass's rows of one chunk. */
export function insertMeasuresStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
  measures: readonly ClientMeasures[],
): D1PreparedStatement[] {
  const cols = [
    'client_id',
    'stage',
    'value_cents',
    'revenue',
    'margin',
    'cv',
    'xyz',
    'window_revenue',
    'window_margin',
    'window_orders',
    'window_check',
    'recency_days',
    'frequency',
    'monetary',
    'lifetime_check',
  ];
  return planJsonRows(
    db,
    (p) =>
      `INSERT OR REPLACE INTO client_classes (workspace_id, snapshot_id, ${cols.join(', ')})
       SELECT ?1, ?2, ${cols.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(${p})`,
    [workspaceId, id],
    measures.map((m) => [
      m.id,
      m.stage,
      m.valueCents,
      m.revenue,
      m.margin,
      m.cv,
      m.xyz,
      m.windowRevenue,
      m.windowMargin,
      m.windowOrders,
      m.windowCheck,
      m.recencyDays,
      m.frequency,
      m.monetary,
      m.lifetimeCheck,
    ]),
  );
}

/**
 * A keyset page in (column desc, client id) order (the callers name the index: without
 * statistics SQLite may prefer the primary key's range on the client id, a walk of the snapshot) after `after`, as index ranges only: from the
 * start, or the rest of `after`'s value and then the smaller values (an OR of both would make
 * SQLite walk the index from its start on every page).
 */
async function descPage(
  db: D1Database,
  sql: (condition: string) => string,
  workspaceId: string,
  id: string,
  after: { key: number; clientId: string } | null,
  limit: number,
): Promise<Record<string, string | number | null>[]> {
  type Row = Record<string, string | number | null>;
  if (!after)
    return (await db.prepare(sql('true')).bind(workspaceId, id, limit).all<Row>()).results;
  const [same, below] = await db.batch<Row>([
    db
      .prepare(sql('= ?4 AND k.client_id > ?5'))
      .bind(workspaceId, id, limit, after.key, after.clientId),
    db.prepare(sql('< ?4')).bind(workspaceId, id, limit, after.key),
  ]);
  return [...same!.results, ...below!.results].slice(0, limit);
}

const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));

/**
 * The edges of a run, found over its stored figures by ordered reads: totals and counts, the
 * k-th largest value for each cut (ORDER BY … LIMIT 1 OFFSET k-1 on an index), medians the same
 * way, and each RFM figure's quintile edges from its distinct values and their counts (the
 * mid-rank rule of quintileScores: score 1 + ⌊(10 B + 5 E) / 2N⌋).
 */
export async function findEdges(
  db: D1Database,
  workspaceId: string,
  id: string,
  settings: SegmentSettings,
): Promise<SnapshotEdges> {
  const where = 'workspace_id = ?1 AND snapshot_id = ?2';
  const [counts] = await db.batch<Record<string, number | null>>([
    db
      .prepare(
        `SELECT
           (SELECT COALESCE(SUM(value_cents), 0) FROM client_classes WHERE ${where} AND value_cents > 0 AND cv IS NOT NULL) AS abc_total,
           (SELECT COUNT(*) FROM client_classes WHERE ${where} AND value_cents > 0 AND cv IS NOT NULL) AS abc_clients,
           (SELECT COUNT(*) FROM client_classes WHERE ${where} AND window_revenue > 0) AS buyers,
           (SELECT COUNT(*) FROM client_classes WHERE ${where} AND window_check IS NOT NULL) AS checked,
           (SELECT COUNT(*) FROM client_classes WHERE ${where} AND lifetime_check IS NOT NULL) AS lifetime,
           (SELECT COUNT(*) FROM client_classes WHERE ${where} AND recency_days IS NOT NULL) AS rfm_buyers`,
      )
      .bind(workspaceId, id),
  ]);
  const c = counts!.results[0]!;
  const buyers = Number(c.buyers);
  const checked = Number(c.checked);
  const lifetime = Number(c.lifetime);
  const rfmBuyers = Number(c.rfm_buyers);

  const kth = (column: string, filter: string, n: number, share: number) =>
    db
      .prepare(
        `SELECT ${column} AS v FROM client_classes WHERE ${where} AND ${filter} ORDER BY ${column} DESC LIMIT 1 OFFSET ?3`,
      )
      .bind(workspaceId, id, Math.max(0, cutCount(n, share) - 1));
  const middle = (column: string, n: number) =>
    db
      .prepare(
        `SELECT ${column} AS v FROM client_classes WHERE ${where} AND ${column} IS NOT NULL ORDER BY ${column} LIMIT ?3 OFFSET ?4`,
      )
      .bind(workspaceId, id, n % 2 === 1 ? 1 : 2, n % 2 === 1 ? (n - 1) / 2 : n / 2 - 1);
  const quintiles = (column: string, worstFirst: 'ASC' | 'DESC') =>
    db
      .prepare(
        `WITH g AS (SELECT ${column} AS v, COUNT(*) AS e FROM client_classes WHERE ${where} AND recency_days IS NOT NULL GROUP BY ${column}),
         s AS (SELECT v, e, SUM(e) OVER (ORDER BY v ${worstFirst} ROWS UNBOUNDED PRECEDING) - e AS b FROM g)
         SELECT 1 + CAST((10 * b + 5 * e) / (2 * CAST(?3 AS INTEGER)) AS INTEGER) AS score, MIN(v) AS min, MAX(v) AS max FROM s GROUP BY score ORDER BY score`,
      )
      .bind(workspaceId, id, Math.max(1, rfmBuyers));
  const superShare = settings.types.superConsumer.topShare;
  const [top, superRevenue, superOrders, windowMedian, lifetimeMedian, r, f, m] = await db.batch<
    Record<string, number>
  >([
    kth('window_revenue', 'window_revenue > 0', buyers, settings.keyClients.topShare),
    kth('window_revenue', 'window_revenue > 0', buyers, superShare),
    kth('window_orders', 'window_check IS NOT NULL', checked, superShare),
    middle('window_check', checked),
    middle('lifetime_check', lifetime),
    quintiles('recency_days', 'DESC'),
    quintiles('frequency', 'ASC'),
    quintiles('monetary', 'ASC'),
  ]);
  const cut = (rows: D1Result<Record<string, number>>, n: number, share: number) =>
    n === 0 ? null : { cut: Number(rows.results[0]!.v), count: cutCount(n, share) };
  const median = (rows: D1Result<Record<string, number>>) => {
    const values = rows.results.map((x) => Number(x.v));
    if (values.length === 0) return null;
    return values.length === 1 ? values[0]! : (values[1]! + values[0]!) / 2;
  };
  const edges = (rows: D1Result<Record<string, number>>): QuantileEdge[] =>
    rows.results.map((x) => ({ score: Number(x.score), min: Number(x.min), max: Number(x.max) }));
  return {
    abcTotalCents: Number(c.abc_total),
    abcClients: Number(c.abc_clients),
    buyers,
    top: cut(top!, buyers, settings.keyClients.topShare),
    superRevenue: cut(superRevenue!, buyers, superShare),
    superOrders: cut(superOrders!, checked, superShare),
    medianWindowCheck: median(windowMedian!),
    medianCheck: median(lifetimeMedian!),
    rfm: { buyers: rfmBuyers, r: edges(r!), f: edges(f!), m: edges(m!) },
  };
}

/**
 * Ranks the buyers at or above the key-client cut by window revenue (1 + those with more), for
 * the reasons of golden clients: one statement over the top of the revenue index.
 */
export function rankTopStatement(
  db: D1Database,
  workspaceId: string,
  id: string,
  cut: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE client_classes SET revenue_rank = t.rk FROM (
         SELECT client_id, RANK() OVER (ORDER BY window_revenue DESC) AS rk FROM client_classes
         WHERE workspace_id = ?1 AND snapshot_id = ?2 AND window_revenue >= ?3 AND window_revenue > 0
       ) AS t
       WHERE client_classes.workspace_id = ?1 AND client_classes.snapshot_id = ?2 AND client_classes.client_id = t.client_id`,
    )
    .bind(workspaceId, id, cut);
}

/** One chunk of the classify pass: the ABC order (value desc, id) after `after`. */
export async function measuredChunk(
  db: D1Database,
  workspaceId: string,
  id: string,
  after: { valueCents: number; clientId: string } | null,
  limit: number,
): Promise<(MeasuredRow & { windowRevenue: number; revenueRank: number | null })[]> {
  const results = await descPage(
    db,
    (condition) =>
      `SELECT k.client_id, k.stage, k.value_cents, k.revenue, k.margin, k.xyz, k.recency_days, k.frequency, k.monetary, k.window_revenue, k.revenue_rank
       FROM client_classes k INDEXED BY client_classes_by_value WHERE k.workspace_id = ?1 AND k.snapshot_id = ?2
         AND ${condition === 'true' ? 'true' : `k.value_cents ${condition}`}
       ORDER BY k.value_cents DESC, k.client_id LIMIT ?3`,
    workspaceId,
    id,
    after && { key: after.valueCents, clientId: after.clientId },
    limit,
  );
  const rows = { results };
  return rows.results.map((r) => ({
    id: String(r.client_id),
    stage: r.stage === null ? null : String(r.stage),
    valueCents: Number(r.value_cents),
    revenueCents: Math.round(Number(r.revenue) * 100),
    marginCents: Math.round(Number(r.margin) * 100),
    xyz: r.xyz as MeasuredRow['xyz'],
    recencyDays: num(r.recency_days),
    frequency: Number(r.frequency),
    monetary: Number(r.monetary),
    windowRevenue: Number(r.window_revenue),
    revenueRank: num(r.revenue_rank),
  }));
}

/** The classify pass's writes of one chunk: classes, types and the chunk's counts. */
export function writeClassesStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
  clients: readonly ClientClasses[],
  counts: readonly ClassCount[],
): D1PreparedStatement[] {
  // An upsert driven by the chunk's rows (a key lookup each), only for rows still there (an
  // erased client is not brought back): UPDATE … FROM would scan the snapshot for every statement.
  const j = (i: number) => `json_extract(value, '$[${i}]')`;
  const classes = planJsonRows(
    db,
    (p) =>
      `INSERT INTO client_classes (workspace_id, snapshot_id, client_id, value_cents, revenue, margin, window_revenue,
         window_margin, window_orders, frequency, monetary, abc, abc_rank, cumulative_cents, r, f, m, rfm_key, rfm_segment)
       SELECT ?1, ?2, ${j(0)}, 0, 0, 0, 0, 0, 0, 0, 0, ${[1, 2, 3, 4, 5, 6, 7, 8].map(j).join(', ')} FROM json_each(${p})
       WHERE EXISTS (SELECT 1 FROM client_classes x WHERE x.workspace_id = ?1 AND x.snapshot_id = ?2 AND x.client_id = ${j(0)})
       ON CONFLICT (workspace_id, snapshot_id, client_id) DO UPDATE SET abc = excluded.abc, abc_rank = excluded.abc_rank,
         cumulative_cents = excluded.cumulative_cents, r = excluded.r, f = excluded.f, m = excluded.m,
         rfm_key = excluded.rfm_key, rfm_segment = excluded.rfm_segment`,
    [workspaceId, id],
    clients.map((c) => [
      c.id,
      c.abc,
      c.abcRank,
      c.cumulativeCents,
      c.r,
      c.f,
      c.m,
      c.rfmKey,
      c.segment,
    ]),
  );
  const types = planJsonRows(
    db,
    (p) =>
      `INSERT OR REPLACE INTO client_class_types (workspace_id, snapshot_id, type, client_id, source)
       SELECT ?1, ?2, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${p})`,
    [workspaceId, id],
    clients.flatMap((c) => c.types.map((t) => [t.type, c.id, t.source])),
  );
  return [...classes, ...types, ...addCountsStatements(db, workspaceId, id, counts)];
}

export function addCountsStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
  counts: readonly ClassCount[],
): D1PreparedStatement[] {
  return planJsonRows(
    db,
    (p) =>
      `INSERT INTO class_counts (workspace_id, snapshot_id, dim, key, clients, derived, manual, revenue_cents, margin_cents, value_cents)
       SELECT ?1, ?2, ${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(${p}) WHERE true
       ON CONFLICT (workspace_id, snapshot_id, dim, key) DO UPDATE SET clients = clients + excluded.clients,
         derived = derived + excluded.derived, manual = manual + excluded.manual, revenue_cents = revenue_cents + excluded.revenue_cents,
         margin_cents = margin_cents + excluded.margin_cents, value_cents = value_cents + excluded.value_cents`,
    [workspaceId, id],
    counts.map((c) => [
      c.dim,
      c.key,
      c.clients,
      c.derived,
      c.manual,
      c.revenueCents,
      c.marginCents,
      c.valueCents,
    ]),
  );
}

/** Finished snapshots that no reader needs any more: older than the current, not month-ends. */
export async function supersededSnapshots(
  db: D1Database,
  workspaceId: string,
  current: { id: string; asOf: string },
): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT id FROM snapshots WHERE workspace_id = ?1 AND kind = 'current' AND id <> ?2
         AND (status = 'failed' OR (status = 'done' AND as_of <= ?3))`,
    )
    .bind(workspaceId, current.id, current.asOf)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/**
 * Deletes up to `limit` of a snapshot's class rows (type rows first); the snapshot's counts and
 * its own row go with the last of them. Returns how many rows were deleted.
 */
export async function purgeSnapshotChunk(
  db: D1Database,
  workspaceId: string,
  id: string,
  limit: number,
): Promise<number> {
  const [types, classes] = await db.batch([
    db
      .prepare(
        `DELETE FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2 AND (type, client_id) IN (
           SELECT type, client_id FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2 LIMIT ?3)`,
      )
      .bind(workspaceId, id, limit),
    db
      .prepare(
        `DELETE FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2 AND client_id IN (
           SELECT client_id FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2 LIMIT ?3)`,
      )
      .bind(workspaceId, id, limit),
  ]);
  const deleted = (types!.meta.changes ?? 0) + (classes!.meta.changes ?? 0);
  if (deleted === 0) {
    await db.batch([
      db
        .prepare('DELETE FROM class_counts WHERE workspace_id = ?1 AND snapshot_id = ?2')
        .bind(workspaceId, id),
      db.prepare('DELETE FROM snapshots WHERE workspace_id = ?1 AND id = ?2').bind(workspaceId, id),
    ]);
  }
  return deleted;
}

/** The counts of a snapshot, zeros left out: a few dozen rows whatever the number of clients. */
export async function classCounts(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<CountRow[]> {
  const rows = await db
    .prepare(
      `SELECT dim, key, clients, derived, manual, revenue_cents, margin_cents, value_cents FROM class_counts
       WHERE workspace_id = ?1 AND snapshot_id = ?2 AND clients <> 0`,
    )
    .bind(workspaceId, id)
    .all<Record<string, string | number>>();
  return rows.results.map((r) => ({
    dim: String(r.dim),
    key: String(r.key),
    clients: Number(r.clients),
    derived: Number(r.derived),
    manual: Number(r.manual),
    revenueCents: Number(r.revenue_cents),
    marginCents: Number(r.margin_cents),
    valueCents: Number(r.value_cents),
  }));
}

/**
 * One page of the ABC order (value desc, id) after `after`, with the clients' names, on the index
 * of the classified clients only (migration 0022): the unclassified ones sort last, so a page that
 * cannot fill up would otherwise step over all of them.
 */
export async function abcPage(
  db: D1Database,
  workspaceId: string,
  id: string,
  after: { valueCents: number; clientId: string } | null,
  limit: number,
): Promise<AbcRow[]> {
  const results = await descPage(
    db,
    (condition) =>
      `SELECT k.client_id, c.name, k.abc_rank, k.abc, k.xyz, k.value_cents, k.revenue, k.margin, k.cumulative_cents, k.cv
       FROM client_classes k INDEXED BY client_classes_abc_by_value
       LEFT JOIN clients c ON c.workspace_id = k.workspace_id AND c.id = k.client_id
       WHERE k.workspace_id = ?1 AND k.snapshot_id = ?2 AND k.abc IS NOT NULL
         AND ${condition === 'true' ? 'true' : `k.value_cents ${condition}`}
       ORDER BY k.value_cents DESC, k.client_id LIMIT ?3`,
    workspaceId,
    id,
    after && { key: after.valueCents, clientId: after.clientId },
    limit,
  );
  const rows = { results };
  return rows.results.map((r) => ({
    id: String(r.client_id),
    name: r.name === null ? null : String(r.name),
    rank: Number(r.abc_rank),
    abc: r.abc as AbcRow['abc'],
    xyz: r.xyz as AbcRow['xyz'],
    valueCents: Number(r.value_cents),
    revenue: Number(r.revenue),
    margin: Number(r.margin),
    cumulativeCents: Number(r.cumulative_cents),
    cv: Number(r.cv),
  }));
}

/** One page of the RFM order (R, F, M best first, then prospects; ties by id) after `after`. */
export async function rfmPage(
  db: D1Database,
  workspaceId: string,
  id: string,
  after: { key: number; clientId: string } | null,
  limit: number,
): Promise<RfmRow[]> {
  const results = await descPage(
    db,
    (condition) =>
      `SELECT k.client_id, c.name, k.r, k.f, k.m, k.rfm_key, k.rfm_segment, k.recency_days, k.frequency, k.monetary
       FROM client_classes k INDEXED BY client_classes_by_rfm
       LEFT JOIN clients c ON c.workspace_id = k.workspace_id AND c.id = k.client_id
       WHERE k.workspace_id = ?1 AND k.snapshot_id = ?2
         AND ${condition === 'true' ? 'true' : `k.rfm_key ${condition}`}
       ORDER BY k.rfm_key DESC, k.client_id LIMIT ?3`,
    workspaceId,
    id,
    after,
    limit,
  );
  const rows = { results };
  return rows.results.map((r) => ({
    id: String(r.client_id),
    name: r.name === null ? null : String(r.name),
    r: num(r.r),
    f: num(r.f),
    m: num(r.m),
    segment: String(r.rfm_segment),
    recencyDays: num(r.recency_days),
    frequency: Number(r.frequency),
    monetary: Number(r.monetary),
  }));
}

/**
 * Erasure: the client leaves every snapshot at once, its rows and its part of the counts (the
 * counts stay a recount of the rows). Only rows the classify pass counted are subtracted.
 */
export function forgetClientStatements(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  const mine = `workspace_id = ?1 AND snapshot_id IN (SELECT id FROM snapshots WHERE workspace_id = ?1) AND client_id = ?2`;
  return [
    db
      .prepare(
        `INSERT INTO class_counts (workspace_id, snapshot_id, dim, key, clients, derived, manual, revenue_cents, margin_cents, value_cents)
         SELECT ?1, snapshot_id, dim, key, -1, -d, -m, -rc, -mc, -vc FROM (
           SELECT snapshot_id, 'cell' AS dim, abc || xyz AS key, 0 AS d, 0 AS m, CAST(ROUND(revenue * 100) AS INTEGER) AS rc,
             CAST(ROUND(margin * 100) AS INTEGER) AS mc, value_cents AS vc FROM client_classes WHERE ${mine} AND abc IS NOT NULL AND rfm_segment IS NOT NULL
           UNION ALL SELECT snapshot_id, 'rfm', rfm_segment, 0, 0, 0, 0, 0 FROM client_classes WHERE ${mine} AND rfm_segment IS NOT NULL
           UNION ALL SELECT snapshot_id, 'stage', stage, 0, 0, 0, 0, 0 FROM client_classes WHERE ${mine} AND rfm_segment IS NOT NULL AND stage IS NOT NULL
           UNION ALL SELECT snapshot_id, 'tier', tier, 0, 0, 0, 0, 0 FROM client_classes WHERE ${mine} AND tier IS NOT NULL
           UNION ALL SELECT snapshot_id, 'type', type, source = 'derived', source = 'manual', 0, 0, 0 FROM client_class_types WHERE ${mine}
         ) WHERE true
         ON CONFLICT (workspace_id, snapshot_id, dim, key) DO UPDATE SET clients = clients + excluded.clients,
           derived = derived + excluded.derived, manual = manual + excluded.manual, revenue_cents = revenue_cents + excluded.revenue_cents,
           margin_cents = margin_cents + excluded.margin_cents, value_cents = value_cents + excluded.value_cents`,
      )
      .bind(workspaceId, clientId),
    db.prepare(`DELETE FROM client_class_types WHERE ${mine}`).bind(workspaceId, clientId),
    db.prepare(`DELETE FROM client_classes WHERE ${mine}`).bind(workspaceId, clientId),
  ];
}

/** One client's classes in a snapshot (a profile's read), or null when it was not in the run. */
export interface OneClientClasses {
  abc: 'A' | 'B' | 'C' | null;
  xyz: 'X' | 'Y' | 'Z' | null;
  rfm: { r: number | null; f: number | null; m: number | null; segment: string } | null;
  windowRevenue: number;
  revenueRank: number | null;
}

export async function clientClassesIn(
  db: D1Database,
  workspaceId: string,
  id: string,
  clientId: string,
): Promise<OneClientClasses | null> {
  const r = await db
    .prepare(
      `SELECT abc, xyz, r, f, m, rfm_segment, window_revenue, revenue_rank FROM client_classes
       WHERE workspace_id = ?1 AND snapshot_id = ?2 AND client_id = ?3`,
    )
    .bind(workspaceId, id, clientId)
    .first<Record<string, string | number | null>>();
  if (!r) return null;
  return {
    abc: r.abc as OneClientClasses['abc'],
    xyz: r.xyz as OneClientClasses['xyz'],
    rfm:
      r.rfm_segment === null
        ? null
        : { r: num(r.r), f: num(r.f), m: num(r.m), segment: String(r.rfm_segment) },
    windowRevenue: Number(r.window_revenue),
    revenueRank: num(r.revenue_rank),
  };
}
