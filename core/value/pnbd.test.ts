import { describe, expect, it } from 'vitest';
import { cdnowSummary } from '../../test/fixtures/cdnow/cdnow.ts';
import {
  fitPnbd,
  pnbdExpectedPurchases,
  pnbdExpectedPurchasesNew,
  pnbdGradient,
  pnbdLogLikelihood,
  pnbdPAlive,
} from './pnbd.ts';
import { simulatePnbd } from './simulate.ts';
import { logGamma } from './special.ts';

// lifetimes 0.11.3 (ParetoNBDFitter) on the same summary, run on this machine: r 0.553273,
// α 10.577723, s 0.606251, β 11.669399; for (x 2, tx 30.43, T 38.86): E[Y(39)] 1.455093,
// P(alive) 0.869115. Published (Fader, Hardie & Lee 2005 note; lifetimes docs): r 0.553,
// α 10.58, s 0.606, β 11.67, LL −9595.0.
const LIFETIMES = { r: 0.553273, alpha: 10.577723, s: 0.606251, beta: 11.669399 };

describe('Pareto/NBD on CDNOW', () => {
  const fit = fitPnbd(cdnowSummary());

  it('reproduces the published estimates and log-likelihood', () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(fit.params.r).toBeCloseTo(0.553, 3);
    expect(fit.params.alpha).toBeCloseTo(10.58, 2);
    expect(fit.params.s).toBeCloseTo(0.606, 3);
    expect(fit.params.beta).toBeCloseTo(11.67, 1);
    expect(fit.logLikelihood).toBeCloseTo(-9595.0, 0);
    // β is the flattest direction of the surface: lifetimes' optimum agrees to 1e-4 relative.
    for (const key of ['r', 'alpha', 's', 'beta'] as const)
      expect(Math.abs(fit.params[key] / LIFETIMES[key] - 1), key).toBeLessThan(2e-4);
  });

  it('gives standard errors, with β the least precise (the flat ridge of s and β)', () => {
    const se = fit.standardErrors!;
    expect(se.r / fit.params.r).toBeLessThan(0.1);
    expect(se.alpha / fit.params.alpha).toBeLessThan(0.1);
    expect(se.beta / fit.params.beta).toBeGreaterThan(se.s / fit.params.s);
  });

  it('predicts like lifetimes for the papers’ customer (x 2, tx 30.43, T 38.86)', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    expect(pnbdExpectedPurchases(LIFETIMES, c, 39)).toBeCloseTo(1.455093, 5);
    expect(pnbdPAlive(LIFETIMES, c)).toBeCloseTo(0.869115, 5);
  });

  it('the analytic gradient matches central differences, on either side of α = β', () => {
    const data = cdnowSummary().slice(0, 400);
    for (const p of [LIFETIMES, { r: 0.4, alpha: 14, s: 1.3, beta: 3.5 }]) {
      const g = pnbdGradient(p, data);
      (['r', 'alpha', 's', 'beta'] as const).forEach((key, i) => {
        const h = 1e-6 * p[key];
        const numeric =
          (pnbdLogLikelihood({ ...p, [key]: p[key] + h }, data) -
            pnbdLogLikelihood({ ...p, [key]: p[key] - h }, data)) /
          (2 * h);
        expect(Math.abs(g[i]! - numeric), key).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      });
    }
  });
});

