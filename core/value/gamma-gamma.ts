// Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4), and Fader & Hardie's note
// "The Gamma-Gamma Model of Monetary Value" (2013). `v` is the papers' γ.
import type { GammaGammaParams } from '../../schema/value.ts';
import { logScaleStandardErrorsFromGradient } from './information.ts';
import { minimize, minimizeQuasiNewton } from './optimize.ts';
import { digamma, logGamma } from './special.ts';

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
 * Negative log-likelihood in θ = ln(p, q, v), with its gradient:
 *   ln f(zbar | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln zbar + px ln x
 *                    − (px+q) ln(v + x·zbar).
 * The Γ and ψ terms depend on x alone and are computed once per distinct x; what remains per
 * customer is one logarithm.
 */
function objective(customers: readonly Spend[]): (theta: number[]) => { f: number; g: number[] } {
  const xs = [...new Set(customers.map((c) => c.x))];
  const slot = new Map(xs.map((x, i) => [x, i]));
  const index = Int32Array.from(customers, (c) => slot.get(c.x)!);
  const X = Float64Array.from(customers, (c) => c.x);
  const Z = Float64Array.from(customers, (c) => c.zbar);
  const logZ = Float64Array.from(customers, (c) => Math.log(c.zbar));
  const logX = xs.map(Math.log);
  const gammaTerms = new Float64Array(xs.length);
  const dP = new Float64Array(xs.length);
  const dQ = new Float64Array(xs.length);
  return (theta) => {
    const [p, q, v] = theta.map(Math.exp) as [number, number, number];
    const logV = Math.log(v);
    const base = q * logV - logGamma(q);
    const psiQ = digamma(q);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const psiPXQ = digamma(p * x + q);
      gammaTerms[i] = base + logGamma(p * x + q) - logGamma(p * x) + p * x * logX[i]!;
      dP[i] = x * (psiPXQ - digamma(p * x) + logX[i]!);
      dQ[i] = psiPXQ - psiQ + logV;
    }
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    for (let i = 0; i < X.length; i++) {
      const x = X[i]!;
      const k = index[i]!;
      const vz = v + x * Z[i]!;
      const logVZ = Math.log(vz);
      ll += gammaTerms[k]! + (p * x - 1) * logZ[i]! - (p * x + q) * logVZ;
      gp += dP[k]! + x * (logZ[i]! - logVZ);
      gq += dQ[k]! - logVZ;
      gv += q / v - (p * x + q) / vz;
    }
    return { f: -ll, g: [-gp * p, -gq * q, -gv * v] };
  };
}

const negLogLikelihood =
  (customers: readonly Spend[]) =>
  (theta: number[]): number =>
    objective(customers)(theta).f;

const toTheta = (g: GammaGammaParams) => [g.p, g.q, g.v].map(Math.log);
const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e7);
// Regular Nelder–Mead polishes take about 200 iterations; one still going at 2,000 is walking a
// ridge to infinity (spend heterogeneity the data cannot identify), which more would not cure.
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
 * Maximum-likelihood fit on the repeat buyers by BFGS with the analytic gradient (restarted
 * Nelder–Mead polishes a stall). Starts from p = 2, q = 3 and v = the mean of zbar (so the implied
 * population mean p·v/(q−1) equals the observed one).
 */
export function fitGammaGamma(
  all: readonly Spend[],
  options: { start?: GammaGammaParams } = {},
): GammaGammaFit {
  const customers = all.filter(isSpendCustomer);
  const n = customers.length;
  if (n === 0)
    throw new RangeError('fitGammaGamma needs at least one repeat buyer with a positive spend');
  const total = objective(customers);
  const mean = (theta: number[]) => {
    const { f, g } = total(theta);
    return { f: f / n, g: g.map((gj) => gj / n) };
  };
  const meanZ = customers.reduce((s, c) => s + c.zbar, 0) / n;
  const start = options.start ?? { p: 2, q: 3, v: meanZ };
  const bounds = { lower: [LOWER, LOWER, LOWER], upper: [UPPER, UPPER, UPPER] };
  let result = minimizeQuasiNewton(mean, toTheta(start), { ...bounds, tolG: 1e-8 });
  let iterations = result.iterations;
  let evaluations = result.evaluations;
  if (!result.converged) {
    const polished = minimize((theta) => mean(theta).f, result.x, {
      ...bounds,
      tolF: 1e-12,
      maxIterations: MAX_ITERATIONS,
    });
    iterations += polished.iterations;
    evaluations += polished.evaluations;
    if (polished.f <= result.f) result = polished;
  }
  const se = logScaleStandardErrorsFromGradient((theta) => total(theta).g, result.x);
  const [p, q, v] = result.x.map(Math.exp) as [number, number, number];
  return {
    params: { p, q, v },
    logLikelihood: -result.f * n,
    converged: result.converged && !result.atBound.some(Boolean) && q > 1,
    iterations,
    evaluations,
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
