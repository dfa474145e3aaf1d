import { DAY_MS } from '../../schema/common.ts';
import {
  FREQUENCY_GROUPS,
  type Backtest,
  type InsufficientData,
  type TimeUnit,
  type ValueTransaction,
} from '../../schema/value.ts';
import { expectedPurchases, fitBgNbd } from './bgnbd.ts';
import { checkMinimumData, type MinimumData } from './model.ts';
import { DAYS_PER_UNIT, lastObservedDay, summariseTransactions } from './summary.ts';

const groupOf = (x: number): (typeof FREQUENCY_GROUPS)[number] =>
  FREQUENCY_GROUPS[Math.min(x, FREQUENCY_GROUPS.length - 1)]!;

/**
 * How far to trust the model: fits BG/NBD on the purchases before `holdoutFrom` and compares its
 * conditional expectations for [holdoutFrom, end) with the repeat transactions that happened, in
 * total and by calibration frequency (0, 1, …, 7+), as in Fader, Hardie & Lee (2005), Figure 4.
 * Holdout transactions are distinct UTC purchase days after the last calibration day, so a
 * `holdoutFrom` at midnight UTC splits no day (one mid-day drops the rest of that day).
 * Customers whose first purchase falls in the holdout cannot be predicted and are only counted.
 */
export function backtest(
  transactions: readonly Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>[],
  options: { holdoutFrom: string; end: string; timeUnit: TimeUnit; minimum?: MinimumData },
): Backtest | InsufficientData {
  const calibration = summariseTransactions(transactions, {
    asOf: options.holdoutFrom,
    timeUnit: options.timeUnit,
  });
  const insufficient = checkMinimumData(calibration, options.minimum);
  if (insufficient) return insufficient;
  const fit = fitBgNbd(calibration);

  const from = Date.parse(options.holdoutFrom);
  const to = Date.parse(options.end);
  const calibrationEnd = lastObservedDay(options.holdoutFrom);
  const known = new Set(calibration.map((c) => c.id));
  const holdoutDays = new Map<string, Set<number>>();
  const newcomers = new Set<string>();
  for (const t of transactions) {
    const ms = Date.parse(t.at);
    if (ms < from || ms >= to) continue;
    if (!known.has(t.clientId)) {
      newcomers.add(t.clientId);
      continue;
    }
    const day = Math.floor(ms / DAY_MS);
    if (day <= calibrationEnd) continue;
    let days = holdoutDays.get(t.clientId);
    if (!days) holdoutDays.set(t.clientId, (days = new Set()));
    days.add(day);
  }

  const holdoutLength =
    (lastObservedDay(options.end) - calibrationEnd) / DAYS_PER_UNIT[options.timeUnit];
  const groups = FREQUENCY_GROUPS.map((frequency) => ({
    frequency,
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  for (const c of calibration) {
    const group = groups[FREQUENCY_GROUPS.indexOf(groupOf(c.x))]!;
    group.customers++;
    group.actual += holdoutDays.get(c.id)?.size ?? 0;
    group.predicted += expectedPurchases(fit.params, c, holdoutLength);
  }
  return {
    holdoutFrom: options.holdoutFrom,
    end: options.end,
    holdoutLength,
    customers: calibration.length,
    newInHoldout: newcomers.size,
    params: fit.params,
    converged: fit.converged,
    actual: groups.reduce((s, g) => s + g.actual, 0),
    predicted: groups.reduce((s, g) => s + g.predicted, 0),
    groups,
  };
}
