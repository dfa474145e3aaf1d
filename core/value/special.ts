// Special functions the customer-base models need, in plain double precision.

// Lanczos approximation, g = 7, n = 9: relative error about 1e-15 over the positive reals.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
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
export const logBeta = (a: number, b: number): number =>
  logGamma(a) + logGamma(b) - logGamma(a + b);

/** ln(1 + e^k) without overflow for large k or loss of precision for very negative k. */
export const softplus = (k: number): number =>
  k > 0 ? k + Math.log1p(Math.exp(-k)) : Math.log1p(Math.exp(k));

export interface SeriesOptions {
  /** Relative accuracy of the sum. */
  tolerance?: number;
  maxTerms?: number;
}

/** A sum held as mantissa·e^logScale, so that series whose terms pass 1e308 stay finite. */
export interface ScaledSum {
  mantissa: number;
  logScale: number;
}

const RESCALE_ABOVE = 1e250;

/**
 * Sums t_0 + t_1 + … where t_0 = `first` and t_n / t_(n−1) = z·(p+n)(q+n) / ((u+n)(w+n)), the
 * shape of every hypergeometric series here. The stop is rigorous rather than heuristic: once all
 * four factors are positive from the next term on, each of (p+j)/(w+j) and (q+j)/(u+j) is
 * monotone in j and tends to 1, so z·max(1, (p+n+1)/(w+n+1))·max(1, (q+n+1)/(u+n+1)) bounds every
 * later ratio (as does the same with u and w swapped; the smaller of the two is taken as ρ) and
 * the tail is at most |t_n|·ρ/(1−ρ). Terms are rescaled before they
 * overflow. Throws when the series has not converged within `maxTerms` (rather than return a
 * silently wrong number).
 */
export function sumRatioSeries(
  first: number,
  ratio: { p: number; q: number; u: number; w: number; z: number },
  options: SeriesOptions = {},
): ScaledSum {
  const tolerance = options.tolerance ?? 1e-15;
  const maxTerms = options.maxTerms ?? 200_000;
  const { p, q, u, w, z } = ratio;
  const positiveFrom = -Math.min(p, q, u, w);
  let term = first;
  let sum = first;
  let logScale = 0;
  for (let n = 1; n < maxTerms; n++) {
    if (term === 0) return { mantissa: sum, logScale }; // a terminating series
    term *= (z * (p + n) * (q + n)) / ((u + n) * (w + n));
    sum += term;
    if (Math.abs(sum) > RESCALE_ABOVE) {
      sum /= RESCALE_ABOVE;
      term /= RESCALE_ABOVE;
      logScale += Math.log(RESCALE_ABOVE);
    }
    if (n + 1 > positiveFrom) {
      const j = n + 1;
      const sup = (num: number, den: number) => Math.max(1, (num + j) / (den + j));
      const rho = Math.abs(z) * Math.min(sup(p, w) * sup(q, u), sup(p, u) * sup(q, w));
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= tolerance * Math.abs(sum))
        return { mantissa: sum, logScale };
    }
    if (!Number.isFinite(sum)) break;
  }
  throw new RangeError(`series did not converge within ${maxTerms} terms`);
}

/** ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every term is positive: never overflows. */
export function logHyp2f1Positive(
  a: number,
  b: number,
  c: number,
  z: number,
  options: SeriesOptions = {},
): number {
  const { mantissa, logScale } = sumRatioSeries(
    1,
    { p: a - 1, q: b - 1, u: c - 1, w: 0, z },
    options,
  );
  return Math.log(mantissa) + logScale;
}

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for real z < 1 and c not a non-positive
 * integer. For z in [0, 1) the power series is summed directly (all terms eventually share a
 * sign, so there is no cancellation; near z = 1 it needs many terms); for z < 0 Pfaff's
 * transformation ₂F₁(a, b; c; z) = (1−z)^−a ₂F₁(a, c−b; c; z/(z−1)) brings the argument into
 * [0, 1) and avoids the alternating series.
 */
export function hyp2f1(
  a: number,
  b: number,
  c: number,
  z: number,
  options: SeriesOptions = {},
): number {
  if (!(z < 1)) throw new RangeError('hyp2f1 needs z < 1');
  if (c <= 0 && Number.isInteger(c))
    throw new RangeError('hyp2f1 needs c not a non-positive integer');
  if (z < 0) return (1 - z) ** -a * hyp2f1(a, c - b, c, z / (z - 1), options);
  if (z === 0) return 1;
  const { mantissa, logScale } = sumRatioSeries(
    1,
    { p: a - 1, q: b - 1, u: c - 1, w: 0, z },
    options,
  );
  return mantissa * Math.exp(logScale);
}

/** ψ(x) = d ln Γ(x)/dx for x > 0: the recurrence lifts x above 6, then the asymptotic series. */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < 6) {
    shift -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return (
    shift +
    Math.log(x) -
    0.5 / x -
    f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))))
  );
}

/** ln(e^a + e^b) without overflow. */
export const logAddExp = (a: number, b: number): number => {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};
