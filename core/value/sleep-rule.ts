import type { SleepRule } from '../lifecycle/stages.ts';
import type { BgNbdParams, ClvModel } from '../../schema/value.ts';
import { predictorOf } from './purchase-model.ts';
import { DAYS_PER_UNIT } from './summary.ts';
import { DAY_MS } from '../../schema/common.ts';

/**
 * The sleeping rule by probability (docs/domain.md 1.3): a buyer sleeps once the fitted BG/NBD model's
 * P(alive) falls below `threshold`. For x ≥ 1 repeat days, P(alive) at age T is
 * 1 / (1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x)), which falls as T grows, so the crossing has a closed
 * form. BG/NBD never lets a client die before a first repeat purchase (P(alive) = 1 at x = 0), so
 * one-time buyers keep the fixed-days rule given as `fallback`.
 */
export function pAliveSleepRule(
  model: Pick<ClvModel, 'model' | 'params' | 'timeUnit'>,
  threshold: number,
  fallback: SleepRule,
): SleepRule {
  if (model.model !== 'bgnbd') return searchedSleepRule(model, threshold, fallback);
  const { r, alpha, a, b } = model.params as BgNbdParams;
  const unitMs = DAYS_PER_UNIT[model.timeUnit] * DAY_MS;
  return (days) => {
    const x = days.length - 1;
    if (x < 1) return fallback(days);
    const tx = (days[days.length - 1]! - days[0]!) / unitMs;
    // 1/(1+k·q) < θ  ⇔  q > (1/θ − 1)·(b+x−1)/a, with q = ((α+T)/(α+tx))^(r+x)
    const q = ((1 / threshold - 1) * (b + x - 1)) / a;
    const T = q <= 1 ? tx : (alpha + tx) * q ** (1 / (r + x)) - alpha;
    return Math.max(0, T - tx) * unitMs;
  };
}

/**
 * The same rule for the other models, whose P(alive) also falls as the silence since the last
 * purchase grows but has no closed-form inverse: the crossing is bracketed by doubling and found
 * by bisection to a minute. A client the model never lets fall below the threshold within ten
 * years of silence keeps the fallback rule; BG/BB only falls a period at a time, which the
 * bisection simply lands on.
 */
function searchedSleepRule(
  model: Pick<ClvModel, 'model' | 'params' | 'timeUnit'>,
  threshold: number,
  fallback: SleepRule,
): SleepRule {
  const unitMs = DAYS_PER_UNIT[model.timeUnit] * DAY_MS;
  const predictor = predictorOf(model, model.timeUnit);
  const limit = (3652.5 * DAY_MS) / unitMs;
  return (days) => {
    const x = days.length - 1;
    const tx = x > 0 ? (days[days.length - 1]! - days[0]!) / unitMs : 0;
    const below = (silence: number) => predictor.pAlive({ x, tx, T: tx + silence }) < threshold;
    if (below(0)) return 0;
    let high = 1;
    while (!below(high)) {
      high *= 2;
      if (high > limit) return fallback(days);
    }
    let low = high / 2;
    if (high === 1) low = 0;
    while ((high - low) * unitMs > 60_000) {
      const mid = (low + high) / 2;
      if (below(mid)) high = mid;
      else low = mid;
    }
    return high * unitMs;
  };
}
