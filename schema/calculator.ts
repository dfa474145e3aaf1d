import * as v from 'valibot';
import { MoneySchema } from './common.ts';

// The CLV calculator's schemas, apart from the other value schemas: the components' bundle runs
// this one (the bundler cannot drop unused valibot schemas, so each schema module a component
// imports is shipped whole).

// Marked free of side effects so that a bundle using one schema of this file (the components use
// the calculator's) can drop the others built with these helpers.
export const finite = /* @__NO_SIDE_EFFECTS__ */ () =>
  v.pipe(v.number(), v.finite('must be a finite number'));
export const between = /* @__NO_SIDE_EFFECTS__ */ (min: number, max: number) =>
  v.pipe(
    finite(),
    v.minValue(min, `must be between ${min} and ${max}`),
    v.maxValue(max, `must be between ${min} and ${max}`),
  );
export const wholeBetween = /* @__NO_SIDE_EFFECTS__ */ (min: number, max: number) =>
  v.pipe(
    finite(),
    v.integer(`must be a whole number from ${min} to ${max}`),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

// ---------------------------------------------------------------------------------------------
// The CLV calculator (docs/domain.md 4.1): a pure function shared by the API and the web component.

export const DEFAULT_TARGET_RATIO = 3;

const ONE_OF_LIFETIME = 'give exactly one of lifetimePeriods and retentionRate';

/**
 * The calculator's request. The upper bounds keep every answer finite (JSON cannot carry
 * Infinity) while staying far above any real business: 1e12 per order, a million orders a period.
 */
export const ClvCalculatorInputSchema = v.pipe(
  v.strictObject({
    averageOrderValue: MoneySchema,
    ordersPerPeriod: v.pipe(
      finite(),
      v.minValue(0, 'must not be negative'),
      v.maxValue(1e6, 'must be at most 1e6'),
    ),
    /** Gross margin as a share of the order value. */
    grossMargin: between(0, 1),
    /** Expected lifetime in periods; or give `retentionRate`. */
    lifetimePeriods: v.optional(
      v.pipe(
        finite(),
        v.gtValue(0, 'must be greater than 0'),
        v.maxValue(10_000, 'must be at most 10000'),
      ),
    ),
    /** Share of clients still there after each period; or give `lifetimePeriods`. */
    retentionRate: v.optional(
      v.pipe(
        finite(),
        v.minValue(0, 'must be at least 0 and below 1'),
        v.ltValue(1, 'must be at least 0 and below 1'),
      ),
    ),
    /** Discount rate per period (0.01 = 1%). */
    discountRate: between(0, 1),
    acquisitionCost: MoneySchema,
    /** The CLV/CAC ratio the business aims for. */
    targetRatio: v.optional(
      v.pipe(
        finite(),
        v.gtValue(0, 'must be greater than 0'),
        v.maxValue(1000, 'must be at most 1000'),
      ),
      DEFAULT_TARGET_RATIO,
    ),
  }),
  // Named on both fields so that a form can mark both; the HTTP layer reports both paths.
  v.forward(
    v.partialCheck(
      [['lifetimePeriods'], ['retentionRate']],
      (i) => (i.lifetimePeriods === undefined) !== (i.retentionRate === undefined),
      ONE_OF_LIFETIME,
    ),
    ['lifetimePeriods'],
  ),
  v.forward(
    v.partialCheck(
      [['lifetimePeriods'], ['retentionRate']],
      (i) => (i.lifetimePeriods === undefined) !== (i.retentionRate === undefined),
      ONE_OF_LIFETIME,
    ),
    ['retentionRate'],
  ),
);
/** What a caller passes: `targetRatio` may be left out. */
export type ClvCalculatorInput = v.InferInput<typeof ClvCalculatorInputSchema>;

/**
 * The calculator's answer. A ratio that is undefined (a zero denominator) is `null`, never
 * Infinity or NaN: `clvToCac` when the acquisition cost is 0 (or the ratio would overflow);
 * `paybackPeriods` when the period
 * margin is 0 but the acquisition cost is not (it never pays back).
 */
export const ClvCalculatorResultSchema = v.object({
  /** m = averageOrderValue × ordersPerPeriod × grossMargin, collected at the end of each period. */
  periodMargin: v.number(),
  expectedLifetimePeriods: v.number(),
  clvSimple: v.number(),
  clvDiscounted: v.number(),
  clvToCac: v.nullable(v.number()),
  /** The largest acquisition cost the target ratio allows: clvDiscounted / targetRatio. */
  allowableCac: v.number(),
  /** acquisitionCost / periodMargin, undiscounted. */
  paybackPeriods: v.nullable(v.number()),
  netValue: v.number(),
  meetsTarget: v.boolean(),
});
export type ClvCalculatorResult = v.InferOutput<typeof ClvCalculatorResultSchema>;
