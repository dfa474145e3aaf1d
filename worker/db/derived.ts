import { type ClientFold, type DerivedClient, NO_MARKS } from '../../core/lifecycle/derive.ts';
import type { FunnelMark } from '../../core/lifecycle/marks.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import type { Stage, StageSpell } from '../../schema/lifecycle.ts';
import { purchaseHistoryOf } from '../../core/value/summary.ts';
import { touchClientStatements } from './clients.ts';
import { packedInsert, packRows, selectPacked } from './plan.ts';
import { flagInsertedSpellsStatement } from './stage-now.ts';
import { type DeltaScope, flowDeltaStatements, settleRollupStatements } from './rollups.ts';
import { segmentChanges, segmentDeltaStatements } from './segment-rollups.ts';
import { stageChangeOutboxStatements, type StageNow } from './webhooks.ts';

/**
 * What deriving a stored client starts from: its version (what the guard expects), its stored
 * fold, its stored marks and its stored spells from the fold's base on, in seq order (a write
 * then replaces only those that change: withChangedMarks, withChangedSpells).
 */
export interface FoldInput {
  version: number;
  fold: ClientFold | null;
  marks: FunnelMark[];
  spells: StageSpell[];
}

/**
 * The version, stored fold, marks and spells from the fold's base of each listed client that
 * exists; a fold only if it was derived under `foldKey` (the lifecycle settings), otherwise null
 * (the client is then replayed). Each part reads its clients, marks and spells in one batch, so
 * they are those of the version read (which the write's guard then checks). A client has at most
 * one mark per kind and stage, and a fold's base is its open spell: both reads are bounded
 * whatever its history.
 */
export async function getFoldInputs(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
  foldKey: string,
): Promise<Map<string, FoldInput>> {
  const inputs = new Map<string, FoldInput>();
  await selectPacked(ids, async (json) => {
    const [clients, marks, spells] = await db.batch<Record<string, string | number | null>>([
      db
        .prepare(
          `SELECT c.id, c.version, a.data, CASE WHEN a.fold_key = ?2 THEN a.fold END AS fold FROM clients c
           LEFT JOIN client_aggregates a ON a.workspace_id = c.workspace_id AND a.client_id = c.id
           WHERE c.workspace_id = ?1 AND c.id IN (SELECT value FROM json_each(?3))`,
        )
        .bind(workspaceId, foldKey, json),
      db
        .prepare(
          `SELECT m.client_id, m.kind, m.stage, m.at_ms, m.days FROM json_each(?2) j
           CROSS JOIN client_marks m ON m.workspace_id = ?1 AND m.client_id = j.value`,
        )
        .bind(workspaceId, json),
      db
        .prepare(
          `SELECT s.client_id, s.seq, s.stage, s.entered_at, s.left_at, s.event_id FROM json_each(?2) j
           CROSS JOIN client_aggregates a ON a.workspace_id = ?1 AND a.client_id = j.value
           CROSS JOIN stage_spells s ON s.workspace_id = ?1 AND s.client_id = j.value
             AND s.seq >= a.fold ->> '$.stages.base'`,
        )
        .bind(workspaceId, json),
    ]);
    for (const r of clients!.results as {
      id: string;
      version: number;
      data: string | null;
      fold: string | null;
    }[]) {
      let fold: ClientFold | null = null;
      if (r.fold !== null && r.data !== null) {
        // The stored fold leaves out the running aggregates: they are the stored data (the
        // figures finishAggregates recomputes are recomputed from the rest of the fold).
        fold = JSON.parse(r.fold) as ClientFold;
        fold.aggregates.a = JSON.parse(r.data) as ClientFold['aggregates']['a'];
      }
      inputs.set(r.id, { version: r.version, fold, marks: [], spells: [] });
    }
    for (const m of marks!.results)
      inputs.get(String(m.client_id))?.marks.push({
        kind: m.kind as FunnelMark['kind'],
        stage: m.stage as FunnelMark['stage'],
        atMs: Number(m.at_ms),
        days: Number(m.days),
      });
    const seqs = new Map<StageSpell, number>();
    for (const r of spells!.results) {
      const spell: StageSpell = {
        stage: r.stage as Stage,
        enteredAt: String(r.entered_at),
        leftAt: r.left_at === null ? null : String(r.left_at),
        eventId: r.event_id === null ? null : String(r.event_id),
      };
      seqs.set(spell, Number(r.seq));
      inputs.get(String(r.client_id))?.spells.push(spell);
    }
    for (const input of inputs.values()) input.spells.sort((a, b) => seqs.get(a)! - seqs.get(b)!);
    return [];
  });
  return inputs;
}

/**
 * The one plan of a batch that commits derived state (ingestion, re-derivation, imports): the
 * version guard on the versions read before deriving (-1: the client did not exist and is
 * created), the version bumps, `alongside` (e.g. the new events), then the derived rows
 * (writeDerivedStatements). It commits whole or aborts whole on a lost race.
 */
