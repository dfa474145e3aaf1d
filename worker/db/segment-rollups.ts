import type { ConversionGroup } from '../../core/segments/conversion.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import { CLOCK } from './clock.ts';
import { rollupUpsert } from './pending.ts';
import { packRows } from './plan.ts';

/** Stages of a client who stopped buying, in either model (core/segments/conversion.ts). */
const GONE = `('sleeping', 'lost', 're_engagement')`;

/**
 * Whether client `cl` is in a gone stage at instant `at` (an SQL expression). The unary `+` keeps
 * SQLite on the primary key (the client's few spells) instead of the index by entry instant.
 */
const goneAt = (at: string) => `EXISTS (
  SELECT 1 FROM stage_spells s WHERE s.workspace_id = ?1 AND s.client_id = cl.id AND s.stage IN ${GONE}
    AND +s.entered_ms <= ${at} AND (s.left_ms IS NULL OR +s.left_ms > ${at}))`;

const KIND = `CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number'
  WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE 'json' END`;
const VALUE = `CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE j.value END`;

/**
 * The contributions to the segment rollups (migration 0015) of the clients in `rows` (a table of
 * `id` and `with_days`): the whole-workspace key and one key per top-level attribute value, each
 * with the client's figures; the whole-workspace key also with its orders and revenue (the
 * workspace totals).
 */
const contributions = (rows: string) => `
  points AS (
    SELECT cl.attributes, r.with_days, a.orders, a.revenue,
      a.first_purchase_at IS NOT NULL AS acquired,
      CASE WHEN a.first_purchase_at IS NOT NULL THEN CAST(ROUND(a.revenue * 100) AS INTEGER) ELSE 0 END AS cents,
      CASE WHEN a.first_purchase_at IS NOT NULL AND json_extract(a.data, '$.firstDevelopedAt') IS NOT NULL
        THEN CAST(julianday(date(json_extract(a.data, '$.firstDevelopedAt'))) - julianday(date(a.first_purchase_at)) AS INTEGER) END AS dev_days,
      COALESCE(a.first_purchase_at IS NOT NULL AND a.orders = 1 AND ${goneAt(CLOCK)}, 0) AS vanished
    FROM ${rows} r CROSS JOIN clients cl ON cl.workspace_id = ?1 AND cl.id = r.id
    LEFT JOIN client_aggregates a ON a.workspace_id = cl.workspace_id AND a.client_id = cl.id
  ),
  keyed AS (
    SELECT '' AS attr, '' AS kind, '' AS value, acquired, cents, dev_days, vanished, with_days, orders, revenue FROM points
    UNION ALL SELECT j.key, ${KIND}, ${VALUE}, p.acquired, p.cents, p.dev_days, p.vanished, p.with_days, NULL, NULL
    FROM points p, json_each(p.attributes) j WHERE j.type <> 'null'
  )`;

/**
 * Which of a client's segment contributions a write of its aggregates from `before` to `after`
 * can move, by what `contributions` reads of them: its figures (`segment_rollups`) and its days
 * to developed (`segment_days`). A client's attributes are not a derived write's to change.
 */
export function segmentChanges(
  before: ClientAggregates,
  after: ClientAggregates,
): { figures: boolean; days: boolean } {
  const days =
    before.firstPurchaseAt !== after.firstPurchaseAt ||
    before.firstDevelopedAt !== after.firstDevelopedAt;
  const figures =
    days ||
    before.revenue !== after.revenue ||
    before.orders !== after.orders ||
    // Whether a one-order buyer vanished also reads its spells, which any write may move.
    after.orders === 1;
  return { figures, days };
}

/**
 * Adds (`sign` 1) or removes (`sign` -1) the listed clients' contributions to the segment
 * rollups and the workspace totals: their figures, and their days to developed for `daysIds` (those
 * of `clientIds` whose days count; by default all). Like flowDeltaStatements: -1 before the batch
 * changes a client's row (attributes) or its derived rows, +1 after, so the delta is exactly what
 * the batch replaced. Each half copies the contributions, signed, into the scratch points
 * (`pending_segment_points`, migration 0029) once; settleSegmentStatements adds the net change.
 */
