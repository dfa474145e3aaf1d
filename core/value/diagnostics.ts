// The checks of Fader, Hardie & Lee (2005), Figures 2–4, for a stored continuous-time model: the
// calibration histogram of repeat purchases, holdout purchases by calibration frequency, and weekly
// cumulative tracking.
import { DAY_MS } from '../../schema/common.ts';
import {
  FREQUENCY_GROUPS,
  type BgNbdParams,
  type ClvModel,
  type ModelDiagnostics,
  type PnbdParams,
  type ValueTransaction,
} from '../../schema/value.ts';
import { groupOf } from './backtest.ts';
import { predictorOf } from './purchase-model.ts';
import { logBeta } from './special.ts';
import { DAYS_PER_UNIT, lastObservedDay, summariseTransactions } from './summary.ts';

const BINS = FREQUENCY_GROUPS.length;

/** ln of the NBD probabilities P(N(t) = j), j = 0…k−1, of Poisson counts with Gamma(r, α) rates. */
function logNbd(r: number, alpha: number, t: number, k: number): number[] {
  const out: number[] = [];
  const base = r * (Math.log(alpha) - Math.log(alpha + t));
  const step = t > 0 ? Math.log(t) - Math.log(alpha + t) : Number.NEGATIVE_INFINITY;
  let acc = base;
  for (let j = 0; j < k; j++) {
    if (j > 0) acc += Math.log(r + j - 1) - Math.log(j) + step;
    out.push(acc);
  }
  return out;
}

/**
 * P(X(t) = x), x = 0…6, of a new customer under BG/NBD (shift 0; FHL 2005, eq. 8) or MBG/NBD
 * (shift 1): with J the purchases before dropping out, X(t) = min(N(t), J), so
 * P(X = x) = P(J > x)·P(N = x) + P(J = x)·P(N ≥ x) with P(J > x) = B(a, b+x+shift)/B(a, b) and
 * P(J = x) = B(a+1, b+x+shift−1)/B(a, b) (x + shift ≥ 1).
 */
function betaGeometricCounts(p: BgNbdParams, t: number, shift: 0 | 1): number[] {
  const nb = logNbd(p.r, p.alpha, t, BINS - 1).map(Math.exp);
  const lb = logBeta(p.a, p.b);
  let below = 0;
  return nb.map((q, x) => {
    const survive = Math.exp(logBeta(p.a, p.b + x + shift) - lb);
    const stop = x + shift >= 1 ? Math.exp(logBeta(p.a + 1, p.b + x + shift - 1) - lb) : 0;
    const value = survive * q + stop * Math.max(0, 1 - below);
    below += q;
    return value;
  });
}

/**
 * P(X(t) = x), x = 0…6, under Pareto/NBD: alive through t with x purchases, or dead at τ < t after
 * x purchases; λ and μ integrate out separately, leaving
 *   NB(x; t)·(β/(β+t))^s + ∫_0^t NB(x; τ) s β^s (β+τ)^−(s+1) dτ,
 * integrated by Simpson's rule over a smooth integrand.
 */
