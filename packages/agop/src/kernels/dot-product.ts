/**
 * Dot-product (angular) predictor kernels: the arc-cosine kernels of degree 0 and 1 and the ReLU NTK,
 * all of the form k(x, z) = (ab)^p·φ(ρ) with a = ‖x‖_M, b = ‖z‖_M, ρ = xᵀMz/(ab) (M the optional
 * Mahalanobis metric; p = 0 for `arccos0`, 1 for `arccos1` and `ntk`). Bandwidth is ignored.
 *
 * Exact input gradient (M symmetric):
 *
 * ```math
 * \nabla_x k(x, z) = M\,(A\,z + B\,x),\quad A = \varphi'(\rho)\,(ab)^{p-1},\quad
 * B = -A\rho\,\frac{b}{a} + p\,\frac{b\,\varphi(\rho)}{a}
 * ```
 *
 * Degenerate pairs (no NaN anywhere):
 * - z = 0: k = p ? 0 : ½ for every x, gradient 0.
 * - x = 0: ρ := 0 (θ = π/2), so k = p ? 0 : ½; gradient M(φ′(0)·z) for p = 1 (the ReLU derivative
 *   ½ at 0: ∇ₓ 2E[σ(wᵀx)σ(wᵀz)] at x = 0 is z/2 for `arccos1`), 0 for `arccos0` (k₀ is discontinuous there).
 * - x ∥ z (θ = 0) or x ∥ −z (θ = π): κ₀ and the NTK have a cusp in x (φ′ ~ 1/sin θ while the tangential
 *   vector z − ρ(b/a)x has length b·sin θ: a bounded derivative whose direction depends on the
 *   approach). For those kernels the tangential term is dropped (A = 0, keeping the radial part
 *   p·bφ/a·x) when sin θ < {@link ANGLE_EPS}: the minimum-norm element of the set of limits, the same
 *   choice as the zero gradient weight of self-pairs for the Laplace kernel. `arccos1` is C¹ (φ′ = κ₀
 *   is bounded) and keeps its exact gradient.
 */
import { gemm, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { applyMetric, rowQuadratic, type Metric } from '../distances.js';
import type { ResolvedKernel } from '../kernels.js';
import { arccos0Profile, arccos0Slope, arccos1Profile, clampCosine } from './arccos.js';
import { ntkProfile } from './ntk.js';

/** sin θ below which the tangential (cusp) term of `arccos0` and `ntk` gradients is dropped. */
export const ANGLE_EPS = 1e-6;

/** Whether a resolved kernel is one of the dot-product kernels of this module. */
export function isDotProductKernel(kernel: ResolvedKernel): boolean {
  return kernel.kind === 'arccos0' || kernel.kind === 'arccos1' || kernel.kind === 'ntk';
}

/** φ(ρ), φ′(ρ) and the degree p of a dot-product kernel. */
export function dotProfile(kernel: ResolvedKernel, rho: number): { phi: number; dphi: number } {
  switch (kernel.kind) {
    case 'arccos0':
      return { phi: arccos0Profile(rho), dphi: arccos0Slope(rho) };
    case 'arccos1':
      return { phi: arccos1Profile(rho), dphi: arccos0Profile(rho) };
    default: {
      const { value, slope } = ntkProfile(rho, kernel.depth ?? 1);
      return { phi: value, dphi: slope };
    }
  }
}

/** ‖x_i‖_M for every row, given XM. */
function rowNorms(x: Matrix, xm: Matrix): Float64Array {
  const out = rowQuadratic(x, xm);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(Math.max(0, out[i]));
  return out;
}

/** The inner products xᵢᵀMz_j `[n, m]` and the norms of both sides. */
function innerProducts(x: Matrix, z: Matrix, metric?: Metric, linalg?: LinalgRequest): { u: Matrix; a: Float64Array; b: Float64Array } {
  const xm = applyMetric(x, metric, linalg);
  const u = gemm(xm, z, { transB: true, linalg });
  const a = rowNorms(x, xm);
  const b = z === x ? a : rowNorms(z, applyMetric(z, metric, linalg));
  return { u, a, b };
}

/**
 * The kernel matrix K_ij = k(x_i, z_j) of a dot-product kernel.
 * @param kernel - `arccos0`, `arccos1` or `ntk`.
 * @param x - `[n, d]`. @param z - `[m, d]`. @param metric - optional M. @param linalg - float64 path of the products.
 * @returns `[n, m]` float64.
 */
export function dotKernelMatrix(kernel: ResolvedKernel, x: Matrix, z: Matrix, metric?: Metric, linalg?: LinalgRequest): Matrix {
  const { u, a, b } = innerProducts(x, z, metric, linalg);
  const p = kernel.kind === 'arccos0' ? 0 : 1;
  const m = z.rows;
  const k = u.data;
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < m; j++) {
      const ab = a[i] * b[j];
      const rho = ab > 0 ? clampCosine(k[i * m + j] / ab) : 0;
      k[i * m + j] = (p === 1 ? ab : 1) * dotProfile(kernel, rho).phi;
    }
  }
  return u;
}

