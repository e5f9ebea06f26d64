/**
 * Squared Mahalanobis distances in float64, the input of every radial kernel:
 *
 * ```math
 * D_{ij} = (x_i - z_j)^\top M (x_i - z_j) = x_i^\top M x_i + z_j^\top M z_j - 2\, x_i^\top M z_j
 * ```
 *
 * The expanded form loses digits for close pairs, so pairs whose expanded value is below 1e-8 of the
 * norms are recomputed from the difference; self-pairs of a set with itself are exactly 0.
 */
import { InvalidArgumentError, forEachLowerTileRow, gemm, radialFromGram, syrk, type LinalgRequest, type Matrix, type RadialMap, type RadialSpec } from '@nclab/backend/host';
import { radialValue, type ResolvedKernel } from './kernels.js';

/** A Mahalanobis matrix: full `[d, d]` symmetric PSD (`Matrix`) or its diagonal (`Float64Array` of length d, entries ≥ 0). */
export type Metric = Matrix | Float64Array;

/**
 * Validates a metric against the feature dimension `d`.
 * @throws {InvalidArgumentError} for a wrong shape, a non-finite entry, a negative diagonal entry or an asymmetric full matrix.
 */
export function checkMetric(metric: Metric | undefined, d: number): void {
  if (metric === undefined) return;
  if (metric instanceof Float64Array) {
    if (metric.length !== d) throw new InvalidArgumentError('metric', `a diagonal of length d = ${d}`, metric.length);
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(metric[i]) || metric[i] < 0) {
        throw new InvalidArgumentError('metric', 'a diagonal of finite non-negative entries', metric[i], `at index ${i}`);
      }
    }
    return;
  }
  if (metric.rows !== d || metric.cols !== d) {
    throw new InvalidArgumentError('metric', `a [${d}, ${d}] matrix`, `[${metric.rows}, ${metric.cols}]`);
  }
  let scale = 0;
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(metric.data[i])) throw new InvalidArgumentError('metric', 'finite (no NaN or Inf)', metric.data[i], `at index ${i}`);
    scale = Math.max(scale, Math.abs(metric.data[i]));
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(metric.data[i * d + j] - metric.data[j * d + i]) > 1e-8 * scale) {
        throw new InvalidArgumentError('metric', 'a symmetric matrix', `M[${i},${j}] = ${metric.data[i * d + j]}, M[${j},${i}] = ${metric.data[j * d + i]}`);
      }
    }
  }
}

/** Rows of X mapped by M: `X M` `[n, d]` (full) or columns scaled (diagonal); X itself when M is absent. */
export function applyMetric(x: Matrix, metric?: Metric, linalg?: LinalgRequest): Matrix {
  if (metric === undefined) return x;
  if (metric instanceof Float64Array) {
    const out = new Float64Array(x.data.length);
    const d = x.cols;
    for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) out[i * d + k] = x.data[i * d + k] * metric[k];
    return { rows: x.rows, cols: d, data: out };
  }
  return gemm(x, metric, { linalg });
}

/** x_iᵀ M x_i for every row, given XM. @internal */
export function rowQuadratic(x: Matrix, xm: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  const d = x.cols;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x.data[i * d + k] * xm.data[i * d + k];
    out[i] = s;
  }
  return out;
}

/** (x − z)ᵀ M (x − z) for one pair, from the difference (accurate for close pairs). */
function pairQuadratic(x: Matrix, i: number, z: Matrix, j: number, metric?: Metric): number {
  const d = x.cols;
  const diff = new Float64Array(d);
  for (let k = 0; k < d; k++) diff[k] = x.data[i * d + k] - z.data[j * d + k];
  if (metric === undefined) {
    let s = 0;
    for (let k = 0; k < d; k++) s += diff[k] * diff[k];
    return s;
  }
  if (metric instanceof Float64Array) {
    let s = 0;
    for (let k = 0; k < d; k++) s += diff[k] * diff[k] * metric[k];
    return s;
  }
  let s = 0;
  for (let a = 0; a < d; a++) {
    if (diff[a] === 0) continue;
    let t = 0;
    for (let b = 0; b < d; b++) t += metric.data[a * d + b] * diff[b];
    s += diff[a] * t;
  }
  return Math.max(0, s);
}