function pnbdCounts(p: PnbdParams, t: number): number[] {
  const k = BINS - 1;
  const alive = Math.exp(p.s * (Math.log(p.beta) - Math.log(p.beta + t)));
  const out = logNbd(p.r, p.alpha, t, k).map((l) => Math.exp(l) * alive);
  if (t <= 0) return out;
  const steps = 400;
  const h = t / steps;
  for (let i = 0; i <= steps; i++) {
    const tau = i * h;
    const weight = ((i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3;
    const death = Math.exp(
      Math.log(p.s) + p.s * Math.log(p.beta) - (p.s + 1) * Math.log(p.beta + tau),
    );
    const nb = logNbd(p.r, p.alpha, tau, k);
    for (let x = 0; x < k; x++) out[x]! += weight * death * Math.exp(nb[x]!);
  }
  return out;
}

/** P(X(t) = x) for x = 0…6 and the rest for 7+. */
function countDistribution(model: Pick<ClvModel, 'model' | 'params'>, t: number): number[] {
  let head: number[];
  if (model.model === 'pnbd') head = pnbdCounts(model.params as PnbdParams, t);
  else if (model.model === 'bgnbd' || model.model === 'mbgnbd')
    head = betaGeometricCounts(model.params as BgNbdParams, t, model.model === 'bgnbd' ? 0 : 1);
  else throw new RangeError('diagnostics cover the continuous-time models');
  const rest = Math.max(0, 1 - head.reduce((s, q) => s + q, 0));
  return [...head, rest];
}

/**
 * The three checks for a stored continuous-time model, from the purchases up to `end` (grouped by
 * client and day or not). The calibration customers are those with a purchase before the model's
 * asOf; the holdout is [asOf, end).
 */
export function modelDiagnostics(
  model: Pick<ClvModel, 'model' | 'params' | 'asOf' | 'timeUnit'>,
  transactions: readonly Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>[],
  end: string,
): ModelDiagnostics {
  if (model.model === 'bgbb') throw new RangeError('diagnostics cover the continuous-time models');
  const unit = DAYS_PER_UNIT[model.timeUnit];
  const calibration = summariseTransactions(transactions, {
    asOf: model.asOf,
    timeUnit: model.timeUnit,
  });
  const calibrationEnd = lastObservedDay(model.asOf);
  const endDay = lastObservedDay(end);
  const endMs = Date.parse(end);

  // Each calibration client's purchase days (for the holdout and the tracking) and first day.
  const days = new Map<string, Set<number>>();
  for (const t of transactions) {
    if (!(Date.parse(t.at) < endMs)) continue;
    const day = Math.floor(Date.parse(t.at) / DAY_MS);
    let set = days.get(t.clientId);
    if (!set) days.set(t.clientId, (set = new Set()));
    set.add(day);
  }

  // 1. Histogram: expected counts by distinct observation length T.
  const histogram = FREQUENCY_GROUPS.map((frequency) => ({ frequency, actual: 0, expected: 0 }));
  const byT = new Map<number, number>();
  for (const c of calibration) {
    histogram[FREQUENCY_GROUPS.indexOf(groupOf(c.x))]!.actual++;
    byT.set(c.T, (byT.get(c.T) ?? 0) + 1);
  }
  for (const [T, count] of byT)
    countDistribution(model, T).forEach((q, i) => (histogram[i]!.expected += count * q));

  // 2. Holdout by calibration frequency.
  const predictor = predictorOf(model, model.timeUnit);
  const length = Math.max(0, (endDay - calibrationEnd) / unit);
  const bins = FREQUENCY_GROUPS.map((frequency) => ({
    frequency,
    customers: 0,
    actual: 0,
    expected: 0,
  }));
  const firstDay = new Map<string, number>();
  for (const c of calibration) {
    const bin = bins[FREQUENCY_GROUPS.indexOf(groupOf(c.x))]!;
    const own = days.get(c.id)!;
    firstDay.set(c.id, Math.min(...own));
    bin.customers++;
    for (const d of own) if (d > calibrationEnd && d <= endDay) bin.actual++;
    if (length > 0) bin.expected += predictor.expectedPurchases(c, length);
  }

  // 3. Weekly cumulative tracking from the cohort's first purchase day.
  let start = Number.POSITIVE_INFINITY;
  for (const d of firstDay.values()) start = Math.min(start, d);
  const weeks = Math.max(1, Math.ceil((endDay + 1 - start) / 7));
  const increments = new Float64Array(weeks + 1);
  const firsts = new Map<number, number>();
  for (const [id, first] of firstDay) {
    firsts.set(first, (firsts.get(first) ?? 0) + 1);
    for (const d of days.get(id)!) {
      if (d === first || d > endDay) continue;
      increments[Math.min(weeks, Math.floor((d - start) / 7) + 1)]!++;
    }
  }
  const fresh = { x: 0, tx: 0, T: 0 };
  const tracking: ModelDiagnostics['tracking']['weeks'] = [];
  let cumulative = 0;
  for (let w = 1; w <= weeks; w++) {
    cumulative += increments[w]!;
    // Purchases on the days up to start + 7w − 1, i.e. before the instant start + 7w.
    const at = start + 7 * w;
    let expected = 0;
    for (const [first, count] of firsts) {
      const age = (at - 1 - first) / unit;
      if (age > 0) expected += count * predictor.expectedPurchases(fresh, age);
    }
    tracking.push({ week: w, actual: cumulative, expected });
  }
  return {
    model: model.model,
    timeUnit: model.timeUnit,
    calibrationEnd: model.asOf,
    end,
    histogram,
    holdout: { length, bins },
    tracking: {
      start: new Date(start * DAY_MS).toISOString(),
      calibrationEndWeek: Math.floor((calibrationEnd - start) / 7) + 1,
      weeks: tracking,
    },
  };
}
