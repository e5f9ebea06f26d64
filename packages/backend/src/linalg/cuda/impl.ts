/**
 * The `cuda` {@link LinalgImpl}: each call uploads its operands, runs cuBLAS/cuSOLVER, and downloads
 * the result (host in, host out, like `native`). Row-major ↔ column-major by the same transpose trick as
 * the native path: a row-major r×c array read column-major is its c×r transpose.
 * Device memory of a call is freed before it returns, also when it throws.
 */
import { NumericalError } from '../../errors/errors.js';
import type { Matrix, Matrix32 } from '../../host/matrix.js';
import { transpose } from '../../host/matrix.js';
import { scale } from '../../host/vector.js';
import { mapSymmetric } from '../../host/symmetric.js';
import { singularPivotTolerance } from '../pivot.js';
import type { EighResult, GemmOptions, LinalgImpl, SvdResult } from '../types.js';
import type { CudaAddon } from './addon.js';
import { envFlag } from '../../runtime/env.js';

/** cublasMath_t values used. */
const MATH_DEFAULT = 0;
const MATH_TF32 = 3;

let tf32 = envFlag('NCLAB_CUDA_TF32');

/**
 * Lets float32 products on the `cuda` path use TF32 tensor cores (`cublasSetMathMode(CUBLAS_TF32_TENSOR_OP_MATH)`):
 * inputs rounded to a 10-bit mantissa, float32 accumulation; several times faster, relative error
 * about 1e-3 instead of 1e-6. Off by default (env `NCLAB_CUDA_TF32=1` turns it on at start).
 * Float64 products never use it.
 * @param on - true for TF32, false for IEEE float32.
 * @returns the previous setting.
 */
export function setCudaTf32(on: boolean): boolean {
  const prev = tf32;
  tf32 = on;
  return prev;
}

/** Whether float32 products on the `cuda` path use TF32 ({@link setCudaTf32}). */
export function cudaTf32(): boolean {
  return tf32;
}

type Host = Float64Array | Float32Array | Int32Array;

/** Runs `fn` with an allocator whose buffers are all freed afterwards. */
function scoped<T>(addon: CudaAddon, fn: (put: (host: Host) => bigint, alloc: (bytes: number) => bigint) => T): T {
  const held: bigint[] = [];
  const alloc = (bytes: number): bigint => {
    const p = addon.malloc(Math.max(bytes, 8));
    held.push(p);
    return p;
  };
  const put = (host: Host): bigint => {
    const p = alloc(host.byteLength);
    addon.upload(p, 0, host);
    return p;
  };
  try {
    return fn(put, alloc);
  } finally {
    for (const p of held) addon.free(p);
  }
}

/**
 * The `cuda` implementation over a loaded addon (or a fake one in tests).
 * @param addon - the addon after `initDriver` and `initLibraries` succeeded.
 * @param library - description for `getLinalgInfo`, e.g. `cuBLAS 12.4.2 + cuSOLVER 11.6.1 on NVIDIA H200`.
 */
