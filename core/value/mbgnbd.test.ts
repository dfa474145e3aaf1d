import { describe, expect, it } from 'vitest';
import { cdnowSummary } from '../../test/fixtures/cdnow/cdnow.ts';
import { betaGeometricGradient, betaGeometricLogLikelihood } from './beta-geometric.ts';
import {
  fitMbgnbd,
  mbgnbdExpectedPurchases,
  mbgnbdExpectedPurchasesNew,
  mbgnbdLogLikelihood,
  mbgnbdPAlive,
} from './mbgnbd.ts';
import { simulateMbgnbd } from './simulate.ts';
import { hyp2f1, logGamma } from './special.ts';

// lifetimes 0.11.3 (ModifiedBetaGeoFitter) on the same CDNOW summary, run on this machine:
// r 0.524838, α 6.182988, a 0.891356, b 1.614000; for (x 2, tx 30.43, T 38.86) E[Y(39)] 1.262671
// and P(alive) 0.706126.
const LIFETIMES = { r: 0.524838, alpha: 6.182988, a: 0.891356, b: 1.614 };

describe('MBG/NBD on CDNOW', () => {
  const fit = fitMbgnbd(cdnowSummary());

  it('finds lifetimes’ estimates', () => {
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs(fit.params[key] / LIFETIMES[key] - 1), key).toBeLessThan(1e-5);
    // A hair above BG/NBD's −9582.4 on the same data.
    expect(fit.logLikelihood).toBeCloseTo(-9582.13, 2);
    expect(fit.standardErrors!.r / fit.params.r).toBeLessThan(0.2);
  });

  it('predicts like lifetimes for the papers’ customer', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    expect(mbgnbdExpectedPurchases(LIFETIMES, c, 39)).toBeCloseTo(1.262671, 5);
    expect(mbgnbdPAlive(LIFETIMES, c)).toBeCloseTo(0.706126, 5);
  });

  it('a one-time buyer may be gone, unlike BG/NBD, and the new-customer curve is lifetimes’ formula', () => {
    expect(mbgnbdPAlive(fit.params, { x: 0, tx: 0, T: 38 })).toBeLessThan(1);
    // lifetimes: b/(a−1) · (1 − ₂F₁(r, b+1; a+b; z) (α/(α+t))^r), z = t/(α+t)
    const p = { r: 0.8, alpha: 5, a: 3.5, b: 2 };
    const t = 20;
    const z = t / (p.alpha + t);
    const reference =
      (p.b / (p.a - 1)) *
      (1 - hyp2f1(p.r, p.b + 1, p.a + p.b, z) * (p.alpha / (p.alpha + t)) ** p.r);
    expect(mbgnbdExpectedPurchasesNew(p, t)).toBeCloseTo(reference, 10);
  });

  it('the likelihood is Batislam et al.’s formula; the gradient matches central differences', () => {
    const p = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const B = (u: number, v: number) => Math.exp(logGamma(u) + logGamma(v) - logGamma(u + v));
    for (const [x, tx, T] of [
      [0, 0, 30],
      [3, 12.5, 30],
    ] as const) {
      const lead = Math.exp(logGamma(p.r + x) - logGamma(p.r)) * p.alpha ** p.r;
      const direct =
        (B(p.a, p.b + x + 1) / B(p.a, p.b)) * lead * (p.alpha + T) ** -(p.r + x) +
        (B(p.a + 1, p.b + x) / B(p.a, p.b)) * lead * (p.alpha + tx) ** -(p.r + x);
      expect(mbgnbdLogLikelihood(p, [{ x, tx, T }])).toBeCloseTo(Math.log(direct), 10);
    }
    const data = cdnowSummary().slice(0, 300);
    for (const shift of [0, 1] as const) {
      const g = betaGeometricGradient(p, data, shift);
      (['r', 'alpha', 'a', 'b'] as const).forEach((key, i) => {
        const h = 1e-6 * p[key];
        const numeric =
          (betaGeometricLogLikelihood({ ...p, [key]: p[key] + h }, data, shift) -
            betaGeometricLogLikelihood({ ...p, [key]: p[key] - h }, data, shift)) /
          (2 * h);
        expect(Math.abs(g[i]! - numeric), `${shift} ${key}`).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(numeric)),
        );
      });
    }
  });
});

describe('MBG/NBD on simulated and hostile data', () => {
  it('recovers r, α, a, b within 4 standard errors', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const customers = simulateMbgnbd({
      customers: 5000,
      params: truth,
      observation: { min: 26, max: 78 },
      seed: 31,
    });
    const fit = fitMbgnbd(customers);
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      const se = fit.standardErrors![key];
      expect(Math.abs(fit.params[key] - truth[key]), key).toBeLessThan(4 * se);
      expect(se / truth[key], key).toBeLessThan(0.5);
    }
  });

  it('one client with 10,000 purchases and ten years of weekly buyers stay finite', () => {
    const finite = (x: number) => expect(Number.isFinite(x), String(x)).toBe(true);
    const heavy = { x: 10_000, tx: 38.8, T: 38.86 };
    const weekly = Array.from({ length: 100 }, () => ({ x: 520, tx: 519.5, T: 520 }));
    const fit = fitMbgnbd([...cdnowSummary(), heavy, ...weekly]);
    Object.values(fit.params).forEach(finite);
    finite(fit.logLikelihood);
    for (const c of [heavy, weekly[0]!]) {
      finite(mbgnbdPAlive(fit.params, c));
      finite(mbgnbdExpectedPurchases(fit.params, c, 52));
    }
  });
});
