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
import { InvalidArgumentError, gemm, mapSymmetric, syrk, type Matrix } from '@nclab/backend';

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
export function applyMetric(x: Matrix, metric?: Metric): Matrix {
  if (metric === undefined) return x;
  if (metric instanceof Float64Array) {
    const out = new Float64Array(x.data.length);
    const d = x.cols;
    for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) out[i * d + k] = x.data[i * d + k] * metric[k];
    return { rows: x.rows, cols: d, data: out };
  }
  return gemm(x, metric);
}

/** x_iᵀ M x_i for every row, given XM. */
function rowQuadratic(x: Matrix, xm: Matrix): Float64Array {
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
 * @returns `[n, m]` matrix of squared distances, every entry ≥ 0.
 * @example
 * sqDistances(fromRows([[0, 0], [3, 4]])); // returns [[0, 25], [25, 0]]
 */
export function sqDistances(x: Matrix, z?: Matrix, metric?: Metric): Matrix {
  const same = z === undefined || z === x;
  const zz = same ? x : z;
  const xm = applyMetric(x, metric);
  const zm = same ? xm : applyMetric(zz, metric);
  const xn = rowQuadratic(x, xm);
  const zn = same ? xn : rowQuadratic(zz, zm);
  // X Xᵀ of a set with itself is symmetric: a rank-k update costs half a GEMM
  const cross = same && metric === undefined ? syrk(x) : gemm(xm, zz, { transB: true });
  const n = x.rows;
  const m = zz.rows;
  const out = cross.data;
  // squared distance of pair (i, j) from its cross product
  const fix = (xz: number, i: number, j: number): number => {
    let s = xn[i] + zn[j] - 2 * xz;
    if (s < 1e-8 * (xn[i] + zn[j])) s = same && i === j ? 0 : pairQuadratic(x, i, zz, j, metric);
    return s < 0 ? 0 : s;
  };
  if (same) {
    // symmetric: compute the lower triangle and mirror it (exactly symmetric, half the work)
    mapSymmetric(out, n, fix);
    return cross;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = fix(out[i * m + j], i, j);
  return cross;
}
