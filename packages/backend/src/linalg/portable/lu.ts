import { NumericalError } from '../../errors/errors.js';
import type { Matrix } from '../../host/matrix.js';
import { singularPivotTolerance } from '../pivot.js';
import { gemmAccumulate } from './gemm-kernel.js';

const NB = 64;

/**
 * Solves A X = B by blocked right-looking LU with partial pivoting (LAPACK `dgetrf` order): an
 * unblocked panel of NB columns, a unit-lower triangular solve for the block row of U, and a
 * trailing update A22 −= L21·U12 with the packed GEMM kernel. Row swaps act on whole rows of A
 * and B, so B ends up permuted as P·B and is then solved with L and U.
 * @throws {NumericalError} when a pivot is ≤ n·ε·max|a_ij|.
 */
export function solvePortable(a: Matrix, b: Matrix): Matrix {
  const n = a.rows;
  const r = b.cols;
  const A = new Float64Array(a.data);
  const X = new Float64Array(b.data);
  const tol = singularPivotTolerance(a);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    for (let k = k0; k < k1; k++) {
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
      const inv = 1 / A[k * n + k];
      const rk = k * n;
      for (let i = k + 1; i < n; i++) {
        const ri = i * n;
        const f = A[ri + k] * inv;
        A[ri + k] = f;
        if (f === 0) continue;
        for (let c = k + 1; c < k1; c++) A[ri + c] -= f * A[rk + c];
      }
    }
    if (k1 < n) {
      // U12 = L11⁻¹ A12 (unit lower), rows k0..k1-1, columns k1..n-1.
      for (let i = k0 + 1; i < k1; i++) {
        const ri = i * n;
        for (let p = k0; p < i; p++) {
          const f = A[ri + p];
          if (f === 0) continue;
          const rp = p * n;
          for (let c = k1; c < n; c++) A[ri + c] -= f * A[rp + c];
        }
      }
      gemmAccumulate(
        n - k1, n - k1, k1 - k0, -1,
        { data: A, off: k1 * n + k0, ld: n, trans: false },
        { data: A, off: k0 * n + k1, ld: n, trans: false },
        A, k1 * n + k1, n,
      );
    }
  }
  // L Y = P B (unit lower), then U X = Y.
  for (let i = 1; i < n; i++) {
    const xi = i * r;
    for (let p = 0; p < i; p++) {
      const f = A[i * n + p];
      if (f === 0) continue;
      const xp = p * r;
      for (let c = 0; c < r; c++) X[xi + c] -= f * X[xp + c];
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
