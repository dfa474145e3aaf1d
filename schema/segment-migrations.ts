import * as v from 'valibot';

/** The classifications a migration matrix can compare between two month-ends. */
export const MIGRATION_DIMENSIONS = ['stage', 'abc', 'xyz', 'rfm', 'type'] as const;
export const MigrationDimensionSchema = v.picklist(
  MIGRATION_DIMENSIONS,
  `must be one of ${MIGRATION_DIMENSIONS.join(', ')}`,
);

/**
 * One cell: the clients in class `from` at the end of the earlier month and in class `to` at the
 * end of the later one, with their revenue in the later window. `from` is null for clients that
 * did not exist yet, `to` null for clients erased since.
 */
export const MigrationCellSchema = v.object({
  from: v.nullable(v.string()),
  to: v.nullable(v.string()),
  clients: v.number(),
  revenue: v.number(),
});
export type MigrationCell = v.InferOutput<typeof MigrationCellSchema>;

/** A cell as the answer gives it: with the address of its clients' list. */
export const MigrationAnswerCellSchema = v.object({
  ...MigrationCellSchema.entries,
  /**
   * `GET /v1/clients?movedDimension=&movedFrom=&movedTo=&fromClass=&toClass=`: the clients in
   * the cell, paginated (secret key). An empty class is the null side.
   */
  list: v.string(),
});

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MonthSchema = v.pipe(v.string(), v.regex(MONTH, 'must be a month, YYYY-MM'));

/** `?dimension=&from=YYYY-MM&to=YYYY-MM`: the class at the end of month `from` against the end of `to`. */
export const MigrationQuerySchema = v.pipe(
  v.strictObject(
    { dimension: MigrationDimensionSchema, from: MonthSchema, to: MonthSchema },
    (issue) =>
      issue.expected === 'never'
        ? 'is not a known parameter'
        : issue.input === undefined
          ? 'is required'
          : issue.message,
  ),
  v.forward(
    v.partialCheck([['from'], ['to']], (q) => q.from < q.to, 'must be a later month than from'),
    ['to'],
  ),
);
export type MigrationQuery = v.InferOutput<typeof MigrationQuerySchema>;

/** While a month-end snapshot the matrix needs is computed: `202` with `Retry-After`. */
export const MigrationPendingSchema = v.object({
  status: v.literal('running'),
  /** The month-end snapshot runs to wait for (`GET /v1/snapshots/{id}`). */
  snapshots: v.array(v.string()),
});

/** The answer of `GET /v1/segments/migrations` (issue 12). */
export const MigrationMatrixSchema = v.object({
  dimension: MigrationDimensionSchema,
  /** The two month-ends compared, `YYYY-MM`. */
  from: v.string(),
  to: v.string(),
  computedAt: v.string(),
  cells: v.array(MigrationAnswerCellSchema),
  currency: v.optional(v.string()),
});
export type MigrationMatrix = v.InferOutput<typeof MigrationMatrixSchema>;
export type MigrationDimension = v.InferOutput<typeof MigrationDimensionSchema>;
