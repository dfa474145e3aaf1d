import { describe, expect, it } from 'vitest';
import {
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  cdnowTransactions,
} from '../../test/fixtures/cdnow/cdnow.ts';
import { modelDiagnostics } from './diagnostics.ts';
import { simulateCustomers, simulateMbgnbd, simulatePnbd } from './simulate.ts';
import type { ClvModel } from '../../schema/value.ts';

const CDNOW_BGNBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const window = { asOf: CDNOW_CALIBRATION_END, timeUnit: 'week' as const };

describe('model diagnostics on CDNOW (Fader, Hardie & Lee 2005, Figures 2–4)', () => {
  const d = modelDiagnostics(
    { model: 'bgnbd', params: CDNOW_BGNBD, ...window },
    cdnowTransactions(),
    CDNOW_HOLDOUT_END,
  );

  it('the histogram counts the 2,357 customers, and the model expects as many', () => {
    expect(d.histogram.map((h) => h.actual)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    expect(d.histogram.reduce((s, h) => s + h.expected, 0)).toBeCloseTo(2357, 6);
    // Figure 2: the model's zero-repeat bar sits within a few customers of the 1,411 observed.
    expect(Math.abs(d.histogram[0]!.expected - 1411)).toBeLessThan(10);
  });

  it('the holdout bins hold the 1,882 holdout purchases and the bins’ sizes', () => {
    expect(d.holdout.length).toBeCloseTo(39, 6);
    expect(d.holdout.bins.reduce((s, b) => s + b.actual, 0)).toBe(1882);
    expect(d.holdout.bins.map((b) => b.customers)).toEqual(d.histogram.map((h) => h.actual));
    const expected = d.holdout.bins.reduce((s, b) => s + b.expected, 0);
    expect(Math.abs(expected - 1882) / 1882).toBeLessThan(0.15);
  });

  it('tracks 78 weeks, the calibration ending in week 39, cumulative to 2,457 + 1,882 repeat purchases', () => {
    expect(d.tracking.weeks).toHaveLength(78);
    expect(d.tracking.calibrationEndWeek).toBe(39);
    expect(d.tracking.weeks[38]!.actual).toBe(2457);
    expect(d.tracking.weeks.at(-1)!.actual).toBe(2457 + 1882);
    for (let w = 1; w < 78; w++)
      expect(d.tracking.weeks[w]!.expected).toBeGreaterThanOrEqual(
        d.tracking.weeks[w - 1]!.expected,
      );
    expect(Math.abs(d.tracking.weeks[38]!.expected / 2457 - 1)).toBeLessThan(0.05);
  });
});

describe('the expected histogram is each model’s count distribution', () => {
  // Customers all observed for 30 weeks: the simulated share of each count must match the
  // model's P(X(30) = x) within 4 binomial standard errors.
  const T = 30;
  const n = 8000;
  const check = (
    model: Pick<ClvModel, 'model' | 'params'>,
    xs: readonly { x: number; T: number; tx: number }[],
  ) => {
    const transactions = xs.flatMap((c, i) => {
      const first = Date.parse(CDNOW_CALIBRATION_END) - 7 * T * 86_400_000;
      // x repeat purchase days spread evenly: only x and T matter for the histogram.
      return Array.from({ length: c.x + 1 }, (_, k) => ({
        clientId: `c${i}`,
        at: new Date(first + k * 86_400_000).toISOString(),
        amount: 1,
      }));
    });
    const d = modelDiagnostics({ ...model, ...window }, transactions, CDNOW_CALIBRATION_END);
    for (const h of d.histogram) {
      const p = h.expected / n;
      expect(Math.abs(h.actual - h.expected), h.frequency).toBeLessThan(
        4 * Math.sqrt(n * p * (1 - p)) + 1,
      );
    }
  };
  const observation = { min: T, max: T };

  it('BG/NBD', () => {
    const params = { r: 0.8, alpha: 4, a: 0.8, b: 2.4 };
    const spend = { p: 6, q: 4, v: 15 };
    check(
      { model: 'bgnbd', params },
      simulateCustomers({ customers: n, params, spend, observation, seed: 5 }),
    );
  });
  it('MBG/NBD', () => {
    const params = { r: 0.8, alpha: 4, a: 0.8, b: 2.4 };
    check(
      { model: 'mbgnbd', params },
      simulateMbgnbd({ customers: n, params, observation, seed: 6 }),
    );
  });
  it('Pareto/NBD', () => {
    const params = { r: 0.8, alpha: 4, s: 0.6, beta: 12 };
    check({ model: 'pnbd', params }, simulatePnbd({ customers: n, params, observation, seed: 7 }));
  });
});
