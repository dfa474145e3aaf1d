import { describe, expect, it } from 'vitest';
import { logScaleStandardErrorsFromGradient } from './information.ts';

describe('standard errors from the gradient', () => {
  it('give the textbook standard errors of two Poisson rates, λ/√(total count), to a relative 1e-5', () => {
    // −ln L(θ) = Σ_k (n e^θk − S_k θk) for rates λ_k = e^θk, n periods and S_k events: the MLE is
    // S_k/n, the information in θk is S_k, so se(λ_k) = λ_k/√S_k.
    const n = 52;
    const S = [130, 7];
    const gradient = (theta: number[]) => theta.map((t, k) => n * Math.exp(t) - S[k]!);
    const theta = S.map((s) => Math.log(s / n));
    const se = logScaleStandardErrorsFromGradient(gradient, theta)!;
    S.forEach((s, k) => {
      const want = s / n / Math.sqrt(s);
      expect(Math.abs(se[k]! / want - 1)).toBeLessThan(1e-5);
    });
  });

  it('are null where the information is singular', () => {
    // The second parameter does not enter the likelihood: nothing identifies it.
    const gradient = (theta: number[]) => [52 * Math.exp(theta[0]!) - 130, 0];
    expect(logScaleStandardErrorsFromGradient(gradient, [Math.log(2.5), 0])).toBeNull();
  });
});
