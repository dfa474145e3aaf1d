import * as v from 'valibot';
import { numberSetting, stringListSetting, wholeSetting } from './fields.ts';
import { ReasonSchema } from './reasons.ts';
import { InstantSchema } from './common.ts';
import { StageModelSchema, StageSchema } from './lifecycle.ts';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export const XYZ_CLASSES = ['X', 'Y', 'Z'] as const;
export const MATRIX_CELLS = ['AX', 'AY', 'AZ', 'BX', 'BY', 'BZ', 'CX', 'CY', 'CZ'] as const;
export type MatrixCell = (typeof MATRIX_CELLS)[number];
export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };
export const MEASURES = ['revenue', 'margin'] as const;
export type Measure = (typeof MEASURES)[number];

/** The client types of docs/domain.md 3, in the order a profile lists them. */
export const CLIENT_TYPES = [
  'golden',
  'super_consumer',
  'loyal',
  'pioneer',
  'lead_user',
  'status',
  'fan',
  'small_fry',
  'bad',
  'sleeping',
  'inquirer',
  'near_client',
  'false_client',
  'potential',
  'competitors',
] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** Clients without a purchase: the RFM segment no score rule can reach. */
export const RFM_PROSPECTS = 'prospects';

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const tagList = (fallback: string[]) =>
  stringListSetting(fallback, {
    length: 200,
    entries: 50,
    empty: 'must not be empty',
    tooLong: 'must be at most 200 characters',
  });

const AbcSettingsSchema = v.pipe(
  v.strictObject({
    /** A client is A while the share of the clients ranked above it is below this… */
    a: numberSetting(0.8, 0.01, 1),
    /** …and B while it is below this; C otherwise (docs/domain.md 2: 80 / 15 / 5). */
    b: numberSetting(0.95, 0.01, 1),
  }),
  v.forward(
    v.check((s) => s.a < s.b, 'must be greater than a'),
    ['b'],
  ),
);

const XyzSettingsSchema = v.pipe(
  v.strictObject({
    /** X when the coefficient of variation is at most this (docs/domain.md 2: 10%)… */
    x: numberSetting(0.1, 0, 10),
    /** …Y when at most this (25%), Z above. */
    y: numberSetting(0.25, 0, 10),
  }),
  v.forward(
    v.check((s) => s.x < s.y, 'must be greater than x'),
    ['y'],
  ),
);

const ScoreRangeSchema = (what: string) =>
  v.pipe(
    v.tuple([
      v.pipe(
        v.number(),
        v.finite(),
        v.minValue(1, `${what} scores run from 1 to 5`),
        v.maxValue(5, `${what} scores run from 1 to 5`),
      ),
      v.pipe(
        v.number(),
        v.finite(),
        v.minValue(1, `${what} scores run from 1 to 5`),
        v.maxValue(5, `${what} scores run from 1 to 5`),
      ),
    ]),
    v.check(([lo, hi]) => lo <= hi, 'must be [min, max] with min at most max'),
  );

export const RfmRuleSchema = v.strictObject({
  segment: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9_]{1,64}$/, 'must be 1 to 64 lowercase letters, digits or underscores'),
    v.check((s) => s !== RFM_PROSPECTS, `is reserved for clients without a purchase`),
  ),
  /** Recency score range, inclusive. */
  r: ScoreRangeSchema('R'),
  /** Range of (F + M) / 2, inclusive: the frequency and monetary scores averaged. */
  fm: ScoreRangeSchema('FM'),
});
export type RfmRule = v.InferOutput<typeof RfmRuleSchema>;

/** Every R score and every FM value, 1 to 5 in steps of 0.5. */
const RFM_CELLS = [1, 2, 3, 4, 5].flatMap((r) =>
  [2, 3, 4, 5, 6, 7, 8, 9, 10].map((fm2) => ({ r, fm: fm2 / 2 })),
);
export const matchRfmRule = (
  rules: readonly RfmRule[],
  r: number,
  fm: number,
): RfmRule | undefined =>
  rules.find((x) => r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1]);
export const uncoveredRfmCells = (rules: readonly RfmRule[]) =>
  RFM_CELLS.filter((c) => !matchRfmRule(rules, c.r, c.fm));

