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

/** A function and its gradient at one point; a non-finite value marks a point to step back from. */
export type ValueAndGradient = (x: number[]) => { f: number; g: number[] };

export interface QuasiNewtonOptions {
  lower: readonly number[];
  upper: readonly number[];
  /** Stop when the largest gradient component (of the coordinates off their bound) is below this… */
  tolG?: number;
  /** …or a step improves f by less than this (absolute). */
  tolF?: number;
  maxIterations?: number;
}

/**
 * BFGS with an Armijo backtracking line search, for likelihoods with analytic gradients: a few
 * dozen gradient evaluations where Nelder–Mead needs hundreds of function values. Bounds are
 * enforced by projecting every trial point onto the box; a coordinate pressed against its bound
 * is dropped from the convergence test and its curvature information is reset.
 */
export function minimizeQuasiNewton(
  fg: ValueAndGradient,
  x0: readonly number[],
  options: QuasiNewtonOptions,
): MinimizeResult {
  const n = x0.length;
  const tolG = options.tolG ?? 1e-9;
  const tolF = options.tolF ?? 1e-14;
  const maxIterations = options.maxIterations ?? 500;
  const { lower, upper } = options;
  let x = project([...x0], lower, upper);
  let evaluations = 1;
  let current = fg(x);
  if (!Number.isFinite(current.f)) throw new RangeError('the starting point has no finite value');
  const identity = (): number[][] =>
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  // H approximates the inverse Hessian.
  let H = identity();
  const free = (point: number[], g: number[]) =>
    point.map((xi, i) => !((xi <= lower[i]! && g[i]! > 0) || (xi >= upper[i]! && g[i]! < 0)));
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const active = free(x, current.g);
    const gmax = Math.max(0, ...current.g.map((gi, i) => (active[i] ? Math.abs(gi) : 0)));
    if (gmax < tolG) {
      converged = true;
      break;
    }
    let d = H.map((row) => -row.reduce((s, h, j) => s + h * (active[j] ? current.g[j]! : 0), 0));
    d = d.map((di, i) => (active[i] ? di : 0));
    let slope = d.reduce((s, di, i) => s + di * current.g[i]!, 0);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      H = identity();
      d = current.g.map((gi, i) => (active[i] ? -gi : 0));
      slope = d.reduce((s, di, i) => s + di * current.g[i]!, 0);
    }
    // Steps longer than 5 in log-parameter space are never sensible.
    const norm = Math.sqrt(d.reduce((s, di) => s + di * di, 0));
    let step = Math.min(1, 5 / norm);
    let next: { f: number; g: number[] } | null = null;
    let xNext = x;
    for (let k = 0; k < 60; k++) {
      xNext = project(
        x.map((xi, i) => xi + step * d[i]!),
        lower,
        upper,
      );
      evaluations++;
      const trial = fg(xNext);
      if (Number.isFinite(trial.f) && trial.f <= current.f + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step /= 2;
    }
    if (!next) {
      converged = gmax < Math.sqrt(tolG);
      break;
    }
    const s = xNext.map((xi, i) => xi - x[i]!);
    const y = next.g.map((gi, i) => gi - current.g[i]!);
    const sy = s.reduce((acc, si, i) => acc + si * y[i]!, 0);
    const improvement = current.f - next.f;
    x = xNext;
    current = next;
    if (sy > 1e-12) {
      const Hy = H.map((row) => row.reduce((acc, h, j) => acc + h * y[j]!, 0));
      const yHy = y.reduce((acc, yi, i) => acc + yi * Hy[i]!, 0);
      const rho = 1 / sy;
      H = H.map((row, i) =>
        row.map(
          (h, j) =>
            h - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!,
        ),
      );
    }
    if (improvement >= 0 && improvement < tolF && gmax < Math.sqrt(tolG)) {
      converged = true;
      iterations++;
      break;
    }
  }
  const atBound = x.map((xi, i) => xi <= lower[i]! + 1e-9 || xi >= upper[i]! - 1e-9);
  return { x, f: current.f, iterations, evaluations, converged, atBound };
}
