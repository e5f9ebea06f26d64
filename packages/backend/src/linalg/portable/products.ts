import type { Matrix, Matrix32 } from '../../host/matrix.js';
import type { GemmOptions } from '../types.js';
import { mapSymmetric } from '../../host/symmetric.js';
import { scale } from '../../host/vector.js';
import { gemmAccumulate } from './gemm-kernel.js';
import { poolArray } from './gemm-pool.js';

/** C = alpha · op(A) · op(B) + beta · C in the arithmetic of the operands (float64, or float32 as BLAS `sgemm`). */
function product<T extends Float64Array | Float32Array>(
  a: { rows: number; cols: number; data: T },
  b: { rows: number; cols: number; data: T },
  options: GemmOptions,
  make: (length: number) => T,
): { rows: number; cols: number; data: T } {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const beta = options.beta ?? 0;
  let c: T;
  if (!options.out) c = make(m * n);
  else {
    c = options.out as T;
    // C ← beta·C first (rounded to the element type), then the kernel adds alpha·op(A)·op(B), as BLAS
    if (beta === 0) c.fill(0);
    else if (beta !== 1) scale(beta, c);
  }
  gemmAccumulate(
    m, n, k, options.alpha ?? 1,
    { data: a.data, off: 0, ld: a.cols, trans: transA },
    { data: b.data, off: 0, ld: b.cols, trans: transB },
    c, 0, n,
  );
  return { rows: m, cols: n, data: c };
}

/** Symmetric rank-k product: trans false → alpha·A Aᵀ, true → alpha·Aᵀ A; lower blocks computed, then mirrored unless `lowerOnly`. */
function rankK<T extends Float64Array | Float32Array>(
  a: { rows: number; cols: number; data: T },
  options: { trans?: boolean; alpha?: number; lowerOnly?: boolean },
  make: (length: number) => T,
): { rows: number; cols: number; data: T } {
  const trans = options.trans ?? false;
  const n = trans ? a.cols : a.rows;
  const k = trans ? a.rows : a.cols;
  const c = make(n * n);
  gemmAccumulate(
    n, n, k, options.alpha ?? 1,
    { data: a.data, off: 0, ld: a.cols, trans },
    { data: a.data, off: 0, ld: a.cols, trans: !trans },
    c, 0, n, true,
  );
  if (!options.lowerOnly) mapSymmetric(c, n);
  return { rows: n, cols: n, data: c };
}

// large outputs in shared memory, so that the threaded products they feed use them in place
const f64 = (length: number): Float64Array => poolArray(Float64Array, length);
const f32 = (length: number): Float32Array => poolArray(Float32Array, length);

/** C = alpha · op(A) · op(B) in float64 (shapes already validated by the dispatcher). */
export const gemmPortable = (a: Matrix, b: Matrix, options: GemmOptions = {}): Matrix => product(a, b, options, f64);

/** C = alpha · op(A) · op(B) for float32 inputs, in float32 arithmetic (as BLAS `sgemm`). */
export const sgemmPortable = (a: Matrix32, b: Matrix32, options: GemmOptions = {}): Matrix32 => product(a, b, options, f32);

/** Float64 symmetric rank-k product (full, exactly symmetric output). */
export const syrkPortable = (a: Matrix, options: { trans?: boolean; alpha?: number; lowerOnly?: boolean } = {}): Matrix => rankK(a, options, f64);

/** Float32 symmetric rank-k product in float32 arithmetic (full, exactly symmetric output). */
export const ssyrkPortable = (a: Matrix32, options: { trans?: boolean; alpha?: number } = {}): Matrix32 => rankK(a, options, f32);
