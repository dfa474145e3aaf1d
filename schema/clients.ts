import * as v from 'valibot';
import { ReasonSchema } from './reasons.ts';
import { IdSchema, MoneySchema, NameSchema, ShortTextSchema } from './common.ts';
import { StageSchema } from './lifecycle.ts';
import { MigrationDimensionSchema, MonthSchema } from './segment-migrations.ts';
import { ABC_CLASSES, XYZ_CLASSES } from './segments.ts';

const AttributeValueSchema = v.union([
  v.pipe(v.string(), v.maxLength(200, 'must be at most 200 characters')),
  v.pipe(v.number(), v.finite('must be a finite number')),
  v.boolean(),
  v.null(),
]);

/** Free attributes for segmenting; the well-known ones are named so integrators find them. */
export const ClientAttributesSchema = v.pipe(
  v.objectWithRest(
    {
      channel: v.optional(AttributeValueSchema),
      industry: v.optional(AttributeValueSchema),
      region: v.optional(AttributeValueSchema),
      size: v.optional(AttributeValueSchema),
      manager: v.optional(AttributeValueSchema),
    },
    AttributeValueSchema,
  ),
  v.check((a) => Object.keys(a).length <= 50, 'must have at most 50 attributes'),
  v.check(
    (a) => Object.keys(a).every((k) => k.length >= 1 && k.length <= 64),
    'attribute names must be 1 to 64 characters',
  ),
);
export type ClientAttributes = v.InferOutput<typeof ClientAttributesSchema>;

export const TagListSchema = v.pipe(
  v.array(v.pipe(ShortTextSchema, v.minLength(1, 'must not be empty'))),
  v.maxLength(50, 'must have at most 50 tags'),
);

export const ClientUpsertSchema = v.strictObject({
  name: v.optional(NameSchema),
  attributes: v.optional(ClientAttributesSchema),
  tags: v.optional(TagListSchema),
  /** Types the data cannot tell (status, lead user, competitor's…), set by hand. */
  manualTypes: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
      v.maxLength(20, 'must have at most 20 types'),
    ),
  ),
  acquisitionCost: v.optional(MoneySchema),
});
export type ClientUpsert = v.InferOutput<typeof ClientUpsertSchema>;

export const PeriodBucketSchema = v.object({
  /** Calendar month, `YYYY-MM` (UTC). */
  period: v.string(),
  revenue: v.number(),
  margin: v.number(),
  orders: v.number(),
});
export type PeriodBucket = v.InferOutput<typeof PeriodBucketSchema>;

/**
 * Per-client aggregates, maintained on ingestion from the client's events, so that reads never
 * rescan the event log. Every segmentation rule reads these.
 */
export const ClientAggregatesSchema = v.object({
  events: v.number(),
  firstEventAt: v.nullable(v.string()),
  lastEventAt: v.nullable(v.string()),
  orders: v.number(),
  /** Distinct UTC days with a purchase: the transactions of the BG/NBD literature. */
  purchaseDays: v.number(),
  revenue: v.number(),
  /** Sum of purchase margins; purchases without a margin count as 0. */
  margin: v.number(),
  ordersWithMargin: v.number(),
  negativeMarginOrders: v.number(),
  discountedOrders: v.number(),
  /** Mean discount share over the purchases that carried one. */
  averageDiscount: v.nullable(v.number()),
  firstPurchaseAt: v.nullable(v.string()),
  lastPurchaseAt: v.nullable(v.string()),
  /** Revenue of the first purchase day: the spend model averages the repeat transactions only. */
  firstPurchaseDayRevenue: v.number(),
  /** When the client first reached the model's "developed"/"retention" stage, if ever. */
  firstDevelopedAt: v.nullable(v.string()),
  medianGapDays: v.nullable(v.number()),
  maxOrderAmount: v.number(),
  /** First purchase date per product name: pioneers are the first buyers of a new product. */
  productFirstPurchase: v.record(v.string(), v.string()),
  outreaches: v.number(),
  responses: v.number(),
  requests: v.number(),
  interests: v.number(),
  lastInterestAt: v.nullable(v.string()),
  interestRecheckAt: v.nullable(v.string()),
  meetings: v.number(),
  offers: v.number(),
  refusals: v.number(),
  lastRefusal: v.nullable(
    v.object({ at: v.string(), by: v.string(), reason: v.string(), kind: v.nullable(v.string()) }),
  ),
  purchasesRefusedByClient: v.number(),
  purchasesRefusedByUs: v.number(),
  payments: v.number(),
  latePayments: v.number(),
  maxDaysLate: v.number(),
  contacts: v.number(),
  positiveContacts: v.number(),
  negativeContacts: v.number(),
  lastContactAt: v.nullable(v.string()),
  lastPositiveContactAt: v.nullable(v.string()),
  lastNegativeContactAt: v.nullable(v.string()),
  complaints: v.number(),
  reviews: v.number(),
  positiveReviews: v.number(),
  negativeReviews: v.number(),
  referrals: v.number(),
  lastReferralAt: v.nullable(v.string()),
  eventTags: v.array(v.string()),
  reactivations: v.number(),
  /** The last time we touched the client ourselves: a contact, meeting, outreach or offer. */
  lastTouchAt: v.nullable(v.string()),
  /** Per work-list kind, when an item of that kind was last marked done (`action_done` events). */
  actionsDone: v.record(v.string(), v.string()),
});
export type ClientAggregates = v.InferOutput<typeof ClientAggregatesSchema>;

