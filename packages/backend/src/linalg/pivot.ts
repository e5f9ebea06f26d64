import type { Matrix } from '../host/matrix.js';

/**
 * Pivot threshold of the "numerically singular" rule shared by both paths (native and portable LU):
 * |u_kk| ≤ n · ε · max|a_ij| (LAPACK itself stops only at an exact zero pivot).
 * @param a - the `[n, n]` matrix being factored.
 * @returns n · 2⁻⁵² · max|a_ij|.
 */
export function singularPivotTolerance(a: Matrix): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const v = Math.abs(a.data[i]);
    if (v > max) max = v;
  }
  return a.rows * 2 ** -52 * max;
}
