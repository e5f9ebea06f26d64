import { NumericalError } from '../../errors/errors.js';
import type { Matrix, Matrix32 } from '../../host/matrix.js';
import { scale } from '../../host/vector.js';
import { singularPivotTolerance } from '../pivot.js';
import { mapSymmetric } from '../../host/symmetric.js';
import { transpose } from '../../host/matrix.js';
import type { EighResult, GemmOptions, LinalgImpl, SvdResult } from '../types.js';
import { InvalidArgumentError } from '../../errors/errors.js';
import type { BlasAddon } from './addon.js';
import { loadBlas, type NativeLoader, type NativeLoaderRequest, requestedLoader } from './select.js';
import { allocFloat32, allocFloat64 } from '../../runtime/huge-pages.js';

/*
 * Row-major ↔ column-major by the transpose trick: a row-major r×c array read column-major is
 * its c×r transpose, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ without copies.
 */

/**
 * Below these sizes a product runs on one OpenBLAS thread (when the library lets us set it): waking a
 * second thread costs more than it saves, and a woken OpenBLAS thread spins for a while after the call,
 * slowing the JavaScript that follows on the machine's other core. Measured on the 2-core machine
 * (OpenBLAS 0.3.21, unpinned, µs, default 2 threads vs 1): sgemm 128×256×10 34 vs 13; 128×256×64
 * (2.1M multiply-adds) 37 vs 34; dgemm at 2.1M 72 vs 61, at 4.2M 92 vs 111; a 1000×100 transposed
 * dgemv 15.5 vs 11.6; dgemv 250×1000 17.9 vs 28.8 and 1000×1000 73 vs 109 in a loop of products. In a
 * solver loop the spinning decides: UFM gradient descent (10,000 steps, one 2×76,928 gemv each
 * beside 640k-multiply-add gemms) ran 850–900 ms per 3,000 steps with that gemv on two threads and
 * 650 ms on one. So: gemm under 3M multiply-adds (m·n·k), gemv under 1M (the matrix's size).
 */
export const SINGLE_THREAD_BELOW = { gemm: 3_000_000, gemv: 1_000_000 } as const;

/**
 * Eigendecompositions (`dsyevd`) of order up to this, and singular values (`dgesdd`, jobz = 'N') of
 * matrices whose smaller side is up to this, run on one OpenBLAS thread. Their Householder reductions
 * are sequences of matrix-vector products, where a second thread costs more than it brings. Measured on
 * the 2-core machine (OpenBLAS 0.3.21 unpinned, SciPy `eigh(driver='evd')` with OPENBLAS_NUM_THREADS=1
 * against 2, median ms): n = 256: 3.1 vs 12.3; 512: 19.0 vs 23.9; 784: 43.2 vs 51.3; 1024: 118.6 vs
 * 119.5; 1536: 407 vs 341. Singular values of 256×784: 13.4 vs 24.7; 1024×1024: 203 vs 211.
 */
export const SINGLE_THREAD_DECOMPOSITION_MAX = 1024;

/**
 * The `native` implementation over a loaded {@link BlasAddon} (the compiled addon, the FFI loader, or
 * a wrapper of one in tests).
 * @param library - the library's description (`getLinalgInfo().library`).
 */
