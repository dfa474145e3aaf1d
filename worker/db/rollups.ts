import type { Stage } from '../../schema/lifecycle.ts';
import { NO_MARKS, NO_PERIODS } from '../../core/lifecycle/derive.ts';
import { CLOCK } from './clock.ts';
import { quarterStart } from '../../core/segments/cohorts.ts';
import { cohortDeltaSql } from './cohorts.ts';
import { pendingInsert, rollupUpsert, settleTwinStatements } from './pending.ts';
import { packRows } from './plan.ts';
import { segmentSweepStatement, settleSegmentStatements } from './segment-rollups.ts';
import { sweepFlagStatements } from './stage-now.ts';

const dn = (col: string) => `(${col} / 86400000)`;

/** Day numbers of the dyadic blocks: shifted so that 0000-01-01 is day 0 (migration 0014). */
const DAY_SHIFT = 719_528;
const LEVEL_COUNT = 22;
const sday = (col: string) => `(${col} / 86400000 + ${DAY_SHIFT})`;
const LEVELS = `SELECT column1 AS k FROM (VALUES ${Array.from({ length: LEVEL_COUNT }, (_, k) => `(${k})`).join(', ')})`;

const day = (col: string) => `strftime('%Y-%m-%d', ${col} / 1000.0, 'unixepoch')`;
const month = (col: string) => `strftime('%Y-%m', ${col} / 1000.0, 'unixepoch')`;

/**
 * The dyadic blocks' points (migration 0014) of the closed spells among `spells` and the first
 * entries among `marks` (each a table with a WHERE clause), as the CTE `p`: its day (shifted), kind,
 * stage, key and how many times it counts (`n`, a column of both tables or a constant).
 */
const blockPointsSql = (spells: string, marks: string, n: string) => `p AS MATERIALIZED (
    SELECT ${sday('left_ms')} AS day, 'stay' AS kind, stage, ${dn('left_ms')} - ${dn('entered_ms')} AS key, ${n} AS n
    FROM ${spells} AND left_ms IS NOT NULL
    UNION ALL SELECT ${sday('left_ms')}, 'gone', stage, ${sday('entered_ms')}, ${n} FROM ${spells} AND left_ms IS NOT NULL
    UNION ALL SELECT ${sday('at_ms')}, 'reach', stage, days, ${n} FROM ${marks} AND kind = 'first' AND stage <> '*'
  )`;

/**
 * The points `p` as block rows, where their count is not zero: at each level where its block is
 * even, the only blocks a read ever sums (a Fenwick tree), added to the workspace's (?1) blocks.
 */
const blockRowsSql = () => {
  const { head, tail } = rollupUpsert('stage_day_blocks');
  return `${head}
  SELECT ?1, l.k, p.day >> l.k, p.kind, p.stage, p.key, SUM(p.n) FROM p CROSS JOIN (${LEVELS}) l
  WHERE (p.day >> l.k) & 1 = 0 GROUP BY l.k, p.day >> l.k, p.kind, p.stage, p.key HAVING SUM(p.n) <> 0 ${tail}`;
};

/**
 * Whose rows a rollup delta covers: a client's aggregates, its spells from seq `fromSeq` on, its
 * marks from `marksFrom` (ms) on and its months from `periodsFrom` on ('' for all, NO_PERIODS for
 * none).
 */
export interface DeltaScope {
  clientId: string;
  fromSeq: number;
  marksFrom: number;
  periodsFrom: string;
}

/**
 * Adds (`sign` 1) or removes (`sign` -1) the scoped clients' stored spells, marks and aggregates
 * from the workspace's rollups (flows, day histograms, totals, cohort cells). A write of derived state runs the
 * -1 statements before it deletes the clients' old rows and the +1 statements after it inserts
 * the new ones, in the same batch: the delta is computed from exactly the rows replaced, so it
 * holds for a full re-derive, an incremental fold (see DeltaScope), an erasure, and
 * concurrent writers can never make it drift. The spells and marks are copied, signed, into the
 * scratch points, the rest into the rollups' scratch twins; settleRollupStatements adds the net
 * change at the end of the batch. Each statement binds the workspace (?1), the sign (?2) and the
 * scope packed as JSON (?3), read as the `scope` table.
 */
