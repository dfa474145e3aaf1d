import { DAY_MS } from '../../schema/common.ts';
import {
  FREQUENCY_GROUPS,
  type Backtest,
  type ClvModelName,
  type InsufficientData,
  type TimeUnit,
  type ValueTransaction,
} from '../../schema/value.ts';
import { bgbbExpectedPurchases } from './bgbb.ts';
import { checkMinimumData, type MinimumData } from './model.ts';
import { fitPurchaseModel, predictorOf } from './purchase-model.ts';
import {
  DAYS_PER_UNIT,
  lastObservedDay,
  summariseOpportunities,
  summariseTransactions,
} from './summary.ts';

export const groupOf = (x: number): (typeof FREQUENCY_GROUPS)[number] =>
  FREQUENCY_GROUPS[Math.min(x, FREQUENCY_GROUPS.length - 1)]!;

export interface BacktestOptions {
  holdoutFrom: string;
  end: string;
  timeUnit: TimeUnit;
  minimum?: MinimumData;
  /** The purchase model to judge (default BG/NBD). */
  model?: ClvModelName;
}

/**
 * How far to trust a model: fits it on the purchases before `holdoutFrom` and compares its
 * conditional expectations for [holdoutFrom, end) with the repeat transactions that happened, in
 * total and by calibration frequency (0, 1, …, 7+), as in Fader, Hardie & Lee (2005), Figure 4.
 * Holdout transactions are distinct UTC purchase days after the last calibration day, so a
 * `holdoutFrom` at midnight UTC splits no day (one mid-day drops the rest of that day); for BG/BB
 * they are the client's opportunities (periods) with a purchase, wholly before `end`.
 * Customers whose first purchase falls in the holdout cannot be predicted and are only counted.
 */
export function backtest(
  transactions: readonly Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>[],
  options: BacktestOptions,
): Backtest | InsufficientData {
  const result = backtestWithFit(transactions, options);
  return 'status' in result ? result : result.backtest;
}

/** `backtest`, with the calibration fit's log-likelihood beside it. */
export function backtestWithFit(
  transactions: readonly Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>[],
  options: BacktestOptions,
): { backtest: Backtest; logLikelihood: number } | InsufficientData {
  const model = options.model ?? 'bgnbd';
  const calibration = summariseTransactions(transactions, {
    asOf: options.holdoutFrom,
    timeUnit: options.timeUnit,
  });
  const insufficient = checkMinimumData(calibration, options.minimum);
  if (insufficient) return insufficient;

  const from = Date.parse(options.holdoutFrom);
  const to = Date.parse(options.end);
  const calibrationEnd = lastObservedDay(options.holdoutFrom);
  const known = new Set(calibration.map((c) => c.id));
  const newcomers = new Set<string>();
  const inHoldout: Pick<ValueTransaction, 'clientId' | 'at'>[] = [];
  for (const t of transactions) {
    const ms = Date.parse(t.at);
    if (ms < from || ms >= to) continue;
    if (!known.has(t.clientId)) newcomers.add(t.clientId);
    else inHoldout.push(t);
  }
  const holdoutLength =
    (lastObservedDay(options.end) - calibrationEnd) / DAYS_PER_UNIT[options.timeUnit];
  const groups = FREQUENCY_GROUPS.map((frequency) => ({
    frequency,
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  const add = (x: number, actual: number, predicted: number) => {
    const group = groups[FREQUENCY_GROUPS.indexOf(groupOf(x))]!;
    group.customers++;
    group.actual += actual;
    group.predicted += predicted;
  };

  let fit;
  if (model === 'bgbb') {
    const before = summariseOpportunities(transactions, {
      asOf: options.holdoutFrom,
      timeUnit: options.timeUnit,
    });
    fit = fitPurchaseModel('bgbb', calibration, before);
    const after = new Map(
      summariseOpportunities(
        transactions.filter((t) => known.has(t.clientId)),
        { asOf: options.end, timeUnit: options.timeUnit },
      ).map((o) => [o.id, o]),
    );
    const params = fit.params as Parameters<typeof bgbbExpectedPurchases>[0];
    for (const o of before) {
      const later = after.get(o.id)!;
      add(o.x, later.x - o.x, bgbbExpectedPurchases(params, o, later.n - o.n));
    }
  } else {
    fit = fitPurchaseModel(model, calibration);
    const predictor = predictorOf(fit, options.timeUnit);
    const holdoutDays = new Map<string, Set<number>>();
    for (const t of inHoldout) {
      const day = Math.floor(Date.parse(t.at) / DAY_MS);
      if (day <= calibrationEnd) continue;
      let days = holdoutDays.get(t.clientId);
      if (!days) holdoutDays.set(t.clientId, (days = new Set()));
      days.add(day);
    }
    for (const c of calibration)
      add(c.x, holdoutDays.get(c.id)?.size ?? 0, predictor.expectedPurchases(c, holdoutLength));
  }
  const result: Backtest = {
    holdoutFrom: options.holdoutFrom,
    end: options.end,
    holdoutLength,
    customers: calibration.length,
    newInHoldout: newcomers.size,
    model,
    params: fit.params,
    converged: fit.converged,
    actual: groups.reduce((s, g) => s + g.actual, 0),
    predicted: groups.reduce((s, g) => s + g.predicted, 0),
    groups,
  };
  return { backtest: result, logLikelihood: fit.logLikelihood };
}
