import * as v from 'valibot';
import { ReasonSchema } from './reasons.ts';
import { finite, between, wholeBetween } from './calculator.ts';
import { IdSchema, InstantSchema, MoneySchema } from './common.ts';

export * from './calculator.ts';

// ---------------------------------------------------------------------------------------------
// Predictive CLV: BG/NBD (purchases and P(alive)) and Gamma-Gamma (spend per purchase).

export const TIME_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export const TimeUnitSchema = v.picklist(TIME_UNITS, 'must be day, week, month, quarter or year');
export type TimeUnit = v.InferOutput<typeof TimeUnitSchema>;

/**
 * Minimum data for a fit: customers with a purchase, and repeat buyers with a positive spend.
 * BG/NBD has four parameters and Gamma-Gamma three. Fitting 40 simulated workspaces of each size
 * (CDNOW's parameters, 13–52 weeks of history): at 100 customers (~40 repeat buyers) one fit in
 * six failed to converge and the typical client's predicted value was off by 22% (one in ten
 * by 42%); at 300 customers (~120 repeat buyers) every fit converged and the errors were 13%
 * (23%); at 1,000, 6% (9%). Below the minimum the profile shows historic values instead of a
 * guess. `core/value/model.test.ts` re-checks the minimum on simulated workspaces.
 */
export const MIN_CUSTOMERS = 300;
export const MIN_REPEAT_BUYERS = 100;

/** A workspace's settings for the value models. `{}` parses to the defaults. */
export const ValueSettingsSchema = v.strictObject({
  /** How far predicted CLV looks ahead (Klaviyo's "next 365 days"). */
  horizonDays: v.optional(wholeBetween(1, 3650), 365),
  /** Annual discount rate applied to predicted revenue. */
  annualDiscountRate: v.optional(between(0, 1), 0.1),
  /** The unit a fit measures time in when the request names none. */
  timeUnit: v.optional(TimeUnitSchema, 'week'),
  /** Overrides of the published minimum data; they may only raise it, never go below 30/10. */
  minCustomers: v.optional(wholeBetween(30, 10_000_000), MIN_CUSTOMERS),
  minRepeatBuyers: v.optional(wholeBetween(10, 10_000_000), MIN_REPEAT_BUYERS),
});
export type ValueSettings = v.InferOutput<typeof ValueSettingsSchema>;

/** One purchase as the models read it; same-day purchases are merged by the summariser. */
export const ValueTransactionSchema = v.object({
  clientId: IdSchema,
  at: InstantSchema,
  amount: MoneySchema,
});
export type ValueTransaction = v.InferOutput<typeof ValueTransactionSchema>;

/**
 * The purchase models: BG/NBD, Pareto/NBD, MBG/NBD (continuous time: a client's repeat purchase
 * days) and BG/BB (discrete: one opportunity per `timeUnit` period after the first purchase).
 */
export const CLV_MODELS = ['bgnbd', 'pnbd', 'mbgnbd', 'bgbb'] as const;
export const ClvModelNameSchema = v.picklist(CLV_MODELS, 'must be bgnbd, pnbd, mbgnbd or bgbb');
export type ClvModelName = v.InferOutput<typeof ClvModelNameSchema>;
// Written out rather than spread from CLV_MODELS: a spread at the top level is a side effect to
// the bundler, which would keep these schemas in the components' bundle.
export const ClvModelChoiceSchema = v.picklist(
  ['bgnbd', 'pnbd', 'mbgnbd', 'bgbb', 'auto'],
  'must be bgnbd, pnbd, mbgnbd, bgbb or auto',
);
export type ClvModelChoice = v.InferOutput<typeof ClvModelChoiceSchema>;

/**
 * `POST /v1/clv/model/fit`. `asOf` defaults to now and `timeUnit` to the workspace setting
 * (`week` unless changed); both are filled in by the handler. With `holdoutFrom`, the answer also
 * carries a backtest: a fit on the purchases before `holdoutFrom`, judged on [holdoutFrom, asOf).
 */