export function flowDeltaStatements(
  db: D1Database,
  workspaceId: string,
  scope: readonly DeltaScope[],
  sign: 1 | -1,
): D1PreparedStatement[] {
  const scoped = `WITH scope (client_id, from_seq, marks_from, periods_from) AS (
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?3))`;
  const rows = scope.map((s) => [
    s.clientId,
    s.fromSeq,
    s.marksFrom,
    s.periodsFrom === NO_PERIODS ? NO_PERIODS : quarterStart(s.periodsFrom),
  ]);
  return packRows(rows).flatMap((json) =>
    [
      `${scoped}
       INSERT INTO pending_spells (workspace_id, sign, stage, entered_ms, left_ms)
       SELECT ?1, ?2, s.stage, s.entered_ms, s.left_ms FROM scope
       CROSS JOIN stage_spells s ON s.workspace_id = ?1 AND s.client_id = scope.client_id AND s.seq >= scope.from_seq`,
      // The unary + keeps SQLite on the primary key (by client), not the index by time. A client
      // whose marks the write keeps (NO_MARKS, withChangedMarks) is not even looked up.
      `${scoped}
       INSERT INTO pending_marks (workspace_id, sign, kind, stage, at_ms, days)
       SELECT ?1, ?2, m.kind, m.stage, m.at_ms, m.days FROM scope
       CROSS JOIN client_marks m ON m.workspace_id = ?1 AND m.client_id = scope.client_id AND +m.at_ms >= scope.marks_from
       WHERE scope.marks_from < ${NO_MARKS}`,
      `${scoped}
       ${pendingInsert('cohort_cells')} ${cohortDeltaSql('scope')}`,
    ].map((sql) => db.prepare(sql).bind(workspaceId, sign, json)),
  );
}

/**
 * Ends every batch that wrote deltas (of the workspace ?1): adds to each rollup the net change of
 * each of its keys, where it is not zero (a continuing client's minus and plus mostly cancel),
 * and empties the scratch tables, so the next batch starts from none. The rollups of spells and
 * marks come from the signed points; the day histograms and blocks keep only what is at or before
 * the sweep instant (migration 0027): a write of events after the last sweep (the usual stream)
 * moves neither.
 */
export function settleRollupStatements(db: D1Database, workspaceId: string): D1PreparedStatement[] {
  const flows = rollupUpsert('stage_flows');
  const marks = rollupUpsert('mark_flows');
  const days = rollupUpsert('stage_days');
  const spells = `pending_spells WHERE workspace_id = ?1`;
  const points = `pending_marks WHERE workspace_id = ?1`;
  return [
    ...[
      `${flows.head}
       SELECT ?1, grain, bucket, stage, SUM(e), SUM(x) FROM (
         SELECT 'd' AS grain, ${day('entered_ms')} AS bucket, stage, sign AS e, 0 AS x FROM ${spells}
         UNION ALL SELECT 'm', ${month('entered_ms')}, stage, sign, 0 FROM ${spells}
         UNION ALL SELECT 'd', ${day('left_ms')}, stage, 0, sign FROM ${spells} AND left_ms IS NOT NULL
         UNION ALL SELECT 'm', ${month('left_ms')}, stage, 0, sign FROM ${spells} AND left_ms IS NOT NULL
       ) WHERE true GROUP BY grain, bucket, stage HAVING SUM(e) <> 0 OR SUM(x) <> 0 ${flows.tail}`,
      `${marks.head}
       SELECT ?1, grain, bucket, kind, stage, SUM(sign) FROM (
         SELECT 'd' AS grain, ${day('at_ms')} AS bucket, kind, stage, sign FROM ${points}
         UNION ALL SELECT 'm', ${month('at_ms')}, kind, stage, sign FROM ${points}
       ) WHERE true GROUP BY grain, bucket, kind, stage HAVING SUM(sign) <> 0 ${marks.tail}`,
      `${days.head}
       SELECT ?1, kind, stage, days, SUM(n) FROM (
         SELECT 'stay' AS kind, stage, ${dn('left_ms')} - ${dn('entered_ms')} AS days, sign AS n FROM ${spells}
         AND left_ms <= ${CLOCK}
         UNION ALL SELECT 'open', stage, ${dn('entered_ms')}, sign FROM ${spells}
         AND entered_ms <= ${CLOCK} AND (left_ms IS NULL OR left_ms > ${CLOCK})
         UNION ALL SELECT 'reach', stage, days, sign FROM ${points}
         AND kind = 'first' AND stage <> '*' AND at_ms <= ${CLOCK}
       ) WHERE true GROUP BY kind, stage, days HAVING SUM(n) <> 0 ${days.tail}`,
      `WITH ${blockPointsSql(`${spells} AND left_ms <= ${CLOCK}`, `${points} AND at_ms <= ${CLOCK}`, 'sign')}
       ${blockRowsSql()}`,
    ].map((sql) => db.prepare(sql).bind(workspaceId)),
    db.prepare('DELETE FROM pending_spells'),
    db.prepare('DELETE FROM pending_marks'),
    ...settleSegmentStatements(db, workspaceId),
    ...settleTwinStatements(db),
  ];
}

