import type { MovedCell } from '../../core/segments/migration-cells.ts';
import type { MigrationCell, MigrationDimension } from '../../schema/segment-migrations.ts';
import type { Snapshot } from '../../schema/snapshots.ts';
import { type ClientPage, CLIENT_COLUMNS, type ClientRaw, toClientRow } from './clients.ts';

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
 * A client's class in the snapshot row `k` (a `client_classes` alias): its column, or for types
 * the set of types it carries (sorted, joined by "+"), "none" when it has none. A client is in
 * the portfolio at a month-end when it has a stage there (an event placed it); one without is in
 * no class. `classByName` takes the dimension from a column (erasure walks every kept matrix).
 */
const COLUMN = { stage: 'stage', abc: 'abc', xyz: 'xyz', rfm: 'rfm_segment' } as const;
/** The index by class and id of each column: named, since SQLite would rather walk the key. */
const CLASS_INDEX = {
  stage: 'client_classes_by_stage',
  abc: 'client_classes_by_abc',
  xyz: 'client_classes_by_xyz',
  rfm: 'client_classes_by_segment',
} as const;
const typesOf = (k: string) =>
  `COALESCE((SELECT group_concat(type, '+') FROM (SELECT t.type FROM client_class_types t
     WHERE t.workspace_id = ?1 AND t.snapshot_id = ${k}.snapshot_id AND t.client_id = ${k}.client_id ORDER BY t.type)), 'none')`;
const columnOf = (dimension: Exclude<MigrationDimension, 'type'>, k: string) =>
  dimension === 'stage' ? `${k}.stage` : `COALESCE(${k}.${COLUMN[dimension]}, 'none')`;
const classOf = (dimension: MigrationDimension, k: string) =>
  dimension === 'type' ? typesOf(k) : columnOf(dimension, k);
const classByName = (dimensionColumn: string, k: string) =>
  `CASE ${dimensionColumn} WHEN 'type' THEN ${typesOf(k)} ${(
    ['stage', 'abc', 'xyz', 'rfm'] as const
  )
    .map((d) => `WHEN '${d}' THEN ${columnOf(d, k)}`)
    .join(' ')} END`;
const cents = (col: string) => `CAST(ROUND(${col} * 100) AS INTEGER)`;

interface CellRaw {
  from_class: string | null;
  to_class: string | null;
  clients: number;
  revenue_cents: number;
}

/** Cached cells: '' is the null side in storage (a key column cannot be null). */
const toCell = (r: CellRaw): MigrationCell => ({
  from: r.from_class || null,
  to: r.to_class || null,
  clients: r.clients,
  revenue: r.revenue_cents / 100,
});

/**
 * The matrix between two month-end snapshots. The first read for a pair and dimension has SQLite
 * join and group the two snapshots' class rows (the Worker receives one row per cell, never one
 * per client) and stores the cells in the same batch, so that no erasure can fall between the
 * count and the store; every later read costs the cells. Revenue is the later snapshot's (its 12
 * whole months before the month-end); clients gone by then count with the revenue they had.
 */
export async function migrationCells(
  db: D1Database,
  workspaceId: string,
  fromSnapshot: string,
  toSnapshot: string,
  dimension: MigrationDimension,
  now: string,
): Promise<MigrationCell[]> {
  const read = db
    .prepare(
      `SELECT c.from_class, c.to_class, c.clients, c.revenue_cents FROM migration_matrices m
       LEFT JOIN migration_cells c ON c.workspace_id = m.workspace_id AND c.from_snapshot = m.from_snapshot
         AND c.to_snapshot = m.to_snapshot AND c.dimension = m.dimension AND c.clients > 0
       WHERE m.workspace_id = ?1 AND m.from_snapshot = ?2 AND m.to_snapshot = ?3 AND m.dimension = ?4`,
    )
    .bind(workspaceId, fromSnapshot, toSnapshot, dimension);
  let rows = (await read.all<CellRaw>()).results;
  if (rows.length === 0) {
    const side = (param: string) =>
      `SELECT c.client_id, ${classOf(dimension, 'c')} AS cls, ${cents('c.revenue')} AS cents FROM client_classes c
       WHERE c.workspace_id = ?1 AND c.snapshot_id = ${param} AND c.stage IS NOT NULL`;
    const results = await db.batch([
      db
        .prepare(
          `INSERT OR IGNORE INTO migration_cells (workspace_id, from_snapshot, to_snapshot, dimension, from_class, to_class, clients, revenue_cents)
           WITH a AS (${side('?2')}), b AS (${side('?3')})
           SELECT ?1, ?2, ?3, ?4, COALESCE(a.cls, ''), b.cls, COUNT(*), SUM(b.cents)
           FROM b LEFT JOIN a ON a.client_id = b.client_id GROUP BY a.cls, b.cls
           UNION ALL
           SELECT ?1, ?2, ?3, ?4, a.cls, '', COUNT(*), SUM(a.cents) FROM a
           WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.client_id = a.client_id) GROUP BY a.cls`,
        )
        .bind(workspaceId, fromSnapshot, toSnapshot, dimension),
      db
        .prepare(
          `INSERT OR IGNORE INTO migration_matrices (workspace_id, from_snapshot, to_snapshot, dimension, computed_at)
           VALUES (?1, ?2, ?3, ?4, ?5)`,
        )
        .bind(workspaceId, fromSnapshot, toSnapshot, dimension, now),
      read,
    ]);
    rows = results[2]!.results as CellRaw[];
  }
  return rows.filter((r) => r.from_class !== null).map(toCell);
}

