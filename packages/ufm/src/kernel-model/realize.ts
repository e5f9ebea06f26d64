/**
 * Realizability of the collapsed kernel Gram by a Mahalanobis kernel (the authors' construction in their
 * answer to the reviews of Beaglehole et al. 2024): for data X `[N, d]` with invertible Gram XXᵀ and a
 * radial kernel k_M(x, z) = κ(d_M(x, z)), d_M² = (x − z)ᵀ M (x − z):
 *
 * 1. invert κ entrywise on the target I_K ⊗ 11ᵀ: same class → distance 0, different classes → κ⁻¹(0) = ∞,
 *    replaced by a finite scale s (the construction's parameter);
 * 2. the target squared distances D²_ij = s²·[y_i ≠ y_j] are those of the Gram G_s = (s²/2)·[y_i = y_j]
 *    (G_ii + G_jj − 2G_ij);
 * 3. solve X M Xᵀ = G_s: M_s = Xᵀ (XXᵀ)⁻¹ G_s (XXᵀ)⁻¹ X (PSD because G_s is).
 *
 * Then k_M(X, X) equals 1 within classes and κ(s) across them, so its relative Frobenius distance to the
 * collapsed Gram is √(Σ_{c≠c'} n_c n_{c'}) κ(s) / √(Σ_c n_c²) (√(K−1)·κ(s) when balanced), → 0 as s → ∞:
 * Laplace κ(s) = e^{−s/L}, Gaussian κ(s) = e^{−s²/(2L²)}.
 */
import { assertPositive, gemm, InvalidArgumentError, solveSpd, validateLabels, type Matrix } from '@nclab/backend/host';

/** Radial kernels the construction supports. */
export type RealizableKernel = 'laplace' | 'gaussian';

/** Options of {@link realizeCollapsedGram}. */
export interface RealizeOptions {
  /** The kernel family. */
  readonly kernel: RealizableKernel;
  /** Bandwidth L > 0. Default 1. */
  readonly bandwidth?: number;
  /** The scales s at which to build M_s (each > 0). */
  readonly scales: readonly number[];
}

/** One scale of {@link realizeCollapsedGram}. */
export interface RealizedScale {
  readonly scale: number;
  /** The Mahalanobis matrix M_s `[d, d]`. */
  readonly metric: Matrix;
  /** Relative Frobenius distance of k_{M_s}(X, X) (computed from M_s) to the collapsed Gram [y_i = y_j]. */
  readonly gramError: number;
  /** The closed form √(Σ_{c≠c'} n_c n_c') κ(s) / √(Σ_c n_c²). */
  readonly theoryGramError: number;
}

function kappa(kernel: RealizableKernel, d: number, L: number): number {
  return kernel === 'laplace' ? Math.exp(-d / L) : Math.exp(-(d * d) / (2 * L * L));
}

/**
 * Builds the Mahalanobis matrices M_s that drive k_M(X, X) towards the collapsed Gram, and measures how
 * close each gets (see the module comment).
 * @param x - `[N, d]` data, rows are samples, with XXᵀ invertible (N ≤ d and full row rank).
 * @param labels - `[N]` class labels.
 * @param options - kernel family, bandwidth and the scales s.
 * @returns per scale: M_s, the achieved relative Gram error and its closed form.
 * @throws {InvalidArgumentError} for bad shapes, labels, kernel, bandwidth or scales.
 * @throws {InvalidArgumentError} when XXᵀ is not positive definite (solveSpd needed a ridge).
 * @throws {NumericalError} when no ridge makes it so (solveSpd).
 * @example
 * realizeCollapsedGram(x, labels, { kernel: 'laplace', scales: [1, 5, 20] }).map((r) => r.gramError);
 * // decreasing as √(K−1)·e^{−s}
 */
export function realizeCollapsedGram(x: Matrix, labels: ArrayLike<number>, options: RealizeOptions): RealizedScale[] {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'an options object', options);
  if (x === null || typeof x !== 'object' || !(x.data instanceof Float64Array) || x.data.length !== x.rows * x.cols) {
    throw new InvalidArgumentError('x', 'a float64 matrix [N, d]', x);
  }
  const { kernel } = options;
  if (kernel !== 'laplace' && kernel !== 'gaussian') throw new InvalidArgumentError('kernel', "'laplace' or 'gaussian'", kernel);
  const L = options.bandwidth ?? 1;
  assertPositive('bandwidth', L);
  if (!Array.isArray(options.scales) || options.scales.length === 0) throw new InvalidArgumentError('scales', 'a non-empty array of positive numbers', options.scales);
  options.scales.forEach((s, i) => assertPositive(`scales[${i}]`, s));
  const N = x.rows;
  const d = x.cols;
  const lab = validateLabels('labels', labels, N).labels;
  const same = (i: number, j: number): boolean => lab[i] === lab[j];
  let sameCount = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (same(i, j)) sameCount++;
  const gram = gemm(x, x, { transB: true }); // XXᵀ [N, N]
  const sol = solveSpd(gram, x); // (XXᵀ)⁻¹ X [N, d]
  const a = sol.x;
  if (sol.jitter > 0) throw new InvalidArgumentError('x', 'a matrix with an invertible Gram XXᵀ (N ≤ d, full row rank)', `[${N}, ${d}]`);
  return options.scales.map((s) => {
    const g = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (same(i, j)) g[i * N + j] = (s * s) / 2;
    // M = Aᵀ G A with A = (XXᵀ)⁻¹ X
    const ga = gemm({ rows: N, cols: N, data: g }, a);
    const metric = gemm(a, ga, { transA: true });
    // the achieved kernel matrix from M: d²_ij = G'_ii + G'_jj − 2G'_ij with G' = X M Xᵀ
    const xm = gemm(gemm(x, metric), x, { transB: true });
    let err2 = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const sq = Math.max(0, xm.data[i * N + i] + xm.data[j * N + j] - 2 * xm.data[i * N + j]);
      err2 += (kappa(kernel, Math.sqrt(sq), L) - (same(i, j) ? 1 : 0)) ** 2;
    }
    const theory = (Math.sqrt(N * N - sameCount) * kappa(kernel, s, L)) / Math.sqrt(sameCount);
    return { scale: s, metric, gramError: Math.sqrt(err2) / Math.sqrt(sameCount), theoryGramError: theory };
  });
}