export function segmentDeltaStatements(
  db: D1Database,
  workspaceId: string,
  clientIds: readonly string[],
  sign: 1 | -1,
  daysIds: readonly string[] = clientIds,
): D1PreparedStatement[] {
  const withDays = new Set(daysIds);
  const rows = '(SELECT value ->> 0 AS id, value ->> 1 AS with_days FROM json_each(?3))';
  return packRows(clientIds.map((id) => [id, withDays.has(id) ? 1 : 0])).map((json) =>
    db
      .prepare(
        `WITH ${contributions(rows)}
         INSERT INTO pending_segment_points (workspace_id, sign, attr, kind, value, acquired, cents,
           dev_days, vanished, with_days, orders, revenue)
         SELECT ?1, ?2, attr, kind, value, acquired, cents, dev_days, vanished, with_days, orders, revenue
         FROM keyed`,
      )
      .bind(workspaceId, sign, json),
  );
}

/**
 * Part of settleRollupStatements (rollups.ts): adds the net change of the scratch points of the
 * workspace (?1) to its segment figures, its segment days to developed and its totals, where it
 * is not zero, and empties them. A write that moves no client's figures (segmentChanges) moves
 * none of the totals either: both read only its orders and revenue.
 */
export function settleSegmentStatements(
  db: D1Database,
  workspaceId: string,
): D1PreparedStatement[] {
  const figures = rollupUpsert('segment_rollups');
  const days = rollupUpsert('segment_days');
  const totals = rollupUpsert('workspace_totals');
  const sums = [
    'SUM(sign)',
    'SUM(sign * acquired)',
    'SUM(sign * (dev_days IS NOT NULL))',
    'SUM(sign * vanished)',
    'SUM(sign * cents)',
  ];
  const totalSums = [
    'SUM(sign)',
    'SUM(sign * (orders > 0))',
    'SUM(sign * orders)',
    'SUM(sign * CAST(ROUND(revenue * 100) AS INTEGER))',
    'SUM(sign * revenue * revenue)',
  ];
  return [
    ...[
      `${figures.head}
       SELECT ?1, attr, kind, value, ${sums.join(', ')} FROM pending_segment_points
       WHERE workspace_id = ?1 GROUP BY attr, kind, value HAVING ${sums.map((x) => `${x} <> 0`).join(' OR ')}
       ${figures.tail}`,
      `${days.head}
       SELECT ?1, attr, kind, value, dev_days, SUM(sign) FROM pending_segment_points
       WHERE workspace_id = ?1 AND with_days = 1 AND dev_days IS NOT NULL
       GROUP BY attr, kind, value, dev_days HAVING SUM(sign) <> 0 ${days.tail}`,
      // A client counts in the totals once it has aggregates (orders not null).
      `${totals.head}
       SELECT ?1, ${totalSums.join(', ')} FROM pending_segment_points
       WHERE workspace_id = ?1 AND attr = '' AND orders IS NOT NULL
       GROUP BY workspace_id HAVING ${totalSums.map((x) => `${x} <> 0`).join(' OR ')} ${totals.tail}`,
    ].map((sql) => db.prepare(sql).bind(workspaceId)),
    db.prepare('DELETE FROM pending_segment_points'),
  ];
}

/**
 * Erasure's part, after the client's -1 delta and before its row goes: drops the rollup rows of
 * the client's attribute values that no client has any more, so that no value of an erased
 * client (an e-mail, a phone) stays behind as a key.
 */
