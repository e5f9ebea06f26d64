/**
 * Kernel matrices K_ij = k(x_i, z_j) in float64, with an optional Mahalanobis metric.
 */
import { gemm, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix, checkSameCols } from './checks.js';
import { applyMetric, checkMetric, crossRadial, radialMapOf, selfSqDistances, sqDistances, type Metric } from './distances.js';
import { radialValue, resolveKernel, type KernelName, type KernelSpec, type ResolvedKernel } from './kernels.js';
import { dotKernelMatrix, isDotProductKernel } from './kernels/dot-product.js';

/** Options of {@link kernelMatrix}. */
export interface KernelMatrixOptions {
  /** The kernel (name or spec). */
  readonly kernel: KernelName | KernelSpec;
  /** Optional Mahalanobis matrix M, full `[d, d]` or diagonal (length d). */
  readonly metric?: Metric;
  /** Float64 path of the products (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  readonly linalg?: LinalgRequest;
}

/**
 * The kernel matrix between the rows of `x` and `z`:
 *
 * ```math
 * K_{ij} = k(x_i, z_j), \quad \text{radial: } k = \kappa(d_M(x_i, z_j)), \quad \text{linear: } x_i^\top M z_j
 * ```
 *
 * @param x - `[n, d]`, rows are samples.
 * @param z - `[m, d]`; omit (or pass `x`) for the training kernel K(X, X).
 * @param options - kernel, metric and float64 path.
 * @returns `[n, m]` float64 matrix.
 * @throws {InvalidArgumentError} for non-finite data, mismatched feature dimensions, a bad kernel or metric.
 * @example
 * kernelMatrix(fromRows([[0, 0], [3, 4]]), undefined, { kernel: { kind: 'laplace', bandwidth: 5 } });
 * // returns [[1, e^-1], [e^-1, 1]]
 */
export function kernelMatrix(x: AnyMatrix, z: AnyMatrix | undefined, options: KernelMatrixOptions): Matrix {
  const kernel = resolveKernel(options.kernel);
  checkMatrix('x', x);
  if (z !== undefined && z !== x) {
    checkMatrix('z', z);
    checkSameCols('z', z, x.cols);
  }
  checkMetric(options.metric, x.cols);
  const x64 = asFloat64(x);
  const z64 = z === undefined || z === x ? x64 : asFloat64(z);
  return kernelFromData(kernel, x64, z64, options.metric, options.linalg).k;
}

/** Internal: the kernel matrix, computed in place over the squared distances (one n×m buffer). */
export function kernelFromData(kernel: ResolvedKernel, x: Matrix, z: Matrix, metric?: Metric, linalg?: LinalgRequest): { k: Matrix } {
  if (kernel.kind === 'linear') return { k: gemm(applyMetric(x, metric, linalg), z, { transB: true, linalg }) };
  if (isDotProductKernel(kernel)) return { k: dotKernelMatrix(kernel, x, z, metric, linalg) };
  // K(X, X) is symmetric: distances and kernel values over the lower triangle in one pass, mirrored
  if (z === x) return { k: selfSqDistances(x, metric, kernel, linalg) };
  const map = radialMapOf(kernel);
  if (map !== undefined) return { k: crossRadial(x, z, metric, { map, bandwidth: kernel.bandwidth }, linalg) };
  const sq = sqDistances(x, z, metric, linalg);
  const k = sq.data;
  for (let i = 0; i < k.length; i++) k[i] = radialValue(kernel, k[i]);
  return { k: sq };
}
