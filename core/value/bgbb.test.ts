import { describe, expect, it } from 'vitest';
import {
  bgbbExpectedPurchases,
  bgbbExpectedPurchasesNew,
  bgbbGradient,
  bgbbLogLikelihood,
  bgbbPAlive,
  fitBgbb,
} from './bgbb.ts';
import { simulateBgbb } from './simulate.ts';
import { logBeta } from './special.ts';

// Fader, Hardie & Shang (2010), the 1995 donor cohort: α 1.204, β 0.750, γ 0.657, δ 2.783 on
// 11,104 donors and 6 opportunities. The cohort's recency/frequency table is not reproduced here
// (we could not vouch for every cell), so the same design is simulated from those values, and
// lifetimes' BetaGeoBetaBinomFitter fitted on the very same draws (run on this machine): α 1.269896,
// β 0.751050, γ 0.605687, δ 2.422218; for (x 3, tx 5, n 6): E[X(6, 11)] 1.839320, P(alive at 7)
// 0.772108.
const PUBLISHED = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
const LIFETIMES = { alpha: 1.269896, beta: 0.75105, gamma: 0.605687, delta: 2.422218 };

describe('BG/BB on the donation design', () => {
  const donors = simulateBgbb({
    customers: 11_104,
    params: PUBLISHED,
    opportunities: { min: 6, max: 6 },
    seed: 1995,
  });
  const fit = fitBgbb(donors);

  it('recovers the published parameters within 4 standard errors, and agrees with lifetimes', () => {
    expect(fit.converged).toBe(true);
    for (const key of ['alpha', 'beta', 'gamma', 'delta'] as const) {
      expect(Math.abs(fit.params[key] - PUBLISHED[key]), key).toBeLessThan(
        4 * fit.standardErrors![key],
      );
      expect(Math.abs(fit.params[key] / LIFETIMES[key] - 1), key).toBeLessThan(1e-5);
    }
  });

  it('predicts like lifetimes', () => {
    const c = { x: 3, tx: 5, n: 6 };
    expect(bgbbExpectedPurchases(LIFETIMES, c, 5)).toBeCloseTo(1.83932, 5);
    expect(bgbbPAlive(LIFETIMES, c)).toBeCloseTo(0.772108, 5);
  });

  it('the likelihood is eq. 5 term by term, and the gradient matches central differences', () => {
    const p = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
    const [x, tx, n] = [2, 3, 6];
    let direct =
      Math.exp(logBeta(p.alpha + x, p.beta + n - x) - logBeta(p.alpha, p.beta)) *
      Math.exp(logBeta(p.gamma, p.delta + n) - logBeta(p.gamma, p.delta));
    for (let i = 0; i <= n - tx - 1; i++)
      direct +=
        Math.exp(logBeta(p.alpha + x, p.beta + tx - x + i) - logBeta(p.alpha, p.beta)) *
        Math.exp(logBeta(p.gamma + 1, p.delta + tx + i) - logBeta(p.gamma, p.delta));
    expect(bgbbLogLikelihood(p, [{ x, tx, n }])).toBeCloseTo(Math.log(direct), 12);
    const sample = donors.slice(0, 500);
    const g = bgbbGradient(p, sample);
    (['alpha', 'beta', 'gamma', 'delta'] as const).forEach((key, i) => {
      const h = 1e-6 * p[key];
      const numeric =
        (bgbbLogLikelihood({ ...p, [key]: p[key] + h }, sample) -
          bgbbLogLikelihood({ ...p, [key]: p[key] - h }, sample)) /
        (2 * h);
      expect(Math.abs(g[i]! - numeric), key).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
    });
  });

  it('a new customer’s expectation is eq. 8, smooth through γ = 1', () => {
    const p = { alpha: 1.2, beta: 0.75, gamma: 2.5, delta: 2.8 };
    const n = 10;
    // E[X(n)] = α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(γ+δ+n)Γ(1+δ))], by the product form
    let ratio = 1;
    for (let i = 0; i < n; i++) ratio *= (1 + p.delta + i) / (p.gamma + p.delta + i);
    const eq8 = (p.alpha / (p.alpha + p.beta)) * (p.delta / (p.gamma - 1)) * (1 - ratio);
    expect(bgbbExpectedPurchasesNew(p, n)).toBeCloseTo(eq8, 10);
    const below = bgbbExpectedPurchasesNew({ ...p, gamma: 1 - 1e-7 }, n);
    const at = bgbbExpectedPurchasesNew({ ...p, gamma: 1 }, n);
    expect(at).toBeCloseTo(below, 5);
  });
});

describe('BG/BB on hostile histories', () => {
  it('ten years of weekly opportunities (n = 520), every one taken: finite fit and predictions', () => {
    const finite = (x: number) => expect(Number.isFinite(x), String(x)).toBe(true);
    const weekly = Array.from({ length: 50 }, () => ({ x: 520, tx: 520, n: 520 }));
    const lapsed = Array.from({ length: 50 }, (_, i) => ({ x: i % 5, tx: i % 5, n: 520 }));
    const fit = fitBgbb([...weekly, ...lapsed]);
    Object.values(fit.params).forEach(finite);
    finite(fit.logLikelihood);
    finite(bgbbExpectedPurchases(fit.params, weekly[0]!, 52));
    expect(bgbbPAlive(fit.params, weekly[0]!)).toBeGreaterThan(0.9);
    expect(bgbbPAlive(fit.params, { x: 1, tx: 1, n: 520 })).toBeLessThan(0.01);
  });
});