describe('the log-space likelihood equals the textbook formula where that is finite', () => {
  // Fader, Hardie & Lee's note, eq. (22), by direct numerical integration of its second term.
  const direct = (
    p: { r: number; alpha: number; s: number; beta: number },
    x: number,
    tx: number,
    T: number,
  ) => {
    const { r, alpha, s, beta } = p;
    const f = (tau: number) => (alpha + tau) ** -(r + x) * (beta + tau) ** -(s + 1);
    const steps = 20_000;
    let integral = 0;
    for (let i = 0; i < steps; i++) integral += f(tx + ((i + 0.5) * (T - tx)) / steps);
    integral *= (T - tx) / steps;
    return (
      logGamma(r + x) -
      logGamma(r) +
      r * Math.log(alpha) +
      s * Math.log(beta) +
      Math.log((alpha + T) ** -(r + x) * (beta + T) ** -s + s * integral)
    );
  };
  it.each([
    [{ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, 2, 30.43, 38.86],
    [{ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, 0, 0, 38.86],
    [{ r: 2, alpha: 30, s: 0.3, beta: 2 }, 7, 12.5, 60],
    [{ r: 0.2, alpha: 1, s: 5, beta: 80 }, 15, 70, 71],
  ])('%o at x %d, tx %d, T %d', (p, x, tx, T) => {
    expect(pnbdLogLikelihood(p, [{ x, tx, T }])).toBeCloseTo(direct(p, x, tx, T), 6);
  });
});

describe('hostile histories', () => {
  const finite = (x: number) => expect(Number.isFinite(x), String(x)).toBe(true);

  it('one client with 10,000 purchases among CDNOW’s: finite likelihood, gradient, fit and predictions', () => {
    // lifetimes' ParetoNBDFitter overflows (α+T)^(r+s+x) here: 49^10000.
    const heavy = { x: 10_000, tx: 38.8595, T: 38.86 };
    const data = [...cdnowSummary(), heavy];
    const p = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };
    finite(pnbdLogLikelihood(p, [heavy]));
    pnbdGradient(p, data).forEach(finite);
    const fit = fitPnbd(data);
    expect(fit.converged).toBe(true);
    Object.values(fit.params).forEach(finite);
    finite(fit.logLikelihood);
    expect(pnbdPAlive(fit.params, heavy)).toBeGreaterThan(0.8);
    // Still alive, a client at ~260 purchases a week keeps that pace.
    expect(pnbdExpectedPurchases(fit.params, heavy, 1) / (10_000 / 38.86)).toBeCloseTo(1, 1);
    // Gone quiet for 30 weeks after 10,000 purchases: surely dead, and still a number.
    const quiet = { x: 10_000, tx: 8, T: 38.86 };
    finite(pnbdPAlive(fit.params, quiet));
    expect(pnbdPAlive(fit.params, quiet)).toBeLessThan(1e-6);
  });

  it('ten years of weekly buyers (x = 520 over 520 weeks) with α ≫ β and α ≪ β', () => {
    const weekly = Array.from({ length: 200 }, (_, i) => ({ x: 520, tx: 519 + (i % 2), T: 520 }));
    const data = [...weekly, ...cdnowSummary().slice(0, 150)];
    for (const p of [
      { r: 0.5, alpha: 500, s: 0.6, beta: 0.01 },
      { r: 0.5, alpha: 0.01, s: 0.6, beta: 500 },
    ]) {
      finite(pnbdLogLikelihood(p, data));
      pnbdGradient(p, data).forEach(finite);
    }
    const fit = fitPnbd(data);
    Object.values(fit.params).forEach(finite);
    finite(fit.logLikelihood);
    for (const c of weekly.slice(0, 2)) {
      finite(pnbdExpectedPurchases(fit.params, c, 52));
      expect(pnbdPAlive(fit.params, c)).toBeGreaterThan(0.9);
    }
  });
});

describe('fits of data simulated from known parameters', () => {
  it('recovers r, α, s, β within 4 standard errors', () => {
    const truth = { r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 };
    const customers = simulatePnbd({
      customers: 5000,
      params: truth,
      observation: { min: 26, max: 78 },
      seed: 13,
    });
    const fit = fitPnbd(customers);
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      const se = fit.standardErrors![key];
      expect(Math.abs(fit.params[key] - truth[key]), key).toBeLessThan(4 * se);
      expect(se / truth[key], key).toBeLessThan(0.5);
    }
  });

  it('a new customer’s expectation is r/α per unit of time at first, and saturates when s > 1', () => {
    const p = { r: 2, alpha: 10, s: 3, beta: 20 };
    expect(pnbdExpectedPurchasesNew(p, 1e-6) / 1e-6).toBeCloseTo(p.r / p.alpha, 6);
    // s > 1: the mean lifetime is finite, and E[X(∞)] = rβ/(α(s−1))
    expect(pnbdExpectedPurchasesNew(p, 1e9)).toBeCloseTo((p.r * p.beta) / (p.alpha * (p.s - 1)), 3);
  });
});
