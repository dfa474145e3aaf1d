import {
  MIN_CUSTOMERS,
  MIN_REPEAT_BUYERS,
  type ClvFitRequest,
  type ClvModel,
  type ClvModelChoice,
  type ClvModelName,
  type InsufficientData,
  type TimeUnit,
  type ValueSettings,
} from '../../schema/value.ts';
import { fitGammaGamma, isSpendCustomer } from './gamma-gamma.ts';
import { fitPurchaseModel } from './purchase-model.ts';
import type { CustomerHistory, OpportunitySummary } from './summary.ts';

export interface MinimumData {
  customers: number;
  repeatBuyers: number;
}

export const DEFAULT_MINIMUM: MinimumData = {
  customers: MIN_CUSTOMERS,
  repeatBuyers: MIN_REPEAT_BUYERS,
};

/**
 * Null when the customers are enough for a fit; otherwise why not. Repeat buyers are counted
 * with a positive average repeat spend, since Gamma-Gamma is fitted on those alone.
 */
export function checkMinimumData(
  customers: readonly CustomerHistory[],
  minimum: MinimumData = DEFAULT_MINIMUM,
): InsufficientData | null {
  const observed = {
    customers: customers.length,
    repeatBuyers: customers.filter(isSpendCustomer).length,
  };
  if (observed.customers >= minimum.customers && observed.repeatBuyers >= minimum.repeatBuyers)
    return null;
  return {
    status: 'insufficient_data',
    reason: {
      code: 'value_too_little_history',
      params: {
        customers: observed.customers,
        minCustomers: minimum.customers,
        repeatBuyers: observed.repeatBuyers,
        minRepeatBuyers: minimum.repeatBuyers,
      },
    },
    minimum: { ...minimum },
    observed,
  };
}

export interface ResolvedFitRequest {
  asOf: string;
  timeUnit: TimeUnit;
  holdoutFrom: string | null;
  minimum: MinimumData;
  model: ClvModelChoice;
}

/**
 * Fills a validated fit request with its defaults (asOf = now, the workspace's time unit and
 * minimum) and checks what the schema cannot know: that neither instant lies in the future and
 * that the holdout starts before asOf. Errors name the field, for the 400.
 */
export function resolveFitRequest(
  request: ClvFitRequest,
  settings: Pick<ValueSettings, 'timeUnit' | 'minCustomers' | 'minRepeatBuyers'>,
  now: string,
):
  | { ok: true; value: ResolvedFitRequest }
  | { ok: false; errors: { path: string; message: string }[] } {
  const asOf = request.asOf ?? now;
  const errors: { path: string; message: string }[] = [];
  if (Date.parse(asOf) > Date.parse(now))
    errors.push({ path: 'asOf', message: 'must not be in the future' });
  if (request.holdoutFrom !== undefined && !(Date.parse(request.holdoutFrom) < Date.parse(asOf)))
    errors.push({ path: 'holdoutFrom', message: 'must be before asOf' });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      asOf,
      timeUnit: request.timeUnit ?? settings.timeUnit,
      holdoutFrom: request.holdoutFrom ?? null,
      minimum: { customers: settings.minCustomers, repeatBuyers: settings.minRepeatBuyers },
      model: request.model ?? 'bgnbd',
    },
  };
}

export interface FitOptions {
  asOf: string;
  timeUnit: TimeUnit;
  minimum?: MinimumData;
  /** The purchase model (default BG/NBD). */
  model?: ClvModelName;
  /** The clients' opportunities in the time unit, which BG/BB is fitted on (required for it). */
  opportunities?: readonly OpportunitySummary[];
  /**
   * Milliseconds for `fitMs`, from the caller: core has no clock of its own. In workerd the clock
   * only moves across I/O, so a fit in one request reads 0 there.
   */
  clock: () => number;
}

/**
 * Fits the purchase model (BG/NBD unless `model` says otherwise) and Gamma-Gamma to the customers' summaries (from `summariseHistories` or
 * `summariseTransactions`) and assembles the model as the API stores and
 * shows it; below the minimum data it fits nothing and says why. A thin handler summarises,
 * calls this, optionally attaches `backtest(...)`, and stores the result.
 */
export function fitValueModel(
  customers: readonly CustomerHistory[],
  options: FitOptions,
): { status: 'fitted'; model: ClvModel } | InsufficientData {
  const insufficient = checkMinimumData(customers, options.minimum);
  if (insufficient) return insufficient;
  const { clock } = options;
  const started = clock();
  const purchases = fitPurchaseModel(options.model ?? 'bgnbd', customers, options.opportunities);
  const spend = fitGammaGamma(customers);
  const fitMs = clock() - started;
  const standardErrors = purchases.standardErrors
    ? { params: purchases.standardErrors, spend: spend.standardErrors }
    : null;
  return {
    status: 'fitted',
    // The variant's name and parameters come from one fit, so they match.
    model: {
      model: purchases.model,
      asOf: options.asOf,
      timeUnit: options.timeUnit,
      customers: customers.length,
      converged: purchases.converged && spend.converged,
      logLikelihood: purchases.logLikelihood,
      params: purchases.params,
      spend: spend.params,
      diagnostics: {
        repeatBuyers: customers.filter((c) => c.x > 0).length,
        spendCustomers: spend.customers,
        iterations: purchases.iterations,
        evaluations: purchases.evaluations,
        bgnbdConverged: purchases.converged,
        spendConverged: spend.converged,
        spendIterations: spend.iterations,
        spendLogLikelihood: spend.logLikelihood,
        standardErrors,
        fitMs,
      },
    } as ClvModel,
  };
}