export function forgetEmptySegmentStatements(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  const values = `SELECT j.key, ${KIND}, ${VALUE} FROM clients cl, json_each(cl.attributes) j
    WHERE cl.workspace_id = ?1 AND cl.id = ?2 AND j.type <> 'null'`;
  return [
    db
      .prepare(
        `DELETE FROM segment_days WHERE workspace_id = ?1 AND (attr, kind, value) IN (
           SELECT r.attr, r.kind, r.value FROM segment_rollups r
           WHERE r.workspace_id = ?1 AND r.clients = 0 AND (r.attr, r.kind, r.value) IN (${values}))`,
      )
      .bind(workspaceId, clientId),
    db
      .prepare(
        `DELETE FROM segment_rollups WHERE workspace_id = ?1 AND clients = 0
           AND (attr, kind, value) IN (${values})`,
      )
      .bind(workspaceId, clientId),
  ];
}

/** One-order buyers with a stage transition in `(lo, hi]`: the only clients whose `vanished` can change. */
const changedBuyers = (lo: string, hi: string) => `
  changed AS (
    SELECT client_id FROM stage_spells WHERE workspace_id = ?1 AND entered_ms > ${lo} AND entered_ms <= ${hi}
    UNION SELECT client_id FROM stage_spells WHERE workspace_id = ?1 AND left_ms > ${lo} AND left_ms <= ${hi}
  ),
  moved AS (
    -- CROSS JOIN keeps the changed clients outermost: one primary-key lookup each, never a scan
    -- of the workspace's clients per changed client.
    SELECT cl.id, cl.attributes FROM changed ch
    CROSS JOIN clients cl ON cl.workspace_id = ?1 AND cl.id = ch.client_id
    CROSS JOIN client_aggregates a ON a.workspace_id = ?1 AND a.client_id = ch.client_id
    WHERE a.orders = 1 AND a.first_purchase_at IS NOT NULL
  )`;

/**
 * The sweep's part (before it moves the clock to `toMs`): `vanished` of every segment of the
 * one-order buyers whose stage changed since the sweep instant, by how their gone state changed.
 */
export function segmentSweepStatement(
  db: D1Database,
  workspaceId: string,
  toMs: number,
): D1PreparedStatement {
  const upsert = rollupUpsert('segment_rollups');
  return db
    .prepare(
      `WITH ${changedBuyers(CLOCK, '?2')},
       delta AS (
         SELECT cl.attributes, ${goneAt('?2')} - ${goneAt(CLOCK)} AS d FROM moved cl
       ),
       keyed AS (
         SELECT '' AS attr, '' AS kind, '' AS value, d FROM delta
         UNION ALL SELECT j.key, ${KIND}, ${VALUE}, p.d FROM delta p, json_each(p.attributes) j WHERE j.type <> 'null'
       )
       ${upsert.head}
       SELECT ?1, attr, kind, value, 0, 0, 0, SUM(d), 0 FROM keyed WHERE d <> 0 GROUP BY attr, kind, value
       ${upsert.tail}`,
    )
    .bind(workspaceId, toMs);
}

type SegmentFigures = ConversionGroup;
type SegmentValue = string | number | boolean;

interface RollupRow {
  attr: string;
  kind: string;
  value: string | number;
  clients: number;
  acquired: number;
  developed: number;
  vanished: number;
  revenue_cents: number;
}

const typed = (kind: string, value: string | number): SegmentValue =>
  kind === 'boolean' ? value === 1 : kind === 'number' ? Number(value) : String(value);

/**
 * The segments of attribute `by` at `nowMs`: its rollup rows, the whole workspace's (the clients
 * without a value are the difference), and the change of `vanished` since the sweep instant from
 * the one-order buyers with a transition in between. Reads one row per value of the attribute
 * and per value and whole number of days, plus one day's transitions: never every client.
 */
