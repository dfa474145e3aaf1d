// One interface over the four purchase models, so that fits, predictions, backtests and
// diagnostics name a model instead of branching on it everywhere.
import type {
  BgbbParams,
  BgNbdParams,
  ClvModel,
  ClvModelName,
  PnbdParams,
  TimeUnit,
} from '../../schema/value.ts';
import { bgbbExpectedPurchases, bgbbPAlive, fitBgbb } from './bgbb.ts';
import { expectedPurchases, fitBgNbd, pAlive } from './bgnbd.ts';
import { fitMbgnbd, mbgnbdExpectedPurchases, mbgnbdPAlive } from './mbgnbd.ts';
import { fitPnbd, pnbdExpectedPurchases, pnbdPAlive } from './pnbd.ts';
import type { Frequency } from './sufficient.ts';
import { opportunitiesFromSummary, type OpportunitySummary } from './summary.ts';

/** A fitted model, as stored: its name with its parameters (the union narrows on `model`). */
export type FittedPurchaseModel = Pick<ClvModel, 'model' | 'params'>;

export interface PurchaseFit {
  model: ClvModelName;
  params: ClvModel['params'];
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  standardErrors: ClvModel['params'] | null;
  customers: number;
}

/**
 * Fits the named model: the continuous ones on (x, tx, T) in the time unit, BG/BB on the clients'
 * opportunities (required for it).
 */
export function fitPurchaseModel(
  model: ClvModelName,
  customers: readonly Frequency[],
  opportunities?: readonly OpportunitySummary[],
): PurchaseFit {
  switch (model) {
    case 'bgnbd':
      return { model, ...fitBgNbd(customers) };
    case 'mbgnbd':
      return { model, ...fitMbgnbd(customers) };
    case 'pnbd':
      return { model, ...fitPnbd(customers) };
    case 'bgbb':
      if (!opportunities) throw new Error('BG/BB is fitted on opportunities');
      return { model, ...fitBgbb(opportunities) };
  }
}

/** What every model predicts for one client, in the model's time unit. */
export interface Predictor {
  pAlive(c: Frequency): number;
  /** Expected repeat transactions in the next t time units. */
  expectedPurchases(c: Frequency, t: number): number;
  /** Expected transactions per time unit if alive: the pace the next order is dated by. */
  rateIfAlive(c: Frequency): number;
}

/**
 * The predictor of a stored model. BG/BB reads a client's continuous summary as opportunities
 * (`opportunitiesFromSummary`), and counts t in opportunities, i.e. time units.
 */
export function predictorOf(m: FittedPurchaseModel, timeUnit: TimeUnit): Predictor {
  switch (m.model) {
    case 'bgnbd': {
      const p = m.params as BgNbdParams;
      return {
        pAlive: (c) => pAlive(p, c),
        expectedPurchases: (c, t) => expectedPurchases(p, c, t),
        rateIfAlive: (c) => (p.r + c.x) / (p.alpha + c.T),
      };
    }
    case 'mbgnbd': {
      const p = m.params as BgNbdParams;
      return {
        pAlive: (c) => mbgnbdPAlive(p, c),
        expectedPurchases: (c, t) => mbgnbdExpectedPurchases(p, c, t),
        rateIfAlive: (c) => (p.r + c.x) / (p.alpha + c.T),
      };
    }
    case 'pnbd': {
      const p = m.params as PnbdParams;
      return {
        pAlive: (c) => pnbdPAlive(p, c),
        expectedPurchases: (c, t) => pnbdExpectedPurchases(p, c, t),
        rateIfAlive: (c) => (p.r + c.x) / (p.alpha + c.T),
      };
    }
    case 'bgbb': {
      const p = m.params as BgbbParams;
      const o = (c: Frequency) => opportunitiesFromSummary(c, timeUnit);
      return {
        pAlive: (c) => bgbbPAlive(p, o(c)),
        expectedPurchases: (c, t) => bgbbExpectedPurchases(p, o(c), t),
        // The posterior mean of the transaction probability, one opportunity per unit.
        rateIfAlive: (c) => {
          const { x, n } = o(c);
          return (p.alpha + x) / (p.alpha + p.beta + n);
        },
      };
    }
  }
}
