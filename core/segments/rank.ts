/**
 * Ranking helpers shared by ABC, RFM, key clients and the client types. Each sorts once; lookups
 * afterwards are binary searches, so classifying n clients costs O(n log n).
 */

// Shares and ratios come from floating-point sums: 0.1 + 0.7 is 0.7999999999999999. Comparing with
// this slack makes a boundary that is exact on paper (80 of 100) classify as it reads.
export const EPS = 1e-9;

export type AbcClass = 'A' | 'B' | 'C';

/**
 * ABC classes for values already sorted in descending order: a client is A while the share of the
 * clients ranked above it is below `a`, B while below `b`, else C, so the client that crosses a
 * threshold still belongs to the class below it.
 */
/** The ABC class of a client given the share of the measure ranked above it. */
export const abcClassOf = (prior: number, a: number, b: number): AbcClass =>
  prior < a - EPS ? 'A' : prior < b - EPS ? 'B' : 'C';

export function abcClasses(sortedDesc: readonly number[], a: number, b: number): AbcClass[] {
  const total = sortedDesc.reduce((s, x) => s + x, 0);
  const out: AbcClass[] = [];
  let above = 0;
  for (const value of sortedDesc) {
    const prior = total > 0 ? above / total : 0;
    out.push(abcClassOf(prior, a, b));
    above += value;
  }
  return out;
}

/**
 * Quintile scores 1–5 by mid-rank: with N values, B of them strictly worse and E equal (itself
 * included), the percentile is (B + E/2) / N and the score 1 + ⌊5 × percentile⌋. Equal values get
 * equal scores; N distinct values fill the five scores evenly (N = 5 gives 1…5); when all are equal
 * every score is 3, the middle, since nobody is better or worse than anyone.
 */
export function quintileScores(values: readonly number[], higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  // Worst first.
  order.sort((i, j) => (higherIsBetter ? values[i]! - values[j]! : values[j]! - values[i]!));
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const equal = end - start;
    // 5 × (B + E/2) / N in integers: no rounding at the quintile boundaries.
    const score = 1 + Math.floor((10 * start + 5 * equal) / (2 * n));
    for (let k = start; k < end; k++) scores[order[k]!] = score;
    start = end;
  }
  return scores;
}

/** Values sorted in descending order, for rank lookups. */
export const sortedDescending = (values: Iterable<number>): Float64Array =>
  Float64Array.from(values).sort().reverse();

/** 1 + the number of values strictly greater than `value`: tied values share the better rank. */
export function rankDescending(sortedDesc: Float64Array, value: number): number {
  let lo = 0;
  let hi = sortedDesc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedDesc[mid]! > value) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/**
 * The value a client must reach to be in the top `share` of the sorted values (at least the first
 * one). Ties at the cut are all in: the value at the cut decides, not an arbitrary order.
 */
/** How many of `n` values the top `share` holds: at least one, at most all. */
export const cutCount = (n: number, share: number) =>
  Math.min(n, Math.max(1, Math.ceil(share * n - EPS)));

export function topCut(
  sortedDesc: Float64Array,
  share: number,
): { cut: number; count: number } | null {
  if (sortedDesc.length === 0) return null;
  const count = cutCount(sortedDesc.length, share);
  return { cut: sortedDesc[count - 1]!, count };
}

/** Median of a sorted (either direction) array; null when empty. */
export function medianOfSorted(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
