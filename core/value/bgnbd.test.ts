import { describe, expect, it } from 'vitest';
import type { BgNbdParams } from '../../schema/value.ts';
import {
  CDNOW_CALIBRATION_END,
  cdnowSummary,
  cdnowTransactions,
} from '../../test/fixtures/cdnow/cdnow.ts';
import {
  bgnbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesByQuadrature,
  expectedPurchasesBySeries,
  expectedPurchasesNew,
  fitBgNbd,
  pAlive,
  type Frequency,
} from './bgnbd.ts';
import { hyp2f1, logGamma } from './special.ts';
import { summariseTransactions } from './summary.ts';

/** Agrees with a published figure to `digits` significant figures: within half a unit of the last. */
const expectSignificant = (actual: number, published: number, digits = 3) => {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(published))) - digits + 1);
  expect(Math.abs(actual - published), `${actual} vs ${published}`).toBeLessThanOrEqual(unit / 2);
};

// Fader, Hardie & Lee (2005), Table/Section 4: CDNOW, 2,357 customers, 39 weeks.
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 };
const expectPublished = (fit: ReturnType<typeof fitBgNbd>) => {
  expect(fit.converged).toBe(true);
  expect(fit.customers).toBe(2357);
  for (const key of ['r', 'alpha', 'a', 'b'] as const)
    expectSignificant(fit.params[key], PUBLISHED[key]);
  expect(fit.logLikelihood).toBeCloseTo(PUBLISHED.logLikelihood, 1);
};

describe('BG/NBD on CDNOW reproduces Fader, Hardie & Lee (2005)', () => {
  const fromSummary = fitBgNbd(cdnowSummary());

  it('fitted from the published summary (cdnow_customers_summary.csv)', () => {
    expectPublished(fromSummary);
  });

  it('fitted from the raw transactions through the summariser', () => {
    expectPublished(
      fitBgNbd(
        summariseTransactions(cdnowTransactions(), {
          asOf: CDNOW_CALIBRATION_END,
          timeUnit: 'week',
        }),
      ),
    );
  });

  it('lands on the same maximum from very different starting points', () => {
    for (const start of [
      { r: 0.05, alpha: 0.5, a: 0.05, b: 0.1 },
      { r: 20, alpha: 300, a: 10, b: 60 },
    ]) {
      const fit = fitBgNbd(cdnowSummary(), { start });
      expect(fit.converged).toBe(true);
      expect(fit.logLikelihood).toBeCloseTo(fromSummary.logLikelihood, 5);
    }
  });

  it('reports standard errors, small relative to r and α on 2,357 customers', () => {
    const se = fromSummary.standardErrors!;
    expect(se.r / fromSummary.params.r).toBeLessThan(0.1);
    expect(se.alpha / fromSummary.params.alpha).toBeLessThan(0.15);
    expect(se.a).toBeGreaterThan(0);
    expect(se.b).toBeGreaterThan(0);
  });

  it('the paper’s customer (x = 2, tx = 30.43, T = 38.86) expects 1.226 purchases in the next 39 weeks', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedPurchases(fromSummary.params, c, 39)).toBeCloseTo(1.226, 3);
  });
});

describe('the log-space likelihood equals the paper’s formula (eq. 6) evaluated directly', () => {
  const p: BgNbdParams = { r: 0.7, alpha: 3, a: 1.3, b: 2.2 };
  const beta = (x: number, y: number) => Math.exp(logGamma(x) + logGamma(y) - logGamma(x + y));
  const gamma = (x: number) => Math.exp(logGamma(x));
  const direct = ({ x, tx, T }: Frequency) => {
    const poisson = (span: number) =>
      (gamma(p.r + x) * p.alpha ** p.r) / (gamma(p.r) * (p.alpha + span) ** (p.r + x));
    const stay = (beta(p.a, p.b + x) / beta(p.a, p.b)) * poisson(T);
    const left = x > 0 ? (beta(p.a + 1, p.b + x - 1) / beta(p.a, p.b)) * poisson(tx) : 0;
    return Math.log(stay + left);
  };
  it.each<Frequency>([
    { x: 0, tx: 0, T: 10 },
    { x: 1, tx: 2, T: 10 },
    { x: 4, tx: 9.5, T: 10 },
    { x: 3, tx: 1, T: 30 },
  ])('x = $x, tx = $tx, T = $T', (c) => {
    expect(bgnbdLogLikelihood(p, [c])).toBeCloseTo(direct(c), 11);
  });

  it('sums over customers, counting identical histories once each', () => {
    const c = { x: 1, tx: 2, T: 10 };
    expect(bgnbdLogLikelihood(p, [c, c, { x: 0, tx: 0, T: 10 }])).toBeCloseTo(
      2 * direct(c) + direct({ x: 0, tx: 0, T: 10 }),
      10,
    );
  });
});