/**
 * Moves a workspace's day histograms from its sweep instant to `toMs` (never backwards), in one
 * batch: spells that closed meanwhile leave `open` for `stay`, spells that began meanwhile and are
 * still open join `open`, first entries meanwhile join `reach`, and the spells closed and first
 * entries meanwhile join the dyadic blocks. Reads only the transitions between the two instants,
 * through the spell and mark indexes (sweepWorkspace keeps each step's share bounded).
 */
export function sweepStatements(
  db: D1Database,
  workspaceId: string,
  toMs: number,
): D1PreparedStatement[] {
  // Straight into the rollups: nothing the sweep adds cancels.
  const days = rollupUpsert('stage_days');
  return [
    db
      .prepare(
        `${days.head}
         SELECT ?1, kind, stage, days, SUM(n) FROM (
           SELECT 'stay' AS kind, stage, ${dn('left_ms')} - ${dn('entered_ms')} AS days, 1 AS n FROM stage_spells
           WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms <= ?2
           UNION ALL SELECT 'open', stage, ${dn('entered_ms')}, -1 FROM stage_spells
           WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms <= ?2 AND entered_ms <= ${CLOCK}
           UNION ALL SELECT 'open', stage, ${dn('entered_ms')}, 1 FROM stage_spells
           WHERE workspace_id = ?1 AND entered_ms > ${CLOCK} AND entered_ms <= ?2 AND (left_ms IS NULL OR left_ms > ?2)
           UNION ALL SELECT 'reach', stage, days, 1 FROM client_marks
           WHERE workspace_id = ?1 AND at_ms > ${CLOCK} AND at_ms <= ?2 AND kind = 'first' AND stage <> '*'
         ) WHERE true GROUP BY kind, stage, days ${days.tail}`,
      )
      .bind(workspaceId, toMs),
    db
      .prepare(
        `WITH ${blockPointsSql(
          `stage_spells WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms <= ?2`,
          `client_marks WHERE workspace_id = ?1 AND at_ms > ${CLOCK} AND at_ms <= ?2`,
          '1',
        )}
         ${blockRowsSql()}`,
      )
      .bind(workspaceId, toMs),
    // Spells open at one sweep and closed by the next leave `open` rows at zero: dropped, so that
    // reads do not pass over them (the histograms stay the size of the calendar).
    db.prepare('DELETE FROM stage_days WHERE workspace_id = ?1 AND n = 0').bind(workspaceId),
    segmentSweepStatement(db, workspaceId, toMs),
    ...sweepFlagStatements(db, workspaceId, toMs),
    db
      .prepare(
        `INSERT INTO rollup_clocks (workspace_id, swept_ms) VALUES (?1, ?2)
         ON CONFLICT (workspace_id) DO UPDATE SET swept_ms = MAX(swept_ms, excluded.swept_ms)`,
      )
      .bind(workspaceId, toMs),
  ];
}

/**
 * Where the next step of a sweep towards `toMs` ends: at the `limit`-th spell entry, spell exit or
 * mark after the sweep instant, or at `toMs` if there are fewer. A step then moves at most about
 * `limit` of each through the histograms and blocks (each point into about 11 blocks), however
 * long the workspace went unswept (the first sweep after a bulk import of years of history).
 */
