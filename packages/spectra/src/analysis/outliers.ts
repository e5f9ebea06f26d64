import { InvalidArgumentError } from '@nclab/backend';

/** Options of {@link detectOutliers}. */
export interface OutlierOptions {
  /** Largest number of outliers considered (the gap is searched among the top `maxOutliers + 1` values). Default min(n − 1, 1000). */
  maxOutliers?: number;
  /** A gap counts only if it is at least this fraction of the spread λ_max − λ_min. Default 0.05. */
  minRelativeGap?: number;
}

/** Result of {@link detectOutliers}. */
export interface OutlierResult {
  /** Number of outliers (0 when no gap is large enough). */
  readonly count: number;
  /** The outlier eigenvalues, descending. */
  readonly outliers: number[];
  /** The largest eigenvalue of the bulk (λ_{count+1}). */
  readonly bulkEdge: number;
  /** The bulk eigenvalues, descending. */
  readonly bulk: number[];
  /** The separating gap λ_count − λ_{count+1}. */
  readonly gap: number;
  /** gap / (λ_max − λ_min). */
  readonly relativeGap: number;
}

/**
 * Gap-based outlier detection on a spectrum: the outliers are the eigenvalues above the largest gap
 * between consecutive sorted eigenvalues among the top `maxOutliers + 1`.
 *
 * ```math
 * i* = argmax_{1 ≤ i ≤ m} (λ_i − λ_{i+1})  (λ sorted descending),  outliers = {λ_1, …, λ_{i*}}
 * ```
 *
 * Degenerate outliers (the K² equal eigenvalues of a deep linear UFM) form one block above the gap.
 *
 * @param values - eigenvalues (any order), at least 2, finite.
 * @param options - see {@link OutlierOptions}.
 * @returns the count, outliers, bulk and gap.
 * @throws {InvalidArgumentError} when fewer than 2 values are given or one is not finite.
 * @example
 * detectOutliers([5, 5.1, 0.1, 0.2, 0]).count; // returns 2
 * @see Papyan (2020) https://arxiv.org/abs/2008.11865
 */
export function detectOutliers(values: ArrayLike<number>, options: OutlierOptions = {}): OutlierResult {
  if (values == null || values.length < 2) throw new InvalidArgumentError('values', 'at least 2 eigenvalues', values == null ? values : values.length);
  const sorted = Array.from(values);
  sorted.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InvalidArgumentError('values', 'finite numbers', v, `at index ${i}`);
  });
  sorted.sort((a, b) => b - a);
  const n = sorted.length;
  const m = Math.min(n - 1, options.maxOutliers ?? 1000);
  const minRel = options.minRelativeGap ?? 0.05;
  const spread = sorted[0] - sorted[n - 1];
  let best = 0;
  let bestGap = 0;
  for (let i = 1; i <= m; i++) {
    const g = sorted[i - 1] - sorted[i];
    if (g > bestGap) { bestGap = g; best = i; }
  }
  const relativeGap = spread > 0 ? bestGap / spread : 0;
  const count = relativeGap >= minRel && spread > 0 ? best : 0;
  return Object.freeze({
    count,
    outliers: sorted.slice(0, count),
    bulkEdge: sorted[count],
    bulk: sorted.slice(count),
    gap: count > 0 ? bestGap : 0,
    relativeGap: count > 0 ? relativeGap : 0,
  });
}

/**
 * Compares an outlier count with the class-structure predictions K, K(K−1) and K².
 *
 * @param count - measured number of outliers.
 * @param K - number of classes (integer ≥ 2).
 * @returns the predicted counts and which of them `count` equals.
 * @throws {InvalidArgumentError} when K is not an integer ≥ 2.
 * @example
 * compareOutlierCount(9, 3).matches; // returns ['K^2']
 */
export function compareOutlierCount(count: number, K: number): { K: number; crossClass: number; KSquared: number; matches: string[] } {
  if (!Number.isInteger(K) || K < 2) throw new InvalidArgumentError('K', 'an integer ≥ 2', K);
  const matches: string[] = [];
  if (count === K) matches.push('K');
  if (count === K * (K - 1)) matches.push('K(K-1)');
  if (count === K * K) matches.push('K^2');
  return { K, crossClass: K * (K - 1), KSquared: K * K, matches };
}

/**
 * Groups sorted eigenvalues into clusters of (relatively) equal values, e.g. to see that the K²
 * outliers are one degenerate value or three triplets.
 *
 * @param values - eigenvalues (any order).
 * @param relTol - values within relTol·max|λ| of the previous one join its cluster. Default 1e-6.
 * @returns clusters `{ value (mean), multiplicity, min, max }`, descending.
 * @example
 * clusterEigenvalues([1, 1 + 1e-12, 0.5]); // returns [{ value: 1, multiplicity: 2, … }, { value: 0.5, multiplicity: 1, … }]
 */
export function clusterEigenvalues(values: ArrayLike<number>, relTol = 1e-6): { value: number; multiplicity: number; min: number; max: number }[] {
  const sorted = Array.from(values).sort((a, b) => b - a);
  const scaleV = sorted.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const tol = relTol * scaleV;
  const out: { value: number; multiplicity: number; min: number; max: number }[] = [];
  let group: number[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    out.push({ value: group.reduce((a, b) => a + b, 0) / group.length, multiplicity: group.length, min: group[group.length - 1], max: group[0] });
    group = [];
  };
  for (const v of sorted) {
    if (group.length > 0 && group[group.length - 1] - v > tol) flush();
    group.push(v);
  }
  flush();
  return out;
}
