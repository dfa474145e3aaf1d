// Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4), and Fader & Hardie's note
// "The Gamma-Gamma Model of Monetary Value" (2013). `v` is the papers' γ.
import type { GammaGammaParams } from '../../schema/value.ts';
import { logScaleStandardErrors } from './information.ts';
import { minimize } from './optimize.ts';
import { logGamma } from './special.ts';

/** What the spend model reads: x repeat transactions averaging zbar. */
export interface Spend {
  x: number;
  zbar: number;
}

/**
 * Only repeat buyers with a positive average are informative: the model is about the mean of the
 * x ≥ 1 repeat transactions (the first purchase is left out, as in the papers), and a zero mean
 * (refunds or free orders) has no likelihood under a gamma.
 */
export const isSpendCustomer = (c: Spend): boolean =>
  c.x > 0 && c.zbar > 0 && Number.isFinite(c.zbar);

/**
 * Negative log-likelihood in θ = ln(p, q, v):
 *   ln f(zbar | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln zbar + px ln x
 *                    − (px+q) ln(v + x·zbar).
 */
function negLogLikelihood(customers: readonly Spend[]): (theta: number[]) => number {
  const xs = [...new Set(customers.map((c) => c.x))];
  const slot = new Map(xs.map((x, i) => [x, i]));
  const index = customers.map((c) => slot.get(c.x)!);
  const logZ = customers.map((c) => Math.log(c.zbar));
  const logX = xs.map(Math.log);
  const gammaTerms = new Float64Array(xs.length);
  return (theta) => {
    const [p, q, v] = theta.map(Math.exp) as [number, number, number];
    const base = q * Math.log(v) - logGamma(q);
    for (let i = 0; i < xs.length; i++)
      gammaTerms[i] =
        base + logGamma(p * xs[i]! + q) - logGamma(p * xs[i]!) + p * xs[i]! * logX[i]!;
    let ll = 0;
    for (let i = 0; i < customers.length; i++) {
      const { x, zbar } = customers[i]!;
      ll += gammaTerms[index[i]!]! + (p * x - 1) * logZ[i]! - (p * x + q) * Math.log(v + x * zbar);
    }
    return -ll;
  };
}

const toTheta = (g: GammaGammaParams) => [g.p, g.q, g.v].map(Math.log);
const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e7);
// Regular fits take about 200 iterations; one still going at 2,000 is walking a ridge to infinity
// (spend heterogeneity the data cannot identify), which more iterations would not cure.
const MAX_ITERATIONS = 2000;

/** Log-likelihood of the spend customers (see `isSpendCustomer`; others are ignored). */
export const gammaGammaLogLikelihood = (
  params: GammaGammaParams,
  customers: readonly Spend[],
): number => -negLogLikelihood(customers.filter(isSpendCustomer))(toTheta(params));

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** The optimiser met its tolerances, no parameter ended on a bound, and q > 1 (a finite mean spend). */
  converged: boolean;
  iterations: number;
  evaluations: number;
  standardErrors: GammaGammaParams | null;
  customers: number;
}

/**
 * Maximum-likelihood fit on the repeat buyers. Starts from p = 2, q = 3 and v = the mean of zbar
 * (so the implied population mean p·v/(q−1) equals the observed one).
 */
export function fitGammaGamma(
  all: readonly Spend[],
  options: { start?: GammaGammaParams } = {},
): GammaGammaFit {
  const customers = all.filter(isSpendCustomer);
  const n = customers.length;
  if (n === 0)
    throw new RangeError('fitGammaGamma needs at least one repeat buyer with a positive spend');
  const total = negLogLikelihood(customers);
  const mean = (theta: number[]) => total(theta) / n;
  const meanZ = customers.reduce((s, c) => s + c.zbar, 0) / n;
  const start = options.start ?? { p: 2, q: 3, v: meanZ };
  const result = minimize(mean, toTheta(start), {
    lower: [LOWER, LOWER, LOWER],
    upper: [UPPER, UPPER, UPPER],
    tolF: 1e-12,
    maxIterations: MAX_ITERATIONS,
  });
  const se = logScaleStandardErrors(total, result.x);
  const [p, q, v] = result.x.map(Math.exp) as [number, number, number];
  return {
    params: { p, q, v },
    logLikelihood: -result.f * n,
    converged: result.converged && !result.atBound.some(Boolean) && q > 1,
    iterations: result.iterations,
    evaluations: result.evaluations,
    standardErrors: se ? { p: se[0]!, q: se[1]!, v: se[2]! } : null,
    customers: n,
  };
}

/**
 * E[Z | p, q, v, x, zbar], the expected value of the customer's future transactions: a weighted
 * mean of the population mean p·v/(q−1) and the customer's own zbar, the weight on zbar growing
 * with x. For x = 0 it is the population mean. Needs q > 1 (else the mean spend is infinite):
 * null then.
 */
export function expectedSpend(g: GammaGammaParams, c: Spend): number | null {
  if (!(g.q > 1)) return null;
  if (!(c.x > 0 && c.zbar > 0)) return (g.p * g.v) / (g.q - 1);
  return (g.p * (g.v + c.x * c.zbar)) / (g.p * c.x + g.q - 1);
}
