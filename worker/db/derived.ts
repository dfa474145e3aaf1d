import type { DerivedClient } from '../../core/lifecycle/derive.ts';
import { bumpVersionStatements, insertNewClientStatements } from './clients.ts';
import { chunk, planInsert, placeholders } from './plan.ts';
import { flowDeltaStatements } from './rollups.ts';
import { segmentDeltaStatements } from './segment-rollups.ts';

/**
 * The batch that commits a re-derivation: the version guard on the versions read before deriving
 * (-1: the client did not exist and is created), the version bumps, `alongside` (e.g. the new
 * events), then the derived rows. It commits whole or aborts whole on a lost race.
 */
export function guardedDerivationStatements(
  db: D1Database,
  workspaceId: string,
  {
    expected,
    derived,
    now,
    alongside = [],
  }: {
    expected: ReadonlyMap<string, number>;
    derived: ReadonlyMap<string, DerivedClient>;
    now: string;
    alongside?: D1PreparedStatement[];
  },
): D1PreparedStatement[] {
  const ids = [...expected.keys()];
  return [
    ...versionGuardStatements(db, workspaceId, expected),
    ...insertNewClientStatements(
      db,
      workspaceId,
      ids.filter((id) => expected.get(id) === -1),
      now,
    ),
    ...bumpVersionStatements(db, workspaceId, ids, now),
    ...alongside,
    ...replaceDerivedStatements(db, workspaceId, derived),
  ];
}

/**
 * Replaces everything derived for the listed clients (stage spells, aggregates, monthly buckets)
 * with a fresh derivation, and moves the funnel's and the segments' rollups by the difference
 * (flowDeltaStatements, segmentDeltaStatements).
 * Meant to run inside the same `db.batch()` as the events it derives from.
 */
export function replaceDerivedStatements(
  db: D1Database,
  workspaceId: string,
  derived: ReadonlyMap<string, DerivedClient>,
): D1PreparedStatement[] {
  const ids = [...derived.keys()];
  const statements: D1PreparedStatement[] = [
    ...flowDeltaStatements(db, workspaceId, ids, -1),
    ...segmentDeltaStatements(db, workspaceId, ids, -1),
  ];
  for (const part of chunk(ids, 99)) {
    for (const table of ['stage_spells', 'client_periods', 'client_marks']) {
      statements.push(
        db
          .prepare(
            `DELETE FROM ${table} WHERE workspace_id = ?1 AND client_id IN (${placeholders(part.length)})`,
          )
          .bind(workspaceId, ...part),
      );
    }
  }
  const spells = [...derived].flatMap(([id, d]) =>
    d.stages.map((s, seq) => [
      workspaceId,
      id,
      seq,
      s.stage,
      s.enteredAt,
      s.leftAt,
      s.eventId,
      Date.parse(s.enteredAt),
      s.leftAt === null ? null : Date.parse(s.leftAt),
    ]),
  );
  statements.push(
    ...planInsert(
      db,
      'INSERT INTO stage_spells (workspace_id, client_id, seq, stage, entered_at, left_at, event_id, entered_ms, left_ms)',
      9,
      spells,
    ),
  );
  const marks = [...derived].flatMap(([id, d]) =>
    d.marks.map((m) => [workspaceId, id, m.kind, m.stage, m.atMs, m.days]),
  );
  statements.push(
    ...planInsert(
      db,
      'INSERT INTO client_marks (workspace_id, client_id, kind, stage, at_ms, days)',
      6,
      marks,
    ),
  );
  const periods = [...derived].flatMap(([id, d]) =>
    d.periods.map((p) => [workspaceId, id, p.period, p.revenue, p.margin, p.orders]),
  );
  statements.push(
    ...planInsert(
      db,
      'INSERT INTO client_periods (workspace_id, client_id, period, revenue, margin, orders)',
      6,
      periods,
    ),
  );
  const aggregates = [...derived].map(([id, d]) => {
    const a = d.aggregates;
    return [
      workspaceId,
      id,
      a.orders,
      a.revenue,
      a.margin,
      a.firstPurchaseAt,
      a.lastPurchaseAt,
      JSON.stringify(a),
    ];
  });
  statements.push(
    ...planInsert(
      db,
      'INSERT INTO client_aggregates (workspace_id, client_id, orders, revenue, margin, first_purchase_at, last_purchase_at, data)',
      8,
      aggregates,
      `ON CONFLICT (workspace_id, client_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue, margin = excluded.margin,
       first_purchase_at = excluded.first_purchase_at, last_purchase_at = excluded.last_purchase_at, data = excluded.data`,
    ),
  );
  // Only now that every new row is in place: the rollups read them.
  statements.push(
    ...flowDeltaStatements(db, workspaceId, ids, 1),
    ...segmentDeltaStatements(db, workspaceId, ids, 1),
  );
  return statements;
}

/**
 * Compare-and-set on client versions inside a batch: inserts a row that fails its CHECK (and so
 * aborts the whole batch) unless every listed client still has the version read before
 * deriving (-1 for a client that did not exist yet). Then bumps the versions.
 */
export function versionGuardStatements(
  db: D1Database,
  workspaceId: string,
  expected: ReadonlyMap<string, number>,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (const part of chunk([...expected], 49)) {
    const values = part.map((_, i) => `(?${i * 2 + 2}, ?${i * 2 + 3})`).join(', ');
    statements.push(
      db
        .prepare(
          `INSERT INTO write_guard (ok)
           SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END
           FROM (VALUES ${values}) AS expected
           LEFT JOIN clients c ON c.workspace_id = ?1 AND c.id = expected.column1
           WHERE COALESCE(c.version, -1) <> expected.column2`,
        )
        .bind(workspaceId, ...part.flat()),
    );
  }
  statements.push(db.prepare('DELETE FROM write_guard'));
  return statements;
}

export const isGuardConflict = (error: unknown) =>
  error instanceof Error &&
  /CHECK constraint failed/i.test(error.message) &&
  /write_guard|ok = 1/i.test(error.message);
