/**
 * NC1 building blocks from class statistics: global mean, centred means, Σ_B eigenpairs from the
 * K×K Gram, Papyan's tr(Σ_W Σ_B^†) from the projected scatter, CDNV and the linear-probe NC1.
 */
import { InvalidArgumentError, eigh } from '@nclab/backend/host';
import type { LinalgRequest, Matrix } from '@nclab/backend/host';
import { gramOf } from './nc2.js';

/** How the global mean μ_G is formed from the class means. */
export type GlobalMeanMode = 'classMeanAverage' | 'sampleWeighted';

/**
 * Global mean of the class means.
 *
 * ```math
 * \mu_G = \tfrac1K \textstyle\sum_k \mu_k \ (\texttt{classMeanAverage}) \quad\text{or}\quad \mu_G = \tfrac1N \sum_k n_k \mu_k \ (\texttt{sampleWeighted})
 * ```
 * The two agree for balanced classes.
 * @param means - class means `[K, d]`.
 * @param counts - samples per class `[K]`.
 * @param mode - see {@link GlobalMeanMode}.
 * @returns μ_G, `[d]`.
 * @throws {InvalidArgumentError} when `counts` does not have K entries or `mode` is unknown.
 * @example
 * globalMean(fromRows([[0, 0], [2, 2]]), [1, 3], 'sampleWeighted'); // returns Float64Array [1.5, 1.5]
 */
export function globalMean(means: Matrix, counts: ArrayLike<number>, mode: GlobalMeanMode): Float64Array {
  const { rows: K, cols: d } = means;
  if (counts.length !== K) throw new InvalidArgumentError('counts', `of length K = ${K}`, counts.length);
  if (mode !== 'classMeanAverage' && mode !== 'sampleWeighted') {
    throw new InvalidArgumentError('globalMean', "'classMeanAverage' or 'sampleWeighted'", mode);
  }
  let n = 0;
  for (let k = 0; k < K; k++) n += counts[k];
  const g = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    const w = mode === 'classMeanAverage' ? 1 / K : counts[k] / n;
    for (let j = 0; j < d; j++) g[j] += w * means.data[k * d + j];
  }
  return g;
}

/**
 * Class means minus a global mean, `[K, d]`.
 * @param means - class means `[K, d]`.
 * @param g - global mean `[d]`.
 * @returns M̃ with rows μ_k − μ_G.
 * @throws {InvalidArgumentError} when `g` does not have d entries.
 * @example
 * centreMeans(fromRows([[2, 0], [0, 2]]), [1, 1]); // rows [1, −1] and [−1, 1]
 */
export function centreMeans(means: Matrix, g: ArrayLike<number>): Matrix {
  const { rows: K, cols: d } = means;
  if (g.length !== d) throw new InvalidArgumentError('g', `of length d = ${d}`, g.length);
  const out = new Float64Array(K * d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) out[k * d + j] = means.data[k * d + j] - g[j];
  return { rows: K, cols: d, data: out };
}

/** Top eigenpairs of Σ_B = M̃ᵀM̃/K obtained from the K×K Gram. */
export interface BetweenClassEigen {
  /** Eigenvalues of Σ_B, descending, length r (r ≤ min(K−1, d) numerically non-zero ones). */
  readonly values: Float64Array;
  /** Unit eigenvectors as rows, `[r, d]`. */
  readonly vectors: Matrix;
  /** Coefficients `[K, r]`: eigenvector j = Σ_k coefficients[k, j] · M̃[k, :]. */
  readonly coefficients: Matrix;
  /** r, the numerical rank kept. */
  readonly rank: number;
  /** True when r < min(K−1, d): the class means span fewer dimensions than a simplex needs. */
  readonly rankDeficient: boolean;
}

/**
 * Eigenpairs of the between-class covariance Σ_B = (1/K) M̃ᵀ M̃ without forming the d×d matrix.
 *
 * Method: G = M̃ M̃ᵀ / K (K×K) = U Λ Uᵀ; the non-zero eigenvalues of Σ_B are those of G and its unit
 * eigenvectors are v_j = M̃ᵀ u_j / √(K λ_j). Keeps the top min(K−1, d) eigenvalues above
 * `rtol · λ_max`. Cost O(K²·d + K³).
 * @param centredMeans - M̃, `[K, d]`.
 * @param options.rtol - relative cut-off for a zero eigenvalue (default max(K, d)·2.2e-16).
 * @param options.linalg - float64 path of the eigendecomposition (default: backend's global path).
 * @returns eigenvalues (descending), eigenvectors as rows and the Gram coefficients.
 * @throws {InvalidArgumentError} when K < 2.
 * @example
 * betweenClassEigen(centreMeans(means, globalMean(means, counts, 'classMeanAverage'))).values; // top K−1
 * @see Papyan, Han & Donoho 2020 (Σ_B of rank K−1).
 */