/**
 * Shopify's eleven RFM groups, ten of them placed on the usual grid of R against FM = (F + M) / 2
 * after Shopify's own descriptions ("very recent" = R 5, "recent" = R 3–4, "without recent" =
 * R 1–2; "few orders, low spend" = FM up to 2, "some, moderate" = 2.5–3.5, "many, the most" = 4
 * and up). The eleventh, prospects, holds the clients with no order. Rules apply in order; the
 * preset covers every cell exactly once.
 */
export const RFM_PRESET: v.InferInput<typeof RfmRuleSchema>[] = [
  { segment: 'champions', r: [5, 5], fm: [4, 5] },
  { segment: 'loyal', r: [3, 4], fm: [4, 5] },
  { segment: 'active', r: [4, 5], fm: [2.5, 3.5] },
  { segment: 'needs_attention', r: [3, 3], fm: [2.5, 3.5] },
  { segment: 'new', r: [5, 5], fm: [1, 2] },
  { segment: 'promising', r: [3, 4], fm: [1, 2] },
  { segment: 'previously_loyal', r: [1, 2], fm: [4, 5] },
  { segment: 'at_risk', r: [1, 2], fm: [2.5, 3.5] },
  { segment: 'almost_lost', r: [2, 2], fm: [1, 2] },
  { segment: 'dormant', r: [1, 1], fm: [1, 2] },
];
export const RFM_SEGMENTS = [...RFM_PRESET.map((r) => r.segment), RFM_PROSPECTS];

const RfmSettingsSchema = v.strictObject({
  rules: v.optional(
    v.pipe(
      v.array(RfmRuleSchema),
      v.minLength(1, 'must hold at least one rule'),
      v.maxLength(50, 'must hold at most 50 rules'),
      v.rawCheck(({ dataset, addIssue }) => {
        // A malformed rule is reported on its own; the coverage it breaks would only repeat it.
        if (!dataset.typed || dataset.issues) return;
        const gaps = uncoveredRfmCells(dataset.value);
        if (gaps.length > 0) {
          const shown = gaps
            .slice(0, 6)
            .map((c) => `R${c.r} FM${c.fm}`)
            .join(', ');
          addIssue({
            message: `must give every R (1–5) and FM (1–5 in steps of 0.5) a segment; uncovered: ${shown}${gaps.length > 6 ? ` and ${gaps.length - 6} more` : ''}`,
          });
        }
      }),
    ),
    RFM_PRESET,
  ),
});

const KeyClientSettingsSchema = v.strictObject({
  /**
   * A client bringing at least this share of the window's revenue is key. 10%: the source puts a
   * key client at 10–50% of profit; a tenth of turnover is the same weight on the sales side.
   */
  revenueShare: numberSetting(0.1, 0.001, 1),
  /** …or at least this share of the window's margin (the low end of the source's 10–50% of profit). */
  marginShare: numberSetting(0.1, 0.001, 1),
  /**
   * …or ranks in this top share of the buyers by revenue (at least the first one; 0 turns the rank
   * rule off). 1%: in a shop with thousands of buyers nobody reaches 10%, yet its top hundredth is
   * what "golden" means there.
   */
  topShare: numberSetting(0.01, 0, 1),
});

