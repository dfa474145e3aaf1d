import { daysSleepRule, type SleepRule } from '../core/lifecycle/stages.ts';
import { backtest } from '../core/value/backtest.ts';
import { fitValueModel, type ResolvedFitRequest } from '../core/value/model.ts';
import { defaultHoldoutFrom, selectModel } from '../core/value/select.ts';
import { pAliveSleepRule } from '../core/value/sleep-rule.ts';
import {
  summariseHistories,
  summariseOpportunities,
  summariseTransactions,
  type CustomerHistory,
} from '../core/value/summary.ts';
import type { ClvModelName, ModelSelection } from '../schema/value.ts';
import type { Settings } from '../schema/settings.ts';
import {
  getModel,
  loadPurchaseHistories,
  loadPurchases,
  saveModel,
  type StoredModel,
} from './db/value.ts';

/**
 * Fits the workspace's model as of `asOf`: when the model reads only (x, tx, T) and the mean
 * repeat spend, from the customers grouped by identical history in the database (one row per
 * distinct history); from the purchases, grouped by client and day in one query, when it needs
 * them (a backtest, BG/BB's opportunities, `auto`'s holdout). `auto` scores the candidates on the holdout (`holdoutFrom`, or the last quarter of the
 * history) and refits the best on everything before asOf.
 */
export async function fitWorkspaceModel(
  db: D1Database,
  workspaceId: string,
  request: ResolvedFitRequest,
  now: string,
): Promise<StoredModel> {
  const needsPurchases =
    request.holdoutFrom !== null || request.model === 'bgbb' || request.model === 'auto';
  const window = { asOf: request.asOf, timeUnit: request.timeUnit };
  let customers: CustomerHistory[];
  let transactions: { clientId: string; at: string; amount: number }[] | null = null;
  if (!needsPurchases) {
    const { histories } = await loadPurchaseHistories(db, workspaceId, request.asOf);
    customers = summariseHistories(histories, window);
  } else {
    transactions = await loadPurchases(db, workspaceId, request.asOf);
    customers = summariseTransactions(transactions, window);
  }
  let model: ClvModelName;
  let selection: ModelSelection | undefined;
  if (request.model === 'auto') {
    const picked = selectModel(transactions!, {
      holdoutFrom: request.holdoutFrom ?? defaultHoldoutFrom(transactions!, request.asOf),
      end: request.asOf,
      timeUnit: request.timeUnit,
      minimum: request.minimum,
    });
    if ('status' in picked) {
      await saveModel(db, workspaceId, picked, now);
      return picked;
    }
    selection = picked;
    model = picked.chosen;
  } else model = request.model;
  const fitted = fitValueModel(customers, {
    ...window,
    minimum: request.minimum,
    clock: () => performance.now(),
    model,
    opportunities: model === 'bgbb' ? summariseOpportunities(transactions!, window) : undefined,
  });
  const result: StoredModel = fitted.status === 'fitted' ? fitted.model : fitted;
  if (fitted.status === 'fitted') {
    if (selection) fitted.model.selection = selection;
    if (request.holdoutFrom !== null && transactions)
      fitted.model.backtest = backtest(transactions, {
        holdoutFrom: request.holdoutFrom,
        end: request.asOf,
        timeUnit: request.timeUnit,
        minimum: request.minimum,
        model,
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