export async function segmentFigures(
  db: D1Database,
  workspaceId: string,
  by: string,
  nowMs: number,
): Promise<{ clients: number; segments: ConversionGroup[] }> {
  const [rollups, days, moved] = await db.batch<Record<string, string | number>>([
    db
      .prepare(
        `SELECT attr, kind, value, clients, acquired, developed, vanished, revenue_cents FROM segment_rollups
         WHERE workspace_id = ?1 AND attr IN ('', ?2) AND clients <> 0`,
      )
      .bind(workspaceId, by),
    db
      .prepare(
        `SELECT attr, kind, value, days, n FROM segment_days WHERE workspace_id = ?1 AND attr IN ('', ?2) AND n <> 0`,
      )
      .bind(workspaceId, by),
    // Transitions between the sweep instant and now, whichever comes first.
    db
      .prepare(
        `WITH bounds AS (SELECT MIN(${CLOCK}, ?3) AS lo, MAX(${CLOCK}, ?3) AS hi),
         ${changedBuyers('(SELECT lo FROM bounds)', '(SELECT hi FROM bounds)')}
         SELECT (SELECT ${KIND.replaceAll('j.', 'v.')} FROM json_each(cl.attributes) v WHERE v.key = ?2) AS kind,
           (SELECT ${VALUE.replaceAll('j.', 'v.')} FROM json_each(cl.attributes) v WHERE v.key = ?2 AND v.type <> 'null') AS value,
           ${goneAt('?3')} - ${goneAt(CLOCK)} AS d
         FROM moved cl`,
      )
      .bind(workspaceId, by, nowMs),
  ]);
  const groups = new Map<string, SegmentFigures>();
  const keyOf = (kind: string, value: string | number | null) =>
    value === null ? 'none' : kind === '' ? 'all' : `${kind}:${String(typed(kind, value))}`;
  const group = (kind: string, value: string | number | null) => {
    const key = keyOf(kind, value);
    let g = groups.get(key);
    if (!g) {
      // Objects and arrays group with the text of their JSON, as the per-client definition does.
      const v = value === null || kind === '' ? null : typed(kind, value);
      g = {
        value: v,
        clients: 0,
        acquired: 0,
        developed: 0,
        vanished: 0,
        revenueCents: 0,
        daysToDeveloped: new Map(),
      };
      groups.set(key, g);
    }
    return g;
  };
  const kindOf = (r: Record<string, string | number>) =>
    r.attr === '' ? '' : r.kind === 'json' ? 'string' : String(r.kind);
  for (const r of rollups!.results as unknown as RollupRow[]) {
    const g = group(kindOf(r as never), r.attr === '' ? '' : r.value);
    g.clients += r.clients;
    g.acquired += r.acquired;
    g.developed += r.developed;
    g.vanished += r.vanished;
    g.revenueCents += r.revenue_cents;
  }
  for (const r of days!.results) {
    const g = group(kindOf(r), r.attr === '' ? '' : r.value!);
    g.daysToDeveloped.set(
      Number(r.days),
      (g.daysToDeveloped.get(Number(r.days)) ?? 0) + Number(r.n),
    );
  }
  const all = group('', '');
  for (const r of moved!.results) {
    const d = Number(r.d);
    if (d === 0) continue;
    all.vanished += d;
    if (r.value !== null)
      group(r.kind === 'json' ? 'string' : String(r.kind), r.value!).vanished += d;
  }
  // The clients without a value: the workspace minus every value's clients.
  const none: SegmentFigures = {
    ...all,
    value: null,
    daysToDeveloped: new Map(all.daysToDeveloped),
  };
  const segments = [...groups].filter(([key]) => key !== 'all').map(([, g]) => g);
  for (const g of segments) {
    none.clients -= g.clients;
    none.acquired -= g.acquired;
    none.developed -= g.developed;
    none.vanished -= g.vanished;
    none.revenueCents -= g.revenueCents;
    for (const [days, n] of g.daysToDeveloped)
      none.daysToDeveloped.set(days, (none.daysToDeveloped.get(days) ?? 0) - n);
  }
  if (none.clients > 0) segments.push(none);
  return { clients: all.clients, segments: segments.filter((g) => g.clients > 0) };
}
