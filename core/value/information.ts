// Asymptotic standard errors from the observed information (the Hessian of −log-likelihood).

/** Inverse of a small square matrix by Gauss–Jordan with partial pivoting; null if singular. */
export function invert(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const m = matrix.map((row, i) => [
    ...row,
    ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-300)) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    for (let j = 0; j < 2 * n; j++) m[col]![j]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]!;
      if (factor !== 0) for (let j = 0; j < 2 * n; j++) m[r]![j]! -= factor * m[col]![j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** Hessian of f at x by central differences with step h. */
export function hessian(f: (x: number[]) => number, x: readonly number[], h: number): number[][] {
  const n = x.length;
  const at = (di: number, si: number, dj: number, sj: number) => {
    const y = [...x];
    y[di]! += si * h;
    y[dj]! += sj * h;
    return f(y);
  };
  const f0 = f([...x]);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const y1 = [...x];
    const y2 = [...x];
    y1[i]! += h;
    y2[i]! -= h;
    H[i]![i] = (f(y1) - 2 * f0 + f(y2)) / (h * h);
    for (let j = 0; j < i; j++) {
      const value =
        (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      H[i]![j] = value;
      H[j]![i] = value;
    }
  }
  return H;
}

/**
 * Standard errors of parameters estimated as exp(θ) by minimising `negLogLikelihood(θ)` (the
 * total, not a mean): the inverse Hessian in θ gives var(θ), and the delta method turns it into
 * se(exp θ) = exp(θ)·se(θ). Null when the information is not positive definite (the optimum is on
 * a bound or the data cannot identify a parameter).
 */
export function logScaleStandardErrors(
  negLogLikelihood: (theta: number[]) => number,
  theta: readonly number[],
  h = 1e-4,
): number[] | null {
  const inverse = invert(hessian(negLogLikelihood, theta, h));
  if (!inverse) return null;
  const variances = inverse.map((row, i) => row[i]!);
  if (!variances.every((s) => s > 0 && Number.isFinite(s))) return null;
  return variances.map((s, i) => Math.exp(theta[i]!) * Math.sqrt(s));
}

/**
 * The same from an analytic gradient of −log-likelihood in θ: the Hessian by forward differences
 * of the gradient, n + 1 gradients for n parameters (central differences take 2n for accuracy the
 * standard errors do not need: on the CDNOW master log, forward steps of 1e-6 give the same
 * standard errors to a relative 1e-6), far more accurate than second differences of the function.
 */
export function logScaleStandardErrorsFromGradient(
  gradient: (theta: number[]) => number[],
  theta: readonly number[],
  h = 1e-6,
): number[] | null {
  const n = theta.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const g0 = gradient([...theta]);
  for (let j = 0; j < n; j++) {
    const up = [...theta];
    up[j]! += h;
    const gu = gradient(up);
    for (let i = 0; i < n; i++) H[i]![j] = (gu[i]! - g0[i]!) / h;
  }
  const symmetric = H.map((row, i) => row.map((value, j) => (value + H[j]![i]!) / 2));
  const inverse = invert(symmetric);
  if (!inverse) return null;
  const variances = inverse.map((row, i) => row[i]!);
  if (!variances.every((s) => s > 0 && Number.isFinite(s))) return null;
  return variances.map((s, i) => Math.exp(theta[i]!) * Math.sqrt(s));
}
