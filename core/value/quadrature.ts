// Integrals over (0, 1) whose integrand may be singular or sharply peaked at either end.

export interface UnitIntegralOptions {
  /** Stop when two successive step halvings agree to this relative accuracy. */
  tolerance?: number;
  /** How far out in τ to go at each end (see `tanhSinhReach`). */
  reach: { low: number; high: number };
  maxLevels?: number;
}

/**
 * ∫₀¹ f(p) dp for f ≥ 0 given as ln f(p, ln p, ln(1−p)), by tanh-sinh quadrature: p = σ(π sinh τ)
 * (σ the logistic function), so that the points crowd double-exponentially into both ends and
 * algebraic singularities there (a Beta density with a shape below 1) cost nothing special. The
 * integrand is combined in log space, so that p near 0 or 1 never underflows on the way. The
 * trapezoid step is halved (reusing every earlier point) until two estimates agree.
 */
export function integrateUnitInterval(
  logF: (p: number, logP: number, logQ: number) => number,
  options: UnitIntegralOptions,
): number {
  const tolerance = options.tolerance ?? 1e-11;
  // Smooth integrands settle at level 3 or 4 (a step of 1/16 to 1/32); needing more than 6 means
  // a peak far narrower than the points, which more levels would only chase slowly.
  const maxLevels = options.maxLevels ?? 6;
  const at = (tau: number): number => {
    const u = Math.PI * Math.sinh(tau);
    // ln σ(u) and ln(1−σ(u)), exact at both extremes
    const logP = u > 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
    const logQ = u > 0 ? -u - Math.log1p(Math.exp(-u)) : -Math.log1p(Math.exp(u));
    const value =
      logF(Math.exp(logP), logP, logQ) + logP + logQ + Math.log(Math.PI * Math.cosh(tau));
    return Number.isFinite(value) ? Math.exp(value) : 0;
  };
  let step = 0.5;
  // Points are k·step for k in [−low, high]; every halving doubles both and adds the odd k.
  let low = Math.ceil(options.reach.low / step);
  let high = Math.ceil(options.reach.high / step);
  let sum = 0;
  for (let k = -low; k <= high; k++) sum += at(k * step);
  let estimate = sum * step;
  for (let level = 1; level <= maxLevels; level++) {
    step /= 2;
    low *= 2;
    high *= 2;
    for (let k = -low + 1; k < high; k += 2) sum += at(k * step);
    const next = sum * step;
    // Agreement of two coarse levels can be luck (a peak between the points): not before level 3.
    if (level >= 3 && Math.abs(next - estimate) <= tolerance * Math.abs(next)) return next;
    estimate = next;
  }
  throw new RangeError('tanh-sinh quadrature did not converge');
}

/**
 * How far out in τ the quadrature must reach for an integrand that behaves like p^shape at an
 * end (a Beta density times a bounded function): until p^shape, in τ, has fallen below e^−45.
 */
export const tanhSinhReach = (shape: number): number =>
  Math.asinh(45 / (Math.PI * Math.min(shape, 1))) + 1;
