import { describe, expect, it } from 'vitest';
import { integrateUnitInterval, tanhSinhReach } from './quadrature.ts';
import { logBeta } from './special.ts';

const beta = (a: number, b: number) => (_p: number, logP: number, logQ: number) =>
  (a - 1) * logP + (b - 1) * logQ - logBeta(a, b);
const reach = (a: number, b: number) => ({ low: tanhSinhReach(a), high: tanhSinhReach(b) });

describe('integrateUnitInterval (tanh-sinh)', () => {
  it.each([
    [1, 1],
    [0.5, 0.5],
    [0.01, 3],
    [2, 1e-3],
    [0.793, 2.426],
    [30, 40],
  ])('a Beta(%d, %d) density integrates to 1, singular ends included', (a, b) => {
    expect(integrateUnitInterval(beta(a, b), { reach: reach(a, b) })).toBeCloseTo(1, 10);
  });

  it('the Beta mean: ∫ p·Beta(0.3, 5) = 0.3/5.3', () => {
    const f = beta(0.3, 5);
    expect(
      integrateUnitInterval((p, lp, lq) => lp + f(p, lp, lq), { reach: reach(1.3, 5) }),
    ).toBeCloseTo(0.3 / 5.3, 12);
  });

  it('∫ p^−½ = 2 and ∫ ln-singular −ln p = 1', () => {
    expect(integrateUnitInterval((_p, lp) => -0.5 * lp, { reach: reach(0.5, 1) })).toBeCloseTo(
      2,
      10,
    );
    expect(integrateUnitInterval((_p, lp) => Math.log(-lp), { reach: reach(1, 1) })).toBeCloseTo(
      1,
      10,
    );
  });

  it('throws rather than guess when the integrand is too narrow for its levels', () => {
    expect(() =>
      integrateUnitInterval(beta(5e5, 7e5), { reach: reach(5e5, 7e5), maxLevels: 6 }),
    ).toThrow(RangeError);
  });
});
