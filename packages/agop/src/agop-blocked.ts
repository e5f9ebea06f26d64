/**
 * The AGOP of a radial kernel predictor at its own training points, by the per-output gradient form
 * in row blocks: O(block·N) memory, no N×N matrix, the large product optionally in float32.
 */
import { InvalidArgumentError, allocFloat32, allocFloat64, gemm, sgemm, symmetrize, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { blockRows, isRadialKernel, kernelRowsInto, rowSqNorms } from './kernel-rows.js';
import type { KernelModel } from './krr.js';

/** Options of {@link kernelAgopBlocked}. */
export interface BlockedAgopOptions {
  /**
   * Arithmetic of the large product G_I·Z (2·K·N²·d flops in all): `'float64'`, or `'mixed'`: G and Z
   * rounded to float32 and multiplied by `sgemm` (twice the throughput, half the memory); every other
   * step, and the d×d accumulation, in float64. Default `'float64'`.
   */
  readonly precision?: 'float64' | 'mixed';
  /** `'none'` (default): the mean; `'max'`: divided by its largest entry. */
  readonly normalize?: 'none' | 'max';
  /** Bytes of one float64 `[B, N]` block of gradient weights. Default 128 MiB. */
  readonly blockBytes?: number;
  /** Float64 path of the products. Default: backend's global path. */
  readonly linalg?: LinalgRequest;
}

/** Result of {@link kernelAgopBlocked}. */
export interface BlockedAgopResult {
  /** The `[d, d]` AGOP. */
  readonly agop: Matrix;
  /** The divisor of `normalize: 'max'` (1 for `'none'`). */
  readonly scale: number;
  readonly method: 'blocked';
  readonly precision: 'float64' | 'mixed';
}

/** Flops of the per-output gradient form (2·K·N²·d + 2·N·K·d²) and of the Gram form (N³ + 4N²d + 4Nd²), for the route choice. */
export function agopFlops(n: number, k: number, d: number): { gradient: number; gram: number } {
  return { gradient: 2 * k * n * n * d + 2 * n * k * d * d, gram: n * n * n + 4 * n * n * d + 4 * n * d * d };
}

/**
 * AGOP = (1/N) Σ_i Σ_c ∇f_c(x_i) ∇f_c(x_i)ᵀ at the training points of a radial kernel model
 * (self-pairs masked), the same quantity as `kernelAgop(model)`'s direct and Gram methods. For a row
 * block I of B points, with gradient weights G_I = g(x_I, X) `[B, N]` recomputed in float64 and
 * Z = [diag(α_1) X, …, diag(α_K) X] `[N, K·d]` (built once):
 *
 * ```math
 * \nabla f_c(x_i) = \sum_j \alpha_{jc} G_{ij} (x_j - x_i) = (G_I Z)_{i, c} - (G_I \alpha)_{ic}\, x_i,
 * \qquad \mathrm{AGOP} = \frac1N \sum_I D_I^\top D_I
 * ```
 *
 * Memory: Z (N·K·d entries, float32 with `'mixed'`) plus one block; time ≈ 2·K·N²·d + N²·d flops.
 * @param model - a fitted model of a radial kernel (laplace, gaussian, exponential) without a metric.
 * @param options - precision, normalisation, block size, path.
 * @returns the `[d, d]` AGOP, the normalisation divisor, the method and precision.
 * @throws {InvalidArgumentError} for a non-radial kernel or a model with a metric.
 * @example
 * const { agop } = kernelAgopBlocked(model, { precision: 'mixed', normalize: 'max' });
 */
export function kernelAgopBlocked(model: KernelModel, options: BlockedAgopOptions = {}): BlockedAgopResult {
  const { kernel, centers: x, alpha } = model;
  if (!isRadialKernel(kernel)) throw new InvalidArgumentError('model.kernel', 'a radial kernel (laplace, gaussian, exponential)', kernel.kind);
  if (model.metric !== undefined) throw new InvalidArgumentError('model.metric', 'no metric (the blocked AGOP takes Euclidean distances)', 'a metric');
  const linalg = options.linalg;
  const mixed = (options.precision ?? 'float64') === 'mixed';
  const n = x.rows;
  const d = x.cols;
  const K = alpha.cols;
  const kd = K * d;
  const sq = rowSqNorms(x);
  // Z [N, K·d]: row j holds α_jc x_j for c = 0…K−1
  const z = mixed ? allocFloat32(n * kd) : allocFloat64(n * kd);
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < K; c++) {
      const a = alpha.data[j * K + c];
      const off = j * kd + c * d;
      for (let k = 0; k < d; k++) z[off + k] = a * x.data[j * d + k];
    }
  }
  const B = blockRows(n, options.blockBytes);
  const gBuf = allocFloat64(B * n);
  const g32 = mixed ? allocFloat32(B * n) : undefined;
  const pBuf = mixed ? allocFloat32(B * kd) : allocFloat64(B * kd);
  const dBuf = allocFloat64(B * kd);
  const aBuf = new Float64Array(B * K);
  const ddBuf = new Float64Array(d * d);
  const sum = new Float64Array(d * d);
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    const rows = i1 - i0;
    const g = kernelRowsInto(kernel, x, sq, i0, i1, n, gBuf, linalg, true);
    const a = gemm(g, alpha, { out: aBuf.subarray(0, rows * K), linalg }).data; // [B, K]
    let p: Float64Array | Float32Array;
    if (g32) {
      const gs = g32.subarray(0, rows * n);
      gs.set(g.data);
      p = sgemm({ rows, cols: n, data: gs }, { rows: n, cols: kd, data: z as Float32Array }, { out: (pBuf as Float32Array).subarray(0, rows * kd), linalg }).data;
    } else {
      p = gemm(g, { rows: n, cols: kd, data: z as Float64Array }, { out: (pBuf as Float64Array).subarray(0, rows * kd), linalg }).data;
    }
    // D rows (i, c): P[i, c·d : (c+1)·d] − A_ic x_i, in float64
    const dd = dBuf.subarray(0, rows * kd);
    for (let r = 0; r < rows; r++) {
      const xi = (i0 + r) * d;
      for (let c = 0; c < K; c++) {
        const ac = a[r * K + c];
        const off = r * kd + c * d;
        for (let k = 0; k < d; k++) dd[off + k] = p[off + k] - ac * x.data[xi + k];
      }
    }
    gemm({ rows: rows * K, cols: d, data: dd }, { rows: rows * K, cols: d, data: dd }, { transA: true, out: ddBuf, linalg });
    for (let t = 0; t < sum.length; t++) sum[t] += ddBuf[t];
  }
  const agop: Matrix = { rows: d, cols: d, data: sum };
  for (let t = 0; t < sum.length; t++) sum[t] /= n;
  symmetrize(agop);
  let scale = 1;
  if ((options.normalize ?? 'none') === 'max') {
    let mx = 0;
    for (let t = 0; t < sum.length; t++) mx = Math.max(mx, sum[t]);
    if (mx > 0) {
      scale = mx;
      for (let t = 0; t < sum.length; t++) sum[t] /= mx;
    }
  }
  return { agop, scale, method: 'blocked', precision: mixed ? 'mixed' : 'float64' };
}