export function guardedDerivationStatements(
  db: D1Database,
  workspaceId: string,
  {
    expected,
    derived,
    now,
    foldKey,
    stored,
    alongside = [],
  }: {
    expected: ReadonlyMap<string, number>;
    derived: ReadonlyMap<string, DerivedClient>;
    now: string;
    foldKey: string;
    /** The aggregates stored at the expected versions, where read (see writeDerivedStatements). */
    stored?: ReadonlyMap<string, ClientAggregates>;
    alongside?: D1PreparedStatement[];
  },
): D1PreparedStatement[] {
  return [
    ...versionGuardStatements(db, workspaceId, expected),
    ...touchClientStatements(db, workspaceId, [...expected.keys()], now),
    // A new client joins the segment rollups bare; writeDerivedStatements then moves it by its state.
    ...segmentDeltaStatements(
      db,
      workspaceId,
      [...expected].filter(([, version]) => version === -1).map(([id]) => id),
      1,
    ),
    ...alongside,
    // Before the old spells go: the outbox compares the stage stored at `now` with the new one.
    ...stageChangeOutboxStatements(db, workspaceId, stagesAt(derived, now), now),
    ...writeDerivedStatements(db, workspaceId, derived, foldKey, stored),
  ];
}

/** Each client's stage at `now` by its new derivation (clients with no stage yet are left out). */
function stagesAt(derived: ReadonlyMap<string, DerivedClient>, now: string): StageNow[] {
  const nowMs = Date.parse(now);
  return [...derived].flatMap(([clientId, d]) => {
    const spell = d.stages.findLast((s) => Date.parse(s.enteredAt) <= nowMs);
    if (!spell || (spell.leftAt !== null && Date.parse(spell.leftAt) <= nowMs)) return [];
    return [{ clientId, stage: spell.stage, since: spell.enteredAt }];
  });
}

/**
 * Writes what changed of the listed clients' derived state: the spells from each one's
 * `spellBase` on, the month buckets from its `periodsFrom` on and the marks from its `marksFrom`
 * on (everything, for a client derived from scratch), its aggregates with the fold that
 * continues it (without the running aggregates, which are the stored `data`) and its purchase
 * history in the columns the fits group (`purchaseHistoryOf`); and moves the rollups
 * by the difference (flowDeltaStatements and segmentDeltaStatements: minus the rows replaced, before; plus the new ones,
 * after; netted by settleRollupStatements at the end). Rollups added later go in
 * flowDeltaStatements, so every writer keeps them. A client whose `stored` aggregates (those the
 * write replaces, read at the version its guard expects) are given moves only the segment
 * rollups its new aggregates can move (segmentChanges). Meant to run inside the same
 * `db.batch()` as the events it derives from.
 */
