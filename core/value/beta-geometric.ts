// The likelihood shared by BG/NBD and MBG/NBD, with its analytic gradient and the fit. Both let
// purchases follow Poisson(λ), λ ~ Gamma(r, α), and a customer leave with probability
// p ~ Beta(a, b) at each purchase: BG/NBD after each repeat purchase, MBG/NBD (Batislam, Denizel
// & Filiztekin 2007) at the first purchase too. With m the number of dropout chances survived
// (m = x for BG/NBD, x + 1 for MBG/NBD), in log space:
//   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+m) − ln B(a, b) − (r+x) ln(α+T)
//          + [m > 0] softplus(ln a − ln(b+m−1) + (r+x)(ln(α+T) − ln(α+tx))).
import type { BgNbdParams } from '../../schema/value.ts';
import { logScaleStandardErrorsFromGradient } from './information.ts';
import { minimize, minimizeQuasiNewton } from './optimize.ts';
import { digamma, logGamma } from './special.ts';
import { compress, weightedMean, type Compressed, type Frequency } from './sufficient.ts';

/** 0 for BG/NBD, 1 for MBG/NBD: the dropout chances a customer has before the repeat purchases. */
export type DropoutShift = 0 | 1;

const toParams = (theta: readonly number[]): BgNbdParams => {
  const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
  return { r, alpha, a, b };
};
export const toTheta = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b].map(Math.log);

/** −ln L of the compressed sample and its gradient in θ = ln(r, α, a, b). */
export function betaGeometricObjective(data: Compressed, shift: DropoutShift) {
  const distinct = [...new Set(data.x)];
  const slotOf = new Map(distinct.map((x, i) => [x, i]));
  const slots = Int32Array.from(data.x, (x) => slotOf.get(x)!);
  // Per distinct x: the x-only terms and their derivatives.
  const common = new Float64Array(distinct.length);
  const dR = new Float64Array(distinct.length);
  const dA = new Float64Array(distinct.length);
  const dB = new Float64Array(distinct.length);
  const logDropout = new Float64Array(distinct.length);
  const rx = new Float64Array(distinct.length);
  const dropoutBase = new Float64Array(distinct.length);
  // Times are whole days, so a sample's T and tx take few distinct values (the CDNOW master log's
  // 8,685 calibration histories: 273 between them): ln(α+t) and 1/(α+t) are computed once per value
  // and evaluation. The same operations on the same numbers, so the same bits as per history.
  const timeSlotOf = new Map<number, number>();
  const timeSlot = (t: number) => {
    let k = timeSlotOf.get(t);
    if (k === undefined) timeSlotOf.set(t, (k = timeSlotOf.size));
    return k;
  };
  const atT = Int32Array.from(data.T, timeSlot);
  const atTx = Int32Array.from(data.tx, timeSlot);
  const times = Float64Array.from(timeSlotOf.keys());
  const sumTime = new Float64Array(times.length);
  const logTime = new Float64Array(times.length);
  const invTime = new Float64Array(times.length);
  const n = data.x.length;
  return (theta: number[]): { f: number; g: number[] } => {
    const { r, alpha, a, b } = toParams(theta);
    const lnAlpha = Math.log(alpha);
    const base = -logGamma(r) - logGamma(b) + logGamma(a + b) + r * lnAlpha;
    const psiR = digamma(r);
    const psiB = digamma(b);
    const psiAB = digamma(a + b);
    for (let i = 0; i < distinct.length; i++) {
      const x = distinct[i]!;
      const m = x + shift;
      common[i] = base + logGamma(r + x) + logGamma(b + m) - logGamma(a + b + m);
      dR[i] = digamma(r + x) - psiR + lnAlpha;
      const psiABm = digamma(a + b + m);
      dA[i] = psiAB - psiABm;
      dB[i] = psiAB + digamma(b + m) - psiB - psiABm;
      logDropout[i] = m > 0 ? Math.log(a) - Math.log(b + m - 1) : Number.NEGATIVE_INFINITY;
      rx[i] = r + x;
      dropoutBase[i] = b + x + shift - 1;
    }
    for (let t = 0; t < times.length; t++) {
      sumTime[t] = alpha + times[t]!;
      logTime[t] = Math.log(sumTime[t]!);
      invTime[t] = 1 / sumTime[t]!;
    }
    const rOverAlpha = r / alpha;
    let f = 0;
    let gr = 0;
    let ga = 0;
    let gaa = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      const w = data.weight[i]!;
      const tT = atT[i]!;
      const at = logTime[tT]!;
      const k1 = rx[slot]!;
      let value = common[slot]! - k1 * at;
      let sr = dR[slot]! - at;
      let sa = rOverAlpha - k1 / sumTime[tT]!;
      let saa = dA[slot]!;
      let sb = dB[slot]!;
      const ld = logDropout[slot]!;
      if (ld !== Number.NEGATIVE_INFINITY) {
        const tTx = atTx[i]!;
        const gap = at - logTime[tTx]!;
        const k = ld + k1 * gap;
        // softplus(k) and the logistic σ(k), sharing e^−k where k > 0.
        let sigma: number;
        if (k > 0) {
          const e = Math.exp(-k);
          value += k + Math.log1p(e);
          sigma = 1 / (1 + e);
        } else {
          value += Math.log1p(Math.exp(k));
          sigma = 1 / (1 + Math.exp(-k));
        }
        sr += sigma * gap;
        sa += sigma * k1 * (invTime[tT]! - invTime[tTx]!);
        saa += sigma / a;
        sb -= sigma / dropoutBase[slot]!;
      }
      f -= w * value;
      gr -= w * sr;
      ga -= w * sa;
      gaa -= w * saa;
      gb -= w * sb;
    }
    return { f, g: [gr * r, ga * alpha, gaa * a, gb * b] };
  };
}

