// Pareto/NBD: Schmittlein, Morrison & Colombo (1987), with the likelihood as derived in Fader,
// Hardie & Lee (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions".
// Purchases at Poisson(λ) while alive, lifetimes Exponential(μ), λ ~ Gamma(r, α), μ ~ Gamma(s, β).
import type { PnbdParams } from '../../schema/value.ts';
import { logScaleStandardErrorsFromGradient } from './information.ts';
import { minimizeQuasiNewton } from './optimize.ts';
import { digamma, logAddExp, logGamma } from './special.ts';
import { compress, weightedMean, type Compressed, type Frequency } from './sufficient.ts';

/**
 * ₂F₁(1, P; C; z) for 0 ≤ z < 1 and C > P > 0 by Gauss's continued fraction (the a = 0 case of
 * ₂F₁(a+1, b; c+1; z)/₂F₁(a, b; c; z)), evaluated by the modified Lentz method. Near z = 1, where
 * the power series needs about 1/(1−z) terms, the fraction needs a few hundred to a few thousand.
 */
function hyp1ContinuedFraction(P: number, C: number, z: number): number {
  const c0 = C - 1;
  const tiny = 1e-300;
  let f = 1;
  let num = 1;
  let den = 0;
  for (let j = 1; j < 1_000_000; j++) {
    const m = j >> 1;
    const k =
      j % 2 === 1
        ? (-(c0 + m) * (P + m)) / ((c0 + 2 * m) * (c0 + 2 * m + 1))
        : ((P - c0 - m) * m) / ((c0 + 2 * m - 1) * (c0 + 2 * m));
    const a = k * z;
    den = 1 + a * den;
    if (Math.abs(den) < tiny) den = tiny;
    num = 1 + a / num;
    if (Math.abs(num) < tiny) num = tiny;
    den = 1 / den;
    const delta = num * den;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) return 1 / f;
  }
  throw new RangeError('₂F₁ continued fraction did not converge');
}

/** Beyond this z the continued fraction replaces the power series. */
const SERIES_MAX_Z = 0.9;

/**
 * ln ₂F₁(1, P; C; z) for 0 ≤ z < 1 and C > P > 0, with the derivatives of the logarithm in P, C
 * and z. Every term ratio z·(P+n)/(C+n) is below z, so the terms only shrink and never overflow
 * (the sum is below 1/(1−z)): no rescaling, no cancellation, however large P (a customer's
 * purchase count) is. The derivatives are summed along. Past z = 0.9 (one rate parameter ten
 * times the other), unless C − P is large enough for the terms to vanish fast anyway, the
 * continued fraction takes over; there dF/dz comes from the differential
 * equation z(1−z)F′ = PzF + (1−C)(F−1), and the P and C derivatives from central differences.
 */
function logHyp1(P: number, C: number, z: number, out: Float64Array): number {
  // Far enough apart, C and P make the terms fall like n^(P−C) whatever z is.
  if (z > SERIES_MAX_Z && C - P < 40) {
    const F = hyp1ContinuedFraction(P, C, z);
    const h = 1e-6;
    const dP =
      (Math.log(hyp1ContinuedFraction(P * (1 + h), C + P * h, z)) -
        Math.log(hyp1ContinuedFraction(P * (1 - h), C - P * h, z))) /
      (2 * P * h);
    const dC =
      (Math.log(hyp1ContinuedFraction(P, C * (1 + h), z)) -
        Math.log(hyp1ContinuedFraction(P, C * (1 - h), z))) /
      (2 * C * h);
    // dP above moved C along with P (C > P must hold): subtract that share.
    out[0] = dP - dC;
    out[1] = dC;
    out[2] = (P * z * F + (1 - C) * (F - 1)) / (z * (1 - z) * F);
    return Math.log(F);
  }
  let t = 1;
  let F = 1;
  let sP = 0;
  let sC = 0;
  let sZ = 0;
  let aP = 0;
  let aC = 0;
  for (let n = 1; ; n++) {
    // t_n / z, which stays finite at z = 0 and gives dF/dz = Σ n·t_n/z.
    const q = (t * (P + n - 1)) / (C + n - 1);
    sZ += n * q;
    aP += 1 / (P + n - 1);
    aC += 1 / (C + n - 1);
    t = q * z;
    F += t;
    sP += t * aP;
    sC += t * aC;
    // The ratio z(P+n)/(C+n) creeps up to z; taking the next one as the ratio of the whole tail
    // bounds it (and its n- and log-weighted versions) in practice, since it rises so slowly.
    const gap = 1 - (z * (P + n)) / (C + n);
    if (t * (n + 1 / gap) * (1 + aP + aC) <= 1e-16 * F * gap * gap) break;
  }
  out[0] = sP / F;
  out[1] = -sC / F;
  out[2] = sZ / F;
  return Math.log(F);
}