export const ClvFitRequestSchema = v.pipe(
  v.strictObject({
    asOf: v.optional(InstantSchema),
    timeUnit: v.optional(TimeUnitSchema),
    holdoutFrom: v.optional(InstantSchema),
    /** The purchase model; `auto` picks one on a holdout. Default `bgnbd`. */
    model: v.optional(ClvModelChoiceSchema),
  }),
  v.forward(
    v.partialCheck(
      [['asOf'], ['holdoutFrom']],
      (r) => r.asOf === undefined || r.holdoutFrom === undefined || r.holdoutFrom < r.asOf,
      'must be before asOf',
    ),
    ['holdoutFrom'],
  ),
);
export type ClvFitRequest = v.InferOutput<typeof ClvFitRequestSchema>;

export const BgNbdParamsSchema = v.object({
  r: v.number(),
  alpha: v.number(),
  a: v.number(),
  b: v.number(),
});
export type BgNbdParams = v.InferOutput<typeof BgNbdParamsSchema>;

/** Pareto/NBD: purchase rates Gamma(r, α), dropout rates Gamma(s, β). */
export const PnbdParamsSchema = v.object({
  r: v.number(),
  alpha: v.number(),
  s: v.number(),
  beta: v.number(),
});
export type PnbdParams = v.InferOutput<typeof PnbdParamsSchema>;

/** BG/BB: transaction probabilities Beta(α, β), dropout probabilities Beta(γ, δ). */
export const BgbbParamsSchema = v.object({
  alpha: v.number(),
  beta: v.number(),
  gamma: v.number(),
  delta: v.number(),
});
export type BgbbParams = v.InferOutput<typeof BgbbParamsSchema>;

/** Gamma-Gamma: `v` is the papers' γ (the scale of the spend heterogeneity). */
export const GammaGammaParamsSchema = v.object({ p: v.number(), q: v.number(), v: v.number() });
export type GammaGammaParams = v.InferOutput<typeof GammaGammaParamsSchema>;

export const FREQUENCY_GROUPS = ['0', '1', '2', '3', '4', '5', '6', '7+'] as const;

/** Any model's parameters, named as in the literature. */
export const PurchaseParamsSchema = v.union([
  BgNbdParamsSchema,
  PnbdParamsSchema,
  BgbbParamsSchema,
]);
export type PurchaseParams = v.InferOutput<typeof PurchaseParamsSchema>;

/**
 * Predicted against actual repeat purchases in a held-out period (repeat purchase days; for BG/BB,
 * opportunities with a purchase).
 */
export const BacktestSchema = v.object({
  holdoutFrom: v.string(),
  end: v.string(),
  /** Length of the holdout in the model's time unit. */
  holdoutLength: v.number(),
  /** Calibration customers (first purchase before holdoutFrom). */
  customers: v.number(),
  /** Customers whose first purchase falls in the holdout: not predictable, left out. */
  newInHoldout: v.number(),
  model: v.optional(ClvModelNameSchema),
  params: PurchaseParamsSchema,
  converged: v.boolean(),
  actual: v.number(),
  predicted: v.number(),
  /** By repeat purchases in the calibration period (0, 1, …, 7+). */
  groups: v.array(
    v.object({
      frequency: v.picklist(FREQUENCY_GROUPS),
      customers: v.number(),
      actual: v.number(),
      predicted: v.number(),
    }),
  ),
});
export type Backtest = v.InferOutput<typeof BacktestSchema>;

/** Below the minimum data, the fit says so rather than fitting noise. */
export const InsufficientDataSchema = v.object({
  status: v.literal('insufficient_data'),
  reason: ReasonSchema,
  minimum: v.object({ customers: v.number(), repeatBuyers: v.number() }),
  observed: v.object({ customers: v.number(), repeatBuyers: v.number() }),
});
export type InsufficientData = v.InferOutput<typeof InsufficientDataSchema>;

/** How `auto` chose: every candidate's holdout score, and the reason (its text in the reader's language). */
export const ModelSelectionSchema = v.object({
  holdoutFrom: v.string(),
  candidates: v.array(
    v.object({
      model: ClvModelNameSchema,
      converged: v.boolean(),
      calibrationLogLikelihood: v.number(),
      actual: v.number(),
      predicted: v.number(),
      /** |predicted − actual| / actual over the holdout. */
      totalError: v.number(),
      /** Σ over calibration-frequency bins of |predicted − actual|, over the actual total. */
      binError: v.number(),
      /** totalError + binError: lower is better. */
      score: v.number(),
    }),
  ),
  chosen: ClvModelNameSchema,
  reason: ReasonSchema,
});
export type ModelSelection = v.InferOutput<typeof ModelSelectionSchema>;

