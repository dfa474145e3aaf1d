import { daysSleepRule, type SleepRule } from '../core/lifecycle/stages.ts';
import { backtest } from '../core/value/backtest.ts';
import { fitValueModel, type ResolvedFitRequest } from '../core/value/model.ts';
import { pAliveSleepRule } from '../core/value/sleep-rule.ts';
import { summariseAggregates, summariseTransactions } from '../core/value/summary.ts';
import type { Settings } from '../schema/settings.ts';
import {
  getModel,
  loadPurchases,
  loadValueAggregates,
  saveModel,
  type StoredModel,
} from './db/value.ts';

/**
 * Fits the workspace's model as of `asOf`: from one aggregate row per client when asOf is now
 * (history is complete), from the purchase events otherwise; a holdout adds a backtest.
 */
export async function fitWorkspaceModel(
  db: D1Database,
  workspaceId: string,
  request: ResolvedFitRequest,
  now: string,
): Promise<StoredModel> {
  const current = request.holdoutFrom === null && request.asOf === now;
  let customers;
  let transactions: { clientId: string; at: string; amount: number }[] | null = null;
  if (current) {
    customers = summariseAggregates(await loadValueAggregates(db, workspaceId), {
      asOf: request.asOf,
      timeUnit: request.timeUnit,
    }).customers;
  } else {
    transactions = await loadPurchases(db, workspaceId, request.asOf);
    customers = summariseTransactions(transactions, {
      asOf: request.asOf,
      timeUnit: request.timeUnit,
    });
  }
  const fitted = fitValueModel(customers, {
    asOf: request.asOf,
    timeUnit: request.timeUnit,
    minimum: request.minimum,
    clock: () => performance.now(),
  });
  const result: StoredModel = fitted.status === 'fitted' ? fitted.model : fitted;
  if (fitted.status === 'fitted' && request.holdoutFrom !== null && transactions) {
    fitted.model.backtest = backtest(transactions, {
      holdoutFrom: request.holdoutFrom,
      end: request.asOf,
      timeUnit: request.timeUnit,
      minimum: request.minimum,
    });
  }
  await saveModel(db, workspaceId, result, now);
  return result;
}

/** The sleeping rule the workspace asks for: fixed days, or P(alive) once a converged model exists. */
export async function sleepRuleFor(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
): Promise<SleepRule> {
  const days = daysSleepRule(settings.lifecycle);
  if (settings.lifecycle.sleepingRule !== 'pAlive') return days;
  const model = await getModel(db, workspaceId);
  if (!model || 'status' in model || !model.converged) return days;
  return pAliveSleepRule(model, settings.lifecycle.sleepingPAliveBelow, days);
}
