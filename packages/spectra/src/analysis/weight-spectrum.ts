import { InvalidArgumentError, assertMatrix64, singularValues, type Matrix } from '@nclab/backend';

/** Result of {@link weightSpectrum}. */
export interface WeightSpectrum {
  /** Singular values σ_1 ≥ … ≥ σ_{min(m,n)}. */
  readonly singularValues: number[];
  /** Eigenvalues of W Wᵀ that can be non-zero: σ_i², descending. */
  readonly squaredSingularValues: number[];
  /** Number of σ_i > rtol · σ_1. */
  readonly numericalRank: number;
  /** Stable rank ‖W‖_F² / ‖W‖_2² (≤ rank; equals the rank when the non-zero σ are equal). */
  readonly stableRank: number;
  /** Relative tolerance used for the rank. */
  readonly rtol: number;
}

/**
 * Singular values, numerical rank and stable rank of a weight matrix (the paper's Thm 4.4: at a
 * deep-linear-UFM optimum every W_l has rank K with equal singular values).
 *
 * ```math
 * rank_ε(W) = #{σ_i > ε σ_1},   srank(W) = Σ σ_i² / σ_1²
 * ```
 *
 * @param w - matrix [m, n], finite.
 * @param options - `rtol` for the numerical rank (default max(m, n)·2⁻⁵²·10³ ≈ 1e-10 for small m, n).
 * @returns the spectrum and the ranks.
 * @throws {InvalidArgumentError} on an empty or non-finite matrix.
 * @example
 * weightSpectrum(fromRows([[3, 0], [0, 4]])).stableRank; // returns 25/16
 * @see Garrod & Keating (2024), Thm 4.4 https://arxiv.org/abs/2404.06106
 */
export function weightSpectrum(w: Matrix, options: { rtol?: number } = {}): WeightSpectrum {
  assertMatrix64('w', w, { minRows: 1, minCols: 1 });
  const rtol = options.rtol ?? Math.max(w.rows, w.cols) * 2 ** -52 * 1e3;
  if (!(rtol >= 0 && Number.isFinite(rtol))) throw new InvalidArgumentError('rtol', 'a non-negative finite number', rtol);
  const s = Array.from(singularValues(w));
  const top = s[0] ?? 0;
  const numericalRank = top > 0 ? s.filter((x) => x > rtol * top).length : 0;
  const fro = s.reduce((a, x) => a + x * x, 0);
  return Object.freeze({
    singularValues: s,
    squaredSingularValues: s.map((x) => x * x),
    numericalRank,
    stableRank: top > 0 ? fro / (top * top) : 0,
    rtol,
  });
}
