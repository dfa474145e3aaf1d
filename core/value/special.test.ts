import { describe, expect, it } from 'vitest';
import { hyp2f1, logBeta, logGamma, softplus } from './special.ts';

// Reference values from mpmath at 30 digits.
describe('logGamma', () => {
  it.each([
    [1e-8, 18.420680738180209],
    [0.1, 2.2527126517342059],
    [0.5, 0.57236494292470009],
    [1, 0],
    [2, 0],
    [3.7, 1.4280723266653881],
    [10, 12.80182748008147],
    [100, 359.1342053695754],
    [1234.5, 7550.5509010778949],
  ])('ln Γ(%d)', (x, want) => {
    expect(Math.abs(logGamma(x) - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
  });

  it('is NaN off the positive axis rather than a wrong number', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
  });

  it('ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b): B(2, 3) = 1/12', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
  });
});

describe('softplus', () => {
  it.each([
    [0, Math.LN2],
    [1000, 1000],
    [-1000, 0],
    [1e-10, Math.log(2 + 1e-10)],
    [-40, Math.exp(-40)],
  ])('ln(1 + e^%d)', (k, want) => {
    expect(softplus(k)).toBeCloseTo(want, 14);
    expect(Number.isFinite(softplus(k))).toBe(true);
  });
});

describe('hyp2f1', () => {
  const close = (got: number, want: number, rel = 1e-12) =>
    expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

  it.each([
    ['₂F₁(1,1;2;z) = −ln(1−z)/z at 0.5', 1, 1, 2, 0.5, -Math.log(0.5) / 0.5],
    ['₂F₁(1,1;2;z) = −ln(1−z)/z near 1', 1, 1, 2, 0.999, -Math.log(0.001) / 0.999],
    ['₂F₁(1,1;2;z) = −ln(1−z)/z for negative z (Pfaff)', 1, 1, 2, -5, -Math.log(6) / -5],
    ['₂F₁(a,b;b;z) = (1−z)^−a', 2.5, 3, 3, 0.7, 0.3 ** -2.5],
    ['₂F₁(a,b;b;z) = (1−z)^−a, negative z', 0.3, 1.7, 1.7, -2, 3 ** -0.3],
    ['₂F₁(½,½;3/2;z²) = arcsin(z)/z', 0.5, 0.5, 1.5, 0.64, Math.asin(0.8) / 0.8],
    ['₂F₁(½,1;3/2;−z²) = arctan(z)/z', 0.5, 1, 1.5, -9, Math.atan(3) / 3],
    ['a terminating polynomial: ₂F₁(−3,2;1;½) = 1 − 3 + 9/4 − ½', -3, 2, 1, 0.5, -0.25],
    // mpmath
    ['large parameters whose terms climb before they fall', 50, 52, 52.2, 0.9, 6.35907931903464e49],
    ['BG/NBD-like parameters', 2.243, 4.426, 4.219, 0.6, 8.7913698555049454],
    ['a negative parameter close to z = 1', 3.5, -0.2, 4.1, 0.999, 0.6073947301032788],
    ['c below a and b, far negative z', 1.2, 2.3, 0.4, -20, -0.012885638843768506],
  ])('%s', (_name, a, b, c, z, want) => {
    close(hyp2f1(a, b, c, z), want, 1e-11);
  });

  it('refuses z ≥ 1 and c a non-positive integer', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
  });

  it('throws rather than return a truncated sum when the series has not converged', () => {
    expect(() => hyp2f1(1, 1, 2, 0.9999, { maxTerms: 100 })).toThrow(/did not converge/);
  });
});
