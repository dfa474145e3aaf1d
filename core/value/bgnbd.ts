// BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
// the Pareto/NBD Model", Marketing Science 24(2). Equation numbers below are the paper's.
import type { BgNbdParams } from '../../schema/value.ts';
import {
  betaGeometricLogLikelihood,
  fitBetaGeometric,
  type BetaGeometricFit,
} from './beta-geometric.ts';
import { integrateUnitInterval, tanhSinhReach } from './quadrature.ts';
import { logBeta, logHyp2f1Positive, sumRatioSeries } from './special.ts';
import type { Frequency } from './sufficient.ts';

export type { Frequency } from './sufficient.ts';

/** Log-likelihood of the customers under the parameters (eq. 6, in log space). */
export const bgnbdLogLikelihood = (params: BgNbdParams, customers: Iterable<Frequency>): number =>
  betaGeometricLogLikelihood(params, customers, 0);

export type BgNbdFit = BetaGeometricFit;

/**
 * Maximum-likelihood fit: BFGS with the analytic gradient from r = a = b = 1 and α matching the
 * mean purchase rate (see `fitBetaGeometric`).
 */
export const fitBgNbd = (
  customers: readonly Frequency[],
  options: { start?: BgNbdParams } = {},
): BgNbdFit => fitBetaGeometric(customers, 0, options);

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
