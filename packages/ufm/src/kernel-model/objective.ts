/**
 * The relaxed unconstrained kernel model of Beaglehole et al. (2024), Problem 3 / Theorem 4.4: after
 * solving for the predictor coefficients, the kernel matrix k (PSD, unit diagonal) is chosen to
 *
 * ```math
 * \max_{k \succeq 0,\ k_{ii} = 1}\ f(k) = \frac1K \sum_{c=1}^K y_c^\top (k + \mu I)^{-1} k\, y_c
 *   = 1 - \frac{\mu}{K} \operatorname{tr}\!\big(Y^\top (k + \mu I)^{-1} Y\big)
 * ```
 *
 * with Y = [y_1 … y_K] `[N, K]` the unit-norm class indicators (y_c = 1_{class c}/√n, N = K n samples
 * in class blocks). The maximiser is k* = I_K ⊗ 1_n1_nᵀ with f(k*) = n/(n + μ).
 * Gradient: ∂f/∂k = (μ/K) Z Zᵀ with Z = (k + μI)⁻¹ Y.
 * @see Beaglehole et al., "Average gradient outer product as a mechanism for deep neural collapse", 2024, Thm 4.4.
 */
import { gemm, solveSpd, type Matrix } from '@nclab/backend/host';

/** The unit-norm class indicators Y `[K·n, K]`, samples in class blocks. */
export function classIndicators(K: number, n: number): Matrix {
  const N = K * n;
  const y = new Float64Array(N * K);
  const v = 1 / Math.sqrt(n);
  for (let i = 0; i < N; i++) y[i * K + Math.floor(i / n)] = v;
  return { rows: N, cols: K, data: y };
}

/** The collapsed Gram I_K ⊗ 1_n1_nᵀ `[K·n, K·n]`. */
export function collapsedGram(K: number, n: number): Matrix {
  const N = K * n;
  const g = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (Math.floor(i / n) === Math.floor(j / n)) g[i * N + j] = 1;
  return { rows: N, cols: N, data: g };
}

/**
 * f(k) and ∂f/∂k of the kernel model (see the module comment).
 * @param k - `[N, N]` symmetric PSD kernel matrix.
 * @param y - `[N, K]` unit-norm class indicators ({@link classIndicators}).
 * @param mu - the ridge μ > 0.
 * @returns the value and the symmetric gradient `[N, N]`.
 */
export function kernelModelObjective(k: Matrix, y: Matrix, mu: number): { value: number; grad: Matrix } {
  const N = k.rows;
  const K = y.cols;
  const a = new Float64Array(k.data);
  for (let i = 0; i < N; i++) a[i * N + i] += mu;
  const z = solveSpd({ rows: N, cols: N, data: a }, y).x; // (k + μI)⁻¹ Y
  let tr = 0;
  for (let p = 0; p < z.data.length; p++) tr += z.data[p] * y.data[p];
  const grad = gemm(z, z, { transB: true });
  for (let p = 0; p < grad.data.length; p++) grad.data[p] *= mu / K;
  return { value: 1 - (mu / K) * tr, grad };
}

/**
 * Relative Frobenius distance of a kernel matrix to the collapsed Gram: ‖k − I_K ⊗ 11ᵀ‖_F / ‖I_K ⊗ 11ᵀ‖_F
 * (the denominator is √K·n).
 * @param k - `[K·n, K·n]`, samples in class blocks.
 * @param K - classes. @param n - samples per class.
 * @returns the distance (0 at collapse).
 */
export function gramDistance(k: Matrix, K: number, n: number): number {
  const N = K * n;
  let s = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    const t = Math.floor(i / n) === Math.floor(j / n) ? 1 : 0;
    s += (k.data[i * N + j] - t) ** 2;
  }
  return Math.sqrt(s) / (Math.sqrt(K) * n);
}
