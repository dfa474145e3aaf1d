import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ClientValueSchema, type ClvModel, type InsufficientData } from '../../schema/value.ts';
import { expectedPurchases, pAlive } from './bgnbd.ts';
import { expectedSpend } from './gamma-gamma.ts';
import type { Reason } from '../../schema/reasons.ts';
import { renderReason } from '../messages/render.ts';

const en = (r: unknown) => renderReason(r as Reason, 'en');
import {
  clientValue,
  discountedExpectedPurchases,
  predictCustomer,
  type ProfileAggregates,
} from './predict.ts';

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const spend = { p: 6.25, q: 3.74, v: 15.44 };
const weekly = { model: 'bgnbd' as const, timeUnit: 'week' as const, params, spend };
const c = { id: 'c', x: 3, tx: 30, T: 39, zbar: 40 };

describe('discountedExpectedPurchases', () => {
  it('without discounting is exactly the expected purchases over the horizon', () => {
    expect(
      discountedExpectedPurchases(weekly, c, { horizonDays: 365, annualDiscountRate: 0 }),
    ).toBeCloseTo(expectedPurchases(params, c, 365 / 7), 12);
  });

  it('matches a fine integral of the discounted purchase rate (the 30-day midpoint rule is accurate)', () => {
    const settings = { horizonDays: 365, annualDiscountRate: 0.2 };
    let fine = 0;
    const steps = 3650;
    for (let k = 1; k <= steps; k++) {
      const d = (k - 0.5) * (365 / steps);
      const dE =
        expectedPurchases(params, c, (k * 365) / steps / 7) -
        expectedPurchases(params, c, ((k - 1) * 365) / steps / 7);
      fine += dE * 1.2 ** (-d / 365.25);
    }
    expect(discountedExpectedPurchases(weekly, c, settings) / fine - 1).toBeLessThan(1e-4);
  });

  it('lies between the undiscounted count and the count discounted over the whole horizon', () => {
    const e = expectedPurchases(params, c, 365 / 7);
    const d = discountedExpectedPurchases(weekly, c, { horizonDays: 365, annualDiscountRate: 0.1 });
    expect(d).toBeLessThan(e);
    expect(d).toBeGreaterThan(e / 1.1);
  });
});

describe('predictCustomer', () => {
  const settings = { horizonDays: 365, annualDiscountRate: 0.1 };

  it('combines BG/NBD and Gamma-Gamma: predicted CLV = expected order value × discounted purchases', () => {
    const p = predictCustomer(weekly, c, settings);
    expect(p.pAlive).toBe(pAlive(params, c));
    expect(p.expectedPurchases).toBeCloseTo(expectedPurchases(params, c, 365 / 7), 12);
    expect(p.expectedOrderValue).toBe(expectedSpend(spend, c));
    expect(p.predictedClv).toBeCloseTo(
      p.expectedOrderValue! * discountedExpectedPurchases(weekly, c, settings),
      10,
    );
    expect(p.daysToNextOrderIfAlive).toBeCloseTo(((4.414 + 39) / (0.243 + 3)) * 7, 10);
  });

  it('gives the same answers in days as in weeks when α is expressed in days', () => {
    const daily = {
      model: 'bgnbd' as const,
      timeUnit: 'day' as const,
      params: { ...params, alpha: params.alpha * 7 },
      spend,
    };
    const inWeeks = predictCustomer(weekly, c, settings);
    const inDays = predictCustomer(daily, { ...c, tx: c.tx * 7, T: c.T * 7 }, settings);
    for (const key of [
      'pAlive',
      'expectedPurchases',
      'predictedClv',
      'daysToNextOrderIfAlive',
    ] as const)
      expect(inDays[key]).toBeCloseTo(inWeeks[key]!, 9);
  });

  it('withholds the CLV when the spend model has no finite mean', () => {
    expect(
      predictCustomer({ ...weekly, spend: { p: 2, q: 0.8, v: 5 } }, c, settings).predictedClv,
    ).toBeNull();
  });
});

