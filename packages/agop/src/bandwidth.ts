/**
 * The median-distance bandwidth heuristic.
 */
import { InvalidArgumentError, createRng, type AnyMatrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix } from './checks.js';
import { sqDistances, type Metric, checkMetric } from './distances.js';

/** Options of {@link medianBandwidth}. */
export interface MedianBandwidthOptions {
  /** Use at most this many rows (a seeded random subset) to bound the O(n²) cost. Default 2000. */
  readonly maxSamples?: number;
  /** Seed of the subset. Default 0. */
  readonly seed?: number;
  /** Multiplier applied to the median. Default 1. */
  readonly scale?: number;
  /** Optional Mahalanobis metric of the distances. */
  readonly metric?: Metric;
}

/**
 * The median of the pairwise (Mahalanobis) distances between distinct rows, times `scale`:
 *
 * ```math
 * L = s \cdot \operatorname{median}_{i < j} d_M(x_i, x_j)
 * ```
 *
 * Exact duplicates (distance 0) are skipped.
 * @param x - `[n, d]` with n ≥ 2.
 * @returns the bandwidth L > 0.
 * @throws {InvalidArgumentError} when fewer than two distinct rows exist or the data is not finite.
 * @example
 * medianBandwidth(fromRows([[0], [1], [3]])); // returns 2 (distances 1, 2, 3)
 */
export function medianBandwidth(x: AnyMatrix, options: MedianBandwidthOptions = {}): number {
  checkMatrix('x', x, 2);
  checkMetric(options.metric, x.cols);
  const maxSamples = options.maxSamples ?? 2000;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new InvalidArgumentError('scale', 'a positive finite number', scale);
  let x64 = asFloat64(x);
  if (x64.rows > maxSamples) {
    const perm = createRng(options.seed ?? 0).permutation(x64.rows);
    const d = x64.cols;
    const data = new Float64Array(maxSamples * d);
    for (let r = 0; r < maxSamples; r++) data.set(x64.data.subarray(perm[r] * d, (perm[r] + 1) * d), r * d);
    x64 = { rows: maxSamples, cols: d, data };
  }
  const sq = sqDistances(x64, undefined, options.metric);
  const n = x64.rows;
  const values: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (sq.data[i * n + j] > 0) values.push(Math.sqrt(sq.data[i * n + j]));
  if (values.length === 0) throw new InvalidArgumentError('x', 'at least two distinct rows', 'all rows identical');
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const median = values.length % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
  return scale * median;
}
