// Derivative-free minimisation for the models' likelihoods: Nelder–Mead in a box, restarted.

export interface MinimizeOptions {
  /** Box constraints; points outside are projected onto the box. */
  lower: readonly number[];
  upper: readonly number[];
  /** Size of the initial simplex along each axis. */
  step?: number;
  /** Stop when the simplex's function values differ by at most this (absolute)… */
  tolF?: number;
  /** …and its vertices lie within this distance of the best one (per coordinate). */
  tolX?: number;
  maxIterations?: number;
  /** Fresh simplices started from the best point so far, to escape a collapsed one. */
  maxRestarts?: number;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  /** The tolerances were met, and a restart from the minimum found nothing better. */
  converged: boolean;
  /** Coordinates that ended on (within tolX of) a bound. */
  atBound: boolean[];
}

const project = (x: number[], lower: readonly number[], upper: readonly number[]): number[] =>
  x.map((xi, i) => Math.min(upper[i]!, Math.max(lower[i]!, xi)));

interface Run {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** One Nelder–Mead run with the standard coefficients (reflect 1, expand 2, contract ½, shrink ½). */
function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  o: Required<MinimizeOptions>,
  budget: number,
): Run {
  const n = x0.length;
  let evaluations = 0;
  // A non-finite value (an overflow far from the optimum) ranks as the worst possible point.
  const fx = (x: number[]) => {
    evaluations++;
    const value = f(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  const simplex: { x: number[]; f: number }[] = [{ x: x0, f: fx(x0) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    // Step inwards when a step outwards would leave the box.
    x[i] = x0[i]! + o.step <= o.upper[i]! ? x0[i]! + o.step : x0[i]! - o.step;
    const p = project(x, o.lower, o.upper);
    simplex.push({ x: p, f: fx(p) });
  }
  const point = (c: number[], toward: number[], t: number) =>
    project(
      c.map((ci, j) => ci + t * (toward[j]! - ci)),
      o.lower,
      o.upper,
    );

  let iterations = 0;
  for (; iterations < budget; iterations++) {
    simplex.sort((p, q) => p.f - q.f);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    const spreadF = worst.f - best.f;
    const spreadX = Math.max(
      ...simplex.slice(1).map((p) => Math.max(...p.x.map((xi, j) => Math.abs(xi - best.x[j]!)))),
    );
    if (spreadF <= o.tolF && spreadX <= o.tolX)
      return { x: best.x, f: best.f, iterations, evaluations, converged: true };

    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) centroid[j]! += simplex[k]!.x[j]! / n;

    const xr = point(centroid, worst.x, -1);
    const fr = fx(xr);
    if (fr < best.f) {
      const xe = point(centroid, worst.x, -2);
      const fe = fx(xe);
      simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
      continue;
    }
    if (fr < simplex[n - 1]!.f) {
      simplex[n] = { x: xr, f: fr };
      continue;
    }
    // Contract: outside when the reflection beat the worst point, inside otherwise.
    const outside = fr < worst.f;
    const xc = point(centroid, outside ? xr : worst.x, 0.5);
    const fc = fx(xc);
    if (fc < (outside ? fr : worst.f)) {
      simplex[n] = { x: xc, f: fc };
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const xs = point(best.x, simplex[k]!.x, 0.5);
      simplex[k] = { x: xs, f: fx(xs) };
    }
  }
  simplex.sort((p, q) => p.f - q.f);
  return { x: simplex[0]!.x, f: simplex[0]!.f, iterations, evaluations, converged: false };
}

/**
 * Minimises f from x0 in a box. Nelder–Mead's simplex can collapse onto a subspace and stop
 * short of the minimum, so it is restarted from the best point with a fresh simplex until a
 * restart no longer improves on it by more than tolF.
 */
export function minimize(
  f: (x: number[]) => number,
  x0: readonly number[],
  options: MinimizeOptions,
): MinimizeResult {
  const o: Required<MinimizeOptions> = {
    step: 0.5,
    tolF: 1e-10,
    tolX: 1e-7,
    maxIterations: 5000,
    maxRestarts: 6,
    ...options,
  };
  let run = nelderMead(f, project([...x0], o.lower, o.upper), o, o.maxIterations);
  let iterations = run.iterations;
  let evaluations = run.evaluations;
  let converged = false;
  for (let restart = 0; restart < o.maxRestarts && iterations < o.maxIterations; restart++) {
    const next = nelderMead(
      f,
      run.x,
      { ...o, step: Math.max(o.step / 4, 1e-3) },
      o.maxIterations - iterations,
    );
    iterations += next.iterations;
    evaluations += next.evaluations;
    const improved = run.f - next.f;
    if (next.f <= run.f) run = next;
    if (next.converged && improved <= o.tolF) {
      converged = true;
      break;
    }
  }
  const atBound = run.x.map((xi, i) => xi - o.lower[i]! <= o.tolX || o.upper[i]! - xi <= o.tolX);
  return { x: run.x, f: run.f, iterations, evaluations, converged, atBound };
}