describe('clientValue (the profile’s Klaviyo-style fields)', () => {
  const asOf = '2024-07-01T00:00:00.000Z';
  const settings = { horizonDays: 365, annualDiscountRate: 0.1 };
  const model: ClvModel = {
    asOf,
    model: 'bgnbd',
    timeUnit: 'week',
    customers: 2357,
    converged: true,
    logLikelihood: -9582.4,
    params,
    spend,
    diagnostics: {
      repeatBuyers: 946,
      spendCustomers: 946,
      iterations: 300,
      evaluations: 550,
      bgnbdConverged: true,
      spendConverged: true,
      spendIterations: 200,
      spendLogLikelihood: -4055.9,
      standardErrors: null,
      fitMs: 100,
    },
  };
  // Four purchase days, the last 2024-06-01: 150 days from the first, so 50 days apart on average.
  const aggregates: ProfileAggregates = {
    purchaseDays: 4,
    orders: 5,
    firstPurchaseAt: '2024-01-03T10:00:00.000Z',
    lastPurchaseAt: '2024-06-01T09:00:00.000Z',
    revenue: 500,
    margin: 150,
    firstPurchaseDayRevenue: 140,
  };
  const value = (
    patch: {
      aggregates?: Partial<ProfileAggregates>;
      model?: ClvModel | InsufficientData | null;
    } = {},
  ) =>
    clientValue({
      id: 'c',
      aggregates: { ...aggregates, ...patch.aggregates },
      asOf,
      model: patch.model === undefined ? model : patch.model,
      settings,
    });

  it('with a converged model: predicted, total, churn and the next order', () => {
    const got = value();
    // observed to 2024-06-30, the last day before asOf: 179 days after the first purchase
    const summary = { x: 3, tx: 150 / 7, T: 179 / 7, zbar: 120 };
    const p = pAlive(params, summary);
    expect(got.basis).toBe('model');
    expect(got.reason).toBeNull();
    expect(got.pAlive).toBeCloseTo(p, 12);
    expect(got.churnProbability).toBeCloseTo(1 - p, 12);
    expect(got.predictedNumberOfOrders).toBeCloseTo(
      expectedPurchases(params, summary, 365 / 7),
      10,
    );
    expect(got.expectedOrderValue).toBeCloseTo(expectedSpend(spend, summary)!, 10);
    expect(got.totalClv).toBeCloseTo(500 + got.predictedClv!, 9);
    expect(got.historicClv).toBe(500);
    expect(got.averageOrderValue).toBe(100);
    expect(got.averageDaysBetweenOrders).toBe(50);
    expect(got.tenureDays).toBeCloseTo(179.583, 3);
    const days = ((params.alpha + 179 / 7) / (params.r + 3)) * 7;
    expect(got.expectedDateOfNextOrder).toBe(
      new Date(Date.parse(asOf) + days * 86_400_000).toISOString(),
    );
    expect(v.is(ClientValueSchema, got)).toBe(true);
  });

  it('gives no next-order date for a client more likely gone than not', () => {
    const gone = value({
      aggregates: { purchaseDays: 20, lastPurchaseAt: '2024-01-20T00:00:00.000Z' },
    });
    expect(gone.pAlive!).toBeLessThan(0.5);
    expect(gone.expectedDateOfNextOrder).toBeNull();
  });

  const historic = {
    basis: 'historic',
    historicClv: 500,
    totalClv: 500,
    predictedClv: null,
    predictedNumberOfOrders: null,
    pAlive: null,
    churnProbability: null,
    expectedOrderValue: null,
    averageDaysBetweenOrders: 50,
    expectedDateOfNextOrder: '2024-07-21T09:00:00.000Z', // last purchase + the average gap
  };
  const insufficient: InsufficientData = {
    status: 'insufficient_data',
    reason: {
      code: 'value_too_little_history',
      params: { customers: 12, minCustomers: 300, repeatBuyers: 2, minRepeatBuyers: 100 },
    },
    minimum: { customers: 300, repeatBuyers: 100 },
    observed: { customers: 12, repeatBuyers: 2 },
  };

  it.each<[string, Parameters<typeof value>[0], RegExp]>([
    ['no model yet', { model: null }, /no predictive model/i],
    ['below the minimum data', { model: insufficient }, /too little purchase history/i],
    ['a fit that did not converge', { model: { ...model, converged: false } }, /did not converge/],
    [
      'a spend model without a finite mean',
      { model: { ...model, spend: { p: 2, q: 0.9, v: 5 } } },
      /q ≤ 1/,
    ],
  ])('falls back to historic values with the reason: %s', (_name, patch, reason) => {
    const got = value(patch);
    expect(got).toMatchObject(historic);
    expect(en(got.reason)).toMatch(reason);
  });

  it('a client who never bought has nothing to predict', () => {
    const got = value({
      aggregates: {
        purchaseDays: 0,
        orders: 0,
        firstPurchaseAt: null,
        lastPurchaseAt: null,
        revenue: 0,
        margin: 0,
        firstPurchaseDayRevenue: 0,
      },
    });
    expect(got).toMatchObject({
      basis: 'historic',
      historicClv: 0,
      totalClv: 0,
      averageOrderValue: null,
      tenureDays: null,
      averageDaysBetweenOrders: null,
      expectedDateOfNextOrder: null,
    });
    expect(en(got.reason)).toMatch(/no purchases/i);
  });
});
