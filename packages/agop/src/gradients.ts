/**
 * Exact input gradients of a kernel predictor f_c(x) = Σ_j α_jc k(x, x_j):
 *
 * ```math
 * \nabla f_c(x) = M \sum_j \alpha_{jc}\, g(x, x_j)\,(x_j - x), \qquad g = -\tfrac{1}{d}\tfrac{\partial k}{\partial d}
 * ```
 *
 * (linear kernel: ∇f_c = M Xᵀ α_c). Pairs closer than 1e-10 (self-pairs) get g = 0, as in the RFM codes.
 */
import { gemm, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix, checkSameCols } from './checks.js';
import { applyMetric, sqDistances } from './distances.js';
import type { KernelModel } from './krr.js';
import { radialGradientWeight, radialValue, type ResolvedKernel } from './kernels.js';
import { dotRawGradients, isDotProductKernel } from './kernels/dot-product.js';

/** Internal: the gradient weight matrix G `[n, N]`, G_ij = g(e_i, x_j), self-pairs 0. */
export function gradientWeights(kernel: ResolvedKernel, points: Matrix, centers: Matrix, metric: KernelModel['metric'], linalg?: LinalgRequest): Matrix {
  const sq = sqDistances(points, points === centers ? undefined : centers, metric, linalg);
  const out = sq.data;
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    out[i] = radialGradientWeight(kernel, s, radialValue(kernel, s));
  }
  return sq;
}

/**
 * Internal: gradients before the metric, D `[n·K, d]` with row i·K + c equal to
 * Σ_j α_jc G_ij (x_j − e_i) (multiply by M afterwards).
 */
export function rawGradients(model: KernelModel, points: Matrix, g: Matrix, linalg?: LinalgRequest): Matrix {
  const { alpha, centers } = model;
  const n = points.rows;
  const N = centers.rows;
  const K = alpha.cols;
  const d = centers.cols;
  const z = new Float64Array(N * K * d);
  for (let j = 0; j < N; j++) {
    for (let c = 0; c < K; c++) {
      const a = alpha.data[j * K + c];
      const off = (j * K + c) * d;
      for (let k = 0; k < d; k++) z[off + k] = a * centers.data[j * d + k];
    }
  }
  const p = gemm(g, { rows: N, cols: K * d, data: z }, { linalg });
  const aw = gemm(g, alpha, { linalg });
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) {
      const a = aw.data[i * K + c];
      const off = (i * K + c) * d;
      for (let k = 0; k < d; k++) p.data[off + k] -= a * points.data[i * d + k];
    }
  }
  return { rows: n * K, cols: d, data: p.data };
}

/**
 * Exact gradients of every output of a fitted kernel predictor at the given points.
 * @param model - a fitted {@link KernelModel}.
 * @param points - `[n, d]` evaluation points; default the training points.
 * @param linalg - float64 path of the products (default: backend's global path).
 * @returns `[n·K, d]` float64 matrix: row `i·K + c` is ∇f_c at point i.
 * @throws {InvalidArgumentError} for NaN or a feature-dimension mismatch.
 * @example
 * const g = kernelGradients(model, xTest); // row i*K + c: gradient of output c at xTest[i]
 */
export function kernelGradients(model: KernelModel, points?: AnyMatrix, linalg?: LinalgRequest): Matrix {
  const e = points === undefined ? model.centers : asFloat64(points);
  if (points !== undefined) {
    checkMatrix('points', points);
    checkSameCols('points', points, model.centers.cols);
  }
  const K = model.alpha.cols;
  const d = model.centers.cols;
  if (model.kernel.kind === 'linear') {
    const beta = applyMetric(gemm(model.alpha, model.centers, { transA: true, linalg }), model.metric, linalg); // [K, d] rows (M Xᵀα_c)ᵀ
    const out = new Float64Array(e.rows * K * d);
    for (let i = 0; i < e.rows; i++) out.set(beta.data, i * K * d);
    return { rows: e.rows * K, cols: d, data: out };
  }
  if (isDotProductKernel(model.kernel)) return applyMetric(dotRawGradients(model.kernel, e, model.centers, model.alpha, model.metric, linalg), model.metric, linalg);
  const g = gradientWeights(model.kernel, e, model.centers, model.metric, linalg);
  return applyMetric(rawGradients(model, e, g, linalg), model.metric, linalg);
}
