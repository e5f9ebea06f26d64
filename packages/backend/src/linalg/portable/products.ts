import type { Matrix, Matrix32 } from '../../host/matrix.js';
import type { GemmOptions } from '../types.js';
import { mapSymmetric } from '../../host/symmetric.js';
import { gemmAccumulate, gemmAccumulate32 } from './gemm-kernel.js';

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

/** C = alpha · op(A) · op(B) for float32 inputs, in float32 arithmetic (as BLAS `sgemm`). */
export function sgemmPortable(a: Matrix32, b: Matrix32, options: GemmOptions = {}): Matrix32 {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const c = new Float32Array(m * n);
  gemmAccumulate32(
    m, n, k, options.alpha ?? 1,
    { data: a.data, off: 0, ld: a.cols, trans: transA },
    { data: b.data, off: 0, ld: b.cols, trans: transB },
    c, 0, n,
  );
  return { rows: m, cols: n, data: c };
}

/** Float32 symmetric rank-k product (float32 arithmetic): lower blocks computed, then mirrored. */
export function ssyrkPortable(a: Matrix32, options: { trans?: boolean; alpha?: number } = {}): Matrix32 {
  const trans = options.trans ?? false;
  const n = trans ? a.cols : a.rows;
  const k = trans ? a.rows : a.cols;
  const c = new Float32Array(n * n);
  gemmAccumulate32(
    n, n, k, options.alpha ?? 1,
    { data: a.data, off: 0, ld: a.cols, trans },
    { data: a.data, off: 0, ld: a.cols, trans: !trans },
    c, 0, n, true,
  );
  mapSymmetric(c, n);
  return { rows: n, cols: n, data: c };
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
  mapSymmetric(c, n);
  return { rows: n, cols: n, data: c };
}