describe('conditional expectation E[Y(t) | x, tx, T] (eq. 10)', () => {
  const cdnow: BgNbdParams = { r: 0.2425929, alpha: 4.413532, a: 0.7928861, b: 2.425754 };
  // Reference: the paper's formula in mpmath at 30 digits.
  it.each<[string, BgNbdParams, Frequency, number, number]>([
    ['the paper’s customer', cdnow, { x: 2, tx: 30.43, T: 38.86 }, 39, 1.2259105477059826],
    ['a one-time buyer', cdnow, { x: 0, tx: 0, T: 38.86 }, 39, 0.1947808440908646],
    [
      'a new customer (the unconditional E[X(t)])',
      cdnow,
      { x: 0, tx: 0, T: 0 },
      39,
      1.1950162941902721,
    ],
    ['a frequent buyer', cdnow, { x: 7, tx: 35, T: 38 }, 52, 5.7287650102270873],
    ['a heavy buyer over five years', cdnow, { x: 60, tx: 37, T: 38 }, 260, 140.59014491554047],
    // the textbook ₂F₁ here is about 1e451, beyond double precision
    [
      'a very heavy buyer over ten years',
      cdnow,
      { x: 400, tx: 37, T: 38 },
      520,
      47.746887167724849,
    ],
    ['a > 1', { r: 0.5, alpha: 6, a: 3, b: 5 }, { x: 3, tx: 10, T: 20 }, 30, 0.70454215068096629],
    [
      'a < 1, b < 1',
      { r: 0.5, alpha: 6, a: 0.3, b: 0.5 },
      { x: 3, tx: 10, T: 20 },
      30,
      2.1069764855311248,
    ],
    [
      'a hair above 1, where (a−1) in the denominator cancels',
      { r: 0.5, alpha: 6, a: 1.0000001, b: 2 },
      { x: 3, tx: 10, T: 20 },
      30,
      1.2342276152237286,
    ],
    [
      'a = 1 exactly (the limit)',
      { r: 0.5, alpha: 6, a: 1, b: 2 },
      { x: 3, tx: 10, T: 20 },
      30,
      1.2342277188349057,
    ],
    [
      'a = 2, where the evaluation switches form',
      { r: 0.5, alpha: 6, a: 2, b: 3 },
      { x: 3, tx: 10, T: 20 },
      30,
      0.77902989217826678,
    ],
    [
      'a > 2 and a very heavy buyer (log-space textbook series)',
      { r: 0.243, alpha: 4.414, a: 5, b: 12 },
      { x: 400, tx: 37, T: 38 },
      520,
      0.60536094454774083,
    ],
    // fits of small samples can drift to a degenerate Beta (a, b in the millions) or to p ≈ 0
    [
      'a degenerate Beta, one-time buyer',
      { r: 0.3, alpha: 8.25, a: 575919, b: 748082 },
      { x: 0, tx: 0, T: 22.89 },
      52,
      0.34735440383745143,
    ],
    [
      'a degenerate Beta, repeat buyer',
      { r: 0.3, alpha: 8.25, a: 575919, b: 748082 },
      { x: 3, tx: 10, T: 20 },
      52,
      0.46267895339162697,
    ],
    [
      'almost no dropout (a tiny, b huge), one-time buyer',
      { r: 0.33, alpha: 9.66, a: 0.00022, b: 146961 },
      { x: 0, tx: 0, T: 13.42 },
      52,
      0.74350086488354887,
    ],
    [
      'almost no dropout, repeat buyer',
      { r: 0.33, alpha: 9.66, a: 0.00022, b: 146961 },
      { x: 5, tx: 12, T: 13.42 },
      52,
      12.008665357866762,
    ],
  ])('%s', (_name, p, c, t, want) => {
    expect(Math.abs(expectedPurchases(p, c, t) - want)).toBeLessThanOrEqual(1e-9 * want);
  });

  // Horizons far beyond α+T (z > 0.99), where a series would need 35/(1−z) terms.
  it.each<[string, BgNbdParams, Frequency, number, number]>([
    [
      'a new customer, α of a hundredth of a day, ten years',
      { r: 0.9, alpha: 0.01, a: 0.5, b: 12 },
      { x: 0, tx: 0, T: 0 },
      3650,
      3416.4307862888301,
    ],
    [
      'the same with a > 1',
      { r: 0.9, alpha: 0.01, a: 1.5, b: 12 },
      { x: 0, tx: 0, T: 0 },
      3650,
      24.710215012247736,
    ],
    [
      'CDNOW’s a and b, α of half a day',
      { r: 0.2, alpha: 0.5, a: 0.793, b: 2.426 },
      { x: 0, tx: 0, T: 0 },
      3650,
      18.851564282842881,
    ],
    [
      'a > 2, α of half a day',
      { r: 0.2, alpha: 0.5, a: 5, b: 12 },
      { x: 0, tx: 0, T: 0 },
      3650,
      3.0874444766292327,
    ],
    [
      'a young repeat buyer',
      { r: 0.2, alpha: 0.5, a: 0.793, b: 2.426 },
      { x: 3, tx: 1.5, T: 2 },
      365,
      27.979171433399308,
    ],
    [
      'a < 1 and b < 1',
      { r: 0.5, alpha: 6, a: 0.3, b: 0.5 },
      { x: 0, tx: 0, T: 0 },
      5000,
      54.050422907662911,
    ],
  ])('z near 1: %s', (_name, p, c, t, want) => {
    expect(Math.abs(expectedPurchases(p, c, t) / want - 1)).toBeLessThanOrEqual(1e-9);
  });

  it('series and quadrature agree wherever both work, and each covers the other’s weak spot', () => {
    const cdnow = { r: 0.2425929, alpha: 4.413532, a: 0.7928861, b: 2.425754 };
    for (const [p, c, t] of [
      [cdnow, { x: 2, tx: 30.43, T: 38.86 }, 39],
      [cdnow, { x: 12, tx: 30, T: 39 }, 104],
      [{ r: 0.5, alpha: 6, a: 3, b: 5 }, { x: 3, tx: 10, T: 20 }, 30],
      [{ r: 0.33, alpha: 9.66, a: 0.00022, b: 146961 }, { x: 5, tx: 12, T: 13.42 }, 52],
    ] as const) {
      expect(
        expectedPurchasesByQuadrature(p, c, t) / expectedPurchasesBySeries(p, c, t) - 1,
      ).toBeLessThan(1e-8);
    }
    // the series gives up near z = 1; the quadrature cannot resolve a degenerate Beta
    expect(() =>
      expectedPurchasesBySeries(
        { r: 0.9, alpha: 0.01, a: 0.5, b: 12 },
        { x: 0, tx: 0, T: 0 },
        3650,
      ),
    ).toThrow(RangeError);
    expect(() =>
      expectedPurchasesByQuadrature(
        { r: 0.3, alpha: 8.25, a: 575919, b: 748082 },
        { x: 3, tx: 10, T: 20 },
        52,
      ),
    ).toThrow(RangeError);
  });

  it('agrees with the textbook form through the general ₂F₁ where that one is finite', () => {
    const p = cdnow;
    for (const c of [
      { x: 1, tx: 5, T: 20 },
      { x: 5, tx: 15, T: 16 },
      { x: 12, tx: 30, T: 39 },
    ]) {
      for (const t of [1, 10, 39, 104]) {
        const z = t / (p.alpha + c.T + t);
        const textbook =
          ((p.a + p.b + c.x - 1) / (p.a - 1)) *
          (1 -
            ((p.alpha + c.T) / (p.alpha + c.T + t)) ** (p.r + c.x) *
              hyp2f1(p.r + c.x, p.b + c.x, p.a + p.b + c.x - 1, z)) *
          pAlive(p, c);
        expect(expectedPurchases(p, c, t)).toBeCloseTo(textbook, 8);
      }
    }
  });

  it('is 0 for no time, grows with t, and grows with x at the same recency', () => {
    const c = { x: 3, tx: 30, T: 39 };
    expect(expectedPurchases(cdnow, c, 0)).toBe(0);
    const path = [1, 5, 20, 52, 200].map((t) => expectedPurchases(cdnow, c, t));
    path.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(path[i]!));
    expect(expectedPurchases(cdnow, { ...c, x: 6 }, 39)).toBeGreaterThan(
      expectedPurchases(cdnow, c, 39),
    );
  });

  it('expectedPurchasesNew(t) is the conditional expectation of a customer just acquired', () => {
    expect(expectedPurchasesNew(cdnow, 39)).toBe(
      expectedPurchases(cdnow, { x: 0, tx: 0, T: 0 }, 39),
    );
  });
});

describe('P(alive)', () => {
  const p: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  it('is 1 without a repeat purchase: BG/NBD drops customers only after one', () => {
    expect(pAlive(p, { x: 0, tx: 0, T: 39 })).toBe(1);
  });
  it('equals 1/(1 + a/(b+x−1)·((α+T)/(α+tx))^(r+x))', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    const want = 1 / (1 + (p.a / (p.b + 1)) * ((p.alpha + c.T) / (p.alpha + c.tx)) ** (p.r + 2));
    expect(pAlive(p, c)).toBeCloseTo(want, 14);
  });
  it('falls as silence since the last purchase grows, faster for a frequent buyer', () => {
    const quiet = (x: number, gap: number) => pAlive(p, { x, tx: 10, T: 10 + gap });
    expect(quiet(2, 5)).toBeGreaterThan(quiet(2, 20));
    expect(quiet(10, 20)).toBeLessThan(quiet(2, 20));
    expect(quiet(30, 500)).toBeGreaterThanOrEqual(0);
  });
});