const TypeSettingsSchema = v.strictObject({
  pioneer: v.optional(
    v.strictObject({
      /** Bought a product within this many days of its first sale. A month is the launch window of a campaign. */
      windowDays: wholeSetting(30, 0, 3650),
      /**
       * A product counts as new only if its first sale came this long after the workspace's first
       * sale: products on sale from the start of the data were not "new" to anyone (imported history).
       */
      newProductAfterDays: wholeSetting(90, 0, 3650),
    }),
    {},
  ),
  fan: v.optional(
    v.strictObject({
      /** One referral is already advocacy: the client put its name on us. */
      minReferrals: wholeSetting(1, 1, 1000),
      /** Two good reviews (rating 4–5): one may be politeness, two is a habit of praise. */
      minPositiveReviews: wholeSetting(2, 1, 1000),
    }),
    {},
  ),
  bad: v.optional(
    v.strictObject({
      /** Late payments fire at this many late payments and this share of payments late… */
      minLatePayments: wholeSetting(2, 1, 1000),
      latePaymentShare: numberSetting(0.3, 0, 1),
      /** …or at once when one payment was this many days late (two months of receivables). */
      seriousDaysLate: wholeSetting(60, 1, 3650),
      /** Deals at a loss fire at this share of the orders with a margin, or when the total margin is negative. */
      lossOrderShare: numberSetting(0.25, 0, 1),
      /** "Always dissatisfied": at least this many complaints and this many per order (one every second order). */
      minComplaints: wholeSetting(2, 1, 1000),
      complaintsPerOrder: numberSetting(0.5, 0, 100),
      /** Negative contacts: at least this many, and at least this share of all contacts. */
      minNegativeContacts: wholeSetting(3, 1, 1000),
      negativeContactShare: numberSetting(0.5, 0, 1),
      /** "Leaves for any lower price": at least this many orders, this share of them discounted. */
      minDiscountedOrders: wholeSetting(3, 1, 1000),
      discountedOrderShare: numberSetting(0.8, 0, 1),
      /** "Steals our time": at least this many contacts and this many contacts per order. */
      minContacts: wholeSetting(10, 1, 100000),
      contactsPerOrder: numberSetting(10, 0, 100000),
      /** "Discredits us": this many bad reviews (rating 1–2). */
      minNegativeReviews: wholeSetting(2, 1, 1000),
      /** Tags (client tags or tag events) that mark the signals the data cannot see: rudeness and the like. */
      tags: tagList(['bad', 'rude', 'abusive', 'discredits']),
    }),
    {},
  ),
  loyal: v.optional(
    v.strictObject({
      /** With us at least a year: the shortest span over which "for long" means anything. */
      minTenureDays: wholeSetting(365, 1, 36500),
      /** At least four purchase days: one more than the default "developed" order, so a rhythm exists. */
      minPurchaseDays: wholeSetting(4, 2, 100000),
      /** Still on its rhythm: the last purchase no older than this many median gaps (half the sleeping rule's 3). */
      maxGapMultiple: numberSetting(2, 0.5, 50),
      /** …but never less than this: a daily buyer who skips a week is still a regular. */
      graceDays: wholeSetting(30, 0, 3650),
    }),
    {},
  ),
  superConsumer: v.optional(
    v.strictObject({
      /** In the top fifth of the buyers by the window's revenue and by its orders (the Pareto fifth). */
      topShare: numberSetting(0.2, 0.001, 1),
      /** Average check above this multiple of the median buyer's ("at high prices"). */
      minCheckRatio: numberSetting(1, 0, 100),
    }),
    {},
  ),
  smallFry: v.optional(
    v.strictObject({
      /** Average check below this multiple of the median buyer's: half the typical check is clearly small. */
      maxCheckRatio: numberSetting(0.5, 0, 1),
    }),
    {},
  ),
  falseClient: v.optional(
    v.strictObject({
      /** Meetings, offers and deferred "interest" results without a purchase: three promises is a pattern. */
      minPromises: wholeSetting(3, 1, 1000),
      /** …over at least two months since the first event: shorter is just a long sale. */
      minDays: wholeSetting(60, 0, 3650),
    }),
    {},
  ),
  /** Tags that set the types the data cannot tell. */
  leadUserTags: tagList(['lead_user']),
  statusTags: tagList(['status']),
  competitorTags: tagList(['competitor', 'competitors']),
  /** Words in the last refusal's reason that say the client buys elsewhere. */
  competitorKeywords: tagList(['competitor', 'конкурент']),
});

const PortfolioSettingsSchema = v.strictObject({
  /** A client above this share of revenue or margin is a mono-client (docs/domain.md 2: more than 50%). */
  monoClientShare: numberSetting(0.5, 0.01, 1),
  /** Gold is a key client with a long relationship: at least a year since its first purchase. */
  goldMinTenureDays: wholeSetting(365, 0, 36500),
  /** Silver includes B clients whose revenue in the window's second half beats the first by this much (+50%). */
  silverGrowth: numberSetting(0.5, 0, 100),
  /** "Everything rests on regulars": regulars bring at least this share of revenue (the A threshold)… */
  regularsRevenueShare: numberSetting(0.8, 0, 1),
  /** …while fewer than this share of clients are being attracted (prospects and potential clients). */
  pipelineMinShare: numberSetting(0.1, 0, 1),
  /** Warn when more than this share of the clients who ever bought are asleep. */
  sleepingShare: numberSetting(0.3, 0, 1),
  /** Stages that must not be empty; lost and sleeping are fine empty. Only the workspace model's count. */
  balanceStages: v.optional(v.array(StageSchema), [
    'prospect',
    'potential',
    'developing',
    'developed',
    'awareness',
    'acquisition',
    'conversion',
    'retention',
  ]),
});