export function betweenClassEigen(centredMeans: Matrix, options: { rtol?: number; linalg?: LinalgRequest } = {}): BetweenClassEigen {
  const { rows: K, cols: d } = centredMeans;
  if (K < 2) throw new InvalidArgumentError('centredMeans', 'of shape [K, d] with K >= 2', `[${K}, ${d}]`);
  const G = gramOf(centredMeans);
  for (let i = 0; i < G.data.length; i++) G.data[i] /= K;
  const eig = eigh(G, { linalg: options.linalg });
  const lambdaMax = Math.max(0, eig.values[K - 1]);
  const rtol = options.rtol ?? Math.max(K, d) * 2.220446049250313e-16;
  const limit = Math.min(K - 1, d);
  const keep: number[] = [];
  for (let j = K - 1; j >= 0 && keep.length < limit; j--) {
    if (eig.values[j] > rtol * lambdaMax && eig.values[j] > 0) keep.push(j);
  }
  const r = keep.length;
  const values = new Float64Array(r);
  const coefficients = new Float64Array(K * r);
  const vectors = new Float64Array(r * d);
  keep.forEach((j, col) => {
    const lambda = eig.values[j];
    values[col] = lambda;
    const scale = 1 / Math.sqrt(K * lambda);
    for (let k = 0; k < K; k++) {
      const a = eig.vectors.data[k * K + j] * scale;
      coefficients[k * r + col] = a;
      for (let t = 0; t < d; t++) vectors[col * d + t] += a * centredMeans.data[k * d + t];
    }
  });
  return {
    values,
    vectors: { rows: r, cols: d, data: vectors },
    coefficients: { rows: K, cols: r, data: coefficients },
    rank: r,
    rankDeficient: r < limit,
  };
}

/**
 * Re-centres a projected scatter: given T = Σ_i (M̃₀ r_i)(M̃₀ r_i)ᵀ for means centred on their plain
 * average, returns the same for means centred on μ_G = Σ_k w_k μ_k: A T Aᵀ with A = I − 1(w − 1/K)ᵀ.
 * @param T - `[K, K]` projected scatter for class-average centring.
 * @param weights - w, `[K]`, summing to 1.
 * @returns the `[K, K]` projected scatter for the new centring.
 * @example
 * recentreProjectedScatter(res.projectedScatter, Float64Array.from(counts, (c) => c / n)); // sample-weighted centring
 */
export function recentreProjectedScatter(T: Matrix, weights: ArrayLike<number>): Matrix {
  const K = T.rows;
  const A = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) A[a * K + c] = (a === c ? 1 : 0) - (weights[c] - 1 / K);
  const AT = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let m = 0; m < K; m++) s += A[a * K + m] * T.data[m * K + c];
      AT[a * K + c] = s;
    }
  }
  const out = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let m = 0; m < K; m++) s += AT[a * K + m] * A[c * K + m];
      out[a * K + c] = s;
    }
  }
  return { rows: K, cols: K, data: out };
}

/**
 * tr(Σ_W Σ_B^†) restricted to the kept eigenpairs, from the projected scatter.
 *
 * ```math
 * \operatorname{tr}(\Sigma_W \Sigma_B^\dagger) = \sum_{j \le r} \frac{v_j^\top \Sigma_W v_j}{\lambda_j},\qquad
 * v_j^\top \Sigma_W v_j = \frac{a_j^\top T a_j}{N_W}
 * ```
 * with a_j the Gram coefficients of v_j and N_W the Σ_W divisor (N, or K·N).
 * @param eigen - Σ_B eigenpairs for the same centring as `T`.
 * @param T - projected scatter `[K, K]` for that centring.
 * @param withinDivisor - the divisor of Σ_W (N for the usual convention).
 * @returns the trace (not yet divided by K).
 * @example
 * traceWithinPinvBetween(betweenClassEigen(centred), res.projectedScatter, n) / K; // Papyan's NC1
 */
export function traceWithinPinvBetween(eigen: BetweenClassEigen, T: Matrix, withinDivisor: number): number {
  const K = T.rows;
  const r = eigen.rank;
  let total = 0;
  for (let j = 0; j < r; j++) {
    let q = 0;
    for (let a = 0; a < K; a++) {
      const ca = eigen.coefficients.data[a * r + j];
      if (ca === 0) continue;
      let s = 0;
      for (let c = 0; c < K; c++) s += T.data[a * K + c] * eigen.coefficients.data[c * r + j];
      q += ca * s;
    }
    total += q / withinDivisor / eigen.values[j];
  }
  return total;
}

