import { NumericalError } from '../../errors/errors.js';
import type { Matrix } from '../../host/matrix.js';

/**
 * Pivot threshold of the "numerically singular" rule shared by both paths:
 * |u_kk| ≤ n · ε · max|a_ij| (LAPACK itself stops only at an exact zero pivot).
 */
export function singularPivotTolerance(a: Matrix): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const v = Math.abs(a.data[i]);
    if (v > max) max = v;
  }
  return a.rows * 2 ** -52 * max;
}

/** Solves A X = B by LU with partial pivoting (row operations on contiguous rows). */
export function solvePortable(a: Matrix, b: Matrix): Matrix {
  const n = a.rows;
  const r = b.cols;
  const A = Float64Array.from(a.data);
  const X = Float64Array.from(b.data);
  const tol = singularPivotTolerance(a);
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (!(best > tol)) {
      throw new NumericalError('solve', `the matrix is singular to working precision (pivot ${k} is ${best}, tolerance n·ε·max|a| = ${tol})`);
    }
    if (piv !== k) {
      for (let c = 0; c < n; c++) {
        const t = A[k * n + c]; A[k * n + c] = A[piv * n + c]; A[piv * n + c] = t;
      }
      for (let c = 0; c < r; c++) {
        const t = X[k * r + c]; X[k * r + c] = X[piv * r + c]; X[piv * r + c] = t;
      }
    }
    const pk = A[k * n + k];
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const f = A[ri + k] / pk;
      if (f === 0) continue;
      A[ri + k] = f;
      for (let c = k + 1; c < n; c++) A[ri + c] -= f * A[rk + c];
      for (let c = 0; c < r; c++) X[i * r + c] -= f * X[k * r + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * r;
    const inv = 1 / A[i * n + i];
    for (let c = 0; c < r; c++) X[xi + c] *= inv;
    for (let p = 0; p < i; p++) {
      const f = A[p * n + i];
      if (f === 0) continue;
      for (let c = 0; c < r; c++) X[p * r + c] -= f * X[xi + c];
    }
  }
  return { rows: n, cols: r, data: X };
}
