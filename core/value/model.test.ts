import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ClvModelSchema, MIN_CUSTOMERS, MIN_REPEAT_BUYERS } from '../../schema/value.ts';
import { cdnowSummaryWithSpend } from '../../test/fixtures/cdnow/cdnow.ts';
import { expectedPurchases, fitBgNbd } from './bgnbd.ts';
import { expectedSpend, fitGammaGamma } from './gamma-gamma.ts';
import { backtest } from './backtest.ts';
import { checkMinimumData, fitValueModel, resolveFitRequest } from './model.ts';
import { simulateCustomers } from './simulate.ts';
import type { CustomerSummary } from './summary.ts';

describe('fitValueModel', () => {
  const cdnow = cdnowSummaryWithSpend();

  it('fits both models and answers in the API’s shape', () => {
    let now = 1000;
    const result = fitValueModel(cdnow, {
      asOf: '1997-10-01T00:00:00.000Z',
      timeUnit: 'week',
      clock: () => (now += 250),
    });
    expect(result.status).toBe('fitted');
    if (result.status !== 'fitted') return;
    const { model } = result;
    expect(v.is(ClvModelSchema, model)).toBe(true);
    expect(model).toMatchObject({
      asOf: '1997-10-01T00:00:00.000Z',
      timeUnit: 'week',
      customers: 2357,
      converged: true,
    });
    expect(model.params).toEqual(fitBgNbd(cdnow).params);
    expect(model.spend).toEqual(fitGammaGamma(cdnow).params);
    expect(model.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(model.diagnostics).toMatchObject({
      repeatBuyers: 946,
      spendCustomers: 946,
      bgnbdConverged: true,
      spendConverged: true,
      fitMs: 250,
    });
    expect(model.diagnostics.standardErrors?.params.r).toBeGreaterThan(0);
  });

  it('carries a backtest, or the backtest’s lack of data, in the same shape', () => {
    const result = fitValueModel(cdnow, {
      asOf: '1997-10-01T00:00:00.000Z',
      timeUnit: 'week',
      clock: () => 0,
    });
    if (result.status !== 'fitted') throw new Error('expected a fit');
    const buy = (clientId: string, at: string) => ({ clientId, at, amount: 10 });
    const tx = [
      buy('a', '1997-01-01'),
      buy('a', '1997-02-01'),
      buy('a', '1997-03-01'),
      buy('b', '1997-01-05'),
      buy('b', '1997-03-10'),
    ].map((t) => ({ ...t, at: `${t.at}T00:00:00.000Z` }));
    const window = {
      holdoutFrom: '1997-02-15T00:00:00.000Z',
      end: '1997-04-01T00:00:00.000Z',
      timeUnit: 'week' as const,
    };
    const lacking = backtest(tx, window);
    const enough = backtest(tx, { ...window, minimum: { customers: 1, repeatBuyers: 0 } });
    expect(lacking).toMatchObject({ status: 'insufficient_data' });
    expect(enough).toMatchObject({ actual: 2 });
    expect(v.is(ClvModelSchema, { ...result.model, backtest: lacking })).toBe(true);
    expect(v.is(ClvModelSchema, { ...result.model, backtest: enough })).toBe(true);
  });

  it('fits nothing below the minimum and says what is missing', () => {
    const result = fitValueModel(cdnow.slice(0, MIN_CUSTOMERS - 1), {
      asOf: '1997-10-01T00:00:00.000Z',
      timeUnit: 'week',
      clock: () => 0,
    });
    expect(result).toMatchObject({
      status: 'insufficient_data',
      minimum: { customers: MIN_CUSTOMERS, repeatBuyers: MIN_REPEAT_BUYERS },
      observed: { customers: MIN_CUSTOMERS - 1 },
    });
    if ('reason' in result)
      expect(result.reason).toMatch(/299 customers with a purchase \(at least 300 needed\)/);
  });
});

describe('resolveFitRequest', () => {
  const settings = { timeUnit: 'day' as const, minCustomers: 500, minRepeatBuyers: 150 };
  const now = '2024-06-01T12:00:00.000Z';

  it('defaults asOf to now and the unit and minimum to the workspace’s settings', () => {
    expect(resolveFitRequest({}, settings, now)).toEqual({
      ok: true,
      value: {
        asOf: now,
        timeUnit: 'day',
        holdoutFrom: null,
        minimum: { customers: 500, repeatBuyers: 150 },
      },
    });
    expect(
      resolveFitRequest({ timeUnit: 'week', asOf: '2024-01-01T00:00:00.000Z' }, settings, now),
    ).toMatchObject({ ok: true, value: { timeUnit: 'week', asOf: '2024-01-01T00:00:00.000Z' } });
  });

  it.each<[string, Parameters<typeof resolveFitRequest>[0], string[]]>([
    ['an asOf in the future', { asOf: '2024-06-02T00:00:00.000Z' }, ['asOf']],
    [
      'a holdout from the future when asOf is now',
      { holdoutFrom: '2024-07-01T00:00:00.000Z' },
      ['holdoutFrom'],
    ],
    [
      'both',
      { asOf: '2025-01-01T00:00:00.000Z', holdoutFrom: '2025-02-01T00:00:00.000Z' },
      ['asOf', 'holdoutFrom'],
    ],
  ])('refuses %s, naming the field', (_name, request, want) => {
    const result = resolveFitRequest(request, settings, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(want);
  });
});

describe('checkMinimumData', () => {
  const customer = (x: number, zbar: number): CustomerSummary => ({
    id: 'c',
    x,
    tx: x,
    T: 10,
    zbar,
  });
  const many = (n: number, x: number, zbar: number) =>
    Array.from({ length: n }, () => customer(x, zbar));

  it.each<[string, CustomerSummary[], RegExp | null]>([
    ['exactly the minimum', [...many(200, 0, 0), ...many(100, 2, 30)], null],
    ['one customer short', [...many(199, 0, 0), ...many(100, 2, 30)], /299 customers/],
    ['one repeat buyer short', [...many(201, 0, 0), ...many(99, 2, 30)], /99 repeat buyers/],
    [
      'repeat buyers without spend do not count',
      [...many(200, 0, 0), ...many(100, 2, 0)],
      /0 repeat buyers with a positive spend/,
    ],
  ])('%s', (_name, customers, reason) => {
    const result = checkMinimumData(customers);
    if (reason === null) expect(result).toBeNull();
    else expect(result?.reason).toMatch(reason);
  });

  it('takes a workspace’s own minimum', () => {
    expect(checkMinimumData(many(50, 1, 10), { customers: 40, repeatBuyers: 40 })).toBeNull();
  });
});

describe('the published minimum is enough data on simulated workspaces', () => {
  const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const spendTruth = { p: 6.25, q: 3.74, v: 15.44 };
  /** Mean over clients of |predicted 52-week value / true one − 1|; null if a fit did not converge. */
  const valueError = (n: number, seed: number): number | null => {
    const customers = simulateCustomers({
      customers: n,
      params: truth,
      spend: spendTruth,
      observation: { min: 13, max: 52 },
      seed,
    });
    const purchases = fitBgNbd(customers);
    const spend = fitGammaGamma(customers);
    if (!purchases.converged || !spend.converged) return null;
    const error = (c: CustomerSummary) =>
      Math.abs(
        (expectedPurchases(purchases.params, c, 52) * expectedSpend(spend.params, c)!) /
          (expectedPurchases(truth, c, 52) * expectedSpend(spendTruth, c)!) -
          1,
      );
    return customers.reduce((s, c) => s + error(c), 0) / customers.length;
  };
  const seeds = [901, 902, 903, 904, 905, 906, 907, 908];

  it(`at ${MIN_CUSTOMERS} customers every fit converges and predicts client value within 30% (typically 15%)`, () => {
    const errors = seeds.map((seed) => valueError(MIN_CUSTOMERS, seed));
    expect(errors).not.toContain(null);
    for (const e of errors) expect(e!).toBeLessThan(0.3);
    expect([...errors].sort((a, b) => a! - b!)[errors.length >> 1]!).toBeLessThan(0.2);
  });

  it('a third of that is not enough: some fits fail or miss by more', () => {
    const errors = seeds.map((seed) => valueError(Math.round(MIN_CUSTOMERS / 3), seed));
    expect(errors.some((e) => e === null || e > 0.3)).toBe(true);
  });
});