export function makeCudaLinalg(addon: CudaAddon, library: string): LinalgImpl {
  const t = (data: Float64Array, rows: number, cols: number): Float64Array => transpose({ rows, cols, data }).data;

  function product<T extends Float64Array | Float32Array>(
    single: boolean,
    a: { rows: number; cols: number; data: T },
    b: { rows: number; cols: number; data: T },
    o: GemmOptions,
  ): { rows: number; cols: number; data: T } {
    const tA = o.transA ?? false;
    const tB = o.transB ?? false;
    const m = tA ? a.cols : a.rows;
    const k = tA ? a.rows : a.cols;
    const n = tB ? b.rows : b.cols;
    const c = (o.out as T | undefined) ?? ((single ? new Float32Array(m * n) : new Float64Array(m * n)) as T);
    const beta = o.beta ?? 0;
    if (m === 0 || n === 0 || k === 0) {
      if (beta === 0) c.fill(0);
      else if (beta !== 1) scale(beta, c);
      return { rows: m, cols: n, data: c };
    }
    scoped(addon, (put, alloc) => {
      const dA = put(a.data);
      const dB = put(b.data);
      const dC = beta === 0 ? alloc(c.byteLength) : put(c);
      if (single) addon.setMathMode(tf32 ? MATH_TF32 : MATH_DEFAULT);
      // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: B first, flags and sizes swapped.
      const call = single ? addon.sgemm : addon.dgemm;
      call.call(addon, tB ? 1 : 0, tA ? 1 : 0, n, m, k, o.alpha ?? 1, dB, Math.max(1, b.cols), dA, Math.max(1, a.cols), beta, dC, Math.max(1, n));
      addon.download(dC, 0, c);
    });
    return { rows: m, cols: n, data: c };
  }

  function rankK<T extends Float64Array | Float32Array>(single: boolean, a: { rows: number; cols: number; data: T }, o: { trans?: boolean; alpha?: number; lowerOnly?: boolean }): { rows: number; cols: number; data: T } {
    const trans = o.trans ?? false;
    // Column-major view of A is Aᵀ (a.cols × a.rows). A Aᵀ = viewᵀ view → 'T'; Aᵀ A = view viewᵀ → 'N'.
    const n = trans ? a.cols : a.rows;
    const k = trans ? a.rows : a.cols;
    const c = (single ? new Float32Array(n * n) : new Float64Array(n * n)) as T;
    if (n === 0 || k === 0) return { rows: n, cols: n, data: c };
    scoped(addon, (put, alloc) => {
      const dA = put(a.data);
      const dC = alloc(c.byteLength);
      if (single) addon.setMathMode(tf32 ? MATH_TF32 : MATH_DEFAULT);
      const call = single ? addon.ssyrk : addon.dsyrk;
      call.call(addon, 1, trans ? 0 : 1, n, k, o.alpha ?? 1, dA, Math.max(1, a.cols), 0, dC, Math.max(1, n));
      addon.download(dC, 0, c);
    });
    // 'U' in column-major = lower triangle in row-major; copy it up (the other triangle is unset).
    if (!o.lowerOnly) mapSymmetric(c, n);
    return { rows: n, cols: n, data: c };
  }

  const cholesky = (a: Matrix): Matrix => {
    const n = a.rows;
    const l = new Float64Array(a.data);
    if (n === 0) return { rows: 0, cols: 0, data: l };
    // Row-major lower = column-major upper: potrf('U') gives U with A = UᵀU, read row-major as L = Uᵀ.
    const info = scoped(addon, (put) => {
      const d = put(l);
      const inf = addon.dpotrf(1, n, d, n);
      if (inf === 0) addon.download(d, 0, l);
      return inf;
    });
    if (info !== 0) {
      throw new NumericalError('cholesky', info > 0 ? `the matrix is not positive definite (leading minor ${info} is not positive)` : `cusolverDnDpotrf argument ${-info} invalid`);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
    return { rows: n, cols: n, data: l };
  };

  const choleskySolve = (l: Matrix, b: Matrix): Matrix => {
    const n = l.rows;
    const r = b.cols;
    if (n === 0 || r === 0) return { rows: n, cols: r, data: new Float64Array(n * r) };
    const x = t(b.data, n, r); // column-major n×r
    const info = scoped(addon, (put) => {
      const dL = put(l.data);
      const dX = put(x);
      const inf = addon.dpotrs(1, n, r, dL, n, dX, n);
      if (inf === 0) addon.download(dX, 0, x);
      return inf;
    });
    if (info !== 0) throw new NumericalError('choleskySolve', `cusolverDnDpotrs returned ${info}`);
    return { rows: n, cols: r, data: t(x, r, n) };
  };

  // in place through a copy: the device factors a host copy either way (upload, potrf, download)
  const choleskyInPlace = (a: Matrix): void => {
    const n = a.rows;
    if (n === 0) return;
    const l = cholesky(a);
    for (let i = 0; i < n; i++) a.data.set(l.data.subarray(i * n, i * n + i + 1), i * n);
  };

  // Float32 twins through the float64 device routines (the cuda addon has no cusolverDnSpotrf yet): the
  // factor is computed in float64 and rounded to float32, at least as accurate as a float32 factorisation.
  const scholeskyInPlace = (a: Matrix32): void => {
    const n = a.rows;
    if (n === 0) return;
    const l = cholesky({ rows: n, cols: n, data: new Float64Array(a.data) });
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = l.data[i * n + j];
  };

  const scholeskySolve = (l: Matrix32, b: Matrix32): Matrix32 => {
    const n = l.rows;
    const lower = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lower[i * n + j] = l.data[i * n + j];
    const x = choleskySolve({ rows: n, cols: n, data: lower }, { rows: b.rows, cols: b.cols, data: new Float64Array(b.data) });
    return { rows: x.rows, cols: x.cols, data: new Float32Array(x.data) };
  };

  const solve = (a: Matrix, b: Matrix): Matrix => {
    const n = a.rows;
    const r = b.cols;
    if (n === 0 || r === 0) return { rows: n, cols: r, data: new Float64Array(n * r) };
    const x = t(b.data, n, r);
    const diag = new Float64Array(n);
    const tol = singularPivotTolerance(a);
    scoped(addon, (put, alloc) => {
      const dLU = put(t(a.data, n, n));
      const dX = put(x);
      const dPiv = alloc(4 * n);
      const dDiag = alloc(8 * n);
      const info = addon.dgetrf(n, dLU, n, dPiv);
      if (info < 0) throw new NumericalError('solve', `cusolverDnDgetrf argument ${-info} invalid`);
      addon.dcopy(n, dLU, n + 1, dDiag, 1);
      addon.download(dDiag, 0, diag);
      let worst = Infinity;
      let at = -1;
      for (let i = 0; i < n; i++) {
        const v = Math.abs(diag[i]);
        if (v < worst) { worst = v; at = i; }
      }
      if (info > 0 || !(worst > tol)) {
        throw new NumericalError('solve', `the matrix is singular to working precision (pivot ${info > 0 ? info - 1 : at} is ${info > 0 ? 0 : worst}, tolerance n·ε·max|a| = ${tol})`);
      }
      const sInfo = addon.dgetrs(n, r, dLU, n, dPiv, dX, n);
      if (sInfo !== 0) throw new NumericalError('solve', `cusolverDnDgetrs returned ${sInfo}`);
      addon.download(dX, 0, x);
    });
    return { rows: n, cols: r, data: t(x, r, n) };
  };

  const eigh = (a: Matrix): EighResult => {
    const n = a.rows;
    const z = new Float64Array(a.data);
    const w = new Float64Array(n);
    if (n === 0) return { values: w, vectors: { rows: 0, cols: 0, data: z } };
    const info = scoped(addon, (put, alloc) => {
      const dZ = put(z);
      const dW = alloc(8 * n);
      // Row-major lower = column-major upper.
      const inf = addon.dsyevd(1, n, dZ, n, dW);
      if (inf === 0) {
        addon.download(dZ, 0, z);
        addon.download(dW, 0, w);
      }
      return inf;
    });
    if (info !== 0) throw new NumericalError('eigh', `cusolverDnDsyevd returned ${info}${info > 0 ? ' (did not converge)' : ''}`);
    // z holds eigenvectors as column-major columns, i.e. row-major rows: transpose to columns.
    return { values: w, vectors: { rows: n, cols: n, data: t(z, n, n) } };
  };

  const svd = (a: Matrix): SvdResult => {
    const m = a.rows;
    const n = a.cols;
    const k = Math.min(m, n);
    const s = new Float64Array(k);
    if (k === 0) return { u: { rows: m, cols: 0, data: new Float64Array(0) }, s, vt: { rows: 0, cols: n, data: new Float64Array(0) } };
    // gesvd needs rows ≥ cols (column-major). The column-major view of A is Aᵀ (n×m): when n ≥ m,
    // factor it, Aᵀ = U' S V'ᵀ, so A = V' S U'ᵀ and the outputs read row-major are A's u and vt as they
    // are. Otherwise factor A itself (uploaded column-major, m×n) and transpose U and Vᵀ back.
    const wide = n >= m;
    const rowsCm = wide ? n : m;
    const colsCm = wide ? m : n;
    const u = new Float64Array(rowsCm * k); // column-major rowsCm×k
    const vt = new Float64Array(k * colsCm); // column-major k×colsCm
    const info = scoped(addon, (put, alloc) => {
      const dA = put(wide ? new Float64Array(a.data) : t(a.data, m, n));
      const dS = alloc(8 * k);
      const dU = alloc(8 * rowsCm * k);
      const dVt = alloc(8 * k * colsCm);
      const inf = addon.dgesvd(rowsCm, colsCm, dA, rowsCm, dS, dU, rowsCm, dVt, k);
      if (inf === 0) {
        addon.download(dS, 0, s);
        addon.download(dU, 0, u);
        addon.download(dVt, 0, vt);
      }
      return inf;
    });
    if (info !== 0) throw new NumericalError('svd', `cusolverDnDgesvd returned ${info}${info > 0 ? ' (did not converge)' : ''}`);
    if (wide) return { u: { rows: m, cols: k, data: vt }, s, vt: { rows: k, cols: n, data: u } };
    // A = U S Vᵀ with U column-major m×k and Vᵀ column-major k×n: transpose both to row-major.
    return { u: { rows: m, cols: k, data: t(u, k, m) }, s, vt: { rows: k, cols: n, data: t(vt, n, k) } };
  };

  return {
    path: 'cuda',
    library,
    gemm: (a: Matrix, b: Matrix, o: GemmOptions = {}): Matrix => product(false, a, b, o),
    sgemm: (a: Matrix32, b: Matrix32, o: GemmOptions = {}): Matrix32 => product(true, a, b, o),
    syrk: (a: Matrix, o: { trans?: boolean; alpha?: number; lowerOnly?: boolean } = {}): Matrix => rankK(false, a, o),
    ssyrk: (a: Matrix32, o: { trans?: boolean; alpha?: number } = {}): Matrix32 => rankK(true, a, o),
    cholesky,
    choleskyInPlace,
    choleskySolve,
    scholeskyInPlace,
    scholeskySolve,
    solve,
    eigh,
    svd,
    singularValues: (a: Matrix): Float64Array => svd(a).s,
  };
}
