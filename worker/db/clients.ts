import type {
  Client,
  ClientAggregates,
  ClientSnapshot,
  PeriodBucket,
} from '../../schema/clients.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { emptyAggregates } from '../../core/lifecycle/aggregates.ts';
import { packRows, selectIn } from './plan.ts';
import { flowDeltaStatements, settleRollupStatements } from './rollups.ts';
import { forgetEmptySegmentStatements, segmentDeltaStatements } from './segment-rollups.ts';
import { CLOCK } from './clock.ts';
import { enteredSinceSweep, inStageAt, openSinceSweep } from './stage-now.ts';

export interface ClientRow extends Omit<Client, 'stage' | 'stageSince'> {
  version: number;
}

interface Raw {
  id: string;
  name: string | null;
  attributes: string;
  tags: string;
  manual_types: string;
  acquisition_cost: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLUMNS =
  'id, name, attributes, tags, manual_types, acquisition_cost, created_at, updated_at, version';

/** For queries elsewhere that answer client rows (a migration cell's clients). */
export { COLUMNS as CLIENT_COLUMNS, type Raw as ClientRaw };

export const toClientRow = (r: Raw): ClientRow => ({
  id: r.id,
  name: r.name,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  tags: JSON.parse(r.tags) as string[],
  manualTypes: JSON.parse(r.manual_types) as string[],
  acquisitionCost: r.acquisition_cost,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export async function getClient(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<ClientRow | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM clients WHERE workspace_id = ?1 AND id = ?2`)
    .bind(workspaceId, id)
    .first<Raw>();
  return row ? toClientRow(row) : null;
}

export async function getClientVersions(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const rows = await selectIn(
    ids,
    1,
    async (part, list) =>
      (
        await db
          .prepare(`SELECT id, version FROM clients WHERE workspace_id = ?1 AND id IN (${list})`)
          .bind(workspaceId, ...part)
          .all<{ id: string; version: number }>()
      ).results,
  );
  return new Map(rows.map((r) => [r.id, r.version]));
}

/** Creates or updates a client's row, moving the segment rollups by its attributes' change. */
export function upsertClientStatements(
  db: D1Database,
  workspaceId: string,
  c: Omit<ClientRow, 'version' | 'createdAt'>,
  now: string,
): D1PreparedStatement[] {
  const upsert = db
    .prepare(
      `INSERT INTO clients (workspace_id, id, name, attributes, tags, manual_types, acquisition_cost, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
       ON CONFLICT (workspace_id, id) DO UPDATE SET name = ?3, attributes = ?4, tags = ?5, manual_types = ?6, acquisition_cost = ?7, updated_at = ?8`,
    )
    .bind(
      workspaceId,
      c.id,
      c.name,
      JSON.stringify(c.attributes),
      JSON.stringify(c.tags),
      JSON.stringify(c.manualTypes),
      c.acquisitionCost,
      now,
    );
  return [
    ...segmentDeltaStatements(db, workspaceId, [c.id], -1),
    upsert,
    ...segmentDeltaStatements(db, workspaceId, [c.id], 1),
    ...settleRollupStatements(db, workspaceId),
  ];
}

/** Stage of each listed client at `asOf`, from the stored stage spells. */
export async function stagesAt(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
  asOf: string,
): Promise<Map<string, { stage: Stage; since: string }>> {
  const rows = await selectIn(
    ids,
    2,
    async (part, list) =>
      (
        await db
          .prepare(
            `SELECT client_id, stage, entered_at FROM stage_spells
           WHERE workspace_id = ?1 AND client_id IN (${list})
             AND entered_at <= ?2 AND (left_at IS NULL OR left_at > ?2)`,
          )
          .bind(workspaceId, asOf, ...part)
          .all<{ client_id: string; stage: Stage; entered_at: string }>()
      ).results,
  );
  return new Map(rows.map((r) => [r.client_id, { stage: r.stage, since: r.entered_at }]));
}

export interface ClientPage {
  rows: ClientRow[];
  hasMore: boolean;
}

/** One page of clients after `afterId` (keyset pagination on the primary key), optionally in one stage at `asOf` and of one manager. */
export async function listClients(
  db: D1Database,
  workspaceId: string,
  opts: { afterId: string; limit: number; stage?: Stage; manager?: string; asOf: string },
): Promise<ClientPage> {
  const take = opts.limit + 1;
  const stmt = opts.stage
    ? stagePageStatement(db, workspaceId, opts.stage, opts, take)
    : opts.manager !== undefined
      ? db
          .prepare(
            // Named: without statistics SQLite walks the primary key in id order and filters, a
            // walk of the whole workspace for a manager with few clients (or none).
            `SELECT ${COLUMNS} FROM clients INDEXED BY clients_by_manager WHERE workspace_id = ?1 AND manager = ?2 AND id > ?3 ORDER BY id LIMIT ?4`,
          )
          .bind(workspaceId, opts.manager, opts.afterId, take)
      : db
          .prepare(
            `SELECT ${COLUMNS} FROM clients WHERE workspace_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3`,
          )
          .bind(workspaceId, opts.afterId, take);
  const rows = (await stmt.all<Raw>()).results.map(toClientRow);
  return { rows: rows.slice(0, opts.limit), hasMore: rows.length > opts.limit };
}

/**
 * The page of a stage at `asOf`. At or after the sweep instant (a list now): the stage's spells
 * current at the sweep instant in id order on their partial index, merged with the ones entered
 * since, each branch stopping at a page: the page, the spells the clock closed since the sweep
 * and the transitions since the sweep. With a manager, the walk also steps over the stage's
 * clients of other managers: it costs the stage's clients up to a page of the manager's, the whole
 * stage when the manager has fewer than a page in it (17,908 rows for "lost" of one of 12 managers
 * at 20,000 clients). Before the sweep instant (a past asOf) the flag cannot be rewound: the
 * general walk of the workspace's spells in client id order, which grows with the portfolio. Each
 * branch is guarded by the clock, so one statement answers from one state.
 */
function stagePageStatement(
  db: D1Database,
  workspaceId: string,
  stage: Stage,
  opts: { afterId: string; manager?: string; asOf: string },
  take: number,
): D1PreparedStatement {
  const manager = (key: string) =>
    opts.manager === undefined
      ? ''
      : ` AND EXISTS (SELECT 1 FROM clients m WHERE m.workspace_id = ?1 AND m.id = ${key} AND m.manager = ?7)`;
  // The clock as the outer loop: a branch whose guard fails reads nothing (a condition on a
  // subquery is not hoisted out of the walk).
  const page = (alias: string, from: string, guard: string) =>
    `SELECT * FROM (SELECT ${alias}.client_id FROM (SELECT ${CLOCK} AS ms) k CROSS JOIN ${from}
       AND ?3 ${guard} k.ms AND ${alias}.client_id > ?4${manager(`${alias}.client_id`)} ORDER BY ${alias}.client_id LIMIT ?5)`;
  const past = `stage_spells p WHERE p.workspace_id = ?1 AND p.stage = ?2 AND p.entered_at <= ?6 AND (p.left_at IS NULL OR p.left_at > ?6)`;
  return db
    .prepare(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `c.${c}`)
        .join(', ')} FROM clients c WHERE c.workspace_id = ?1 AND c.id IN (
         ${page('o', openSinceSweep('o', '?2', '?3'), '>=')}
         UNION ALL ${page('e', enteredSinceSweep('e', '?2', '?3'), '>=')}
         UNION ALL ${page('p', past, '<')})
       ORDER BY c.id LIMIT ?5`,
    )
    .bind(
      workspaceId,
      stage,
      Date.parse(opts.asOf),
      opts.afterId,
      take,
      opts.asOf,
      ...optional(opts.manager),
    );
}

const optional = (x: string | undefined) => (x === undefined ? [] : [x]);

/** The class filters of a list, read from one snapshot's per-client rows. */
export interface ClassFilters {
  abc?: string;
  xyz?: string;
  rfm?: string;
  type?: string;
  stage?: Stage;
  manager?: string;
}

/**
 * One page of the clients of a snapshot that pass every filter, in id order after `afterId`. It
 * walks the type's rows when a type is asked for (its key is type then client), else the
 * snapshot's rows, through their keys: a page costs its rows plus the ones filtered out on the way.
 */
export async function listClassifiedClients(
  db: D1Database,
  workspaceId: string,
  snapshotId: string,
  filters: ClassFilters,
  opts: { afterId: string; limit: number; asOf: string },
): Promise<ClientPage> {
  const params: (string | number)[] = [workspaceId, snapshotId, opts.afterId, opts.limit + 1];
  const bind = (value: string | number) => `?${params.push(value)}`;
  const where: string[] = [];
  const clients = 'JOIN clients c ON c.workspace_id = k.workspace_id AND c.id = k.client_id';
  let from = `client_classes k ${clients}`;
  let key = 'k.client_id';
  if (filters.type !== undefined) {
    from = `client_class_types t JOIN client_classes k ON k.workspace_id = t.workspace_id AND k.snapshot_id = t.snapshot_id AND k.client_id = t.client_id ${clients}`;
    key = 't.client_id';
    where.push(`t.workspace_id = ?1 AND t.snapshot_id = ?2 AND t.type = ${bind(filters.type)}`);
  } else where.push('k.workspace_id = ?1 AND k.snapshot_id = ?2');
  if (filters.abc !== undefined) where.push(`k.abc = ${bind(filters.abc)}`);
  if (filters.xyz !== undefined) where.push(`k.xyz = ${bind(filters.xyz)}`);
  if (filters.rfm !== undefined) where.push(`k.rfm_segment = ${bind(filters.rfm)}`);
  if (filters.manager !== undefined) where.push(`c.manager = ${bind(filters.manager)}`);
  // A check per client walked (see stage-now.ts): the stage filter narrows the page, the class
  // index drives the walk.
  if (filters.stage !== undefined)
    where.push(inStageAt(key, bind(filters.stage), bind(Date.parse(opts.asOf))));
  const columns = COLUMNS.split(', ')
    .map((col) => `c.${col}`)
    .join(', ');
  const rows = (
    await db
      .prepare(
        `SELECT ${columns} FROM ${from} WHERE ${where.join(' AND ')} AND ${key} > ?3 ORDER BY ${key} LIMIT ?4`,
      )
      .bind(...params)
      .all<Raw>()
  ).results.map(toClientRow);
  return { rows: rows.slice(0, opts.limit), hasMore: rows.length > opts.limit };
}

/** Erasure: the client, its events and everything derived from them, in one atomic batch. */
export function deleteClientStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
): D1PreparedStatement[] {
  return (
    flowDeltaStatements(
      db,
      workspaceId,
      [{ clientId: id, fromSeq: 0, marksFrom: Number.MIN_SAFE_INTEGER, periodsFrom: '' }],
      -1,
    )
      .concat(segmentDeltaStatements(db, workspaceId, [id], -1))
      // Settled before forgetEmptySegmentStatements looks for the values left at zero.
      .concat(settleRollupStatements(db, workspaceId))
      .concat(forgetEmptySegmentStatements(db, workspaceId, id))
      .concat(
        ['events', 'stage_spells', 'client_aggregates', 'client_periods', 'client_marks'].map(
          (table) =>
            db
              .prepare(`DELETE FROM ${table} WHERE workspace_id = ?1 AND client_id = ?2`)
              .bind(workspaceId, id),
        ),
      )
      .concat(
        db.prepare('DELETE FROM clients WHERE workspace_id = ?1 AND id = ?2').bind(workspaceId, id),
      )
  );
}

interface AggRaw {
  client_id: string;
  data: string;
}
interface PeriodRaw {
  client_id: string;
  period: string;
  revenue: number;
  margin: number;
  orders: number;
}

/** Snapshots of the listed clients (aggregates and monthly buckets) for segmentation and valuation. */
export async function loadSnapshots(
  db: D1Database,
  workspaceId: string,
  clients: readonly ClientRow[],
  asOf: string,
): Promise<ClientSnapshot[]> {
  const ids = clients.map((c) => c.id);
  const [aggs, periods, stages] = await Promise.all([
    selectIn(
      ids,
      1,
      async (part, list) =>
        (
          await db
            .prepare(
              `SELECT client_id, data FROM client_aggregates WHERE workspace_id = ?1 AND client_id IN (${list})`,
            )
            .bind(workspaceId, ...part)
            .all<AggRaw>()
        ).results,
    ),
    selectIn(
      ids,
      1,
      async (part, list) =>
        (
          await db
            .prepare(
              `SELECT client_id, period, revenue, margin, orders FROM client_periods WHERE workspace_id = ?1 AND client_id IN (${list}) ORDER BY client_id, period`,
            )
            .bind(workspaceId, ...part)
            .all<PeriodRaw>()
        ).results,
    ),
    stagesAt(db, workspaceId, ids, asOf),
  ]);
  return assembleSnapshots(clients, aggs, periods, stages);
}

/** Snapshots of every client in the workspace, read table by table (no per-client queries). */
export async function loadAllSnapshots(
  db: D1Database,
  workspaceId: string,
  asOf: string,
): Promise<ClientSnapshot[]> {
  const [clients, aggs, periods, stages] = await Promise.all([
    db
      .prepare(`SELECT ${COLUMNS} FROM clients WHERE workspace_id = ?1 ORDER BY id`)
      .bind(workspaceId)
      .all<Raw>(),
    db
      .prepare('SELECT client_id, data FROM client_aggregates WHERE workspace_id = ?1')
      .bind(workspaceId)
      .all<AggRaw>(),
    db
      .prepare(
        'SELECT client_id, period, revenue, margin, orders FROM client_periods WHERE workspace_id = ?1 ORDER BY client_id, period',
      )
      .bind(workspaceId)
      .all<PeriodRaw>(),
    db
      .prepare(
        'SELECT client_id, stage, entered_at FROM stage_spells WHERE workspace_id = ?1 AND entered_at <= ?2 AND (left_at IS NULL OR left_at > ?2)',
      )
      .bind(workspaceId, asOf)
      .all<{ client_id: string; stage: Stage; entered_at: string }>(),
  ]);
  const stageMap = new Map(
    stages.results.map((r) => [r.client_id, { stage: r.stage, since: r.entered_at }]),
  );
  return assembleSnapshots(
    clients.results.map(toClientRow),
    aggs.results,
    periods.results,
    stageMap,
  );
}

function assembleSnapshots(
  clients: readonly ClientRow[],
  aggs: readonly AggRaw[],
  periods: readonly PeriodRaw[],
  stages: Map<string, { stage: Stage; since: string }>,
): ClientSnapshot[] {
  const aggMap = new Map(aggs.map((a) => [a.client_id, JSON.parse(a.data) as ClientAggregates]));
  const periodMap = new Map<string, PeriodBucket[]>();
  for (const p of periods) {
    const list = periodMap.get(p.client_id) ?? [];
    list.push({ period: p.period, revenue: p.revenue, margin: p.margin, orders: p.orders });
    periodMap.set(p.client_id, list);
  }
  return clients.map((c) => {
    // A client registered with PUT but without events yet still belongs to the portfolio.
    const aggregates = aggMap.get(c.id) ?? emptyAggregates();
    const { version: _version, ...client } = c;
    const stage = stages.get(c.id);
    return {
      ...client,
      stage: stage?.stage ?? null,
      stageSince: stage?.since ?? null,
      aggregates,
      periods: periodMap.get(c.id) ?? [],
    };
  });
}

/**
 * Creates the listed clients that do not exist yet (bare: events may name a client before it is
 * upserted) at version 1, and bumps the version of the others, which a concurrent writer's
 * version guard then sees.
 */
export function touchClientStatements(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
  now: string,
): D1PreparedStatement[] {
  return packRows(ids).map((json) =>
    db
      .prepare(
        `INSERT INTO clients (workspace_id, id, created_at, updated_at, version)
         SELECT ?1, value, ?2, ?2, 1 FROM json_each(?3) WHERE true
         ON CONFLICT (workspace_id, id) DO UPDATE SET version = version + 1, updated_at = excluded.updated_at`,
      )
      .bind(workspaceId, now, json),
  );
}

/** One page of a workspace's client ids in id order, after `after` (keyset pagination). */
export async function clientIdsAfter(
  db: D1Database,
  workspaceId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const page = await db
    .prepare('SELECT id FROM clients WHERE workspace_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3')
    .bind(workspaceId, after, limit)
    .all<{ id: string }>();
  return page.results.map((r) => r.id);
}

/** The listed clients' rows (those that still exist), in no particular order. */
export async function clientRowsByIds(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
): Promise<ClientRow[]> {
  return selectIn(ids, 1, async (part, list) =>
    (
      await db
        .prepare(`SELECT ${COLUMNS} FROM clients WHERE workspace_id = ?1 AND id IN (${list})`)
        .bind(workspaceId, ...part)
        .all<Raw>()
    ).results.map(toClientRow),
  );
}

/** The names of the listed clients (for list answers built from other tables). */
export async function clientNames(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const rows = await selectIn(
    ids,
    1,
    async (part, list) =>
      (
        await db
          .prepare(`SELECT id, name FROM clients WHERE workspace_id = ?1 AND id IN (${list})`)
          .bind(workspaceId, ...part)
          .all<{ id: string; name: string | null }>()
      ).results,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** How many clients the workspace has (a full index count: for on-the-spot answers only). */
export async function countClients(db: D1Database, workspaceId: string): Promise<number> {
  const row = await db
    .prepare('SELECT COUNT(*) AS n FROM clients WHERE workspace_id = ?1')
    .bind(workspaceId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

type SortedRaw = Raw & { k: string | number | null };
/** Where a sorted list stands: the phase (see listClientsSorted), the last sort value and id. */
interface SortPosition {
  phase: number;
  value: string | number | null;
  id: string;
}

/**
 * One page of the workspace's clients sorted by name (A–Z, unnamed first), revenue (largest
 * first) or last purchase (latest first), ties by id, keyset-paginated on the indexes of
 * migration 0010. A list runs in two phases: the clients that have the sort value through its
 * index, then those without one (unnamed clients come first instead, by id). Each step is an
 * index range, so a page reads about its own rows; only the last phase's first page, for revenue
 * and last purchase, walks the clients by id to find those without a purchase.
 */
export async function listClientsSorted(
  db: D1Database,
  workspaceId: string,
  sort: 'name' | 'revenue' | 'lastPurchase',
  position: string | null,
  limit: number,
): Promise<{ rows: ClientRow[]; next: string | null }> {
  const cols = COLUMNS.split(', ')
    .map((col) => `c.${col}`)
    .join(', ');
  const joined = `client_aggregates a JOIN clients c ON c.workspace_id = a.workspace_id AND c.id = a.client_id`;
  const column = sort === 'revenue' ? 'a.revenue' : 'a.last_purchase_at';
  const present = sort === 'revenue' ? 'true' : 'a.last_purchase_at IS NOT NULL';
  const missing =
    sort === 'revenue'
      ? 'NOT EXISTS (SELECT 1 FROM client_aggregates a WHERE a.workspace_id = ?1 AND a.client_id = c.id)'
      : 'NOT EXISTS (SELECT 1 FROM client_aggregates a WHERE a.workspace_id = ?1 AND a.client_id = c.id AND a.last_purchase_at IS NOT NULL)';

  const phase = async (p: number, after: SortPosition | null, n: number): Promise<SortedRaw[]> => {
    const run = async (sql: string, ...params: (string | number | null)[]) =>
      (
        await db
          .prepare(sql)
          .bind(workspaceId, ...params, n)
          .all<SortedRaw>()
      ).results;
    const limitAt = (k: number) => `LIMIT ?${k}`;
    if (sort === 'name') {
      if (p === 0)
        return run(
          // The unnamed clients are one range of the name index, in id order (named: else the
          // primary key's walk reads every named client to find none).
          `SELECT ${cols}, NULL AS k FROM clients c INDEXED BY clients_by_name WHERE c.workspace_id = ?1 AND c.name IS NULL AND c.id > ?2 ORDER BY c.id ${limitAt(3)}`,
          after?.id ?? '',
        );
      return after
        ? run(
            `SELECT ${cols}, c.name AS k FROM clients c WHERE c.workspace_id = ?1 AND c.name IS NOT NULL AND (c.name, c.id) > (?2, ?3) ORDER BY c.name, c.id ${limitAt(4)}`,
            after.value,
            after.id,
          )
        : run(
            `SELECT ${cols}, c.name AS k FROM clients c WHERE c.workspace_id = ?1 AND c.name IS NOT NULL ORDER BY c.name, c.id ${limitAt(2)}`,
          );
    }
    if (p === 1)
      return run(
        `SELECT ${cols}, NULL AS k FROM clients c WHERE c.workspace_id = ?1 AND c.id > ?2 AND ${missing} ORDER BY c.id ${limitAt(3)}`,
        after?.id ?? '',
      );
    const order = `ORDER BY ${column} DESC, a.client_id`;
    if (!after)
      return run(
        `SELECT ${cols}, ${column} AS k FROM ${joined} WHERE a.workspace_id = ?1 AND ${present} ${order} ${limitAt(2)}`,
      );
    // (value desc, id) after a position: the rest of its value, then the smaller values.
    const [same, below] = await Promise.all([
      run(
        `SELECT ${cols}, ${column} AS k FROM ${joined} WHERE a.workspace_id = ?1 AND ${column} = ?2 AND a.client_id > ?3 ${order} ${limitAt(4)}`,
        after.value,
        after.id,
      ),
      run(
        `SELECT ${cols}, ${column} AS k FROM ${joined} WHERE a.workspace_id = ?1 AND ${column} < ?2 ${order} ${limitAt(3)}`,
        after.value,
      ),
    ]);
    return [...same, ...below].slice(0, n);
  };

  let at: SortPosition | null = position ? (JSON.parse(position) as SortPosition) : null;
  let p = at?.phase ?? 0;
  const out: SortedRaw[] = [];
  const phaseOf: number[] = [];
  while (p < 2 && out.length <= limit) {
    const got = await phase(p, at && at.phase === p ? at : null, limit + 1 - out.length);
    out.push(...got);
    phaseOf.push(...got.map(() => p));
    if (out.length <= limit) {
      p += 1;
      at = null;
    }
  }
  const rows = out.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows: rows.map(toClientRow),
    next:
      out.length > limit && last
        ? JSON.stringify({ phase: phaseOf[limit - 1], value: last.k, id: last.id })
        : null,
  };
}