/**
 * Class-distance normalised variance (Galanti et al.), averaged over the K(K−1)/2 class pairs.
 *
 * ```math
 * \mathrm{CDNV} = \frac{2}{K(K-1)} \sum_{i<j} \frac{V_i + V_j}{2\,\|\mu_i - \mu_j\|^2},\qquad V_c = \frac{1}{n_c}\sum_{x \in c}\|x - \mu_c\|^2
 * ```
 * Independent of the global-mean and Σ_W conventions. Two classes with identical means give +Infinity.
 * @param means - class means `[K, d]`.
 * @param variances - V_c, `[K]`.
 * @returns the CDNV, ≥ 0.
 * @throws {InvalidArgumentError} when `variances` does not have K entries.
 * @example
 * cdnv(fromRows([[0, 0], [2, 0]]), [1, 1]); // returns (1 + 1) / (2 · 4) = 0.25
 * @see Galanti, György & Hutter 2022, "On the role of neural collapse in transfer learning".
 */
export function cdnv(means: Matrix, variances: ArrayLike<number>): number {
  const { rows: K, cols: d } = means;
  if (variances.length !== K) throw new InvalidArgumentError('variances', `of length K = ${K}`, variances.length);
  let total = 0;
  for (let a = 0; a < K; a++) {
    for (let c = a + 1; c < K; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const v = means.data[a * d + j] - means.data[c * d + j];
        dist += v * v;
      }
      total += (variances[a] + variances[c]) / (2 * dist);
    }
  }
  return total / ((K * (K - 1)) / 2);
}

/**
 * Linear-probe NC1: Papyan's NC1 after the linear map that minimises it (the Fisher/LDA projection).
 *
 * ```math
 * \mathrm{NC1}_{\mathrm{probe}} = \frac1K \sum_{i=1}^{K-1} \frac{1}{\rho_i},\qquad
 * \rho_i = \text{top eigenvalues of } \tfrac1K \tilde M (\Sigma_W + \delta I)^{-1} \tilde M^\top
 * ```
 * (ρ_i are the generalised eigenvalues of Σ_B v = ρ Σ_W v.) It is invariant to every invertible linear
 * map of the features (only non-linearities can lower it) and equals NC1 (pinv) when Σ_W ∝ I.
 * δ = 1e-12 · λ_max(Σ_W) keeps zero-variance directions finite (they contribute ≈ 0). When N − K < d,
 * Σ_W is singular, the best map finds directions without within-class variance and the value is ≈ 0
 * (and sensitive to δ): it is meaningful when N − K is comfortably above d.
 * @param centredMeans - M̃, `[K, d]`.
 * @param sigmaW - Σ_W, `[d, d]`.
 * @returns the probe NC1, ≥ 0 (0 when Σ_W = 0).
 * @throws {InvalidArgumentError} when `sigmaW` is not `[d, d]`.
 * @example
 * linearProbeNc1(centred, withinClassCovariance(features, labels)); // ≤ nc1Pinv, invariant to x ↦ Ax
 * @see Reviewer B of Beaglehole et al. 2024 (NeurIPS): "NC1 after applying a linear operator that minimizes NC1".
 */
export function linearProbeNc1(centredMeans: Matrix, sigmaW: Matrix): number {
  const { rows: K, cols: d } = centredMeans;
  if (sigmaW.rows !== d || sigmaW.cols !== d) throw new InvalidArgumentError('sigmaW', `of shape [${d}, ${d}]`, `[${sigmaW.rows}, ${sigmaW.cols}]`);
  const eig = eigh(sigmaW);
  const wMax = Math.max(0, eig.values[d - 1]);
  if (wMax === 0) return 0;
  const delta = 1e-12 * wMax;
  // B = M̃ Q diag((w + δ)^(-1/2)), then ρ = eig(B Bᵀ / K).
  const B = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    for (let m = 0; m < d; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += centredMeans.data[k * d + j] * eig.vectors.data[j * d + m];
      B[k * d + m] = s / Math.sqrt(Math.max(0, eig.values[m]) + delta);
    }
  }
  const G = gramOf({ rows: K, cols: d, data: B });
  for (let i = 0; i < G.data.length; i++) G.data[i] /= K;
  const rho = eigh(G).values;
  const tol = Math.max(K, d) * 2.220446049250313e-16 * rho[K - 1];
  const limit = Math.min(K - 1, d);
  let total = 0;
  for (let t = 0; t < limit; t++) {
    const v = rho[K - 1 - t];
    if (v > tol) total += 1 / v;
  }
  return total / K;
}