export function makeNative(addon: BlasAddon, library: string): LinalgImpl {
  // the thread count the library chose (OPENBLAS_NUM_THREADS or its cores), restored after each small call
  const threads = addon.threads && addon.setThreads ? addon.threads() : 1;
  const small = threads > 1 ? addon.setThreads!.bind(addon) : null;
  /** `fn` on one OpenBLAS thread when `one` (and the library lets us set it), the library's count after. */
  function threaded<R>(one: boolean, fn: () => R): R {
    if (!one || small === null) return fn();
    small(1);
    try {
      return fn();
    } finally {
      small(threads);
    }
  }
  /** Row-major rows×cols data transposed (the tiled host transpose). */
  const transposeData = (data: Float64Array, rows: number, cols: number): Float64Array => transpose({ rows, cols, data }).data;
  // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: pass B first, flags and sizes swapped.
  //
  // A product with one output column (or row) is a matrix-vector product: it goes to `gemv`, which reads
  // the matrix once, where OpenBLAS before 0.3.27 runs `gemm` with packing (a 1000×1000 operator applied
  // to one vector: 113 µs through dgemm, 77 µs through dgemv unpinned; 3× apart under
  // OPENBLAS_CORETYPE=Haswell; Lanczos and CG apply one every step). With C = op(A)·x (n = 1)
  // the row-major A read column-major is Aᵀ, so gemv transposes it back unless op(A) = Aᵀ; a single
  // output row, cᵀ = op(B)ᵀ·aᵀ, is the same with B in A's place.
  //
  // A matrix times its own transpose (the same operand, one side transposed, beta = 0) goes to `syrk`
  // when the routine is given (float32: `ssyrk`): half the multiply-adds, the lower triangle mirrored.
  // Float64 products keep `dgemm`, whose rounding existing float64 results were measured with.
  function product<T extends Float64Array | Float32Array>(
    call: BlasAddon['dgemm'] | BlasAddon['sgemm'],
    gemv: BlasAddon['dgemv'] | BlasAddon['sgemv'],
    rankK: BlasAddon['ssyrk'] | null,
    make: (n: number) => T,
    a: { rows: number; cols: number; data: T },
    b: { rows: number; cols: number; data: T },
    o: GemmOptions,
  ): { rows: number; cols: number; data: T } {
    const tA = o.transA ?? false;
    const tB = o.transB ?? false;
    const m = tA ? a.cols : a.rows;
    const k = tA ? a.rows : a.cols;
    const n = tB ? b.rows : b.cols;
    const c = (o.out as T | undefined) ?? make(m * n);
    const beta = o.beta ?? 0;
    if (m === 0 || n === 0 || k === 0) {
      if (beta === 0) c.fill(0);
      else if (beta !== 1) scale(beta, c);
      return { rows: m, cols: n, data: c };
    }
    const v = gemv as (...args: unknown[]) => void;
    // beta = 0 must not meet a NaN left in the caller's buffer (older OpenBLAS gemv scales y by beta)
    if ((n === 1 || m === 1) && o.out && beta === 0) c.fill(0);
    const one = small !== null && m * n * k < (n === 1 || m === 1 ? SINGLE_THREAD_BELOW.gemv : SINGLE_THREAD_BELOW.gemm);
    if (one) small(1);
    try {
      if (n === 1) {
        if (tA) v(0, m, k, o.alpha ?? 1, a.data, Math.max(1, a.cols), b.data, beta, c);
        else v(1, k, m, o.alpha ?? 1, a.data, Math.max(1, a.cols), b.data, beta, c);
      } else if (m === 1) {
        if (tB) v(1, k, n, o.alpha ?? 1, b.data, Math.max(1, b.cols), a.data, beta, c);
        else v(0, n, k, o.alpha ?? 1, b.data, Math.max(1, b.cols), a.data, beta, c);
      } else if (rankK && beta === 0 && tA !== tB && a.data === b.data && a.rows === b.rows && a.cols === b.cols) {
        // row-major AᵀA (tA) is column-major view·viewᵀ ('N'); A Aᵀ is viewᵀ·view ('T'); 'U' = row-major lower
        (rankK as (...args: unknown[]) => void)(1, tA ? 0 : 1, m, k, o.alpha ?? 1, a.data, Math.max(1, a.cols), 0, c, Math.max(1, m));
        mapSymmetric(c, m);
      } else {
        (call as (...args: unknown[]) => void)(tB ? 1 : 0, tA ? 1 : 0, n, m, k, o.alpha ?? 1, b.data, Math.max(1, b.cols), a.data, Math.max(1, a.cols), beta, c, Math.max(1, n));
      }
    } finally {
      if (one) small(threads);
    }
    return { rows: m, cols: n, data: c };
  }
  const ssyrkCall = addon.ssyrk?.bind(addon) ?? null;
  const gemm = (a: Matrix, b: Matrix, o: GemmOptions = {}): Matrix => product(addon.dgemm, addon.dgemv, null, allocFloat64, a, b, o);
  const sgemm = (a: Matrix32, b: Matrix32, o: GemmOptions = {}): Matrix32 => product(addon.sgemm, addon.sgemv, ssyrkCall, allocFloat32, a, b, o);
  // Through sgemm's symmetric route (`ssyrk`); an addon without ssyrk gives the full sgemm product,
  // made exactly symmetric from its lower triangle.
  const ssyrk = (a: Matrix32, o: { trans?: boolean; alpha?: number } = {}): Matrix32 => {
    const trans = o.trans ?? false;
    const c = sgemm(a, a, { transA: trans, transB: !trans, alpha: o.alpha });
    if (!ssyrkCall) mapSymmetric(c.data, c.rows);
    return c;
  };
  const syrk = (a: Matrix, o: { trans?: boolean; alpha?: number; lowerOnly?: boolean } = {}): Matrix => {
    const trans = o.trans ?? false;
    // Column-major view of A is Aᵀ (a.cols × a.rows). A Aᵀ = viewᵀ view → trans 'T'; Aᵀ A = view viewᵀ → 'N'.
    const n = trans ? a.cols : a.rows;
    const k = trans ? a.rows : a.cols;
    if (n === 0 || k === 0) return { rows: n, cols: n, data: new Float64Array(n * n) };
    const c = allocFloat64(n * n);
    addon.dsyrk(1, trans ? 0 : 1, n, k, o.alpha ?? 1, a.data, Math.max(1, a.cols), 0, c, Math.max(1, n));
    // 'U' in column-major = lower triangle in row-major; copy it up (unless only the lower triangle is asked for).
    if (!o.lowerOnly) mapSymmetric(c, n);
    return { rows: n, cols: n, data: c };
  };
  const cholesky = (a: Matrix): Matrix => {
    const n = a.rows;
    const l = copyFloat64(a.data);
    if (n === 0) return { rows: 0, cols: 0, data: l };
    // Row-major lower triangle = column-major upper: dpotrf('U') gives U with A = UᵀU, read row-major as L = Uᵀ.
    const info = addon.dpotrf(1, n, l, n);
    if (info !== 0) {
      throw new NumericalError('cholesky', info > 0 ? `the matrix is not positive definite (leading minor ${info} is not positive)` : `dpotrf argument ${-info} invalid`);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
    return { rows: n, cols: n, data: l };
  };
  const choleskyInPlace = (a: Matrix): void => {
    const n = a.rows;
    if (n === 0) return;
    // row-major lower = column-major upper; dpotrf('U') touches no entry of the other triangle
    const info = addon.dpotrf(1, n, a.data, n);
    if (info !== 0) {
      throw new NumericalError('choleskyInPlace', info > 0 ? `the matrix is not positive definite (leading minor ${info} is not positive)` : `dpotrf argument ${-info} invalid`);
    }
  };
  const choleskySolve = (l: Matrix, b: Matrix): Matrix => {
    const n = l.rows;
    const r = b.cols;
    if (n === 0 || r === 0) return { rows: n, cols: r, data: new Float64Array(n * r) };
    const x = transposeData(b.data, n, r); // column-major n×r
    const info = addon.dpotrs(1, n, r, l.data, n, x, n);
    if (info !== 0) throw new NumericalError('choleskySolve', `dpotrs returned ${info}`);
    return { rows: n, cols: r, data: transposeData(x, r, n) };
  };
  const scholeskyInPlace = (a: Matrix32): void => {
    const n = a.rows;
    if (n === 0) return;
    // row-major lower = column-major upper; spotrf('U') touches no entry of the other triangle
    const info = addon.spotrf(1, n, a.data, n);
    if (info !== 0) {
      throw new NumericalError('scholeskyInPlace', info > 0 ? `the matrix is not positive definite in float32 (leading minor ${info} is not positive)` : `spotrf argument ${-info} invalid`);
    }
  };
  const scholeskySolve = (l: Matrix32, b: Matrix32): Matrix32 => {
    const n = l.rows;
    const r = b.cols;
    const x = allocFloat32(n * r); // column-major n×r
    if (n === 0 || r === 0) return { rows: n, cols: r, data: x };
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) x[c * n + i] = b.data[i * r + c];
    const info = addon.spotrs(1, n, r, l.data, n, x, n);
    if (info !== 0) throw new NumericalError('scholeskySolve', `spotrs returned ${info}`);
    const out = allocFloat32(n * r);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) out[i * r + c] = x[c * n + i];
    return { rows: n, cols: r, data: out };
  };
  const solve = (a: Matrix, b: Matrix): Matrix => {
    const n = a.rows;
    const r = b.cols;
    if (n === 0 || r === 0) return { rows: n, cols: r, data: new Float64Array(n * r) };
    const lu = transposeData(a.data, n, n);
    const x = transposeData(b.data, n, r);
    const ipiv = new Int32Array(n);
    const info = addon.dgesv(n, r, lu, n, ipiv, x, n);
    const tol = singularPivotTolerance(a);
    let worst = Infinity;
    let at = -1;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(lu[i * n + i]);
      if (v < worst) { worst = v; at = i; }
    }
    if (info > 0 || !(worst > tol)) {
      throw new NumericalError('solve', `the matrix is singular to working precision (pivot ${info > 0 ? info - 1 : at} is ${info > 0 ? 0 : worst}, tolerance n·ε·max|a| = ${tol})`);
    }
    if (info < 0) throw new NumericalError('solve', `dgesv argument ${-info} invalid`);
    return { rows: n, cols: r, data: transposeData(x, r, n) };
  };
  const eigh = (a: Matrix): EighResult => {
    const n = a.rows;
    const z = copyFloat64(a.data);
    const w = new Float64Array(n);
    if (n === 0) return { values: w, vectors: { rows: 0, cols: 0, data: z } };
    // Row-major lower = column-major upper.
    const info = threaded(n <= SINGLE_THREAD_DECOMPOSITION_MAX, () => addon.dsyevd(1, n, z, n, w));
    if (info !== 0) throw new NumericalError('eigh', `dsyevd returned ${info}${info > 0 ? ' (did not converge)' : ''}`);
    // z holds eigenvectors as column-major columns, i.e. row-major rows: transpose to columns.
    return { values: w, vectors: { rows: n, cols: n, data: transposeData(z, n, n) } };
  };
  const svd = (a: Matrix): SvdResult => {
    const m = a.rows;
    const n = a.cols;
    const k = Math.min(m, n);
    const s = new Float64Array(k);
    // Column-major view is Aᵀ (n×m) = U' S V'ᵀ; then A = V' S U'ᵀ.
    const vtPrime = allocFloat64(k * m); // k×m column-major → row-major m×k = u of A
    const uPrime = allocFloat64(n * k); // n×k column-major → row-major k×n = vt of A
    if (k > 0) {
      const work = copyFloat64(a.data);
      const info = addon.dgesdd(n, m, work, Math.max(1, n), s, uPrime, Math.max(1, n), vtPrime, Math.max(1, k));
      if (info !== 0) throw new NumericalError('svd', `dgesdd returned ${info}${info > 0 ? ' (did not converge)' : ''}`);
    }
    return { u: { rows: m, cols: k, data: vtPrime }, s, vt: { rows: k, cols: n, data: uPrime } };
  };
  const singularValues = (a: Matrix): Float64Array => {
    const k = Math.min(a.rows, a.cols);
    const s = new Float64Array(k);
    if (k === 0) return s;
    if (!addon.dgesddValues) return svd(a).s;
    // the column-major view is Aᵀ, which has the same singular values
    const work = copyFloat64(a.data);
    const info = threaded(k <= SINGLE_THREAD_DECOMPOSITION_MAX, () => addon.dgesddValues!(a.cols, a.rows, work, Math.max(1, a.cols), s));
    if (info !== 0) throw new NumericalError('singularValues', `dgesdd returned ${info}${info > 0 ? ' (did not converge)' : ''}`);
    return s;
  };
  // OpenBLAS kernels multiply every entry (no zero-skipping, unlike some reference BLAS builds)
  const propagatesNonFinite = library.includes('OpenBLAS');
  return { path: 'native', library, propagatesNonFinite, gemm, sgemm, syrk, ssyrk, cholesky, choleskyInPlace, choleskySolve, scholeskyInPlace, scholeskySolve, solve, eigh, svd, singularValues };
}