// A function marked free of side effects (not a shared object spread into each variant, which the
// bundler would have to keep), so that bundles that do not use the model schema drop it.
const modelEntries = /* @__NO_SIDE_EFFECTS__ */ () => ({
  asOf: v.string(),
  timeUnit: TimeUnitSchema,
  customers: v.number(),
  /** Both optimisers met their tolerances with no parameter on a bound. */
  converged: v.boolean(),
  /** The purchase model's log-likelihood at the estimates (constants included, as published). */
  logLikelihood: v.number(),
  spend: GammaGammaParamsSchema,
  diagnostics: v.object({
    repeatBuyers: v.number(),
    /** Repeat buyers with a positive average repeat spend: what Gamma-Gamma is fitted on. */
    spendCustomers: v.number(),
    iterations: v.number(),
    evaluations: v.number(),
    /** The purchase model (whichever `model` names; the name predates the other models) converged. */
    bgnbdConverged: v.boolean(),
    spendConverged: v.boolean(),
    spendIterations: v.number(),
    spendLogLikelihood: v.number(),
    /** Asymptotic standard errors from the observed information; null if it was not invertible. */
    standardErrors: v.nullable(
      v.object({ params: PurchaseParamsSchema, spend: v.nullable(GammaGammaParamsSchema) }),
    ),
    fitMs: v.number(),
  }),
  /** Present when the fit was asked for one (`holdoutFrom`); the calibration part may lack data. */
  backtest: v.optional(v.union([BacktestSchema, InsufficientDataSchema])),
  /** Present when `model: "auto"` chose the model. */
  selection: v.optional(ModelSelectionSchema),
});

/**
 * The fitted model, as `GET /v1/clv/model` answers and the fit endpoint stores it: `params` are
 * named as in the literature for the `model` (`alpha` and `beta` of the continuous models are in
 * `timeUnit`s; BG/BB counts one opportunity per `timeUnit`).
 */
const modelVariant = /* @__NO_SIDE_EFFECTS__ */ <const M extends string, P extends v.GenericSchema>(
  model: M,
  params: P,
) => v.object({ model: v.literal(model), params, ...modelEntries() });
export const ClvModelSchema = v.variant('model', [
  modelVariant('bgnbd', BgNbdParamsSchema),
  modelVariant('mbgnbd', BgNbdParamsSchema),
  modelVariant('pnbd', PnbdParamsSchema),
  modelVariant('bgbb', BgbbParamsSchema),
]);
export type ClvModel = v.InferOutput<typeof ClvModelSchema>;

/**
 * A client's value in the profile, with Klaviyo's field names. `basis` says where the predictive
 * fields come from: `model` once a fitted model exists and the client has bought; otherwise
 * `historic` with the reason, the predictive fields null and `totalClv` = `historicClv`.
 */
export const ClientValueSchema = v.object({
  basis: v.picklist(['model', 'historic']),
  reason: v.nullable(ReasonSchema),
  /** Revenue to date. */
  historicClv: v.number(),
  historicMargin: v.number(),
  orders: v.number(),
  averageOrderValue: v.nullable(v.number()),
  /** Days from the first purchase to asOf. */
  tenureDays: v.nullable(v.number()),
  /** Discounted expected revenue over the horizon. */
  predictedClv: v.nullable(v.number()),
  totalClv: v.number(),
  /** Expected purchase days (transactions) over the horizon, undiscounted. */
  predictedNumberOfOrders: v.nullable(v.number()),
  pAlive: v.nullable(v.number()),
  churnProbability: v.nullable(v.number()),
  /** Expected value of one future order (Gamma-Gamma). */
  expectedOrderValue: v.nullable(v.number()),
  averageDaysBetweenOrders: v.nullable(v.number()),
  expectedDateOfNextOrder: v.nullable(v.string()),
  horizonDays: v.number(),
});
export type ClientValue = v.InferOutput<typeof ClientValueSchema>;

// ---------------------------------------------------------------------------------------------
// Contractual retention: the shifted-beta-geometric (Fader & Hardie 2007).

