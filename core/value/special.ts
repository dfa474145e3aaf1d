// Special functions the customer-base models need, in plain double precision.

// Lanczos approximation, g = 7, n = 9: relative error about 1e-15 over the positive reals.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (NaN otherwise: the models never need the negative axis). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  // Reflection keeps the approximation where it is accurate; it also handles tiny x.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b). */
export const logBeta = (a: number, b: number): number => logGamma(a) + logGamma(b) - logGamma(a + b);

/** ln(1 + e^k) without overflow for large k or loss of precision for very negative k. */
export const softplus = (k: number): number => (k > 0 ? k + Math.log1p(Math.exp(-k)) : Math.log1p(Math.exp(k)));

export interface SeriesOptions {
  /** Relative accuracy of the sum. */
  tolerance?: number;
  maxTerms?: number;
}

/**
 * Sums t_0 + t_1 + … where t_n = t_{n−1}·ratio(n), stopping when a bound on the whole tail is
 * below the tolerance. `limit` is the limit of |ratio(n)|: while the ratios still climb towards
 * it, the tail is bounded with the limit rather than the current ratio. Before `minTerms` no stop
 * is allowed: the ratios of a hypergeometric series can dip and then climb far above 1 (large
 * parameters), and a near-zero early term would otherwise end the sum before its bulk.
 * Throws when the series has not converged within `maxTerms`, rather than return a silently
 * wrong number.
 */
export function sumSeries(
  first: number,
  ratio: (n: number) => number,
  limit: number,
  minTerms: number,
  options: SeriesOptions = {},
): number {
  const tolerance = options.tolerance ?? 1e-15;
  const maxTerms = options.maxTerms ?? 200_000;
  let term = first;
  let sum = first;
  for (let n = 1; n < maxTerms; n++) {
    const rho = ratio(n);
    term *= rho;
    sum += term;
    if (term === 0) return sum; // a terminating series (a parameter is a non-positive integer)
    const bound = Math.max(Math.abs(rho), limit);
    if (n >= minTerms && bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= tolerance * Math.abs(sum)) return sum;
    if (!Number.isFinite(sum)) break;
  }
  throw new RangeError(`series did not converge within ${maxTerms} terms`);
}

/** Past this many terms the ratios of a ₂F₁ series no longer climb: they head to their limit. */
export const hypergeometricMinTerms = (a: number, b: number, c: number): number => Math.ceil(2 * (Math.abs(a) + Math.abs(b) + Math.abs(c))) + 2;

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for real z < 1 and c not a non-positive
 * integer. For z in [0, 1) the power series is summed directly (all terms eventually share a
 * sign, so there is no cancellation; near z = 1 it needs many terms); for z < 0 Pfaff's
 * transformation ₂F₁(a, b; c; z) = (1−z)^−a ₂F₁(a, c−b; c; z/(z−1)) brings the argument into
 * [0, 1) and avoids the alternating series.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, options: SeriesOptions = {}): number {
  if (!(z < 1)) throw new RangeError('hyp2f1 needs z < 1');
  if (c <= 0 && Number.isInteger(c)) throw new RangeError('hyp2f1 needs c not a non-positive integer');
  if (z < 0) return (1 - z) ** -a * hyp2f1(a, c - b, c, z / (z - 1), options);
  if (z === 0) return 1;
  return sumSeries(1, (n) => (((a + n - 1) * (b + n - 1)) / ((c + n - 1) * n)) * z, z, hypergeometricMinTerms(a, b, c), options);
}