const series = new Float64Array(3);

/**
 * ln J and its gradient in (p, α, q, β), where J(y) = ∫_y^∞ (α+τ)^−p (β+τ)^−q dτ. With (A, P) the
 * pair of the larger of α and β and (B, Q) the other, z = (A−B)/(A+y) lies in [0, 1) and
 *   J = (A+y)^−P (B+y)^(1−Q) / (P+Q−1) · ₂F₁(1, P; P+Q; z)
 * (the textbook ₂F₁(P+Q−1, Q; P+Q; z) after Euler's transformation): the powers stay in log space,
 * which is where lifetimes and BTYD overflow for long histories and many purchases.
 */
function logJ(
  alpha: number,
  beta: number,
  p: number,
  q: number,
  y: number,
  g: Float64Array,
): number {
  const swapped = alpha < beta;
  const A = swapped ? beta : alpha;
  const B = swapped ? alpha : beta;
  const P = swapped ? q : p;
  const Q = swapped ? p : q;
  const Ay = A + y;
  const By = B + y;
  const z = (A - B) / Ay;
  const C = P + Q;
  const lnF = logHyp1(P, C, z, series);
  const lnAy = Math.log(Ay);
  const lnBy = Math.log(By);
  const dP = -lnAy - 1 / (C - 1) + series[0]! + series[1]!;
  const dQ = -lnBy - 1 / (C - 1) + series[1]!;
  const dA = -P / Ay + (series[2]! * By) / (Ay * Ay);
  const dB = (1 - Q) / By - series[2]! / Ay;
  // g = [∂/∂p, ∂/∂α, ∂/∂q, ∂/∂β]
  g[0] = swapped ? dQ : dP;
  g[1] = swapped ? dB : dA;
  g[2] = swapped ? dP : dQ;
  g[3] = swapped ? dA : dB;
  return -P * lnAy + (1 - Q) * lnBy - Math.log(C - 1) + lnF;
}

const scratch = new Float64Array(4);

const toParams = (theta: readonly number[]): PnbdParams => {
  const [r, alpha, s, beta] = theta.map(Math.exp) as [number, number, number, number];
  return { r, alpha, s, beta };
};
const toTheta = (p: PnbdParams): number[] => [p.r, p.alpha, p.s, p.beta].map(Math.log);

/**
 * −ln L of the compressed sample and its gradient in θ = ln(r, α, s, β). Integrating the death
 * time out of the individual likelihood gives
 *   L = Γ(r+x)/Γ(r) α^r β^s [ (α+T)^−(r+x) (β+T)^−s + s ∫_tx^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ],
 * two positive terms (alive at T; died in (tx, T]) added in log space; the integral is
 * J(tx) − J(T) with J above, taken as J(tx)·(1 − J(T)/J(tx)) so that nothing overflows. The share
 * of the first term is P(alive) (`pnbdPAlive`). Whatever depends on fewer than all of (x, tx, T)
 * is computed once per distinct value and evaluation, not per history.
 */
