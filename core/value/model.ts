import {
  MIN_CUSTOMERS,
  MIN_REPEAT_BUYERS,
  type ClvFitRequest,
  type ClvModel,
  type InsufficientData,
  type TimeUnit,
  type ValueSettings,
} from '../../schema/value.ts';
import { fitBgNbd } from './bgnbd.ts';
import { fitGammaGamma, isSpendCustomer } from './gamma-gamma.ts';
import type { CustomerSummary } from './summary.ts';

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
  customers: readonly CustomerSummary[],
  minimum: MinimumData = DEFAULT_MINIMUM,
): InsufficientData | null {
  const observed = {
    customers: customers.length,
    repeatBuyers: customers.filter(isSpendCustomer).length,
  };
  const short: string[] = [];
  if (observed.customers < minimum.customers)
    short.push(
      `${observed.customers} customers with a purchase (at least ${minimum.customers} needed)`,
    );
  if (observed.repeatBuyers < minimum.repeatBuyers)
    short.push(
      `${observed.repeatBuyers} repeat buyers with a positive spend (at least ${minimum.repeatBuyers} needed)`,
    );
  if (short.length === 0) return null;
  return {
    status: 'insufficient_data',
    reason: `Too little purchase history for a predictive model: ${short.join('; ')}.`,
    minimum: { ...minimum },
    observed,
  };
}

export interface ResolvedFitRequest {
  asOf: string;
  timeUnit: TimeUnit;
  holdoutFrom: string | null;
  minimum: MinimumData;
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
    },
  };
}

export interface FitOptions {
  asOf: string;
  timeUnit: TimeUnit;
  minimum?: MinimumData;
  /**
   * Milliseconds for `fitMs`, from the caller: core has no clock of its own. In workerd the clock
   * only moves across I/O, so a fit in one request reads 0 there.
   */
  clock: () => number;
}

/**
 * Fits BG/NBD and Gamma-Gamma to the customers' summaries (from `summariseAggregates` at asOf =
 * now, or `summariseTransactions` for a past asOf) and assembles the model as the API stores and
 * shows it; below the minimum data it fits nothing and says why. A thin handler summarises,
 * calls this, optionally attaches `backtest(...)`, and stores the result.
 */
export function fitValueModel(
  customers: readonly CustomerSummary[],
  options: FitOptions,
): { status: 'fitted'; model: ClvModel } | InsufficientData {
  const insufficient = checkMinimumData(customers, options.minimum);
  if (insufficient) return insufficient;
  const { clock } = options;
  const started = clock();
  const purchases = fitBgNbd(customers);
  const spend = fitGammaGamma(customers);
  const fitMs = clock() - started;
  const standardErrors = purchases.standardErrors
    ? { params: purchases.standardErrors, spend: spend.standardErrors }
    : null;
  return {
    status: 'fitted',
    model: {
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
    },
  };
}
