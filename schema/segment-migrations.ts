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

/** The answer of `GET /v1/segments/migrations` (issue 12). */
export const MigrationMatrixSchema = v.object({
  dimension: MigrationDimensionSchema,
  /** The two month-ends compared, `YYYY-MM`. */
  from: v.string(),
  to: v.string(),
  computedAt: v.string(),
  cells: v.array(MigrationCellSchema),
  currency: v.optional(v.string()),
});
export type MigrationMatrix = v.InferOutput<typeof MigrationMatrixSchema>;