/** Thresholds of ABC-XYZ, RFM, client types and the portfolio checks. `{}` parses to the defaults. */
export const SegmentSettingsSchema = v.strictObject({
  /**
   * The trailing window, in whole calendar months before `asOf`, over which key clients, golden
   * and super-consumer clients and the portfolio measure revenue: a year evens out seasons.
   */
  windowMonths: wholeSetting(12, 1, 120),
  /** Hours between two snapshots of the classes (the hourly cron starts one when it is due). */
  snapshotEveryHours: wholeSetting(1, 1, 168, 'hours'),
  abc: v.optional(AbcSettingsSchema, {}),
  xyz: v.optional(XyzSettingsSchema, {}),
  rfm: v.optional(RfmSettingsSchema, {}),
  keyClients: v.optional(KeyClientSettingsSchema, {}),
  types: v.optional(TypeSettingsSchema, {}),
  portfolio: v.optional(PortfolioSettingsSchema, {}),
});
export type SegmentSettings = v.InferOutput<typeof SegmentSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Query strings: raw strings in, typed values out
// ---------------------------------------------------------------------------------------------

export const MAX_WINDOW_MONTHS = 120;

/** A query string object: unknown parameters and missing required ones are named as such. */
const queryObject = <const E extends v.ObjectEntries>(entries: E) =>
  v.strictObject(entries, (issue) =>
    issue.expected === 'never'
      ? 'is not a known parameter'
      : issue.input === undefined
        ? 'is required'
        : issue.message,
  );

/** `YYYY-MM`, `YYYY-MM-01` or an ISO instant that is midnight UTC on the first of a month. */
const MonthStartSchema = v.pipe(
  v.string(),
  v.transform((s) => (/^\d{4}-\d{2}$/.test(s) ? `${s}-01` : s)),
  InstantSchema,
  v.check(
    (s) => s.endsWith('-01T00:00:00.000Z'),
    'must be the first day of a month (UTC), e.g. 2024-01-01: buckets are monthly',
  ),
);

const monthIndexOf = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/** How many clients a widget answer lists at most (one page; `nextCursor` leads on). */
const PageLimitSchema = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d{1,4}$/, 'must be a whole number from 1 to 500'),
    v.transform(Number),
    v.minValue(1, 'must be a whole number from 1 to 500'),
    v.maxValue(500, 'must be a whole number from 1 to 500'),
  ),
  '100',
);
const PageCursorSchema = v.optional(v.pipe(v.string(), v.maxLength(512, 'is not a valid cursor')));

export const AbcXyzQuerySchema = v.pipe(
  queryObject({
    limit: PageLimitSchema,
    cursor: PageCursorSchema,
    /** Window start, inclusive; default: 12 whole months before `to`. */
    from: v.optional(MonthStartSchema),
    /** Window end, exclusive; default: the first day of the current month (UTC). */
    to: v.optional(MonthStartSchema),
    period: v.optional(v.picklist(PERIODS, 'must be month, quarter or year'), 'month'),
    measure: v.optional(v.picklist(MEASURES, 'must be revenue or margin'), 'revenue'),
  }),
  v.forward(
    v.partialCheck(
      [['from'], ['to']],
      (q) => !q.from || !q.to || q.from < q.to,
      'must be after from',
    ),
    ['to'],
  ),
  v.forward(
    v.partialCheck(
      [['from'], ['to']],
      (q) =>
        !q.from ||
        !q.to ||
        q.from >= q.to ||
        monthIndexOf(q.to) - monthIndexOf(q.from) <= MAX_WINDOW_MONTHS,
      `must be at most ${MAX_WINDOW_MONTHS} months after from`,
    ),
    ['to'],
  ),
  v.forward(
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const { from, to, period } = dataset.value;
      if (!from || !to || from >= to) return;
      const months = monthIndexOf(to) - monthIndexOf(from);
      if (months % PERIOD_MONTHS[period] !== 0) {
        addIssue({
          message: `must leave a whole number of ${period}s after from: the window holds ${months} months`,
        });
      }
    }),
    ['to'],
  ),
);
export type AbcXyzQuery = v.InferOutput<typeof AbcXyzQuerySchema>;

