// Shifted-beta-geometric: Fader & Hardie (2007), "How to Project Customer Retention", Journal of
// Interactive Marketing 21(1); residual lifetimes from Fader & Hardie (2010), "Customer-Base
// Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing Science
// 29(1). Each subscriber churns at every renewal with a probability θ ~ Beta(α, β) of its own.
import type { RetentionFit } from '../../schema/value.ts';
import { logScaleStandardErrors } from './information.ts';
import { minimize } from './optimize.ts';
import { hyp2f1 } from './special.ts';

export interface SbgParams {
  alpha: number;
  beta: number;
}

/**
 * ln P(T = t) for t = 1…k and ln S(k), by the recurrences P(1) = α/(α+β),
 * P(t) = P(t−1)·(β+t−2)/(α+β+t−1) and S(t) = S(t−1)·(β+t−1)/(α+β+t−1): no Γ at all.
 */
function logChurnAndSurvival(p: SbgParams, k: number): { churn: number[]; survival: number } {
  const churn: number[] = [];
  let logP = Math.log(p.alpha) - Math.log(p.alpha + p.beta);
  let logS = 0;
  for (let t = 1; t <= k; t++) {
    if (t > 1) logP += Math.log(p.beta + t - 2) - Math.log(p.alpha + p.beta + t - 1);
    churn.push(logP);
    logS += Math.log(p.beta + t - 1) - Math.log(p.alpha + p.beta + t - 1);
  }
  return { churn, survival: logS };
}

/**
 * ln L of a cohort's survivor counts n_0 ≥ n_1 ≥ … ≥ n_k (the paper's eq. 7): the n_(t−1) − n_t
 * who left at renewal t contribute ln P(T = t), the n_k still there ln S(k).
 */
export function sbgLogLikelihood(p: SbgParams, survivors: readonly number[]): number {
  const k = survivors.length - 1;
  const { churn, survival } = logChurnAndSurvival(p, k);
  let ll = 0;
  for (let t = 1; t <= k; t++) {
    const lost = survivors[t - 1]! - survivors[t]!;
    if (lost > 0) ll += lost * churn[t - 1]!;
  }
  return ll + survivors[k]! * survival;
}

export interface SbgFit {
  params: SbgParams;
  logLikelihood: number;
  converged: boolean;
  standardErrors: SbgParams | null;
}

const LOWER = Math.log(1e-4);
const UPPER = Math.log(1e6);

/** Maximum likelihood by restarted Nelder–Mead on ln(α, β): two parameters, a smooth surface. */
export function fitSbg(survivors: readonly number[]): SbgFit {
  if (survivors.length < 2) throw new RangeError('fitSbg needs the cohort and at least one period');
  const negative = (theta: number[]) =>
    -sbgLogLikelihood({ alpha: Math.exp(theta[0]!), beta: Math.exp(theta[1]!) }, survivors);
  const scale = survivors[0]!;
  const result = minimize((theta) => negative(theta) / scale, [0, 0], {
    lower: [LOWER, LOWER],
    upper: [UPPER, UPPER],
    tolF: 1e-13,
    tolX: 1e-9,
  });
  const se = logScaleStandardErrors(negative, result.x);
  return {
    params: { alpha: Math.exp(result.x[0]!), beta: Math.exp(result.x[1]!) },
    logLikelihood: -result.f * scale,
    converged: result.converged && !result.atBound.some(Boolean),
    standardErrors: se ? { alpha: se[0]!, beta: se[1]! } : null,
  };
}

/** r_t = (β+t−1)/(α+β+t−1), the retention rate at renewal t, for t = 1…horizon. */
export const sbgRetention = (p: SbgParams, horizon: number): number[] =>
  Array.from({ length: horizon }, (_, i) => (p.beta + i) / (p.alpha + p.beta + i));

/** S(t) for t = 0…horizon: the share of the cohort still subscribed after t renewals. */
export function sbgSurvival(p: SbgParams, horizon: number): number[] {
  const out = [1];
  for (let t = 1; t <= horizon; t++)
    out.push(out[t - 1]! * ((p.beta + t - 1) / (p.alpha + p.beta + t - 1)));
  return out;
}

/**
 * Discounted expected residual lifetime (Fader & Hardie 2010, eq. 6) of a subscriber who has
 * renewed `renewals` times and now faces the next renewal, in periods (one payment per period):
 *   DERL = (β+n)/(α+β+n) · ₂F₁(1, β+n+1; α+β+n+1; 1/(1+d)),  n = renewals.
 * Multiplied by the margin per period it is the subscriber's expected residual value. With
 * renewals = −1 (a subscriber not yet acquired, first payment included) it is the discounted
 * expected lifetime ₂F₁(1, β; α+β; 1/(1+d)).
 */
export function sbgDiscountedResidualLifetime(
  p: SbgParams,
  renewals: number,
  discountRate: number,
): number {
  if (!(discountRate > 0)) throw new RangeError('the discount rate must be positive');
  const n = renewals;
  const z = 1 / (1 + discountRate);
  const lead = n < 0 ? 1 : (p.beta + n) / (p.alpha + p.beta + n);
  return lead * hyp2f1(1, p.beta + n + 1, p.alpha + p.beta + n + 1, z);
}

/** The retention endpoint's answer: the fit, the projection to the horizon and the residual lifetimes. */
export function retentionFit(request: {
  survivors: readonly number[];
  horizon?: number;
  discountRate: number;
}): RetentionFit {
  const { survivors, discountRate } = request;
  const horizon = request.horizon ?? 2 * (survivors.length - 1);
  const fit = fitSbg(survivors);
  const cohort = survivors[0]!;
  return {
    alpha: fit.params.alpha,
    beta: fit.params.beta,
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    standardErrors: fit.standardErrors,
    horizon,
    retention: sbgRetention(fit.params, horizon),
    survival: sbgSurvival(fit.params, horizon).map((s) => cohort * s),
    discountRate,
    expectedLifetime: sbgDiscountedResidualLifetime(fit.params, -1, discountRate),
    residualLifetime: survivors.map((_, t) =>
      sbgDiscountedResidualLifetime(fit.params, t, discountRate),
    ),
  };
}
