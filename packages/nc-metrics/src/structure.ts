/**
 * Structure probes: singular values, numerical rank and condition number of a (class-mean or weight)
 * matrix, and the balancedness of consecutive linear layers.
 */
import { InvalidArgumentError, assertMatrix, singularValues, transpose } from '@nclab/backend/host';
import type { AnyMatrix } from '@nclab/backend/host';
import { NON_EMPTY } from './inputs.js';
import { frobenius, gramOf } from './nc2.js';

/** Singular values and what follows from them. */
export interface SpectrumSummary {
  /** Singular values, descending, length min(rows, cols). */
  readonly singularValues: Float64Array;
  /** Number of singular values above `rtol · σ_max`. */
  readonly rank: number;
  /** σ_max / σ_rank over the non-zero singular values (1 when the rank is 0 or 1). */
  readonly condition: number;
}

/**
 * Singular values, numerical rank and condition number (on the non-zero part) of a matrix.
 * @param a - `[m, n]` matrix, e.g. the centred class means `[K, d]` or a weight matrix.
 * @param options.rtol - relative threshold for a non-zero singular value (default max(m, n)·2.2e-16,
 *   LAPACK's convention; pass e.g. 1e-3 to count only "large" directions when studying low-rank bias).
 * @param options.maxRank - a structural bound on the rank (e.g. K − 1 for class means centred on a
 *   weighted average of themselves): singular values beyond it are rounding noise and never counted.
 * @returns singular values (descending, float64 thin SVD), rank and condition number σ_1/σ_rank.
 * @throws {InvalidArgumentError} when `a` is not a matrix or `rtol` is negative.
 * @example
 * spectrumSummary(fromRows([[3, 0], [0, 1]])); // returns { singularValues: [3, 1], rank: 2, condition: 3 }
 * @see Súkeník, Lampert & Mondelli, "Neural collapse versus low-rank bias" (rank of class-mean matrices).
 */
export function spectrumSummary(a: AnyMatrix, options: { rtol?: number; maxRank?: number } = {}): SpectrumSummary {
  assertMatrix('a', a, NON_EMPTY);
  const rtol = options.rtol ?? Math.max(a.rows, a.cols) * 2.220446049250313e-16;
  if (!(rtol >= 0) || !Number.isFinite(rtol)) throw new InvalidArgumentError('rtol', 'a non-negative finite number', rtol);
  const s = singularValues({ rows: a.rows, cols: a.cols, data: a.data instanceof Float64Array ? a.data : new Float64Array(a.data) });
  const limit = Math.min(s.length, options.maxRank ?? s.length);
  let rank = 0;
  for (let i = 0; i < limit; i++) if (s[i] > rtol * s[0] && s[i] > 0) rank++;
  const condition = rank === 0 ? 1 : s[0] / s[rank - 1];
  return { singularValues: Float64Array.from(s), rank, condition };
}

/** Balancedness of one pair of consecutive layers. */
export interface BalancednessEntry {
  /** Index l of the lower layer (pair l, l+1). */
  readonly layer: number;
  /** ‖W_{l+1}ᵀ W_{l+1} − W_l W_lᵀ‖_F. */
  readonly error: number;
  /** The error divided by ‖W_l W_lᵀ‖_F (0 when both are zero). */
  readonly relative: number;
}

/**
 * Balancedness of consecutive linear layers (weights stored `[out, in]`, so W_{l+1} W_l is defined).
 *
 * ```math
 * b_l = \| W_{l+1}^\top W_{l+1} - W_l W_l^\top \|_F
 * ```
 * Gradient flow from a balanced initialisation keeps b_l constant; weight decay drives it to 0.
 * @param weights - `[W_1, ..., W_L]`, W_l of shape `[d_l, d_{l−1}]`, at least 2.
 * @returns one entry per consecutive pair.
 * @throws {InvalidArgumentError} when fewer than 2 weights are given or shapes do not chain.
 * @example
 * balancedness([fromRows([[1, 0], [0, 1]]), fromRows([[1, 0], [0, 1]])]); // returns [{ layer: 0, error: 0, relative: 0 }]
 * @see Súkeník, Mondelli & Lampert (end-to-end NC from balancedness and bounded conditioning).
 */
export function balancedness(weights: readonly AnyMatrix[]): BalancednessEntry[] {
  if (!Array.isArray(weights) || weights.length < 2) {
    throw new InvalidArgumentError('weights', 'an array of at least 2 weight matrices', Array.isArray(weights) ? `${weights.length} matrices` : weights);
  }
  weights.forEach((w, l) => assertMatrix(`weights[${l}]`, w, NON_EMPTY));
  const out: BalancednessEntry[] = [];
  for (let l = 0; l + 1 < weights.length; l++) {
    const lo = weights[l];
    const hi = weights[l + 1];
    if (hi.cols !== lo.rows) {
      throw new InvalidArgumentError(`weights[${l + 1}]`, `of shape [*, ${lo.rows}] to follow weights[${l}] of shape [${lo.rows}, ${lo.cols}]`, `[${hi.rows}, ${hi.cols}]`);
    }
    const upper = gramOf(transpose(hi)).data; // W_{l+1}ᵀ W_{l+1}: columns of W_{l+1} as rows
    const lower = gramOf(lo).data; // W_l W_lᵀ
    const diff = new Float64Array(upper.length);
    for (let i = 0; i < diff.length; i++) diff[i] = upper[i] - lower[i];
    const error = frobenius(diff);
    const ref = frobenius(lower);
    out.push({ layer: l, error, relative: ref > 0 ? error / ref : error === 0 ? 0 : Infinity });
  }
  return out;
}