export async function sweepStepEnd(
  db: D1Database,
  workspaceId: string,
  toMs: number,
  limit: number,
): Promise<number> {
  const nth = (table: string, column: string) =>
    `SELECT (SELECT ${column} FROM ${table} WHERE workspace_id = ?1 AND ${column} > ${CLOCK} AND ${column} <= ?2
       ORDER BY ${column} LIMIT 1 OFFSET ?3) AS ms`;
  const row = await db
    .prepare(
      `SELECT MIN(ms) AS ms FROM (${nth('stage_spells', 'entered_ms')}
         UNION ALL ${nth('stage_spells', 'left_ms')} UNION ALL ${nth('client_marks', 'at_ms')})`,
    )
    .bind(workspaceId, toMs, limit - 1)
    .first<{ ms: number | null }>();
  return row?.ms ?? toMs;
}

/** Per stage and figure: how many spells (or first entries) took each whole number of days. */
export type DayCounts = Map<Stage, Map<number, number>>;

/**
 * The day histograms of days in stage and days to reach each stage at `asOfMs`, for an asOf at or
 * after the sweep instant: the stored histograms plus the transitions since the sweep. Returns
 * null for an earlier asOf (the histograms cannot be rewound).
 */
export async function stageDayCounts(
  db: D1Database,
  workspaceId: string,
  asOfMs: number,
): Promise<{ stay: DayCounts; reach: DayCounts } | null> {
  const [clock, stored, closed, opened, reached] = await db.batch<Record<string, number | string>>([
    db.prepare(`SELECT ${CLOCK} AS ms`).bind(workspaceId),
    db
      .prepare(
        // The clock as the outer loop: before the sweep instant the histogram is not even scanned.
        `SELECT d.kind, d.stage, d.days, d.n FROM (SELECT ${CLOCK} AS ms) c
         JOIN stage_days d ON d.workspace_id = ?1 AND ?2 >= c.ms WHERE d.n <> 0`,
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        `SELECT stage, ${dn('entered_ms')} AS began, ${dn('left_ms')} AS ended, entered_ms <= ${CLOCK} AS was_open
         FROM stage_spells WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms <= ?2`,
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        `SELECT stage, ${dn('entered_ms')} AS began FROM stage_spells
         WHERE workspace_id = ?1 AND entered_ms > ${CLOCK} AND entered_ms <= ?2 AND (left_ms IS NULL OR left_ms > ?2)`,
      )
      .bind(workspaceId, asOfMs),
    db
      .prepare(
        `SELECT stage, days FROM client_marks
         WHERE workspace_id = ?1 AND at_ms > ${CLOCK} AND at_ms <= ?2 AND kind = 'first' AND stage <> '*'`,
      )
      .bind(workspaceId, asOfMs),
  ]);
  if (asOfMs < Number(clock!.results[0]!.ms)) return null;
  const today = Math.floor(asOfMs / 86_400_000);
  const stay: DayCounts = new Map();
  const reach: DayCounts = new Map();
  const add = (h: DayCounts, stage: Stage, days: number, n: number) => {
    const row = h.get(stage) ?? new Map<number, number>();
    row.set(days, (row.get(days) ?? 0) + n);
    h.set(stage, row);
  };
  for (const r of stored!.results) {
    const stage = r.stage as Stage;
    const [days, n] = [Number(r.days), Number(r.n)];
    if (r.kind === 'stay') add(stay, stage, days, n);
    else if (r.kind === 'open') add(stay, stage, today - days, n);
    else add(reach, stage, days, n);
  }
  for (const r of closed!.results) {
    const stage = r.stage as Stage;
    add(stay, stage, Number(r.ended) - Number(r.began), 1);
    // It was counted as open, by the days it has lasted by asOf: it stopped short of that.
    if (Number(r.was_open)) add(stay, stage, today - Number(r.began), -1);
  }
  for (const r of opened!.results) add(stay, r.stage as Stage, today - Number(r.began), 1);
  for (const r of reached!.results) add(reach, r.stage as Stage, Number(r.days), 1);
  return { stay, reach };
}

/**
 * The blocks whose union is the days before `day` (shifted): one per set bit k of `day`, at level k,
 * the block just before `day >> k`.
 */