/**
 * Squared Mahalanobis distances between the rows of `x` `[n, d]` and `z` `[m, d]`, in float64.
 * @param x - first point set, rows are samples.
 * @param z - second point set; omit for `x` against itself (the diagonal is then exactly 0).
 * @param metric - optional Mahalanobis matrix (full or diagonal); identity when absent.
 * @param linalg - float64 path of the products (default: backend's global path).
 * @returns `[n, m]` matrix of squared distances, every entry ≥ 0.
 * @example
 * sqDistances(fromRows([[0, 0], [3, 4]])); // returns [[0, 25], [25, 0]]
 */
export function sqDistances(x: Matrix, z?: Matrix, metric?: Metric, linalg?: LinalgRequest): Matrix {
  if (z === undefined || z === x) return selfSqDistances(x, metric, undefined, linalg);
  return crossRadial(x, z, metric, { map: 'sqdist' }, linalg);
}

/**
 * The cross Gram X M Zᵀ `[n, m]` mapped in place by the backend's `radialFromGram`: squared distances
 * (`'sqdist'`) or the Laplace/Gaussian kernel values, with cancelled pairs recomputed from the difference.
 * @internal
 */
export function crossRadial(x: Matrix, z: Matrix, metric: Metric | undefined, spec: RadialSpec, linalg?: LinalgRequest): Matrix {
  const xm = applyMetric(x, metric, linalg);
  const xn = rowQuadratic(x, xm);
  const zn = rowQuadratic(z, applyMetric(z, metric, linalg));
  const cross = gemm(xm, z, { transB: true, linalg });
  radialFromGram(cross.data, x.rows, z.rows, xn, zn, spec, (i, j) => pairQuadratic(x, i, z, j, metric));
  return cross;
}

/** The SIMD map of a kernel's values (`'sqdist'` without a kernel), or undefined for the radial kernels mapped per entry. @internal */
export function radialMapOf(kernel?: ResolvedKernel): RadialMap | undefined {
  if (kernel === undefined) return 'sqdist';
  return kernel.kind === 'laplace' ? 'laplace' : kernel.kind === 'gaussian' ? 'gaussian' : undefined;
}

/** Rows per block of the self-distance pass: the mirrored writes of a block touch 64 contiguous entries of each row above it. */
const SELF_BLOCK = 64;

/**
 * Squared distances of a set with itself, optionally mapped through a radial kernel in the same pass
 * (`kernel` given: the entries are k(d²) instead of d²). The lower triangle is computed and mirrored,
 * so the result is exactly symmetric; the diagonal is exactly 0 (k(0) with a kernel).
 * @internal
 */
export function selfSqDistances(x: Matrix, metric?: Metric, kernel?: ResolvedKernel, linalg?: LinalgRequest): Matrix {
  const xm = applyMetric(x, metric, linalg);
  const xn = rowQuadratic(x, xm);
  // X Xᵀ of a set with itself is symmetric: a rank-k update costs half a GEMM; with a radial map only its
  // lower triangle is read (and the mapped values mirrored below), so the product is not mirrored first
  const map = radialMapOf(kernel);
  const cross = metric === undefined ? syrk(x, { linalg, lowerOnly: map !== undefined }) : gemm(xm, x, { transB: true, linalg });
  const n = x.rows;
  const out = cross.data;
  if (map !== undefined) {
    // row blocks of the lower triangle (and the diagonal block whole) through the SIMD map, then mirrored
    const spec: RadialSpec = { map, bandwidth: kernel?.bandwidth };
    for (let i0 = 0; i0 < n; i0 += SELF_BLOCK) {
      const i1 = Math.min(n, i0 + SELF_BLOCK);
      const exact = (r: number, j: number): number => (i0 + r === j ? 0 : pairQuadratic(x, i0 + r, x, j, metric));
      radialFromGram(out.subarray(i0 * n), i1 - i0, i1, xn.subarray(i0, i1), xn.subarray(0, i1), spec, exact, n);
      for (let j = 0; j < i1; j++) for (let i = Math.max(i0, j + 1); i < i1; i++) out[j * n + i] = out[i * n + j];
    }
    return cross;
  }
  forEachLowerTileRow(n, (i, j0, j1) => {
    for (let j = j0; j < j1; j++) {
      let s = xn[i] + xn[j] - 2 * out[i * n + j];
      if (s < 1e-8 * (xn[i] + xn[j])) s = i === j ? 0 : pairQuadratic(x, i, x, j, metric);
      if (s < 0) s = 0;
      const v = radialValue(kernel as ResolvedKernel, s);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  });
  return cross;
}
