/**
 * Fisher discriminant NC1: the within-class variability measured in the metric of the within-class
 * covariance itself, so that it does not change under any invertible linear map of the features.
 *
 * ```math
 * \mathrm{NC1}_{\mathrm{Fisher}} = \operatorname{tr}\!\big(\Sigma_W^{+}\,\Sigma_B\big),\quad
 * \Sigma_W = \tfrac1N \textstyle\sum_i (h_i - \mu_{y_i})(h_i - \mu_{y_i})^\top,\quad
 * \Sigma_B = \tfrac1K \textstyle\sum_k (\mu_k - \mu_G)(\mu_k - \mu_G)^\top,\quad \mu_G = \tfrac1K \sum_k \mu_k
 * ```
 *
 * Larger means more separated classes (it is the inverse direction of the trace ratio tr(Σ_W)/tr(Σ_B)
 * and of Papyan's tr(Σ_W Σ_B⁺)/K). Under h ↦ A h with A invertible, Σ_W ↦ A Σ_W Aᵀ and Σ_B ↦ A Σ_B Aᵀ,
 * so tr(Σ_W⁻¹ Σ_B) is unchanged when Σ_W is invertible; the trace ratio is not.
 *
 * Rank rule: Σ_W is pseudo-inverted from its eigendecomposition (PSD: eigenvalues = singular values) keeping those
 * σ_i > rtol·σ_max with rtol = max(N, d)·ε (ε = 2⁻⁵² ≈ 2.2e-16): the residuals of N samples span at
 * most N − K dimensions, and rounding in a sum of N outer products is of relative size N·ε. The rank
 * kept is reported. When Σ_W is singular, tr(Σ_W⁺ Σ_B) only sees the class means inside the span of
 * the residuals and is invariant only under maps that keep that span; between-class directions in
 * the null space of Σ_W (perfectly collapsed directions) are ignored, not counted as infinite.
 *
 * @see Fisher (1936), "The use of multiple measurements in taxonomic problems"; reviewer B of
 *   Beaglehole et al. (2024) on the metric dependence of NC1 (notes-reviews-and-related.md).
 */