const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e6);

export interface BetaGeometricFit {
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
 * Maximum likelihood by BFGS on ln(r, α, a, b) with the analytic gradient, from r = a = b = 1 and α
 * matching the mean purchase rate. Should BFGS stop short (a ridge, a bound), restarted
 * Nelder–Mead polishes from where it stopped.
 */
export function fitBetaGeometric(
  customers: readonly Frequency[],
  shift: DropoutShift,
  options: { start?: BgNbdParams } = {},
): BetaGeometricFit {
  const data = compress(customers);
  const n = data.customers;
  if (n === 0) throw new RangeError('a fit needs at least one customer');
  const total = betaGeometricObjective(data, shift);
  const mean = (theta: number[]) => {
    const { f, g } = total(theta);
    return { f: f / n, g: g.map((gj) => gj / n) };
  };
  const meanX = weightedMean(data, data.x);
  const meanT = weightedMean(data, data.T);
  const start = options.start ?? {
    r: 1,
    alpha: Math.min(1e5, Math.max(1e-3, meanT / Math.max(meanX, 1e-3))),
    a: 1,
    b: 1,
  };
  const bounds = { lower: [LOWER, LOWER, LOWER, LOWER], upper: [UPPER, UPPER, UPPER, UPPER] };
  let result = minimizeQuasiNewton(mean, toTheta(start), { ...bounds, tolG: 1e-8 });
  let iterations = result.iterations;
  let evaluations = result.evaluations;
  if (!result.converged) {
    const polished = minimize((theta) => mean(theta).f, result.x, {
      ...bounds,
      tolF: 1e-11,
      maxIterations: 2000,
    });
    iterations += polished.iterations;
    evaluations += polished.evaluations;
    if (polished.f <= result.f) result = polished;
  }
  const se = logScaleStandardErrorsFromGradient((theta) => total(theta).g, result.x);
  return {
    params: toParams(result.x),
    logLikelihood: -result.f * n,
    converged: result.converged && !result.atBound.some(Boolean),
    iterations,
    evaluations,
    standardErrors: se ? { r: se[0]!, alpha: se[1]!, a: se[2]!, b: se[3]! } : null,
    customers: n,
  };
}

/** Log-likelihood of the customers under the parameters. */
export const betaGeometricLogLikelihood = (
  params: BgNbdParams,
  customers: Iterable<Frequency>,
  shift: DropoutShift,
): number => -betaGeometricObjective(compress(customers), shift)(toTheta(params)).f;

/** Gradient of the log-likelihood in (r, α, a, b). */
export function betaGeometricGradient(
  params: BgNbdParams,
  customers: Iterable<Frequency>,
  shift: DropoutShift,
): number[] {
  const { g } = betaGeometricObjective(compress(customers), shift)(toTheta(params));
  const values = [params.r, params.alpha, params.a, params.b];
  return g.map((gj, j) => -gj / values[j]!);
}
