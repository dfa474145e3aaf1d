// `model: "auto"`: fit each candidate on a calibration period, judge it on the holdout, keep the best.
import type {
  ClvModelName,
  InsufficientData,
  ModelSelection,
  TimeUnit,
  ValueTransaction,
} from '../../schema/value.ts';
import { backtestWithFit } from './backtest.ts';
import type { MinimumData } from './model.ts';

/**
 * The candidates of `auto`: the continuous-time models, which count the same thing (repeat
 * purchase days) and so can be scored against the same holdout. BG/BB counts opportunities with a
 * purchase, a different quantity; it is chosen by name.
 */
export const AUTO_CANDIDATES: readonly ClvModelName[] = ['bgnbd', 'pnbd', 'mbgnbd'];

/** Without `holdoutFrom`, the last quarter of the span from the first purchase to the end (whole UTC days). */
export function defaultHoldoutFrom(
  transactions: readonly Pick<ValueTransaction, 'at'>[],
  end: string,
): string {
  const DAY = 86_400_000;
  let first = Number.POSITIVE_INFINITY;
  for (const t of transactions) first = Math.min(first, Date.parse(t.at));
  const endMs = Date.parse(end);
  const cut = Math.floor((endMs - 0.25 * (endMs - first)) / DAY) * DAY;
  return new Date(cut).toISOString();
}

/**
 * Scores each candidate on [holdoutFrom, end): totalError = |predicted − actual|/actual, binError =
 * Σ over calibration-frequency bins (0…7+) of |predicted − actual|, over the actual total; the
 * score is their sum, lower is better. Candidates whose calibration fit did not converge are
 * scored but only chosen if none converged.
 */
export function selectModel(
  transactions: readonly Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>[],
  options: {
    holdoutFrom: string;
    end: string;
    timeUnit: TimeUnit;
    minimum?: MinimumData;
    candidates?: readonly ClvModelName[];
  },
): ModelSelection | InsufficientData {
  const candidates = [];
  for (const model of options.candidates ?? AUTO_CANDIDATES) {
    const run = backtestWithFit(transactions, { ...options, model });
    if ('status' in run) return run;
    const result = run.backtest;
    const actual = Math.max(result.actual, 1);
    const totalError = Math.abs(result.predicted - result.actual) / actual;
    const binError =
      result.groups.reduce((s, g) => s + Math.abs(g.predicted - g.actual), 0) / actual;
    candidates.push({
      model,
      converged: result.converged,
      calibrationLogLikelihood: run.logLikelihood,
      actual: result.actual,
      predicted: result.predicted,
      totalError,
      binError,
      score: totalError + binError,
    });
  }
  const converged = candidates.filter((c) => c.converged);
  const pool = converged.length > 0 ? converged : candidates;
  const ranked = [...pool].sort((p, q) => p.score - q.score);
  const best = ranked[0]!;
  const runnerUp = ranked[1];
  const reason: ModelSelection['reason'] =
    runnerUp || converged.length === 0
      ? {
          code: 'lowest_holdout_error',
          params: {
            model: best.model,
            totalError: best.totalError,
            binError: best.binError,
            runnerUp: runnerUp?.model ?? null,
            runnerUpTotalError: runnerUp?.totalError ?? null,
            runnerUpBinError: runnerUp?.binError ?? null,
          },
        }
      : { code: 'only_candidate_converged', params: { model: best.model } };
  return {
    holdoutFrom: options.holdoutFrom,
    candidates,
    chosen: best.model,
    reason,
  };
}
