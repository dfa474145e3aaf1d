import { describe, expect, it } from 'vitest';
import { minimize } from './optimize.ts';

const box = (n: number, lo = -10, hi = 10) => ({
  lower: new Array<number>(n).fill(lo),
  upper: new Array<number>(n).fill(hi),
});

describe('minimize (restarted Nelder–Mead in a box)', () => {
  it('finds the minimum of a shifted quadratic bowl', () => {
    const f = (x: number[]) => (x[0]! - 1) ** 2 + 10 * (x[1]! + 2) ** 2 + 0.5 * (x[2]! - 3) ** 2;
    const r = minimize(f, [0, 0, 0], box(3));
    expect(r.converged).toBe(true);
    r.x.forEach((xi, i) => expect(xi).toBeCloseTo([1, -2, 3][i]!, 5));
    expect(r.atBound).toEqual([false, false, false]);
  });

  it('follows the curved valley of the Rosenbrock function to (1, 1)', () => {
    const f = (x: number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = minimize(f, [-1.2, 1], box(2));
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('stops on a bound when the minimum lies outside the box, and says so', () => {
    const f = (x: number[]) => (x[0]! - 20) ** 2 + (x[1]! - 1) ** 2;
    const r = minimize(f, [0, 0], box(2));
    expect(r.x[0]).toBeCloseTo(10, 6);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.atBound).toEqual([true, false]);
  });

  it('treats a non-finite value as the worst point instead of stopping', () => {
    const f = (x: number[]) => (x[0]! > 3 ? Number.NaN : (x[0]! - 2) ** 2 + x[1]! ** 2);
    const r = minimize(f, [2.9, 1], box(2));
    expect(r.x[0]).toBeCloseTo(2, 5);
  });

  it('reports no convergence when the iteration budget runs out', () => {
    const f = (x: number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = minimize(f, [-1.2, 1], { ...box(2), maxIterations: 20 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBeLessThanOrEqual(20);
  });
});