export const ClientTypeEntrySchema = v.object({
  type: v.string(),
  /** `derived` from the data, or `manual`. */
  source: v.picklist(['derived', 'manual']),
  reasons: v.array(ReasonSchema),
});

/** A client as stored and as the profile shows it before segmentation adds its classes. */
export const ClientSchema = v.object({
  id: IdSchema,
  name: v.nullable(v.string()),
  attributes: v.record(v.string(), v.unknown()),
  tags: v.array(v.string()),
  manualTypes: v.array(v.string()),
  acquisitionCost: v.nullable(v.number()),
  createdAt: v.string(),
  updatedAt: v.string(),
  stage: v.nullable(StageSchema),
  stageSince: v.nullable(v.string()),
});
export type Client = v.InferOutput<typeof ClientSchema>;

export const CLIENT_SORTS = ['id', 'name', 'revenue', 'lastPurchase'] as const;
const filterText = (max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, `must be 1 to ${max} characters`),
      v.maxLength(max, `must be 1 to ${max} characters`),
    ),
  );

export const ClientListQuerySchema = v.strictObject({
  stage: v.optional(StageSchema),
  type: filterText(64),
  /** Class filters: read from the latest snapshot of the classes. */
  abc: v.optional(v.picklist(ABC_CLASSES, 'must be A, B or C')),
  xyz: v.optional(v.picklist(XYZ_CLASSES, 'must be X, Y or Z')),
  rfm: filterText(64),
  manager: filterText(128),
  /**
   * One cell of a migration matrix (`GET /v1/segments/migrations`): the clients in class
   * `fromClass` at the end of month `movedFrom` and in `toClass` at the end of `movedTo`. An empty
   * class is the matrix's null side (not a client yet / gone since). All five go together.
   */
  movedDimension: v.optional(MigrationDimensionSchema),
  movedFrom: v.optional(MonthSchema),
  movedTo: v.optional(MonthSchema),
  fromClass: v.optional(v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'))),
  toClass: v.optional(v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'))),
  sort: v.optional(v.picklist(CLIENT_SORTS, `must be one of ${CLIENT_SORTS.join(', ')}`), 'id'),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'must be a whole number from 1 to 500'),
      v.transform(Number),
      v.minValue(1, 'must be a whole number from 1 to 500'),
      v.maxValue(500, 'must be a whole number from 1 to 500'),
    ),
    '50',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512, 'is not a valid cursor'))),
});

/**
 * Everything segmentation and valuation read about one client: the stored client, its maintained
 * aggregates and its monthly buckets. Built from D1 rows by the worker, consumed by pure `core/`.
 */
export const ClientSnapshotSchema = v.object({
  ...ClientSchema.entries,
  aggregates: ClientAggregatesSchema,
  periods: v.array(PeriodBucketSchema),
});
export type ClientSnapshot = v.InferOutput<typeof ClientSnapshotSchema>;