/**
 * Gradients of a kernel predictor f_c(x) = Σ_j α_jc k(x, z_j) before the metric:
 * row i·K + c is Σ_j α_jc (A_ij z_j + B_ij x_i) (multiply by M afterwards; see the module comment).
 * @param kernel - `arccos0`, `arccos1` or `ntk`.
 * @param points - `[n, d]` evaluation points. @param centers - `[N, d]`. @param alpha - `[N, K]`.
 * @param metric - optional M. @param linalg - float64 path of the products.
 * @returns `[n·K, d]`.
 */
export function dotRawGradients(kernel: ResolvedKernel, points: Matrix, centers: Matrix, alpha: Matrix, metric?: Metric, linalg?: LinalgRequest): Matrix {
  const { u, a, b } = innerProducts(points, centers, metric, linalg);
  const n = points.rows;
  const N = centers.rows;
  const K = alpha.cols;
  const d = centers.cols;
  const p = kernel.kind === 'arccos0' ? 0 : 1;
  const cusp = kernel.kind !== 'arccos1';
  const A = new Float64Array(n * N);
  const B = new Float64Array(n * N);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < N; j++) {
      const q = i * N + j;
      if (b[j] === 0) continue;
      if (a[i] === 0) {
        if (p === 1) A[q] = dotProfile(kernel, 0).dphi;
        continue;
      }
      const ab = a[i] * b[j];
      const rho = clampCosine(u.data[q] / ab);
      const { phi, dphi } = dotProfile(kernel, rho);
      const sin = Math.sqrt(Math.max(0, (1 - rho) * (1 + rho)));
      const t = cusp && sin < ANGLE_EPS ? 0 : p === 1 ? dphi : dphi / ab;
      A[q] = t;
      B[q] = (-t * rho * b[j]) / a[i] + (p === 1 ? (b[j] * phi) / a[i] : 0);
    }
  }
  // Σ_j α_jc A_ij z_j: A [n, N] times Z [N, K·d] with Z[j, c·d + k] = α_jc z_jk
  const z = new Float64Array(N * K * d);
  for (let j = 0; j < N; j++) for (let c = 0; c < K; c++) {
    const w = alpha.data[j * K + c];
    const off = (j * K + c) * d;
    for (let k = 0; k < d; k++) z[off + k] = w * centers.data[j * d + k];
  }
  const out = gemm({ rows: n, cols: N, data: A }, { rows: N, cols: K * d, data: z }, { linalg });
  const bw = gemm({ rows: n, cols: N, data: B }, alpha, { linalg }); // [n, K]
  for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) {
    const w = bw.data[i * K + c];
    const off = (i * K + c) * d;
    for (let k = 0; k < d; k++) out.data[off + k] += w * points.data[i * d + k];
  }
  return { rows: n * K, cols: d, data: out.data };
}
