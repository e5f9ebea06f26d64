import type { Matrix, Matrix32 } from '../../host/matrix.js';
import type { GemmOptions } from '../types.js';
import { gemmAccumulate } from './gemm-kernel.js';

/** C = alpha · op(A) · op(B) in float64 (shapes already validated by the dispatcher). */
export function gemmPortable(a: Matrix, b: Matrix, options: GemmOptions = {}): Matrix {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const c = new Float64Array(m * n);
  gemmAccumulate(
    m, n, k, alpha,
    { data: a.data, off: 0, ld: a.cols, trans: transA },
    { data: b.data, off: 0, ld: b.cols, trans: transB },
    c, 0, n,
  );
  return { rows: m, cols: n, data: c };
}

/** C = alpha · op(A) · op(B) for float32 inputs: accumulated in float64, rounded once to float32. */
export function sgemmPortable(a: Matrix32, b: Matrix32, options: GemmOptions = {}): Matrix32 {
  const c = gemmPortable(
    { rows: a.rows, cols: a.cols, data: Float64Array.from(a.data) },
    { rows: b.rows, cols: b.cols, data: Float64Array.from(b.data) },
    options,
  );
  return { rows: c.rows, cols: c.cols, data: Float32Array.from(c.data) };
}

/** Symmetric rank-k product: trans false → alpha·A Aᵀ, true → alpha·Aᵀ A; lower blocks computed, then mirrored. */
export function syrkPortable(a: Matrix, options: { trans?: boolean; alpha?: number } = {}): Matrix {
  const trans = options.trans ?? false;
  const alpha = options.alpha ?? 1;
  const n = trans ? a.cols : a.rows;
  const k = trans ? a.rows : a.cols;
  const c = new Float64Array(n * n);
  gemmAccumulate(
    n, n, k, alpha,
    { data: a.data, off: 0, ld: a.cols, trans },
    { data: a.data, off: 0, ld: a.cols, trans: !trans },
    c, 0, n, true,
  );
  mirrorLower(c, n);
  return { rows: n, cols: n, data: c };
}

/**
 * Copies one strict triangle of the row-major n×n `c` onto the other: lower → upper by default,
 * upper → lower with `fromUpper`. Tiles of 64×64 keep the transposed accesses in cache.
 */
export function mirrorLower(c: Float64Array, n: number, fromUpper = false): void {
  const B = 64;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) {
        const je = Math.min(j1, i);
        if (fromUpper) for (let j = j0; j < je; j++) c[i * n + j] = c[j * n + i];
        else for (let j = j0; j < je; j++) c[j * n + i] = c[i * n + j];
      }
    }
  }
}
