// BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
// the Pareto/NBD Model", Marketing Science 24(2). Equation numbers below are the paper's.
import type { BgNbdParams } from '../../schema/value.ts';
import { logScaleStandardErrors } from './information.ts';
import { minimize } from './optimize.ts';
import { integrateUnitInterval, tanhSinhReach } from './quadrature.ts';
import { logBeta, logGamma, logHyp2f1Positive, softplus, sumRatioSeries } from './special.ts';

/** What BG/NBD reads of a customer: x repeat transactions, the last at tx, observed for T. */
export interface Frequency {
  x: number;
  tx: number;
  T: number;
}

interface Row extends Frequency {
  weight: number;
}

/** Identical histories (many one-time buyers of the same week) are evaluated once, weighted. */
function compress(customers: Iterable<Frequency>): Row[] {
  const rows = new Map<string, Row>();
  for (const { x, tx, T } of customers) {
    const key = `${x}|${tx}|${T}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { x, tx, T, weight: 1 });
  }
  return [...rows.values()].sort((p, q) => p.x - q.x);
}

/**
 * The sample's negative log-likelihood as a function of θ = ln(r, α, a, b), in log space
 * throughout (eq. 6 rewritten):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+T)
 *          + [x > 0] ln(1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x)),
 * the last term as a softplus so that neither branch of the mixture underflows. The gamma terms
 * depend on x only and are computed once per distinct x.
 */
function negLogLikelihood(rows: readonly Row[]): (theta: number[]) => number {
  const xs = [...new Set(rows.map((row) => row.x))];
  const slot = new Map(xs.map((x, i) => [x, i]));
  const rowSlot = rows.map((row) => slot.get(row.x)!);
  // Per distinct x: the gamma terms, and ln(a/(b+x−1)) of the dropout branch.
  const common = new Float64Array(xs.length);
  const dropout = new Float64Array(xs.length);
  // Columns as typed arrays: the row loop is the whole cost of a fit at scale.
  const X = Float64Array.from(rows, (row) => row.x);
  const TX = Float64Array.from(rows, (row) => row.tx);
  const TT = Float64Array.from(rows, (row) => row.T);
  const W = Float64Array.from(rows, (row) => row.weight);
  const S = Int32Array.from(rowSlot);
  return (theta) => {
    const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
    const base = -logGamma(r) - logGamma(b) + logGamma(a + b) + r * Math.log(alpha);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      common[i] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      dropout[i] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
    }
    let ll = 0;
    for (let i = 0; i < X.length; i++) {
      const x = X[i]!;
      const slot = S[i]!;
      const logAlphaT = Math.log(alpha + TT[i]!);
      let value = common[slot]! - (r + x) * logAlphaT;
      if (x > 0)
        value += softplus(dropout[slot]! + (r + x) * (logAlphaT - Math.log(alpha + TX[i]!)));
      ll += W[i]! * value;
    }
    return -ll;
  };
}

const toParams = (theta: readonly number[]): BgNbdParams => {
  const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
  return { r, alpha, a, b };
};
const toTheta = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b].map(Math.log);

/** Log-likelihood of the customers under the parameters. */
export const bgnbdLogLikelihood = (params: BgNbdParams, customers: Iterable<Frequency>): number =>
  -negLogLikelihood(compress(customers))(toTheta(params));

// Parameters are kept in [1e-5, 1e6]: wide enough for days or weeks and for a customer base
// that hardly ever drops out (b large), narrow enough to keep every term finite.
const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e6);
// Regular fits take about 300 iterations; one still going at 2,000 is walking a ridge to infinity
// (a parameter the data cannot identify), which more iterations would not cure.
const MAX_ITERATIONS = 2000;

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  /** The optimiser met its tolerances and no parameter ended on a bound. */
  converged: boolean;
  iterations: number;
  evaluations: number;
  standardErrors: BgNbdParams | null;
  customers: number;
}

/**
 * Maximum-likelihood fit. Starts from r = 1, a = 1, b = 1 and α = the mean observation time over
 * the mean repeat count (so that the mean purchase rate r/α matches the data's), then lets
 * restarted Nelder–Mead in log-parameter space do the rest.
 */
export function fitBgNbd(
  customers: readonly Frequency[],
  options: { start?: BgNbdParams } = {},
): BgNbdFit {
  const rows = compress(customers);
  const n = customers.length;
  if (n === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const total = negLogLikelihood(rows);
  // The mean per customer keeps the tolerances independent of the sample size.
  const mean = (theta: number[]) => total(theta) / n;
  const meanX = customers.reduce((s, c) => s + c.x, 0) / n;
  const meanT = customers.reduce((s, c) => s + c.T, 0) / n;
  const start = options.start ?? {
    r: 1,
    alpha: Math.min(1e5, Math.max(1e-3, meanT / Math.max(meanX, 1e-3))),
    a: 1,
    b: 1,
  };
  const result = minimize(mean, toTheta(start), {
    lower: [LOWER, LOWER, LOWER, LOWER],
    upper: [UPPER, UPPER, UPPER, UPPER],
    tolF: 1e-11,
    maxIterations: MAX_ITERATIONS,
  });
  const se = logScaleStandardErrors(total, result.x);
  return {
    params: toParams(result.x),
    logLikelihood: -result.f * n,
    converged: result.converged && !result.atBound.some(Boolean),
    iterations: result.iterations,
    evaluations: result.evaluations,
    standardErrors: se ? { r: se[0]!, alpha: se[1]!, a: se[2]!, b: se[3]! } : null,
    customers: n,
  };
}

/**
 * P(alive | x, tx, T) (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD model", 2008):
 * 1 / (1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x)); 1 for a customer with no repeat purchase, since
 * BG/NBD lets customers drop out only right after a repeat purchase.
 */
export function pAlive(p: BgNbdParams, c: Frequency): number {
  if (c.x === 0) return 1;
  const k =
    Math.log(p.a) -
    Math.log(p.b + c.x - 1) +
    (p.r + c.x) * (Math.log(p.alpha + c.T) - Math.log(p.alpha + c.tx));
  return 1 / (1 + Math.exp(k));
}

/**
 * Beyond this z (a horizon more than 99 times α+T: a customer just acquired in a population of
 * frequent buyers, over years) a series needs about 35/(1−z) terms; the integral takes over.
 */
const SERIES_MAX_Z = 0.99;

/**
 * E[Y(t) | x, tx, T], the expected number of transactions in the next t (eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] · P(alive),  z = t/(α+T+t).
 * Evaluated in one of two forms, chosen so that the series never grows and nothing cancels.
 *
 * For a < 2, Euler's transformation turns the bracket into 1 − (1−z)^ε ₂F₁(A, ε; C; z) with
 * ε = a−1, A = a+b−1−r, C = a+b+x−1, and since ₂F₁(A, ε; C; z) = 1 + ε·G with
 *   G = Σ_{n≥1} (A)_n (1+ε)_(n−1) / ((C)_n n!) zⁿ,
 * the division by a−1 is done analytically: bracket/(a−1) = −expm1(ε ln(1−z))/ε − (1−z)^ε G,
 * smooth through a = 1 (where it is −ln(1−z) − G). Every ratio of G's terms is below z (ε < 1 and
 * A < C), so the terms only shrink, even for heavy buyers over long horizons, where the textbook
 * ₂F₁ passes 1e300.
 *
 * For a ≥ 2 (dropout probabilities concentrated, up to a degenerate Beta with a and b in the
 * millions) G's terms would grow like e^(εz); there the textbook series is the tame one (its
 * third parameter is large), summed in log space, and 1 − (1−z)^(r+x) ₂F₁ is taken with expm1.
 *
 * Either series needs about 35/(1−z) terms, so for z > 0.99 (a horizon beyond 99·(α+T): a customer
 * just acquired, in a population of frequent buyers, over years) the integral form takes over.
 */
export function expectedPurchases(p: BgNbdParams, c: Frequency, t: number): number {
  if (!(t > 0)) return 0;
  // Each method covers the other's weak spot: the series slows as z → 1, the quadrature cannot
  // resolve a near-degenerate Beta (a and b in the millions). Both failing throws.
  // A Beta concentrated in the interior (a, b+x large) is a spike no quadrature resolves cheaply,
  // while the textbook series then converges fast for any z: it goes first.
  const z = t / (p.alpha + c.T + t);
  const concentrated = p.a >= 2 && p.a + p.b + c.x > 1000;
  const [first, second] =
    z > SERIES_MAX_Z && !concentrated
      ? [expectedPurchasesByQuadrature, expectedPurchasesBySeries]
      : [expectedPurchasesBySeries, expectedPurchasesByQuadrature];
  try {
    return first(p, c, t);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return second(p, c, t);
  }
}

/** E[Y(t) | x, tx, T] by the series of eq. 10 in the better-behaved of its two forms (see `expectedPurchases`). */
export function expectedPurchasesBySeries(p: BgNbdParams, c: Frequency, t: number): number {
  if (!(t > 0)) return 0;
  const z = t / (p.alpha + c.T + t);
  const logOneMinusZ = -Math.log1p(t / (p.alpha + c.T));
  const C = p.a + p.b + c.x - 1;
  if (p.a >= 2) {
    const logProduct = (p.r + c.x) * logOneMinusZ + logHyp2f1Positive(p.r + c.x, p.b + c.x, C, z);
    return (C / (p.a - 1)) * -Math.expm1(logProduct) * pAlive(p, c);
  }
  const eps = p.a - 1;
  const A = p.a + p.b - 1 - p.r;
  const G = sumRatioSeries((A / C) * z, { p: A, q: eps, u: C, w: 1, z });
  const head = eps === 0 ? -logOneMinusZ : -Math.expm1(eps * logOneMinusZ) / eps;
  return (
    C * (head - Math.exp(eps * logOneMinusZ) * G.mantissa * Math.exp(G.logScale)) * pAlive(p, c)
  );
}

/**
 * The same expectation as an integral over the dropout probability, valid for every z. Given
 * alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x), and a customer with (λ, p) makes
 * (1 − e^(−λpt))/p purchases in t on average; integrating λ out leaves
 *   E[Y(t) | x, tx, T] = P(alive) · E_p[(1 − (1 + p·t/(α+T))^−(r+x)) / p],
 * a bounded function (its limit at p = 0 is (r+x)·t/(α+T)) against the Beta density, integrated by
 * tanh-sinh quadrature, which copes with the density's singular ends.
 */
export function expectedPurchasesByQuadrature(p: BgNbdParams, c: Frequency, t: number): number {
  if (!(t > 0)) return 0;
  const k = p.r + c.x;
  const shape = p.b + c.x;
  const logS = Math.log(t / (p.alpha + c.T));
  const logKS = Math.log(k) + logS;
  const logNorm = logBeta(p.a, shape);
  const integral = integrateUnitInterval(
    (_p, logP, logQ) => {
      const ps = Math.exp(logP + logS);
      // (1 − (1+ps)^−k)/p, with its expansion k·s·(1 − (k+1)ps/2) where ps is too small to difference
      const logH =
        ps < 1e-10 ? logKS - ((k + 1) * ps) / 2 : Math.log(-Math.expm1(-k * Math.log1p(ps))) - logP;
      return logH + (p.a - 1) * logP + (shape - 1) * logQ - logNorm;
    },
    { reach: { low: tanhSinhReach(p.a), high: tanhSinhReach(shape) } },
  );
  return integral * pAlive(p, c);
}

/** E[X(t)], the expected repeat transactions of a customer in the first t after the first purchase (eq. 9). */
export const expectedPurchasesNew = (p: BgNbdParams, t: number): number =>
  expectedPurchases(p, { x: 0, tx: 0, T: 0 }, t);
