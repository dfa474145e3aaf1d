import * as v from 'valibot';
import { SegmentSettingsSchema } from './segments.ts';

/**
 * Snapshots: the job that computes the portfolio-relative classes (ABC, XYZ, RFM scores, client
 * types) chunk by chunk and stores them with their counts, so that widgets read classes instead
 * of classifying the whole portfolio inside a request.
 */
export const SNAPSHOT_STATUSES = ['running', 'done', 'failed'] as const;
export const SNAPSHOT_KINDS = ['current', 'month_end'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** No step of the job reads or writes more clients than this. */
export const SNAPSHOT_CHUNK = 10_000;

const d = <T extends v.GenericSchema>(schema: T, text: string) =>
  v.pipe(schema, v.description(text));

export const SnapshotAcceptedSchema = v.object({
  id: v.string(),
  status: v.picklist(SNAPSHOT_STATUSES),
});

export const SnapshotSchema = v.object({
  id: v.string(),
  status: v.picklist(SNAPSHOT_STATUSES),
  kind: d(
    v.picklist(SNAPSHOT_KINDS),
    '`current` (hourly or on demand) or `month_end` (as of the first instant of a month, kept as history)',
  ),
  asOf: d(v.string(), 'The instant the classes describe'),
  computedAt: d(
    v.nullable(v.string()),
    'When the classes became readable (the run finished); null while running or failed',
  ),
  clients: d(v.number(), 'Clients classified so far'),
  error: v.nullable(v.string()),
});
export type Snapshot = v.InferOutput<typeof SnapshotSchema>;

/** Where a quintile score starts and ends on its figure: all values in [min, max] score `score`. */
export const QuantileEdgeSchema = v.object({ score: v.number(), min: v.number(), max: v.number() });
export type QuantileEdge = v.InferOutput<typeof QuantileEdgeSchema>;

const CutSchema = v.nullable(v.object({ cut: v.number(), count: v.number() }));

/** What the whole portfolio contributes to each client's classes, found once per run. */
export const SnapshotEdgesSchema = v.object({
  /** Σ of the ABC measure (cents) over the clients with a positive one, and how many they are. */
  abcTotalCents: v.number(),
  abcClients: v.number(),
  /** Clients with revenue in the types' window. */
  buyers: v.number(),
  top: CutSchema,
  superRevenue: CutSchema,
  superOrders: CutSchema,
  medianWindowCheck: v.nullable(v.number()),
  medianCheck: v.nullable(v.number()),
  rfm: v.object({
    buyers: v.number(),
    r: v.array(QuantileEdgeSchema),
    f: v.array(QuantileEdgeSchema),
    m: v.array(QuantileEdgeSchema),
  }),
});
export type SnapshotEdges = v.InferOutput<typeof SnapshotEdgesSchema>;

/** A run's own state, stored with it between chunks. */
export const SnapshotStateSchema = v.object({
  settings: SegmentSettingsSchema,
  /** Clients per step: SNAPSHOT_CHUNK, smaller only in tests (to see many chunks). */
  chunk: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(SNAPSHOT_CHUNK)),
    SNAPSHOT_CHUNK,
  ),
  /** Running sums of the measure pass, in client-id order as a whole-portfolio pass would add them. */
  totalRevenue: v.optional(v.number(), 0),
  totalMargin: v.optional(v.number(), 0),
  productFirstSale: v.optional(v.record(v.string(), v.string()), {}),
  firstSale: v.optional(v.nullable(v.string()), null),
  edges: v.optional(SnapshotEdgesSchema),
  /** The classify pass walks the ABC order: how many ranked and their measure so far (cents). */
  ranked: v.optional(v.number(), 0),
  aboveCents: v.optional(v.number(), 0),
});
export type SnapshotState = v.InferOutput<typeof SnapshotStateSchema>;

export const SNAPSHOT_STEPS = ['measure', 'edges', 'classify', 'purge'] as const;
export type SnapshotStep = (typeof SNAPSHOT_STEPS)[number];

/** One queue message: do this step of this run from this keyset position. */
export const SnapshotMessageSchema = v.object({
  workspaceId: v.string(),
  snapshotId: v.string(),
  step: v.picklist(SNAPSHOT_STEPS),
  position: v.string(),
});
export type SnapshotMessage = v.InferOutput<typeof SnapshotMessageSchema>;