export const RfmQuerySchema = queryObject({
  limit: PageLimitSchema,
  cursor: PageCursorSchema,
  /** The instant recency is measured at; default: now. */
  asOf: v.optional(InstantSchema),
});
export type RfmQuery = v.InferOutput<typeof RfmQuerySchema>;

export const TypesQuerySchema = queryObject({ asOf: v.optional(InstantSchema) });
export type TypesQuery = v.InferOutput<typeof TypesQuerySchema>;

export const PortfolioQuerySchema = queryObject({
  asOf: v.optional(InstantSchema),
  /** Page size of the key clients and of the tiers' clients. */
  limit: PageLimitSchema,
  cursor: PageCursorSchema,
  /** Revenue window in whole calendar months before `asOf`; default: the workspace's `segments.windowMonths`. */
  months: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_WINDOW_MONTHS}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${MAX_WINDOW_MONTHS}`),
      v.maxValue(MAX_WINDOW_MONTHS, `must be a whole number from 1 to ${MAX_WINDOW_MONTHS}`),
    ),
  ),
});
export type PortfolioQuery = v.InferOutput<typeof PortfolioQuerySchema>;

export const CONVERSION_SORTS = [
  'acquired',
  'developedShare',
  'vanishedShare',
  'averageRevenue',
  'value',
] as const;
export const ConversionQuerySchema = queryObject({
  /** The client attribute to segment by: channel, industry, region, size or any other. */
  by: v.pipe(
    v.string('must be text'),
    v.minLength(1, 'must be 1 to 64 characters'),
    v.maxLength(64, 'must be 1 to 64 characters'),
  ),
  sort: v.optional(
    v.picklist(CONVERSION_SORTS, `must be one of ${CONVERSION_SORTS.join(', ')}`),
    'acquired',
  ),
});
export type ConversionQuery = v.InferOutput<typeof ConversionQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const d = <T extends v.GenericSchema>(schema: T, text: string) =>
  v.pipe(schema, v.description(text));
const cellRecord = <T extends v.GenericSchema>(schema: T) =>
  v.object(Object.fromEntries(MATRIX_CELLS.map((c) => [c, schema])) as Record<MatrixCell, T>);

export const AbcXyzClientSchema = v.object({
  id: v.string(),
  rank: d(v.number(), '1 for the client with the highest measured value; ties ordered by id'),
  abc: v.picklist(ABC_CLASSES),
  xyz: v.picklist(XYZ_CLASSES),
  value: d(v.number(), 'The measured figure in the window: revenue or margin, as `measure` says'),
  revenue: d(v.number(), 'Revenue in the window, whatever the measure'),
  margin: d(v.number(), 'Margin in the window, whatever the measure'),
  share: d(v.number(), "The client's share of the window's total measured value"),
  cumulativeShare: d(v.number(), 'Share of the clients ranked at or above this one'),
  cv: d(
    v.number(),
    'Coefficient of variation of the measure per period: population standard deviation / mean',
  ),
});

export const AbcXyzResultSchema = v.object({
  from: d(v.string(), 'Window start, inclusive'),
  to: d(v.string(), 'Window end, exclusive'),
  period: v.picklist(PERIODS),
  periods: d(v.number(), 'Number of periods in the window'),
  measure: v.picklist(MEASURES),
  total: d(v.number(), 'Sum of the measured value over the classified clients'),
  excluded: d(
    v.number(),
    'Clients of the workspace left out because their measured value in the window is not positive',
  ),
  thresholds: v.object({ a: v.number(), b: v.number(), x: v.number(), y: v.number() }),
  clients: d(v.array(AbcXyzClientSchema), 'Clients with a positive measured value, best first'),
  matrix: d(cellRecord(v.number()), 'Client count per cell, all nine cells'),
  cells: d(
    cellRecord(
      v.object({
        count: v.number(),
        revenue: v.number(),
        margin: v.number(),
        value: v.number(),
        share: v.number(),
      }),
    ),
    'Per cell: clients, their revenue and margin, the measured value and its share of the total',
  ),
});
export type AbcXyzResult = v.InferOutput<typeof AbcXyzResultSchema>;

/** What a list answer adds: the page, where the classes come from, the money's currency. */
const answerEntries = {
  computedAt: d(
    v.string(),
    'When the classes were computed: the snapshot that finished last (`POST /v1/snapshots`), or this request for a window or instant other than the snapshot’s, computed on the spot',
  ),
  nextCursor: d(v.nullable(v.string()), 'Pass back as `cursor` for the next page; null at the end'),
  currency: d(v.string(), "The workspace's currency (ISO 4217) for every amount"),
};
const named = { name: d(v.nullable(v.string()), "The client's name") };

export const AbcXyzAnswerSchema = v.object({
  ...AbcXyzResultSchema.entries,
  ...answerEntries,
  clients: d(
    v.array(v.object({ ...AbcXyzClientSchema.entries, ...named })),
    'One page (at most `limit`) of the clients with a positive measured value, best first',
  ),
});
export type AbcXyzAnswer = v.InferOutput<typeof AbcXyzAnswerSchema>;
export type AbcXyzClient = v.InferOutput<typeof AbcXyzClientSchema>;

export const RfmClientSchema = v.object({
  id: v.string(),
  r: d(v.nullable(v.number()), 'Recency score 1–5 (5 = most recent); null without a purchase'),
  f: d(v.nullable(v.number()), 'Frequency score 1–5 (5 = most orders)'),
  m: d(v.nullable(v.number()), 'Monetary score 1–5 (5 = highest spend)'),
  segment: v.string(),
  recencyDays: d(v.nullable(v.number()), 'Whole days from the last purchase to asOf'),
  frequency: d(v.number(), 'Orders'),
  monetary: d(v.number(), 'Revenue'),
});
export const RfmResultSchema = v.object({
  asOf: v.string(),
  clients: d(v.array(RfmClientSchema), 'Buyers best first (by R, F, M), then prospects'),
  segments: d(
    v.record(v.string(), v.number()),
    'Client count per segment, every segment of the rules and prospects',
  ),
});
export type RfmResult = v.InferOutput<typeof RfmResultSchema>;

export const RfmAnswerSchema = v.object({
  ...RfmResultSchema.entries,
  ...answerEntries,
  clients: d(
    v.array(v.object({ ...RfmClientSchema.entries, ...named })),
    'One page (at most `limit`): buyers best first (by R, F, M), then prospects',
  ),
});
export type RfmAnswer = v.InferOutput<typeof RfmAnswerSchema>;
export type RfmClient = v.InferOutput<typeof RfmClientSchema>;

export const TypeCountSchema = v.object({
  type: v.string(),
  count: d(v.number(), 'Clients carrying the type'),
  derived: d(v.number(), 'Of them, derived from the data'),
  manual: d(v.number(), 'Of them, set by hand'),
});
export const TypeCountsResultSchema = v.object({
  asOf: v.string(),
  clients: d(v.number(), 'Clients classified'),
  types: d(
    v.array(TypeCountSchema),
    'Every type of docs/domain.md 3 (zero counts included), then hand-made types',
  ),
});
export type TypeCountsResult = v.InferOutput<typeof TypeCountsResultSchema>;

export const TypeCountsAnswerSchema = v.object({
  ...TypeCountsResultSchema.entries,
  computedAt: answerEntries.computedAt,
});

export const PORTFOLIO_WARNINGS = [
  'mono_client',
  'empty_stage',
  'resting_on_regulars',
  'sleeping_share_high',
] as const;
/** A warning is a reason (its code is a reason code) with the figures a program may act on. */
export const PortfolioWarningSchema = v.object({
  code: v.picklist(PORTFOLIO_WARNINGS),
  params: v.record(v.string(), v.unknown()),
  text: v.optional(v.string()),
  clientId: v.optional(v.string()),
  stage: v.optional(StageSchema),
  share: v.optional(v.number()),
});
export const TIERS = ['gold', 'silver', 'bronze'] as const;
export const KeyClientSchema = v.object({
  id: v.string(),
  name: d(v.nullable(v.string()), "The client's name"),
  revenue: v.number(),
  revenueShare: v.number(),
  margin: v.number(),
  marginShare: d(v.nullable(v.number()), 'Null when the total margin is not positive'),
  reasons: v.array(ReasonSchema),
});
export type KeyClient = v.InferOutput<typeof KeyClientSchema>;

export const PortfolioResultSchema = v.object({
  asOf: v.string(),
  from: d(v.string(), 'Revenue window start, inclusive'),
  to: d(v.string(), 'Revenue window end, exclusive'),
  model: StageModelSchema,
  clients: d(v.number(), 'All clients'),
  buyers: d(v.number(), 'Clients with revenue in the window'),
  stages: d(
    v.array(
      v.object({
        stage: StageSchema,
        count: v.number(),
        share: d(v.number(), 'Of the clients that have a stage'),
      }),
    ),
    "Spread over the model's stages, in funnel order",
  ),
  unstaged: d(v.number(), 'Clients without a stage yet (no event that places them)'),
  concentration: v.object({
    revenue: d(v.number(), "The window's revenue"),
    margin: d(v.number(), "The window's margin"),
    top1Share: d(v.number(), 'Revenue share of the largest client'),
    top5Share: d(v.number(), 'Revenue share of the five largest'),
    top20PercentShare: d(v.number(), 'Revenue share of the largest fifth of the buyers'),
    top20PercentClients: d(v.number(), 'How many clients that fifth is (rounded up)'),
    hhi: d(
      v.number(),
      'Herfindahl–Hirschman index of the revenue shares, 0–1 (× 10,000 for the antitrust scale)',
    ),
    effectiveClients: d(
      v.nullable(v.number()),
      '1 / HHI: as many equal clients would give the same concentration',
    ),
    top1MarginShare: d(
      v.nullable(v.number()),
      'Margin share of the client with the most margin; null when total margin is not positive',
    ),
  }),
  keyClients: d(
    v.array(KeyClientSchema),
    'Key clients by revenue share, margin share or top rank, largest first (at most `limit`)',
  ),
  tiers: v.object({
    counts: v.object({ gold: v.number(), silver: v.number(), bronze: v.number() }),
    clients: d(
      v.array(
        v.object({
          id: v.string(),
          name: d(v.nullable(v.string()), "The client's name"),
          tier: v.picklist(TIERS),
          revenue: v.number(),
          share: v.number(),
          reason: ReasonSchema,
        }),
      ),
      'One page (at most `limit`) of the buyers of the window, largest first',
    ),
    nextCursor: d(
      v.nullable(v.string()),
      'Pass back as `cursor` for the next page of `clients`; null at the end',
    ),
  }),
  warnings: v.array(PortfolioWarningSchema),
  computedAt: d(
    v.string(),
    'When the answer was computed: the snapshot that finished last for the default window and instant, or this request, computed on the spot',
  ),
  currency: d(v.string(), "The workspace's currency (ISO 4217) for every amount"),
});
export type PortfolioResult = v.InferOutput<typeof PortfolioResultSchema>;
export type PortfolioWarning = v.InferOutput<typeof PortfolioWarningSchema>;

export const ConversionSegmentSchema = v.object({
  value: d(
    v.nullable(v.union([v.string(), v.number(), v.boolean()])),
    'The attribute value; null when missing',
  ),
  label: d(v.string(), 'The value as text; "(none)" when missing'),
  clients: d(v.number(), 'All clients with this value'),
  acquired: d(v.number(), 'Clients that made a first purchase'),
  developed: d(v.number(), 'Acquired clients that ever reached the developed stage'),
  developedShare: d(v.nullable(v.number()), 'developed / acquired'),
  vanished: d(
    v.number(),
    'Acquired clients with exactly one order now asleep, lost or being re-engaged',
  ),
  vanishedShare: d(v.nullable(v.number()), 'vanished / acquired'),
  medianDaysToDeveloped: d(
    v.nullable(v.number()),
    'Median days from the first purchase to developed',
  ),
  revenue: d(v.number(), 'Lifetime revenue of the acquired clients'),
  averageRevenue: d(v.nullable(v.number()), 'Lifetime revenue per acquired client'),
});
export const ConversionResultSchema = v.object({
  by: v.string(),
  sort: v.picklist(CONVERSION_SORTS),
  clients: v.number(),
  segments: v.array(ConversionSegmentSchema),
});
export type ConversionResult = v.InferOutput<typeof ConversionResultSchema>;
/** What the API answers: the result with the workspace currency of its revenue. */
export const ConversionAnswerSchema = v.object({
  ...ConversionResultSchema.entries,
  currency: d(v.string(), "The workspace's currency (ISO 4217) for every amount"),
});
export type ConversionSegment = v.InferOutput<typeof ConversionSegmentSchema>;
