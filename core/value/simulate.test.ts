import { describe, expect, it } from 'vitest';
import { expectedPurchases, fitBgNbd, pAlive } from './bgnbd.ts';
import { fitGammaGamma } from './gamma-gamma.ts';
import { createRng, gammaSample, simulateCustomers } from './simulate.ts';

const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CDNOW_SPEND = { p: 6.25, q: 3.74, v: 15.44 };

describe('the seeded generator', () => {
  it('repeats itself for a seed, differs between seeds, and stays in (0, 1]', () => {
    const draw = (seed: number) => Array.from({ length: 1000 }, createRng(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    const u = draw(3);
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThanOrEqual(1);
  });

  it.each([
    [0.3, 2],
    [5, 0.5],
  ])('Gamma(shape %d, rate %d) draws have the right mean and variance', (shape, rate) => {
    const rng = createRng(11);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => gammaSample(rng, shape, rate));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    // within 4 standard errors of the mean (var/n) and 10% on the variance
    expect(Math.abs(mean - shape / rate)).toBeLessThan(4 * Math.sqrt(shape / rate ** 2 / n));
    expect(variance / (shape / rate ** 2)).toBeCloseTo(1, 1);
  });
});

describe('fits of data simulated from known parameters', () => {
  // 4,000 customers acquired over a year, observed 26 to 78 weeks, CDNOW's parameters.
  const customers = simulateCustomers({
    customers: 4000,
    params: CDNOW,
    spend: CDNOW_SPEND,
    observation: { min: 26, max: 78 },
    seed: 2024,
  });

  // Tolerance: 4 standard errors from the fit's own observed information. The MLE is
  // asymptotically normal, and over 40 simulated replications of 2,000 customers the z-scores of
  // all four BG/NBD estimates had mean within ±0.1 and standard deviation 1.02–1.03, so these
  // errors are honest; 4 SE leaves a false alarm below 1e-4 per parameter. The relative-error
  // bounds make sure the band itself is narrow enough to mean something.
  it('BG/NBD recovers r, α, a, b', () => {
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      const se = fit.standardErrors![key];
      expect(Math.abs(fit.params[key] - CDNOW[key]), key).toBeLessThan(4 * se);
      expect(se / CDNOW[key], key).toBeLessThan(0.2);
    }
  });

  it('Gamma-Gamma recovers p, q, v', () => {
    const fit = fitGammaGamma(customers);
    expect(fit.converged).toBe(true);
    for (const key of ['p', 'q', 'v'] as const) {
      const se = fit.standardErrors![key];
      expect(Math.abs(fit.params[key] - CDNOW_SPEND[key]), key).toBeLessThan(4 * se);
      expect(se / CDNOW_SPEND[key], key).toBeLessThan(0.25);
    }
  });
});

describe('predictions are calibrated against simulated truth (true parameters)', () => {
  const customers = simulateCustomers({
    customers: 20_000,
    params: CDNOW,
    spend: CDNOW_SPEND,
    observation: { min: 27, max: 39 },
    holdout: 39,
    seed: 7,
  });

  it('conditional expectations add up to the holdout purchases that happen', () => {
    let residual = 0;
    let squares = 0;
    for (const c of customers) {
      const e = expectedPurchases(CDNOW, c, 39);
      residual += c.holdoutPurchases - e;
      squares += (c.holdoutPurchases - e) ** 2;
    }
    expect(Math.abs(residual) / Math.sqrt(squares)).toBeLessThan(4);
  });

  it('P(alive) adds up to the customers actually alive at T', () => {
    let residual = 0;
    let variance = 0;
    for (const c of customers) {
      const p = pAlive(CDNOW, c);
      residual += (c.aliveAtT ? 1 : 0) - p;
      variance += p * (1 - p);
    }
    expect(Math.abs(residual) / Math.sqrt(variance)).toBeLessThan(4);
  });
});
