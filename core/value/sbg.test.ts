import { describe, expect, it } from 'vitest';
import {
  fitSbg,
  sbgDiscountedResidualLifetime,
  sbgLogLikelihood,
  sbgRetention,
  sbgSurvival,
} from './sbg.ts';
import { logBeta } from './special.ts';

// Fader & Hardie (2007), "How to Project Customer Retention", Table 1 and the estimates in the text.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe('shifted-beta-geometric', () => {
  it('reproduces the published estimates for both segments', () => {
    const regular = fitSbg(REGULAR);
    expect(regular.converged).toBe(true);
    expect(regular.params.alpha).toBeCloseTo(0.704, 3);
    expect(regular.params.beta).toBeCloseTo(1.182, 3);
    expect(regular.logLikelihood).toBeCloseTo(-1680.3, 1);
    const high = fitSbg(HIGH_END);
    expect(high.params.alpha).toBeCloseTo(0.668, 3);
    expect(high.params.beta).toBeCloseTo(3.806, 3);
    expect(high.logLikelihood).toBeCloseTo(-1611.2, 1);
    expect(high.standardErrors!.beta).toBeGreaterThan(high.standardErrors!.alpha);
  });

  it('the likelihood is eq. 7 with Beta functions', () => {
    const p = { alpha: 0.7, beta: 1.2 };
    const P = (t: number) =>
      Math.exp(logBeta(p.alpha + 1, p.beta + t - 1) - logBeta(p.alpha, p.beta));
    const S = (t: number) => Math.exp(logBeta(p.alpha, p.beta + t) - logBeta(p.alpha, p.beta));
    let direct = 0;
    for (let t = 1; t < REGULAR.length; t++)
      direct += (REGULAR[t - 1]! - REGULAR[t]!) * Math.log(P(t));
    direct += REGULAR.at(-1)! * Math.log(S(REGULAR.length - 1));
    expect(sbgLogLikelihood(p, REGULAR)).toBeCloseTo(direct, 8);
  });

  it('projects retention rising with tenure, survival falling, and recovers simulated cohorts', () => {
    const p = { alpha: 0.704, beta: 1.182 };
    const r = sbgRetention(p, 12);
    for (let t = 1; t < r.length; t++) expect(r[t]!).toBeGreaterThan(r[t - 1]!);
    const s = sbgSurvival(p, 12);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeCloseTo(r[0]!, 12);
    // The expected survivors are a fixed point: fitting them returns the parameters.
    const expected = s.slice(0, 10).map((x) => Math.round(1e6 * x));
    const fit = fitSbg(expected);
    expect(fit.params.alpha).toBeCloseTo(0.704, 2);
    expect(fit.params.beta).toBeCloseTo(1.182, 2);
  });

  it('discounted expected residual lifetime: the homogeneous limit ρ(1+d)/(1+d−ρ), and it grows with tenure', () => {
    // Beta(0.2·k, 0.8·k) with k huge: every subscriber renews with probability 0.8.
    const homogeneous = { alpha: 2e5, beta: 8e5 };
    expect(sbgDiscountedResidualLifetime(homogeneous, 3, 0.1)).toBeCloseTo((0.8 * 1.1) / 0.3, 3);
    const p = { alpha: 0.704, beta: 1.182 };
    const derl = [0, 1, 4].map((n) => sbgDiscountedResidualLifetime(p, n, 0.1));
    expect(derl[1]!).toBeGreaterThan(derl[0]!);
    expect(derl[2]!).toBeGreaterThan(derl[1]!);
    expect(() => sbgDiscountedResidualLifetime(p, 0, 0)).toThrow(RangeError);
  });
});