function objective(data: Compressed) {
  const distinct = [...new Set(data.x)];
  const slotOf = new Map(distinct.map((x, i) => [x, i]));
  const slots = Int32Array.from(data.x, (x) => slotOf.get(x)!);
  const common = new Float64Array(distinct.length);
  const commonDr = new Float64Array(distinct.length);
  const rx = new Float64Array(distinct.length);
  // J(y) depends on a history only through x and y (its tx or its T), and many histories share
  // those: one-time buyers all have J(0), buyers who started the same day with the same x share
  // J(T), and times are whole days. Each distinct (x, y) is computed once per evaluation: on the
  // CDNOW master log's 8,685 calibration histories, 2,140 series instead of 17,234.
  const pairOf = new Map<number, Map<number, number>>();
  const pairX: number[] = [];
  const pairY: number[] = [];
  const pair = (x: number, y: number) => {
    let byY = pairOf.get(x);
    if (!byY) pairOf.set(x, (byY = new Map<number, number>()));
    let k = byY.get(y);
    if (k === undefined) {
      k = pairX.length;
      byY.set(y, k);
      pairX.push(x);
      pairY.push(y);
    }
    return k;
  };
  const rows = data.x.length;
  const atTx = new Int32Array(rows).fill(-1);
  const atT = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    if (!(data.tx[i]! < data.T[i]!)) continue;
    atTx[i] = pair(data.x[i]!, data.tx[i]!);
    atT[i] = pair(data.x[i]!, data.T[i]!);
  }
  const jValue = new Float64Array(pairX.length);
  const jGrad = new Float64Array(4 * pairX.length);
  // ln s + ln J(tx), per pair.
  const sJ = new Float64Array(pairX.length);
  // ln(α+T), ln(β+T), α+T and β+T per distinct T (84 on the CDNOW master log).
  const timeOf = new Map<number, number>();
  const timeSlots = Int32Array.from(data.T, (t) => {
    let k = timeOf.get(t);
    if (k === undefined) timeOf.set(t, (k = timeOf.size));
    return k;
  });
  const times = Float64Array.from(timeOf.keys());
  const alphaT = new Float64Array(times.length);
  const betaT = new Float64Array(times.length);
  const logAlphaT = new Float64Array(times.length);
  const logBetaT = new Float64Array(times.length);
  const g1 = new Float64Array(4);
  return (theta: number[]): { f: number; g: number[] } => {
    const p = toParams(theta);
    const { r, alpha, s, beta } = p;
    const lgr = logGamma(r);
    const psr = digamma(r);
    const logAlpha = Math.log(alpha);
    const logBeta = Math.log(beta);
    const logS = Math.log(s);
    const rLogAlpha = r * logAlpha;
    const sLogBeta = s * logBeta;
    const rOverAlpha = r / alpha;
    const sOverBeta = s / beta;
    for (let i = 0; i < distinct.length; i++) {
      // ln L's constant part, Γ(r+x)/Γ(r) α^r β^s, and ∂/∂r of it (with ln α).
      common[i] = logGamma(r + distinct[i]!) - lgr + rLogAlpha + sLogBeta;
      commonDr[i] = digamma(r + distinct[i]!) - psr + logAlpha;
      rx[i] = r + distinct[i]!;
    }
    for (let k = 0; k < pairX.length; k++) {
      jValue[k] = logJ(alpha, beta, r + pairX[k]!, s + 1, pairY[k]!, g1);
      jGrad.set(g1, 4 * k);
      sJ[k] = logS + jValue[k]!;
    }
    for (let t = 0; t < times.length; t++) {
      alphaT[t] = alpha + times[t]!;
      betaT[t] = beta + times[t]!;
      logAlphaT[t] = Math.log(alphaT[t]!);
      logBetaT[t] = Math.log(betaT[t]!);
    }
    let f = 0;
    let g0 = 0;
    let ga = 0;
    let gs = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const slot = slots[i]!;
      const w = data.weight[i]!;
      const t = timeSlots[i]!;
      const lnAT = logAlphaT[t]!;
      const lnBT = logBetaT[t]!;
      const e1 = -rx[slot]! * lnAT - s * lnBT;
      let total = e1;
      let w1 = 1;
      let w2 = 0;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      const k1 = atTx[i]!;
      if (k1 >= 0) {
        const k2 = atT[i]!;
        const rho = Math.exp(jValue[k2]! - jValue[k1]!);
        const e2 = sJ[k1]! + Math.log1p(-rho);
        total = logAddExp(e1, e2);
        w2 = Math.exp(e2 - total);
        const k = Math.exp(sJ[k1]! - total);
        if (k !== 0) {
          w1 = Math.exp(e1 - total);
          const a = 4 * k1;
          const b = 4 * k2;
          d0 = k * (jGrad[a]! - rho * jGrad[b]!);
          d1 = k * (jGrad[a + 1]! - rho * jGrad[b + 1]!);
          d2 = k * (jGrad[a + 2]! - rho * jGrad[b + 2]!);
          d3 = k * (jGrad[a + 3]! - rho * jGrad[b + 3]!);
        }
      }
      f -= w * (common[slot]! + total);
      g0 -= w * (commonDr[slot]! - w1 * lnAT + d0);
      ga -= w * (rOverAlpha - (w1 * rx[slot]!) / alphaT[t]! + d1);
      gs -= w * (logBeta - w1 * lnBT + (w2 === 0 ? 0 : w2 / s) + d2);
      gb -= w * (sOverBeta - (w1 * s) / betaT[t]! + d3);
    }
    return { f, g: [g0 * r, ga * alpha, gs * s, gb * beta] };
  };
}