/**
 * Erasure: the client leaves every cached cell it is counted in, in the erasure's batch and before
 * its class rows go (its classes are read from them). A cell it leaves empty stays at 0 and is no
 * longer answered; the rest of the matrix stays a recount of the snapshots.
 */
export function forgetMigrationClientStatement(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement {
  const row = (k: string, snapshot: string) =>
    `FROM client_classes ${k} WHERE ${k}.workspace_id = ?1 AND ${k}.snapshot_id = ${snapshot} AND ${k}.client_id = ?2 AND ${k}.stage IS NOT NULL`;
  return db
    .prepare(
      `WITH moved AS (
         SELECT m.from_snapshot AS f, m.to_snapshot AS t, m.dimension AS d,
           COALESCE((SELECT ${classByName('m.dimension', 'a')} ${row('a', 'm.from_snapshot')}), '') AS fc,
           COALESCE((SELECT ${classByName('m.dimension', 'b')} ${row('b', 'm.to_snapshot')}), '') AS tc,
           COALESCE((SELECT ${cents('b.revenue')} ${row('b', 'm.to_snapshot')}),
             (SELECT ${cents('a.revenue')} ${row('a', 'm.from_snapshot')}), 0) AS rc
         FROM migration_matrices m WHERE m.workspace_id = ?1)
       UPDATE migration_cells SET clients = clients - 1, revenue_cents = revenue_cents - moved.rc
       FROM moved WHERE migration_cells.workspace_id = ?1 AND migration_cells.from_snapshot = moved.f
         AND migration_cells.to_snapshot = moved.t AND migration_cells.dimension = moved.d
         AND migration_cells.from_class = moved.fc AND migration_cells.to_class = moved.tc`,
    )
    .bind(workspaceId, clientId);
}

/**
 * One page of a cell's clients, in id order from `afterId`. SQLite walks one snapshot's class
 * index for its class (the earlier one, or the later one for clients new since) and probes the
 * other snapshot's row of each client it meets, so a page reads the class's clients up to the
 * page's last, never the portfolio. A type class is walked on its first type. Only the "none"
 * type class has no index (clients without a type row) and walks the snapshot's rows; the later
 * snapshot is walked instead when its class is a set of types.
 */
export async function listMovedClients(
  db: D1Database,
  workspaceId: string,
  snapshots: { from: string; to: string },
  cell: Pick<MovedCell, 'dimension' | 'fromClass' | 'toClass'>,
  page: { afterId: string; limit: number },
): Promise<ClientPage> {
  const { dimension, fromClass, toClass } = cell;
  const walkEarlier =
    fromClass !== null &&
    !(dimension === 'type' && fromClass === 'none' && toClass !== null && toClass !== 'none');
  const [walked, walkedClass, probed, probedClass] = walkEarlier
    ? ['?2', fromClass, '?3', toClass]
    : ['?3', toClass!, '?2', fromClass];
  let from = 'client_classes w';
  let order = 'w.client_id';
  let where = `w.workspace_id = ?1 AND w.snapshot_id = ${walked}`;
  if (dimension === 'type' && walkedClass !== 'none') {
    from = `client_class_types wt JOIN client_classes w ON w.workspace_id = wt.workspace_id AND w.snapshot_id = wt.snapshot_id AND w.client_id = wt.client_id`;
    order = 'wt.client_id';
    where = `wt.workspace_id = ?1 AND wt.snapshot_id = ${walked} AND wt.type = ?7 AND ${typesOf('w')} = ?6`;
  } else if (dimension === 'type')
    where += ` AND NOT EXISTS (SELECT 1 FROM client_class_types t WHERE t.workspace_id = ?1 AND t.snapshot_id = w.snapshot_id AND t.client_id = w.client_id)`;
  else {
    from = `client_classes w INDEXED BY ${CLASS_INDEX[dimension]}`;
    where +=
      dimension !== 'stage' && walkedClass === 'none'
        ? ` AND w.${COLUMN[dimension]} IS NULL`
        : ` AND w.${COLUMN[dimension]} = ?6`;
  }
  const columns = CLIENT_COLUMNS.split(', ')
    .map((col) => `c.${col}`)
    .join(', ');
  const { results } = await db
    .prepare(
      `SELECT ${columns} FROM ${from} JOIN clients c ON c.workspace_id = ?1 AND c.id = w.client_id
       WHERE ${where} AND w.stage IS NOT NULL AND ${order} > ?4
         AND (SELECT ${classOf(dimension, 'o')} FROM client_classes o
              WHERE o.workspace_id = ?1 AND o.snapshot_id = ${probed} AND o.client_id = w.client_id AND o.stage IS NOT NULL) IS ?8
       ORDER BY ${order} LIMIT ?5`,
    )
    .bind(
      workspaceId,
      snapshots.from,
      snapshots.to,
      page.afterId,
      page.limit + 1,
      walkedClass,
      walkedClass.split('+')[0],
      probedClass,
    )
    .all<ClientRaw>();
  const rows = results.map(toClientRow);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}
