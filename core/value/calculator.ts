import * as v from 'valibot';
import {
  ClvCalculatorInputSchema,
  DEFAULT_TARGET_RATIO,
  type ClvCalculatorInput,
  type ClvCalculatorResult,
} from '../../schema/value.ts';

/**
 * m·(1 − (1+d)^−L)/d, the present value of L end-of-period payments of m. Written with expm1 and
 * log1p so that a tiny d does not cancel to 0/0; d = 0 is the plain sum m·L.
 */
const annuity = (m: number, periods: number, d: number): number =>
  d === 0 ? m * periods : (m * -Math.expm1(-periods * Math.log1p(d))) / d;

/**
 * The CLV calculator of docs/domain.md 4.1 on already validated input (see `checkClvInput`).
 * Edge cases, chosen so that JSON can carry every answer:
 * - acquisition cost 0 (or so small that the ratio overflows): `clvToCac` is null (no finite
 *   ratio); the target counts as met when the client earns anything, since any margin is
 *   infinitely many times a free acquisition;
 * - period margin 0: every CLV is 0; `paybackPeriods` is 0 when there is nothing to pay back and
 *   null when there is (it never pays back).
 */
export function calculateClv(input: ClvCalculatorInput): ClvCalculatorResult {
  const {
    averageOrderValue,
    ordersPerPeriod,
    grossMargin,
    discountRate: d,
    acquisitionCost: cac,
  } = input;
  const target = input.targetRatio ?? DEFAULT_TARGET_RATIO;
  const m = averageOrderValue * ordersPerPeriod * grossMargin;

  let expectedLifetimePeriods: number;
  let clvSimple: number;
  let clvDiscounted: number;
  if (input.retentionRate !== undefined) {
    const r = input.retentionRate;
    expectedLifetimePeriods = 1 / (1 - r);
    clvSimple = m / (1 - r);
    clvDiscounted = m / (1 + d - r);
  } else {
    // The schema guarantees one of the two; a lifetime of 0 would be no client at all.
    const L = input.lifetimePeriods ?? 0;
    expectedLifetimePeriods = L;
    clvSimple = m * L;
    clvDiscounted = annuity(m, L, d);
  }

  // A cost so small that the ratio overflows is, for JSON, as unbounded as a free acquisition.
  const ratio = clvDiscounted / cac;
  const clvToCac = cac === 0 || !Number.isFinite(ratio) ? null : ratio;
  return {
    periodMargin: clean(m),
    expectedLifetimePeriods: clean(expectedLifetimePeriods),
    clvSimple: clean(clvSimple),
    clvDiscounted: clean(clvDiscounted),
    clvToCac: clvToCac === null ? null : clean(clvToCac),
    allowableCac: clean(clvDiscounted / target),
    paybackPeriods: cac === 0 ? 0 : m === 0 ? null : clean(cac / m),
    netValue: clean(clvDiscounted - cac),
    meetsTarget: clvToCac === null ? clvDiscounted > 0 : clvToCac >= target,
  };
}

/** 12 significant digits: drops binary noise (120 × 1.5 × 0.35 = 62.99999999999999) and nothing real. */
const clean = (x: number): number => Number(x.toPrecision(12));

export interface FieldError {
  path: string;
  message: string;
}

/**
 * Validates raw calculator input and lists the offending fields by dot path, as the API's
 * problem+json `errors` and the component's form both want them.
 */
export function checkClvInput(
  raw: unknown,
):
  | { success: true; output: v.InferOutput<typeof ClvCalculatorInputSchema> }
  | { success: false; errors: FieldError[] } {
  const result = v.safeParse(ClvCalculatorInputSchema, raw);
  if (result.success) return { success: true, output: result.output };
  return {
    success: false,
    errors: result.issues.map((issue) => ({
      path: v.getDotPath(issue) ?? '',
      message: issue.message,
    })),
  };
}