export function writeDerivedStatements(
  db: D1Database,
  workspaceId: string,
  derived: ReadonlyMap<string, DerivedClient>,
  foldKey: string,
  stored: ReadonlyMap<string, ClientAggregates> = new Map(),
): D1PreparedStatement[] {
  const list = [...derived];
  const ids: string[] = [];
  const daysIds: string[] = [];
  for (const [id, d] of list) {
    const before = stored.get(id);
    const moves = before ? segmentChanges(before, d.aggregates) : { figures: true, days: true };
    if (moves.figures) ids.push(id);
    if (moves.days) daysIds.push(id);
  }
  const scope: DeltaScope[] = list.map(([clientId, d]) => ({
    clientId,
    fromSeq: d.spellBase,
    marksFrom: d.marksFrom,
    periodsFrom: d.periodsFrom,
  }));
  const replaced = packRows(list.map(([id, d]) => [id, d.spellBase, d.periodsFrom, d.marksFrom]));
  const statements: D1PreparedStatement[] = [
    ...flowDeltaStatements(db, workspaceId, scope, -1),
    // The segment rollups read a client's whole state: exact whatever the write rewrote.
    ...segmentDeltaStatements(db, workspaceId, ids, -1, daysIds),
    ...replaced.flatMap((json) => [
      db
        .prepare(
          `DELETE FROM stage_spells WHERE workspace_id = ?1 AND (client_id, seq) IN (
             SELECT s.client_id, s.seq FROM json_each(?2) j
             CROSS JOIN stage_spells s ON s.workspace_id = ?1 AND s.client_id = j.value ->> 0 AND s.seq >= j.value ->> 1)`,
        )
        .bind(workspaceId, json),
      db
        .prepare(
          `DELETE FROM client_periods WHERE workspace_id = ?1 AND (client_id, period) IN (
             SELECT p.client_id, p.period FROM json_each(?2) j
             CROSS JOIN client_periods p ON p.workspace_id = ?1 AND p.client_id = j.value ->> 0 AND p.period >= j.value ->> 2)`,
        )
        .bind(workspaceId, json),
      db
        .prepare(
          `DELETE FROM client_marks WHERE workspace_id = ?1 AND (client_id, kind, stage) IN (
             SELECT m.client_id, m.kind, m.stage FROM json_each(?2) j
             CROSS JOIN client_marks m ON m.workspace_id = ?1 AND m.client_id = j.value ->> 0 AND +m.at_ms >= j.value ->> 3
             WHERE j.value ->> 3 < ${NO_MARKS})`,
        )
        .bind(workspaceId, json),
    ]),
  ];
  statements.push(
    ...packedInsert(
      db,
      'stage_spells',
      ['client_id', 'seq', 'stage', 'entered_at', 'left_at', 'event_id', 'entered_ms', 'left_ms'],
      workspaceId,
      list.flatMap(([id, d]) =>
        d.stages.map((s, i) => [
          id,
          d.spellBase + i,
          s.stage,
          s.enteredAt,
          s.leftAt,
          s.eventId,
          Date.parse(s.enteredAt),
          s.leftAt === null ? null : Date.parse(s.leftAt),
        ]),
      ),
    ),
    // Which of them are current at the sweep instant (the stage lists' index, stage-now.ts).
    ...replaced.map((json) => flagInsertedSpellsStatement(db, workspaceId, json)),
    ...packedInsert(
      db,
      'client_marks',
      ['client_id', 'kind', 'stage', 'at_ms', 'days'],
      workspaceId,
      list.flatMap(([id, d]) => d.marks.map((m) => [id, m.kind, m.stage, m.atMs, m.days])),
    ),
    ...packedInsert(
      db,
      'client_periods',
      ['client_id', 'period', 'revenue', 'margin', 'orders'],
      workspaceId,
      list.flatMap(([id, d]) =>
        d.periods.map((p) => [id, p.period, p.revenue, p.margin, p.orders]),
      ),
    ),
    ...packedInsert(
      db,
      'client_aggregates',
      [
        'client_id',
        'orders',
        'revenue',
        'margin',
        'first_purchase_at',
        'last_purchase_at',
        'data',
        'fold',
        'fold_key',
        'purchase_days',
        'first_purchase_day',
        'last_purchase_day',
        'repeat_spend',
      ],
      workspaceId,
      list.map(([id, { aggregates: a, fold }]) => {
        const history = purchaseHistoryOf(a);
        return [
          id,
          a.orders,
          a.revenue,
          a.margin,
          a.firstPurchaseAt,
          a.lastPurchaseAt,
          JSON.stringify(a),
          JSON.stringify({ ...fold, aggregates: { ...fold.aggregates, a: undefined } }),
          foldKey,
          history?.purchaseDays ?? null,
          history?.firstDay ?? null,
          history?.lastDay ?? null,
          history?.repeatSpend ?? null,
        ];
      }),
      `ON CONFLICT (workspace_id, client_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue,
       margin = excluded.margin, first_purchase_at = excluded.first_purchase_at,
       last_purchase_at = excluded.last_purchase_at, data = excluded.data, fold = excluded.fold,
       fold_key = excluded.fold_key, purchase_days = excluded.purchase_days,
       first_purchase_day = excluded.first_purchase_day, last_purchase_day = excluded.last_purchase_day,
       repeat_spend = excluded.repeat_spend`,
    ),
    // Only now that every new row is in place: the rollups read them.
    ...flowDeltaStatements(db, workspaceId, scope, 1),
    ...segmentDeltaStatements(db, workspaceId, ids, 1, daysIds),
    // Last: the batch's net change, with what guardedDerivationStatements added before.
    ...settleRollupStatements(db, workspaceId),
  );
  return statements;
}

/**
 * Compare-and-set on client versions inside a batch: inserts a row that fails its CHECK (and so
 * aborts the whole batch) unless every listed client still has the version read before
 * deriving (-1 for a client that did not exist yet).
 */
export function versionGuardStatements(
  db: D1Database,
  workspaceId: string,
  expected: ReadonlyMap<string, number>,
): D1PreparedStatement[] {
  return [
    ...packRows([...expected]).map((json) =>
      db
        .prepare(
          `INSERT INTO write_guard (ok)
           SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END
           FROM json_each(?2) AS x
           LEFT JOIN clients c ON c.workspace_id = ?1 AND c.id = x.value ->> 0
           WHERE COALESCE(c.version, -1) <> x.value ->> 1`,
        )
        .bind(workspaceId, json),
    ),
    db.prepare('DELETE FROM write_guard'),
  ];
}

export const isGuardConflict = (error: unknown) =>
  error instanceof Error &&
  /CHECK constraint failed/i.test(error.message) &&
  /write_guard|ok = 1/i.test(error.message);
