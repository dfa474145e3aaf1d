import { describe, expect, it } from 'vitest';
import {
  CDNOW_CALIBRATION_END,
  cdnowSummaryWithSpend,
  cdnowTransactions,
} from '../../test/fixtures/cdnow/cdnow.ts';
import {
  expectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  isSpendCustomer,
} from './gamma-gamma.ts';
import { logGamma } from './special.ts';
import { summariseTransactions } from './summary.ts';

const expectSignificant = (actual: number, published: number, digits = 3) => {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(published))) - digits + 1);
  expect(Math.abs(actual - published), `${actual} vs ${published}`).toBeLessThanOrEqual(unit / 2);
};

// Fader, Hardie & Lee (2005), "RFM and CLV": p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat buyers.
describe('Gamma-Gamma on CDNOW reproduces the published estimates', () => {
  it.each([
    ['from the published summary with zbar', () => cdnowSummaryWithSpend()],
    [
      'from the raw transactions through the summariser',
      () =>
        summariseTransactions(cdnowTransactions(), {
          asOf: CDNOW_CALIBRATION_END,
          timeUnit: 'week',
        }),
    ],
  ])('%s', (_name, load) => {
    const fit = fitGammaGamma(load());
    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.p, 6.25);
    expectSignificant(fit.params.q, 3.74);
    expectSignificant(fit.params.v, 15.44);
    expect(fit.standardErrors).not.toBeNull();
  });
});

describe('the likelihood is the gamma mixture of gammas', () => {
  // zbar | ν ~ Gamma(shape p·x, rate ν·x), ν ~ Gamma(shape q, rate v): integrate ν out numerically.
  const mixture = (p: number, q: number, v: number, x: number, zbar: number) => {
    const logGammaPdf = (y: number, shape: number, rate: number) =>
      shape * Math.log(rate) - logGamma(shape) + (shape - 1) * Math.log(y) - rate * y;
    let sum = 0;
    const du = 0.001;
    for (let u = -15; u < 10; u += du) {
      const nu = Math.exp(u); // integrate in ln ν: dν = ν du
      sum += Math.exp(logGammaPdf(zbar, p * x, nu * x) + logGammaPdf(nu, q, v)) * nu * du;
    }
    return Math.log(sum);
  };
  it.each([
    [2, 3, 10, 3, 20],
    [6.25, 3.74, 15.44, 1, 12.5],
    [0.8, 5, 40, 7, 3],
  ])('p = %d, q = %d, v = %d, x = %d, zbar = %d', (p, q, v, x, zbar) => {
    expect(gammaGammaLogLikelihood({ p, q, v }, [{ x, zbar }])).toBeCloseTo(
      mixture(p, q, v, x, zbar),
      6,
    );
  });

  it('ignores customers without repeat purchases or with a zero average (no gamma likelihood)', () => {
    const params = { p: 2, q: 3, v: 10 };
    const one = gammaGammaLogLikelihood(params, [{ x: 3, zbar: 20 }]);
    expect(
      gammaGammaLogLikelihood(params, [
        { x: 3, zbar: 20 },
        { x: 0, zbar: 0 },
        { x: 2, zbar: 0 },
      ]),
    ).toBe(one);
    expect(
      [
        { x: 0, zbar: 5 },
        { x: 1, zbar: 0 },
        { x: 1, zbar: 5 },
      ].map(isSpendCustomer),
    ).toEqual([false, false, true]);
  });
});

describe('expectedSpend', () => {
  const cdnow = { p: 6.25, q: 3.74, v: 15.44 };
  it.each([
    ['no repeat purchase: the population mean p·v/(q−1)', { x: 0, zbar: 0 }, 35.218978],
    ['x = 2 at 22.35: p(v + x·zbar)/(px + q − 1)', { x: 2, zbar: 22.35 }, 24.663714],
    ['x = 10 at 50: mostly the customer’s own mean', { x: 10, zbar: 50 }, 49.379215],
  ])('%s', (_name, c, want) => {
    expect(expectedSpend(cdnow, c)).toBeCloseTo(want, 5);
  });

  it('lies between the population mean and the customer’s own mean', () => {
    const population = expectedSpend(cdnow, { x: 0, zbar: 0 })!;
    for (const zbar of [5, 20, 100]) {
      const e = expectedSpend(cdnow, { x: 4, zbar })!;
      expect(e).toBeGreaterThanOrEqual(Math.min(zbar, population));
      expect(e).toBeLessThanOrEqual(Math.max(zbar, population));
    }
  });

  it('is null when q ≤ 1: the population mean spend is infinite', () => {
    expect(expectedSpend({ p: 2, q: 0.9, v: 10 }, { x: 3, zbar: 20 })).toBeNull();
  });
});