/** Log-likelihood of the customers under the parameters (the papers' convention: constants included). */
export function pnbdLogLikelihood(params: PnbdParams, customers: Iterable<Frequency>): number {
  return -objective(compress(customers))(toTheta(params)).f;
}

/** Gradient of the log-likelihood in (r, α, s, β), for checking against differences. */
export function pnbdGradient(params: PnbdParams, customers: Iterable<Frequency>): number[] {
  const { g } = objective(compress(customers))(toTheta(params));
  const values = [params.r, params.alpha, params.s, params.beta];
  return g.map((gj, j) => -gj / values[j]!);
}

const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e6);

export interface PnbdFit {
  params: PnbdParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  standardErrors: PnbdParams | null;
  customers: number;
}

/**
 * Maximum likelihood by BFGS on ln(r, α, s, β) with the analytic gradient. Starts at r = s = 1,
 * α from the mean purchase rate, β from the mean observation time.
 */
export function fitPnbd(
  customers: readonly Frequency[],
  options: { start?: PnbdParams } = {},
): PnbdFit {
  const data = compress(customers);
  const n = data.customers;
  if (n === 0) throw new RangeError('fitPnbd needs at least one customer');
  const total = objective(data);
  const mean = (theta: number[]) => {
    const { f, g } = total(theta);
    return { f: f / n, g: g.map((gj) => gj / n) };
  };
  const meanX = weightedMean(data, data.x);
  const meanT = weightedMean(data, data.T);
  const clamp = (v: number) => Math.min(1e5, Math.max(1e-3, v));
  const start = options.start ?? {
    r: 1,
    alpha: clamp(meanT / Math.max(meanX, 1e-3)),
    s: 1,
    beta: clamp(meanT),
  };
  const bounds = { lower: [LOWER, LOWER, LOWER, LOWER], upper: [UPPER, UPPER, UPPER, UPPER] };
  const result = minimizeQuasiNewton(mean, toTheta(start), { ...bounds, tolG: 1e-8 });
  const se = logScaleStandardErrorsFromGradient((theta) => total(theta).g, result.x);
  return {
    params: toParams(result.x),
    logLikelihood: -result.f * n,
    converged: result.converged && !result.atBound.some(Boolean),
    iterations: result.iterations,
    evaluations: result.evaluations,
    standardErrors: se ? { r: se[0]!, alpha: se[1]!, s: se[2]!, beta: se[3]! } : null,
    customers: n,
  };
}

/** P(alive | x, tx, T): the share of the likelihood from "still alive at T" (see `objective`). */
export function pnbdPAlive(p: PnbdParams, c: Frequency): number {
  const { r, alpha, s, beta } = p;
  const { x, T } = c;
  const tx = x === 0 ? 0 : c.tx;
  if (!(tx < T)) return 1;
  const e1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const j1 = logJ(alpha, beta, r + x, s + 1, tx, scratch);
  const j2 = logJ(alpha, beta, r + x, s + 1, T, scratch);
  const total = logAddExp(e1, Math.log(s) + j1 + Math.log1p(-Math.exp(j2 - j1)));
  return Math.exp(Math.log(s) + j1 - total) === 0 ? 1 : Math.exp(e1 - total);
}

/**
 * E[Y(t) | x, tx, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive), with
 * the bracket over (s−1) taken by expm1 so that s = 1 (where it is ln((β+T+t)/(β+T))) is smooth.
 */
export function pnbdExpectedPurchases(p: PnbdParams, c: Frequency, t: number): number {
  if (!(t > 0)) return 0;
  const logRatio = -Math.log1p(t / (p.beta + c.T));
  const eps = p.s - 1;
  const bracket = eps === 0 ? -logRatio : -Math.expm1(eps * logRatio) / eps;
  return (((p.r + c.x) * (p.beta + c.T)) / (p.alpha + c.T)) * bracket * pnbdPAlive(p, c);
}

/** E[X(t)], the expected repeat transactions of a new customer in its first t. */
export const pnbdExpectedPurchasesNew = (p: PnbdParams, t: number): number =>
  pnbdExpectedPurchases(p, { x: 0, tx: 0, T: 0 }, t);
