/**
 * Which clients are in a stage now, without walking the stage's past spells: the spells current
 * at the workspace's sweep instant carry `open_at_sweep = 1` (migration 0026), and a read at or
 * after that instant adds the spells entered since. A spell current at `at` ≥ the sweep instant
 * either was current at the sweep instant and has not left by `at`, or entered after it.
 */

import { CLOCK } from './clock.ts';

const stillOpen = (alias: string, at: string) =>
  `(${alias}.left_ms IS NULL OR ${alias}.left_ms > ${at})`;

/**
 * The spells of `stage` that were current at the sweep instant and still are at `at` (ms), in
 * client id order on their partial index: a walk costs the rows it returns plus the spells the
 * clock closed since the sweep. `?1` is the workspace.
 */
export const openSinceSweep = (alias: string, stage: string, at: string) =>
  `stage_spells ${alias} INDEXED BY stage_spells_open_at_sweep
   WHERE ${alias}.workspace_id = ?1 AND ${alias}.stage = ${stage} AND ${alias}.open_at_sweep = 1 AND ${stillOpen(alias, at)}`;

/**
 * The spells of `stage` entered after the sweep instant and current at `at` (ms), on the index by
 * entry instant: the transitions since the sweep, however many clients the workspace has.
 */
export const enteredSinceSweep = (alias: string, stage: string, at: string) =>
  `stage_spells ${alias} INDEXED BY stage_spells_by_entry
   WHERE ${alias}.workspace_id = ?1 AND ${alias}.entered_ms > ${CLOCK} AND ${alias}.entered_ms <= ${at}
     AND ${alias}.stage = ${stage} AND ${stillOpen(alias, at)}`;

/**
 * Whether client `key` is in `stage` at `at` (ms), an SQL condition: through the flag when `at` is
 * at or after the sweep instant (one index probe per client, the spells entered since the sweep
 * read once), else through the client's spells (a past instant cannot use the flag).
 */
export const inStageAt = (key: string, stage: string, at: string) => `CASE WHEN ${at} >= ${CLOCK}
  THEN EXISTS (SELECT 1 FROM ${openSinceSweep('o', stage, at)} AND o.client_id = ${key})
    OR ${key} IN (SELECT e.client_id FROM ${enteredSinceSweep('e', stage, at)})
  ELSE EXISTS (SELECT 1 FROM stage_spells p WHERE p.workspace_id = ?1 AND p.client_id = ${key} AND p.stage = ${stage}
    AND +p.entered_ms <= ${at} AND ${stillOpen('p', at)}) END`;

/**
 * Sets the flag on the spells a write just inserted (`scope`: JSON rows [client id, first seq]),
 * relative to the sweep instant as it is in the same batch.
 */
export function flagInsertedSpellsStatement(
  db: D1Database,
  workspaceId: string,
  scope: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE stage_spells SET open_at_sweep = 1 WHERE workspace_id = ?1 AND (client_id, seq) IN (
         SELECT s.client_id, s.seq FROM json_each(?2) j
         CROSS JOIN stage_spells s ON s.workspace_id = ?1 AND s.client_id = j.value ->> 0 AND s.seq >= j.value ->> 1)
       AND entered_ms <= ${CLOCK} AND ${stillOpen('stage_spells', CLOCK)}`,
    )
    .bind(workspaceId, scope);
}

/**
 * The sweep's part (before it moves the clock to `toMs`, never backwards): the spells that left
 * since the sweep instant lose the flag, the ones entered since and still open at `toMs` get it.
 * Reads only the transitions between the two instants.
 */
export function sweepFlagStatements(
  db: D1Database,
  workspaceId: string,
  toMs: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE stage_spells SET open_at_sweep = NULL
         WHERE workspace_id = ?1 AND left_ms > ${CLOCK} AND left_ms <= ?2 AND open_at_sweep = 1`,
      )
      .bind(workspaceId, toMs),
    db
      .prepare(
        `UPDATE stage_spells SET open_at_sweep = 1
         WHERE workspace_id = ?1 AND entered_ms > ${CLOCK} AND entered_ms <= ?2 AND (left_ms IS NULL OR left_ms > ?2)`,
      )
      .bind(workspaceId, toMs),
  ];
}
