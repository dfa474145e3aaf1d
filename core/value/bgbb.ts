// BG/BB: Fader, Hardie & Shang (2010), "Customer-Base Analysis in a Discrete-Time Noncontractual
// Setting", Marketing Science 29(6). At each of n discrete opportunities an alive customer
// transacts with probability p ~ Beta(α, β), and before each opportunity dies with probability
// θ ~ Beta(γ, δ). A customer is read through (x, tx, n): x transactions, the last at opportunity
// tx (0 if none), out of n.
import type { BgbbParams } from '../../schema/value.ts';
import { logScaleStandardErrorsFromGradient } from './information.ts';
import { minimize, minimizeQuasiNewton } from './optimize.ts';
import { digamma, logBeta, logGamma } from './special.ts';

export interface Opportunities {
  x: number;
  tx: number;
  n: number;
}

interface Rows {
  x: Int32Array;
  tx: Int32Array;
  n: Int32Array;
  weight: Float64Array;
  customers: number;
}

/** Identical (x, tx, n) are one weighted term: with yearly or quarterly data there are few. */
function compressOpportunities(customers: Iterable<Opportunities>): Rows {
  const rows = new Map<string, { x: number; tx: number; n: number; weight: number }>();
  let count = 0;
  for (const { x, tx, n } of customers) {
    count++;
    const key = `${x}|${tx}|${n}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { x, tx, n, weight: 1 });
  }
  const list = [...rows.values()];
  return {
    x: Int32Array.from(list, (r) => r.x),
    tx: Int32Array.from(list, (r) => r.tx),
    n: Int32Array.from(list, (r) => r.n),
    weight: Float64Array.from(list, (r) => r.weight),
    customers: count,
  };
}

/**
 * ln L of one history and its gradient in (α, β, γ, δ) (eq. 5 of the paper):
 *   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *     + Σ_{i=0}^{n−tx−1} B(α+x, β+tx−x+i)/B(α,β) · B(γ+1, δ+tx+i)/B(γ,δ),
 * alive through n, or dead at opportunity tx+i+1. The sum's terms follow from one another by a
 * ratio (and their log-derivatives by a difference), so a long history costs no Γ per term; they
 * are added as a running log-sum-exp.
 */
function rowLogLikelihood(
  p: BgbbParams,
  x: number,
  tx: number,
  n: number,
  grad: Float64Array | null,
): { ll: number; logAliveTerm: number } {
  const { alpha: a, beta: b, gamma: g, delta: d } = p;
  const lbAB = logBeta(a, b);
  const lbGD = logBeta(g, d);
  const psiA = digamma(a);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  const psiG = digamma(g);
  const psiD = digamma(d);
  const psiGD = digamma(g + d);
  // Term "alive through n".
  const alive = logBeta(a + x, b + n - x) - lbAB + logBeta(g, d + n) - lbGD;
  let max = alive;
  let sum = 1;
  const acc = [0, 0, 0, 0];
  const da0 = digamma(a + x) - digamma(a + b + n) - psiA + psiAB;
  const db0 = digamma(b + n - x) - digamma(a + b + n) - psiB + psiAB;
  const dg0 = psiG - digamma(g + d + n) - psiG + psiGD;
  const dd0 = digamma(d + n) - digamma(g + d + n) - psiD + psiGD;
  if (grad) {
    acc[0] = da0;
    acc[1] = db0;
    acc[2] = dg0;
    acc[3] = dd0;
  }
  if (n > tx) {
    let term = logBeta(a + x, b + tx - x) - lbAB + logBeta(g + 1, d + tx) - lbGD;
    let da = digamma(a + x) - digamma(a + b + tx) - psiA + psiAB;
    let db = digamma(b + tx - x) - digamma(a + b + tx) - psiB + psiAB;
    let dg = digamma(g + 1) - digamma(g + d + tx + 1) - psiG + psiGD;
    let dd = digamma(d + tx) - digamma(g + d + tx + 1) - psiD + psiGD;
    for (let i = 0; i < n - tx; i++) {
      if (term > max) {
        const scale = Math.exp(max - term);
        sum *= scale;
        for (let j = 0; j < 4; j++) acc[j]! *= scale;
        max = term;
      }
      const w = Math.exp(term - max);
      sum += w;
      if (grad) {
        acc[0]! += w * da;
        acc[1]! += w * db;
        acc[2]! += w * dg;
        acc[3]! += w * dd;
      }
      const u = b + tx - x + i;
      const v = a + b + tx + i;
      const s = d + tx + i;
      const q = g + d + tx + i + 1;
      term += Math.log(u / v) + Math.log(s / q);
      da -= 1 / v;
      db += 1 / u - 1 / v;
      dg -= 1 / q;
      dd += 1 / s - 1 / q;
    }
  }
  if (grad) for (let j = 0; j < 4; j++) grad[j] = acc[j]! / sum;
  return { ll: max + Math.log(sum), logAliveTerm: alive };
}

const toParams = (theta: readonly number[]): BgbbParams => {
  const [alpha, beta, gamma, delta] = theta.map(Math.exp) as [number, number, number, number];
  return { alpha, beta, gamma, delta };
};
const toTheta = (p: BgbbParams): number[] => [p.alpha, p.beta, p.gamma, p.delta].map(Math.log);

function objective(rows: Rows) {
  const grad = new Float64Array(4);
  return (theta: number[]): { f: number; g: number[] } => {
    const p = toParams(theta);
    let f = 0;
    const g = [0, 0, 0, 0];
    for (let i = 0; i < rows.x.length; i++) {
      const w = rows.weight[i]!;
      f -= w * rowLogLikelihood(p, rows.x[i]!, rows.tx[i]!, rows.n[i]!, grad).ll;
      for (let j = 0; j < 4; j++) g[j]! -= w * grad[j]!;
    }
    const values = [p.alpha, p.beta, p.gamma, p.delta];
    return { f, g: g.map((gj, j) => gj * values[j]!) };
  };
}

export const bgbbLogLikelihood = (params: BgbbParams, customers: Iterable<Opportunities>): number =>
  -objective(compressOpportunities(customers))(toTheta(params)).f;

/** Gradient of the log-likelihood in (α, β, γ, δ). */
export function bgbbGradient(params: BgbbParams, customers: Iterable<Opportunities>): number[] {
  const { g } = objective(compressOpportunities(customers))(toTheta(params));
  const values = [params.alpha, params.beta, params.gamma, params.delta];
  return g.map((gj, j) => -gj / values[j]!);
}

const LOWER = Math.log(1e-5);
const UPPER = Math.log(1e6);

export interface BgbbFit {
  params: BgbbParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  standardErrors: BgbbParams | null;
  customers: number;
}

/** Maximum likelihood by BFGS on ln(α, β, γ, δ) from (1, 1, 1, 1); Nelder–Mead polishes a stall. */
export function fitBgbb(
  customers: readonly Opportunities[],
  options: { start?: BgbbParams } = {},
): BgbbFit {
  const rows = compressOpportunities(customers);
  const count = rows.customers;
  if (count === 0) throw new RangeError('fitBgbb needs at least one customer');
  const total = objective(rows);
  const mean = (theta: number[]) => {
    const { f, g } = total(theta);
    return { f: f / count, g: g.map((gj) => gj / count) };
  };
  const start = options.start ?? { alpha: 1, beta: 1, gamma: 1, delta: 1 };
  const bounds = { lower: [LOWER, LOWER, LOWER, LOWER], upper: [UPPER, UPPER, UPPER, UPPER] };
  let result = minimizeQuasiNewton(mean, toTheta(start), { ...bounds, tolG: 1e-8 });
  let iterations = result.iterations;
  let evaluations = result.evaluations;
  if (!result.converged) {
    const polished = minimize((theta) => mean(theta).f, result.x, { ...bounds, tolF: 1e-11 });
    iterations += polished.iterations;
    evaluations += polished.evaluations;
    if (polished.f <= result.f) result = polished;
  }
  const se = logScaleStandardErrorsFromGradient((theta) => total(theta).g, result.x);
  return {
    params: toParams(result.x),
    logLikelihood: -result.f * count,
    converged: result.converged && !result.atBound.some(Boolean),
    iterations,
    evaluations,
    standardErrors: se ? { alpha: se[0]!, beta: se[1]!, gamma: se[2]!, delta: se[3]! } : null,
    customers: count,
  };
}

/** P(alive at opportunity n+1 | x, tx, n) (eq. 11). */
export function bgbbPAlive(p: BgbbParams, c: Opportunities): number {
  const { ll, logAliveTerm } = rowLogLikelihood(p, c.x, c.tx, c.n, null);
  return Math.exp(logAliveTerm + Math.log1p(-p.gamma / (p.gamma + p.delta + c.n)) - ll);
}

/**
 * E[X(n, n+t) | x, tx, n], the expected transactions in the next t opportunities (eq. 13):
 *   1/L · B(α+x+1, β+n−x)/B(α,β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ)
 *       · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+t)/Γ(γ+δ+n+t)],
 * the bracket over (γ−1) taken by expm1 (at γ = 1 both vanish; γ is nudged off 1 by 1e-9).
 */
export function bgbbExpectedPurchases(p: BgbbParams, c: Opportunities, t: number): number {
  if (!(t > 0)) return 0;
  const gamma = Math.abs(p.gamma - 1) < 1e-9 ? 1 + 1e-9 : p.gamma;
  const q = { ...p, gamma };
  const { ll } = rowLogLikelihood(q, c.x, c.tx, c.n, null);
  const d = p.delta;
  const head = logGamma(1 + d + c.n) - logGamma(gamma + d + c.n);
  // ln of Γ(1+δ+n+t)Γ(γ+δ+n) / (Γ(γ+δ+n+t)Γ(1+δ+n)): a sum of log1p for whole t, so that it
  // keeps its digits when γ is near 1 and the ratio near 1.
  let logRatio = 0;
  if (Number.isInteger(t) && t <= 100_000)
    for (let i = 0; i < t; i++) logRatio += Math.log1p((1 - gamma) / (gamma + d + c.n + i));
  else logRatio = logGamma(1 + d + c.n + t) - logGamma(gamma + d + c.n + t) - head;
  const difference = (-Math.expm1(logRatio) * Math.exp(head)) / (gamma - 1);
  return (
    Math.exp(
      logBeta(p.alpha + c.x + 1, p.beta + c.n - c.x) -
        logBeta(p.alpha, p.beta) +
        Math.log(d) +
        logGamma(gamma + d) -
        logGamma(1 + d) -
        ll,
    ) * difference
  );
}

/** E[X(t)] of a new customer over its first t opportunities (eq. 8). */
export const bgbbExpectedPurchasesNew = (p: BgbbParams, t: number): number =>
  bgbbExpectedPurchases(p, { x: 0, tx: 0, n: 0 }, t);
