/**
 * The rollups a write moves by deltas: each one's key (after the workspace) and summed columns.
 * Most settle from signed scratch points (migration 0029): those of spells and marks from
 * `pending_spells` and `pending_marks` (rollups.ts), the segments' and the totals from
 * `pending_segment_points` (segment-rollups.ts). The cohort cells have a scratch twin
 * `pending_cohort_cells` with the same columns and no key (migration 0028).
 */
const ROLLUPS = {
  stage_flows: { keys: ['grain', 'bucket', 'stage'], sums: ['entries', 'exits'] },
  mark_flows: { keys: ['grain', 'bucket', 'kind', 'stage'], sums: ['n'] },
  stage_days: { keys: ['kind', 'stage', 'days'], sums: ['n'] },
  workspace_totals: {
    keys: [],
    sums: ['clients', 'buyers', 'orders', 'revenue_cents', 'revenue_sq'],
  },
  stage_day_blocks: { keys: ['level', 'block', 'kind', 'stage', 'key'], sums: ['n'] },
  cohort_cells: {
    keys: ['grain', 'cohort', 'period'],
    sums: ['clients', 'revenue_cents', 'margin_cents'],
  },
  segment_rollups: {
    keys: ['attr', 'kind', 'value'],
    sums: ['clients', 'acquired', 'developed', 'vanished', 'revenue_cents'],
  },
  segment_days: { keys: ['attr', 'kind', 'value', 'days'], sums: ['n'] },
} as const;

export type Rollup = keyof typeof ROLLUPS;

/**
 * The rollups with a scratch twin: those not settled from signed points (the spells and marks'
 * rollups from `pending_spells` and `pending_marks`, the segments' and the totals from
 * `pending_segment_points`).
 */
export type TwinnedRollup = 'cohort_cells';

const TWINNED: TwinnedRollup[] = ['cohort_cells'];

/** Every scratch table a batch fills and empties: the twins and the signed points. */
export const PENDING_TABLES = [
  ...TWINNED.map((rollup) => `pending_${rollup}`),
  'pending_spells',
  'pending_marks',
  'pending_segment_points',
];

const columnsOf = (rollup: Rollup) => [
  'workspace_id',
  ...ROLLUPS[rollup].keys,
  ...ROLLUPS[rollup].sums,
];

/**
 * `INSERT INTO pending_<rollup> (columns)`: the head of a delta statement, whose SELECT yields the
 * workspace, the key and the signed sums, in the rollup's column order. The rollup itself moves
 * when the batch settles (settleRollupStatements, rollups.ts).
 */
export const pendingInsert = (rollup: TwinnedRollup) =>
  `INSERT INTO pending_${rollup} (${columnsOf(rollup).join(', ')})`;

/**
 * `INSERT INTO <rollup> (columns)` with `tail` the clause that adds `excluded` to the row on its
 * key: wrap a SELECT of the workspace, the key and the sums, for a write straight into the
 * rollup (the sweep's).
 */
export function rollupUpsert(rollup: Rollup): { head: string; tail: string } {
  const { keys, sums } = ROLLUPS[rollup];
  return {
    head: `INSERT INTO ${rollup} (${columnsOf(rollup).join(', ')})`,
    tail: `ON CONFLICT (${['workspace_id', ...keys].join(', ')}) DO UPDATE SET ${sums
      .map((s) => `${s} = ${s} + excluded.${s}`)
      .join(', ')}`,
  };
}

/**
 * Adds to each twinned rollup the net change of each of its keys, where it is not zero (a
 * continuing client's minus and plus mostly cancel), and empties the twins. Part of
 * settleRollupStatements (rollups.ts), which ends every batch that wrote deltas.
 */
export function settleTwinStatements(db: D1Database): D1PreparedStatement[] {
  return TWINNED.flatMap((rollup) => {
    const { keys, sums } = ROLLUPS[rollup];
    const group = ['workspace_id', ...keys].join(', ');
    const { head, tail } = rollupUpsert(rollup);
    return [
      db.prepare(
        `${head} SELECT ${group}, ${sums.map((s) => `SUM(${s})`).join(', ')} FROM pending_${rollup}
         WHERE true GROUP BY ${group} HAVING ${sums.map((s) => `SUM(${s}) <> 0`).join(' OR ')} ${tail}`,
      ),
      db.prepare(`DELETE FROM pending_${rollup}`),
    ];
  });
}
