import type { SleepRule } from '../lifecycle/stages.ts';
import type { ClvModel } from '../../schema/value.ts';
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
  model: Pick<ClvModel, 'params' | 'timeUnit'>,
  threshold: number,
  fallback: SleepRule,
): SleepRule {
  const { r, alpha, a, b } = model.params;
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