function blocksBefore(day: number): [level: number, block: number][] {
  const blocks: [number, number][] = [];
  for (let k = 0; k < LEVEL_COUNT; k++)
    if (Math.floor(day / 2 ** k) % 2 === 1) blocks.push([k, Math.floor(day / 2 ** k) - 1]);
  return blocks;
}

/**
 * The day histograms of days in stage and days to reach each stage at any `asOfMs`, from the
 * dyadic blocks (migration 0014): spells closed before asOf's day by their length; spells begun on
 * each earlier day (daily stage_flows) minus those of them closed before asOf's day, which have
 * lasted to asOf; and asOf's own day from the spell and mark indexes (a spell that closes on asOf's
 * day, before or after asOf, has lasted the same whole days either way). The blocks hold the points
 * up to the sweep instant (migration 0027); those after it and before asOf's day come from the same
 * indexes. Reads at most 22 block histograms, the daily flows and the transitions since the sweep:
 * bounded by the calendar and the sweep, whatever the number of clients.
 */
export async function pastDayCounts(
  db: D1Database,
  workspaceId: string,
  asOfMs: number,
): Promise<{ stay: DayCounts; reach: DayCounts }> {
  // SQLite's integer division truncates; so does the day number here, to match the stored keys.
  const today = Math.trunc(asOfMs / 86_400_000);
  const dayStart = today * 86_400_000;
  const blocks = blocksBefore(today + DAY_SHIFT);
  const blockRows =
    blocks.length === 0
      ? null
      : db
          .prepare(
            // A VALUES list drives one primary-key range read per block (a UNION of 22 SELECTs
            // would pass D1's limit on compound SELECTs).
            `SELECT s.kind, s.stage, s.key, SUM(s.n) AS n
             FROM (VALUES ${blocks.map((_, i) => `(?${i * 2 + 2}, ?${i * 2 + 3})`).join(', ')}) b
             JOIN stage_day_blocks s ON s.workspace_id = ?1 AND s.level = b.column1 AND s.block = b.column2
             GROUP BY s.kind, s.stage, s.key HAVING SUM(s.n) <> 0`,
          )
          .bind(workspaceId, ...blocks.flat());
  const [entries, entriesToday, reachedToday, sinceSweep, stored] = await db.batch<
    Record<string, number | string>
  >([
    db
      .prepare(
        `SELECT bucket, stage, entries FROM stage_flows
         WHERE workspace_id = ?1 AND grain = 'd' AND bucket < ?2 AND entries <> 0`,
      )
      .bind(workspaceId, new Date(dayStart).toISOString().slice(0, 10)),
    db
      .prepare(
        `SELECT stage, COUNT(*) AS n FROM stage_spells
         WHERE workspace_id = ?1 AND entered_ms >= ?2 AND entered_ms <= ?3 GROUP BY stage`,
      )
      .bind(workspaceId, dayStart, asOfMs),
    db
      .prepare(
        `SELECT stage, days, COUNT(*) AS n FROM client_marks
         WHERE workspace_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3 AND kind = 'first' AND stage <> '*'
         GROUP BY stage, days`,
      )
      .bind(workspaceId, dayStart, asOfMs),
    db
      .prepare(
        `WITH ${blockPointsSql(
          `stage_spells WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms < ?2`,
          `client_marks WHERE workspace_id = ?1 AND at_ms > ${CLOCK} AND at_ms < ?2`,
          '1',
        )}
         SELECT kind, stage, key, COUNT(*) AS n FROM p GROUP BY kind, stage, key`,
      )
      .bind(workspaceId, dayStart),
    ...(blockRows ? [blockRows] : []),
  ]);
  const stay: DayCounts = new Map();
  const reach: DayCounts = new Map();
  for (const r of entries!.results)
    add(
      stay,
      r.stage as Stage,
      today - Date.parse(String(r.bucket)) / 86_400_000,
      Number(r.entries),
    );
  for (const r of entriesToday!.results) add(stay, r.stage as Stage, 0, Number(r.n));
  for (const r of reachedToday!.results) add(reach, r.stage as Stage, Number(r.days), Number(r.n));
  for (const r of [...(stored?.results ?? []), ...sinceSweep!.results]) {
    const [stage, key, n] = [r.stage as Stage, Number(r.key), Number(r.n)];
    if (r.kind === 'stay') add(stay, stage, key, n);
    else if (r.kind === 'gone') add(stay, stage, today + DAY_SHIFT - key, -n);
    else add(reach, stage, key, n);
  }
  return { stay, reach };
}