/**
 * `POST /v1/clv/retention/fit`: `survivors[t]` is the number of a cohort's subscribers still active
 * at the start of period t (survivors[0] is the cohort), never rising.
 */
export const RetentionFitRequestSchema = v.pipe(
  v.strictObject({
    survivors: v.pipe(
      v.array(wholeBetween(0, 1e12)),
      v.minLength(2, 'give the cohort and at least one later count'),
      v.maxLength(1000, 'at most 1000 periods'),
      v.check((s) => s[0]! > 0, 'the cohort (the first count) must be positive'),
      v.check(
        (s) => s.every((n, t) => t === 0 || n <= s[t - 1]!),
        'survivors must never rise from one period to the next',
      ),
    ),
    /** Periods to project from the cohort's start; default twice the observed ones. */
    horizon: v.optional(wholeBetween(1, 1000)),
    /** Discount rate per period for the residual lifetimes. */
    discountRate: v.optional(
      v.pipe(finite(), v.gtValue(0, 'must be above 0'), v.maxValue(1, 'must be at most 1')),
      0.1,
    ),
  }),
  v.forward(
    v.partialCheck(
      [['survivors'], ['horizon']],
      (r) => r.horizon === undefined || r.horizon >= r.survivors.length - 1,
      'must cover at least the observed periods',
    ),
    ['horizon'],
  ),
);
export type RetentionFitRequest = v.InferOutput<typeof RetentionFitRequestSchema>;

export const RetentionFitSchema = v.object({
  alpha: v.number(),
  beta: v.number(),
  logLikelihood: v.number(),
  converged: v.boolean(),
  standardErrors: v.nullable(v.object({ alpha: v.number(), beta: v.number() })),
  horizon: v.number(),
  /** Retention rate at each renewal 1…horizon: (β+t−1)/(α+β+t−1), rising with tenure. */
  retention: v.array(v.number()),
  /** Projected subscribers at the start of each period 0…horizon: cohort × S(t). */
  survival: v.array(v.number()),
  discountRate: v.number(),
  /** Discounted expected lifetime of a new subscriber, first payment included, in periods. */
  expectedLifetime: v.number(),
  /**
   * Discounted expected residual lifetime (periods of payments still to come) of a subscriber who
   * has renewed t times, t = 0 … survivors.length − 1 (Fader & Hardie 2010).
   */
  residualLifetime: v.array(v.number()),
});
export type RetentionFit = v.InferOutput<typeof RetentionFitSchema>;

// ---------------------------------------------------------------------------------------------
// Model checks (`GET /v1/clv/model/diagnostics`), as in Fader, Hardie & Lee (2005), Figures 2–4.

export const ModelDiagnosticsQuerySchema = v.strictObject({
  /** End of the holdout and of the tracking; default the day after the last purchase. */
  end: v.optional(InstantSchema),
});

export const ModelDiagnosticsSchema = v.object({
  model: ClvModelNameSchema,
  timeUnit: TimeUnitSchema,
  /** The fit's asOf: the calibration period ends here, the holdout starts. */
  calibrationEnd: v.string(),
  end: v.string(),
  /** Customers by repeat purchases in the calibration period: actual against the model's expectation. */
  histogram: v.array(
    v.object({ frequency: v.picklist(FREQUENCY_GROUPS), actual: v.number(), expected: v.number() }),
  ),
  /** Holdout repeat purchases by calibration frequency: actual against the conditional expectation. */
  holdout: v.object({
    /** Length in `timeUnit`s (0 when the fit's asOf is the end of the data). */
    length: v.number(),
    bins: v.array(
      v.object({
        frequency: v.picklist(FREQUENCY_GROUPS),
        customers: v.number(),
        actual: v.number(),
        expected: v.number(),
      }),
    ),
  }),
  /** Cumulative repeat purchases of the calibration customers, week by week from the first purchase. */
  tracking: v.object({
    start: v.string(),
    /** The week (1-based) in which the calibration period ends. */
    calibrationEndWeek: v.number(),
    weeks: v.array(v.object({ week: v.number(), actual: v.number(), expected: v.number() })),
  }),
});
export type ModelDiagnostics = v.InferOutput<typeof ModelDiagnosticsSchema>;