/** A loaded native implementation and the loader behind it, or the reason there is none. */
export interface NativeLoad {
  impl?: LinalgImpl;
  /** The loader that bound the library (`ffi` or `addon`), when one did. */
  loader?: NativeLoader;
  /** Which loader and library were found and why the others were not. */
  reason: string;
}

const cached = new Map<NativeLoaderRequest, NativeLoad>();

/**
 * Loads the native implementation once per loader request; returns it, or the reason it is unavailable.
 * @param request - the loader (`ffi`, `addon`, `auto`); default: `NCLAB_NATIVE_LOADER`, else `auto`
 *   (the FFI loader, else the compiled addon; see `select.ts`).
 * @throws {InvalidArgumentError} naming `NCLAB_NATIVE_LOADER` when the default comes from an invalid value.
 */
export function loadNative(request?: NativeLoaderRequest): NativeLoad {
  const key = request ?? requestedLoader();
  const hit = cached.get(key);
  if (hit) return hit;
  const r = loadBlas(key);
  const out: NativeLoad = r.addon && r.library ? { impl: makeNative(r.addon, r.library), loader: r.loader, reason: r.reason } : { reason: r.reason };
  cached.set(key, out);
  return out;
}

/**
 * The native implementation bound by one loader, e.g. to compare the two or to force one.
 * @param loader - `ffi` (koffi) or `addon` (the compiled C addon).
 * @returns the implementation (`path: 'native'`).
 * @throws {InvalidArgumentError} (argument `loader`) when that loader cannot load here; the detail says why.
 * @example
 * nativeLinalgWith('ffi').gemm(a, b); // OpenBLAS through koffi, whatever NCLAB_NATIVE_LOADER says
 */
export function nativeLinalgWith(loader: NativeLoader): LinalgImpl {
  if (loader !== 'ffi' && loader !== 'addon') throw new InvalidArgumentError('loader', "one of 'ffi', 'addon'", loader);
  const r = loadNative(loader);
  if (!r.impl) throw new InvalidArgumentError('loader', 'a native loader available here', loader, r.reason);
  return r.impl;
}

/** A copy of `data` in a new array (advised onto huge pages when large, see `allocFloat64`). */
function copyFloat64(data: Float64Array): Float64Array {
  const out = allocFloat64(data.length);
  out.set(data);
  return out;
}