function add(h: DayCounts, stage: Stage, days: number, n: number) {
  const row = h.get(stage) ?? new Map<number, number>();
  row.set(days, (row.get(days) ?? 0) + n);
  h.set(stage, row);
}

/** Where an instant falls: the buckets before it and the start of its own day. */
function cut(ms: number) {
  const iso = new Date(ms).toISOString();
  const d = iso.slice(0, 10);
  return {
    month: iso.slice(0, 7),
    monthStart: `${iso.slice(0, 7)}-01`,
    day: d,
    dayMs: Date.parse(d),
  };
}

/** Per stage: spells entered and left strictly before each instant. */
export interface FlowPrefix {
  entries: Map<Stage, number>;
  exits: Map<Stage, number>;
  /** `kind:stage` → marks strictly before the instant. */
  marks: Map<string, number>;
}

/**
 * Prefix sums of the flows at each instant (events strictly before it): two rollup reads and two
 * index reads of the instant's own day per instant, all in one batch. Rows read depend on the
 * number of months and of days in one month, and on the transitions of one day, never on the
 * number of clients.
 */
export async function flowPrefixes(
  db: D1Database,
  workspaceId: string,
  instants: readonly number[],
): Promise<FlowPrefix[]> {
  const statements = instants.flatMap((ms) => {
    const c = cut(ms);
    return [
      db
        .prepare(
          `SELECT stage, SUM(entries) AS entries, SUM(exits) AS exits FROM (
             SELECT stage, entries, exits FROM stage_flows WHERE workspace_id = ?1 AND grain = 'm' AND bucket < ?2
             UNION ALL SELECT stage, entries, exits FROM stage_flows WHERE workspace_id = ?1 AND grain = 'd' AND bucket >= ?3 AND bucket < ?4
           ) GROUP BY stage`,
        )
        .bind(workspaceId, c.month, c.monthStart, c.day),
      db
        .prepare(
          `SELECT stage, SUM(e) AS entries, SUM(x) AS exits FROM (
             SELECT stage, 1 AS e, 0 AS x FROM stage_spells WHERE workspace_id = ?1 AND entered_ms >= ?2 AND entered_ms < ?3
             UNION ALL SELECT stage, 0, 1 FROM stage_spells WHERE workspace_id = ?1 AND left_ms >= ?2 AND left_ms < ?3
           ) GROUP BY stage`,
        )
        .bind(workspaceId, c.dayMs, ms),
      db
        .prepare(
          `SELECT kind, stage, SUM(n) AS n FROM (
             SELECT kind, stage, n FROM mark_flows WHERE workspace_id = ?1 AND grain = 'm' AND bucket < ?2
             UNION ALL SELECT kind, stage, n FROM mark_flows WHERE workspace_id = ?1 AND grain = 'd' AND bucket >= ?3 AND bucket < ?4
           ) GROUP BY kind, stage`,
        )
        .bind(workspaceId, c.month, c.monthStart, c.day),
      db
        .prepare(
          `SELECT kind, stage, COUNT(*) AS n FROM client_marks
           WHERE workspace_id = ?1 AND at_ms >= ?2 AND at_ms < ?3 GROUP BY kind, stage`,
        )
        .bind(workspaceId, c.dayMs, ms),
    ];
  });
  const results = await db.batch<Record<string, string | number>>(statements);
  return instants.map((_, i) => {
    const prefix: FlowPrefix = { entries: new Map(), exits: new Map(), marks: new Map() };
    const add = <K>(map: Map<K, number>, key: K, n: unknown) =>
      map.set(key, (map.get(key) ?? 0) + Number(n ?? 0));
    for (const r of [...results[i * 4]!.results, ...results[i * 4 + 1]!.results]) {
      add(prefix.entries, r.stage as Stage, r.entries);
      add(prefix.exits, r.stage as Stage, r.exits);
    }
    for (const r of [...results[i * 4 + 2]!.results, ...results[i * 4 + 3]!.results])
      add(prefix.marks, `${r.kind}:${r.stage}`, r.n);
    return prefix;
  });
}