import { eigh, gemm, InvalidArgumentError, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import type { ClassMeans } from './class-means.js';
import { centreOnClassAverage, ResidualAccumulator, type ResidualStatistics } from './residuals.js';
import { classMeans } from './shortcuts.js';

/** Options of {@link nc1Fisher}. */
export interface Nc1FisherOptions {
  /** Number of classes K (labels in 0..K−1). Default: max label + 1. */
  readonly numClasses?: number;
  /** Relative cutoff of the pseudo-inverse of Σ_W: eigenvalues ≤ rtol·λ_max are dropped. Default max(N, d)·ε. */
  readonly rtol?: number;
  /** Drop classes without samples instead of throwing. Default false. */
  readonly dropEmptyClasses?: boolean;
  /** Float64 path of the scatter, eigendecomposition and products (default: backend's global path). */
  readonly linalg?: LinalgRequest;
}

/** Result of {@link nc1Fisher}. */
export interface Nc1FisherResult {
  /** tr(Σ_W⁺ Σ_B) (larger: more separated; invariant to invertible linear maps when Σ_W has full rank). */
  readonly nc1Fisher: number;
  /** Numerical rank of Σ_W kept by the pseudo-inverse (d means Σ_W was inverted exactly). */
  readonly nc1FisherRank: number;
  /** The cutoff used: eigenvalues of Σ_W (its singular values, Σ_W being PSD) ≤ rtol·λ_max were dropped. */
  readonly rtol: number;
  /** Number of samples N, feature dimension d and classes K. */
  readonly n: number;
  readonly d: number;
  readonly K: number;
}

const EPS = 2 ** -52;

/**
 * The Fisher discriminant NC1, tr(Σ_W⁺ Σ_B), with the suite's conventions (see the module comment).
 * @param features - `[N, d]` rows h_i (float32 or float64).
 * @param labels - `[N]` integer labels in 0..K−1.
 * @param options - number of classes, rank cutoff.
 * @returns the value, the rank of Σ_W kept, and the cutoff.
 * @throws {InvalidArgumentError} for bad shapes, labels, non-finite features, fewer than 2 classes, or a
 *   negative `rtol`.
 * @example
 * nc1Fisher(fromRows([[0], [2], [4], [6]]), [0, 0, 1, 1]); // Σ_W = 1, Σ_B = 4: { nc1Fisher: 4, nc1FisherRank: 1, ... }
 */
export function nc1Fisher(features: AnyMatrix, labels: ArrayLike<number>, options: Nc1FisherOptions = {}): Nc1FisherResult {
  const means = classMeans(features, labels, { numClasses: options.numClasses, dropEmptyClasses: options.dropEmptyClasses });
  const stats = new ResidualAccumulator(means, { fullScatter: true, linalg: options.linalg }).update(features, labels).finalize();
  return nc1FisherFromStatistics(means, stats, { rtol: options.rtol, linalg: options.linalg });
}

/**
 * The Fisher discriminant NC1 tr(Σ_W⁺ Σ_B) from streamed statistics: the class means of pass 1
 * (`ClassMeanAccumulator`) and the within-class scatter Σ_i r_i r_iᵀ of pass 2 (`ResidualAccumulator`
 * with `fullScatter: true`), so that features that never sit in memory at once (a network's layers,
 * streamed in chunks) get the same value as {@link nc1Fisher} on the whole matrix. Same conventions
 * and rank rule as {@link nc1Fisher} (Σ_W = scatter / N, rtol = max(N, d)·ε by default).
 * @param means - pass-1 class means `[K, d]` with counts.
 * @param residuals - pass-2 statistics accumulated with `fullScatter: true`.
 * @param options - rank cutoff and float64 path.
 * @returns the value, the rank of Σ_W kept, and the cutoff.
 * @throws {InvalidArgumentError} when `residuals` carry no scatter or `rtol` is negative.
 * @example
 * const m = new ClassMeanAccumulator({ numClasses: K, dim: d }).update(x, y).finalize();
 * const r = new ResidualAccumulator(m, { fullScatter: true }).update(x, y).finalize();
 * nc1FisherFromStatistics(m, r).nc1Fisher; // equals nc1Fisher(x, y).nc1Fisher
 */
export function nc1FisherFromStatistics(
  means: ClassMeans,
  residuals: ResidualStatistics,
  options: Pick<Nc1FisherOptions, 'rtol' | 'linalg'> = {},
): Nc1FisherResult {
  const d = means.d;
  const N = means.n;
  const K = means.K;
  const scatter = residuals.scatter;
  if (!scatter) throw new InvalidArgumentError('residuals', 'accumulated with fullScatter: true', 'no scatter');
  const rtol = options.rtol ?? Math.max(N, d) * EPS;
  if (!(rtol >= 0) || !Number.isFinite(rtol)) throw new InvalidArgumentError('rtol', 'a finite number >= 0', rtol);
  const sw: Matrix = { rows: d, cols: d, data: scatter.data.map((v) => v / N) };
  // One symmetric eigendecomposition Σ_W = V diag(λ) Vᵀ (Σ_W is PSD, so its singular values are its
  // eigenvalues): the pseudo-inverse keeps λ_i > rtol·λ_max, and with m̃_k = μ_k − μ_G
  // tr(Σ_W⁺ Σ_B) = (1/K) Σ_k m̃_kᵀ Σ_W⁺ m̃_k = (1/K) Σ_{kept i} ‖C v_i‖² / λ_i, C = [m̃_1 … m̃_K]ᵀ.
  const { values, vectors } = eigh(sw, { linalg: options.linalg });
  const cut = rtol * Math.max(0, values[d - 1]);
  const centred = centreOnClassAverage(means.means);
  const proj = gemm(centred, vectors, { linalg: options.linalg }); // [K, d]: column i holds C v_i
  let rank = 0;
  let t = 0;
  for (let i = 0; i < d; i++) {
    if (!(values[i] > cut)) continue;
    rank++;
    let c = 0;
    for (let k = 0; k < K; k++) c += proj.data[k * d + i] ** 2;
    t += c / values[i];
  }
  return { nc1Fisher: t / K, nc1FisherRank: rank, rtol, n: N, d, K };
}
