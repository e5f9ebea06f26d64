/**
 * The FFI loader of the native path: the same Fortran BLAS/LAPACK symbols as the C addon
 * (`native/nclab_blas.c`), bound at run time through koffi (an optional dependency that ships
 * prebuilt binaries for every platform, so no compiler and no install script are needed), behind
 * exactly the {@link BlasAddon} object the rest of the native path uses.
 *
 * Typed arrays are passed to the pointer parameters as they are (koffi hands the routine a pointer
 * to their contents: no copy); the scalar arguments Fortran takes by reference live in cells
 * allocated once per loaded library, so a call allocates nothing but the LAPACK workspaces the addon
 * also allocates. koffi does not check a typed array's element type against the C type, so every
 * wrapper does (a TypeError, as the addon's).
 */
import { readEnv } from '../../runtime/env.js';
import { nodeRequire, nodeVersion } from '../../runtime/node.js';
import type { BlasAddon } from './addon.js';

/** The part of koffi's API used here. */
interface KoffiLib {
  func(prototype: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  version?: string;
  load(path: string, options?: { global?: boolean }): KoffiLib;
  config(settings?: Record<string, number>): Record<string, number>;
}

/** Fortran prototypes (32-bit integers, hidden character lengths omitted as in the addon), by symbol. */
const PROTOTYPES = {
  dgemm_: 'void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha, const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c, const int *ldc)',
  sgemm_: 'void sgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const float *alpha, const float *a, const int *lda, const float *b, const int *ldb, const float *beta, float *c, const int *ldc)',
  dgemv_: 'void dgemv_(const char *t, const int *m, const int *n, const double *alpha, const double *a, const int *lda, const double *x, const int *incx, const double *beta, double *y, const int *incy)',
  sgemv_: 'void sgemv_(const char *t, const int *m, const int *n, const float *alpha, const float *a, const int *lda, const float *x, const int *incx, const float *beta, float *y, const int *incy)',
  dsyrk_: 'void dsyrk_(const char *uplo, const char *tr, const int *n, const int *k, const double *alpha, const double *a, const int *lda, const double *beta, double *c, const int *ldc)',
  ssyrk_: 'void ssyrk_(const char *uplo, const char *tr, const int *n, const int *k, const float *alpha, const float *a, const int *lda, const float *beta, float *c, const int *ldc)',
  dpotrf_: 'void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info)',
  dpotrs_: 'void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b, const int *ldb, int *info)',
  spotrf_: 'void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info)',
  spotrs_: 'void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda, float *b, const int *ldb, int *info)',
  dgesv_: 'void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb, int *info)',
  dsyevd_: 'void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info)',
  dgesdd_: 'void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info)',
} as const;

type Symbol_ = keyof typeof PROTOTYPES;
type Routines = Record<Symbol_, (...args: unknown[]) => unknown>;

/**
 * Binds every routine of {@link PROTOTYPES}, each from `blas` first, else from `lapack` (the addon's `sym`).
 * @returns the routines, or undefined when one is missing from both.
 */
function resolve(blas: KoffiLib, lapack?: KoffiLib): Routines | undefined {
  const out: Partial<Routines> = {};
  for (const name of Object.keys(PROTOTYPES) as Symbol_[]) {
    let f: ((...args: unknown[]) => unknown) | undefined;
    for (const lib of lapack ? [blas, lapack] : [blas]) {
      try {
        f = lib.func(PROTOTYPES[name]);
        break;
      } catch {
        // not exported by this library
      }
    }
    if (!f) return undefined;
    out[name] = f;
  }
  return out as Routines;
}

/** A NUL-terminated one-character Fortran string argument. */
const char = (c: string): Int8Array => new Int8Array([c.charCodeAt(0), 0]);
const N = char('N');
const T = char('T');
const U = char('U');
const L = char('L');
const V = char('V');
const S = char('S');

function want64(v: unknown): Float64Array {
  if (!(v instanceof Float64Array)) throw new TypeError('nclab_blas (ffi): typed array of the wrong element type (expected Float64Array)');
  return v;
}
function want32(v: unknown): Float32Array {
  if (!(v instanceof Float32Array)) throw new TypeError('nclab_blas (ffi): typed array of the wrong element type (expected Float32Array)');
  return v;
}
function wantI32(v: unknown): Int32Array {
  if (!(v instanceof Int32Array)) throw new TypeError('nclab_blas (ffi): typed array of the wrong element type (expected Int32Array)');
  return v;
}

/**
 * OpenBLAS's run-time thread count, when the library exports it: `{ setThreads, threads }` for
 * {@link BlasAddon}, or nothing (another BLAS, or an OpenBLAS built without threads).
 */
function threadControl(lib: KoffiLib): Pick<BlasAddon, 'setThreads' | 'threads'> {
  try {
    const set = lib.func('void openblas_set_num_threads(int n)');
    const get = lib.func('int openblas_get_num_threads()');
    return { setThreads: (n: number) => void set(n), threads: () => get() as number };
  } catch {
    return {};
  }
}

/**
 * LAPACK workspaces up to this size are kept between calls and reused. A fresh array's pages fault in
 * on first write (about 12 µs a 4 KiB page on the project's virtual machines), and `dsyevd` of a
 * 784×784 matrix asks for 9.8 MB of workspace (2,400 pages) on every call. No end-to-end speed-up was
 * measured on its own: a 256×256 `eigh` took 10–13 ms with and without it, its time then dominated by
 * the fresh pages of the transposed copy (see runtime/allocator.ts). Larger workspaces are
 * allocated per call and freed with it.
 */
export const WORKSPACE_KEEP_BYTES = 32 << 20;

/** The {@link BlasAddon} functions over bound routines; scalars go through cells allocated here, once. */
function wrap(r: Routines): Omit<BlasAddon, 'load'> {
  const i1 = new Int32Array(1);
  const i2 = new Int32Array(1);
  const i3 = new Int32Array(1);
  const i4 = new Int32Array(1);
  const i5 = new Int32Array(1);
  const i6 = new Int32Array(1);
  const info = new Int32Array(1);
  const lwork = new Int32Array(1);
  const liwork = new Int32Array(1);
  const d1 = new Float64Array(1);
  const d2 = new Float64Array(1);
  const f1 = new Float32Array(1);
  const f2 = new Float32Array(1);
  const wq = new Float64Array(1);
  const iwq = new Int32Array(1);
  const tr = (t: number): Int8Array => (t ? T : N);
  const ul = (u: number): Int8Array => (u ? U : L);
  // LAPACK workspaces, kept between calls up to WORKSPACE_KEEP_BYTES (see there)
  let work = new Float64Array(0);
  let iwork = new Int32Array(0);
  const workOf = (length: number): Float64Array => {
    if (length * 8 > WORKSPACE_KEEP_BYTES) return new Float64Array(length);
    if (work.length < length) work = new Float64Array(length);
    return work;
  };
  const iworkOf = (length: number): Int32Array => {
    if (length * 4 > WORKSPACE_KEEP_BYTES) return new Int32Array(length);
    if (iwork.length < length) iwork = new Int32Array(length);
    return iwork;
  };
  return {
    dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      i1[0] = m; i2[0] = n; i3[0] = k; i4[0] = lda; i5[0] = ldb; i6[0] = ldc; d1[0] = alpha; d2[0] = beta;
      r.dgemm_(tr(ta), tr(tb), i1, i2, i3, d1, want64(a), i4, want64(b), i5, d2, want64(c), i6);
    },
    sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      i1[0] = m; i2[0] = n; i3[0] = k; i4[0] = lda; i5[0] = ldb; i6[0] = ldc; f1[0] = alpha; f2[0] = beta;
      r.sgemm_(tr(ta), tr(tb), i1, i2, i3, f1, want32(a), i4, want32(b), i5, f2, want32(c), i6);
    },
    dgemv(t, m, n, alpha, a, lda, x, beta, y) {
      i1[0] = m; i2[0] = n; i3[0] = lda; i4[0] = 1; d1[0] = alpha; d2[0] = beta;
      r.dgemv_(tr(t), i1, i2, d1, want64(a), i3, want64(x), i4, d2, want64(y), i4);
    },
    sgemv(t, m, n, alpha, a, lda, x, beta, y) {
      i1[0] = m; i2[0] = n; i3[0] = lda; i4[0] = 1; f1[0] = alpha; f2[0] = beta;
      r.sgemv_(tr(t), i1, i2, f1, want32(a), i3, want32(x), i4, f2, want32(y), i4);
    },
    dsyrk(up, t, n, k, alpha, a, lda, beta, c, ldc) {
      i1[0] = n; i2[0] = k; i3[0] = lda; i4[0] = ldc; d1[0] = alpha; d2[0] = beta;
      r.dsyrk_(ul(up), tr(t), i1, i2, d1, want64(a), i3, d2, want64(c), i4);
    },
    ssyrk(up, t, n, k, alpha, a, lda, beta, c, ldc) {
      i1[0] = n; i2[0] = k; i3[0] = lda; i4[0] = ldc; f1[0] = alpha; f2[0] = beta;
      r.ssyrk_(ul(up), tr(t), i1, i2, f1, want32(a), i3, f2, want32(c), i4);
    },
    dpotrf(up, n, a, lda) {
      i1[0] = n; i2[0] = lda; info[0] = 0;
      r.dpotrf_(ul(up), i1, want64(a), i2, info);
      return info[0];
    },
    dpotrs(up, n, nrhs, a, lda, b, ldb) {
      i1[0] = n; i2[0] = nrhs; i3[0] = lda; i4[0] = ldb; info[0] = 0;
      r.dpotrs_(ul(up), i1, i2, want64(a), i3, want64(b), i4, info);
      return info[0];
    },
    spotrf(up, n, a, lda) {
      i1[0] = n; i2[0] = lda; info[0] = 0;
      r.spotrf_(ul(up), i1, want32(a), i2, info);
      return info[0];
    },
    spotrs(up, n, nrhs, a, lda, b, ldb) {
      i1[0] = n; i2[0] = nrhs; i3[0] = lda; i4[0] = ldb; info[0] = 0;
      r.spotrs_(ul(up), i1, i2, want32(a), i3, want32(b), i4, info);
      return info[0];
    },
    dgesv(n, nrhs, a, lda, ipiv, b, ldb) {
      i1[0] = n; i2[0] = nrhs; i3[0] = lda; i4[0] = ldb; info[0] = 0;
      r.dgesv_(i1, i2, want64(a), i3, wantI32(ipiv), want64(b), i4, info);
      return info[0];
    },
    dsyevd(up, n, a, lda, w) {
      // Workspace query (lwork = liwork = −1), then the call with the sizes it returned (+1, as the addon).
      i1[0] = n; i2[0] = lda; info[0] = 0; lwork[0] = -1; liwork[0] = -1;
      r.dsyevd_(V, ul(up), i1, want64(a), i2, want64(w), wq, lwork, iwq, liwork, info);
      if (info[0] !== 0) return info[0];
      lwork[0] = Math.trunc(wq[0]) + 1;
      liwork[0] = iwq[0] + 1;
      r.dsyevd_(V, ul(up), i1, a, i2, w, workOf(lwork[0]), lwork, iworkOf(liwork[0]), liwork, info);
      return info[0];
    },
    dgesddValues(m, n, a, lda, s) {
      // jobz = 'N': U and Vᵀ are not referenced (one-entry cells, leading dimensions 1)
      i1[0] = m; i2[0] = n; i3[0] = lda; i4[0] = 1; i5[0] = 1; info[0] = 0; lwork[0] = -1;
      const mn = Math.min(m, n);
      const iw = iworkOf(8 * (mn > 0 ? mn : 1));
      r.dgesdd_(N, i1, i2, want64(a), i3, want64(s), d1, i4, d2, i5, wq, lwork, iw, info);
      if (info[0] !== 0) return info[0];
      lwork[0] = Math.trunc(wq[0]) + 1;
      r.dgesdd_(N, i1, i2, a, i3, s, d1, i4, d2, i5, workOf(lwork[0]), lwork, iw, info);
      return info[0];
    },
    dgesdd(m, n, a, lda, s, u, ldu, vt, ldvt) {
      // jobz = 'S' (thin); iwork of 8·min(m, n); workspace query first, as the addon.
      i1[0] = m; i2[0] = n; i3[0] = lda; i4[0] = ldu; i5[0] = ldvt; info[0] = 0; lwork[0] = -1;
      const mn = Math.min(m, n);
      const iw = iworkOf(8 * (mn > 0 ? mn : 1));
      r.dgesdd_(S, i1, i2, want64(a), i3, want64(s), want64(u), i4, want64(vt), i5, wq, lwork, iw, info);
      if (info[0] !== 0) return info[0];
      lwork[0] = Math.trunc(wq[0]) + 1;
      r.dgesdd_(S, i1, i2, a, i3, s, u, i4, vt, i5, workOf(lwork[0]), lwork, iw, info);
      return info[0];
    },
  };
}

/** The library koffi opened (`global`: RTLD_GLOBAL, as the addon opens libblas.so.3), or koffi's error message. */
function tryOpen(koffi: Koffi, name: string, global = false): KoffiLib | string {
  try {
    return koffi.load(name, { global });
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The FFI {@link BlasAddon} over `koffi`: `load()` searches the library exactly as the addon's
 * (`NCLAB_BLAS_LIBRARY` alone when set; else `libopenblas.so.0`, else `libblas.so.3` + `liblapack.so.3`),
 * returns the same description (e.g. `OpenBLAS (libopenblas.so.0)`) and throws when none loads, so
 * `loadBlasLibrary` (locate.ts) walks its further candidates through it unchanged.
 * @param koffi - the loaded koffi module.
 */
export function ffiAddon(koffi: Koffi): BlasAddon {
  let library = '';
  const notLoaded = (): never => {
    throw new Error('nclab_blas (ffi): load() was not called');
  };
  const api = { load } as BlasAddon;
  // Until load() binds the routines every entry throws, as the addon's; then the wrappers replace them.
  for (const name of ['dgemm', 'sgemm', 'dgemv', 'sgemv', 'dsyrk', 'ssyrk', 'dpotrf', 'dpotrs', 'spotrf', 'spotrs', 'dgesv', 'dsyevd', 'dgesdd'] as const) {
    (api as unknown as Record<string, unknown>)[name] = notLoaded;
  }
  function bound(r: Routines, description: string, lib?: KoffiLib): string {
    Object.assign(api, wrap(r));
    if (lib) Object.assign(api, threadControl(lib));
    library = description;
    return library;
  }
  function load(): string {
    if (library) return library;
    const forced = readEnv('NCLAB_BLAS_LIBRARY');
    if (forced) {
      const h = tryOpen(koffi, forced);
      const r = typeof h === 'string' ? undefined : resolve(h);
      if (!r) throw new Error(`NCLAB_BLAS_LIBRARY could not be loaded or lacks a routine${typeof h === 'string' ? ` (${h})` : ''}`);
      return bound(r, `BLAS/LAPACK (${forced})`);
    }
    const open = tryOpen(koffi, 'libopenblas.so.0');
    const ro = typeof open === 'string' ? undefined : resolve(open);
    if (ro) return bound(ro, 'OpenBLAS (libopenblas.so.0)', open as KoffiLib);
    const b = tryOpen(koffi, 'libblas.so.3', true);
    const l = tryOpen(koffi, 'liblapack.so.3');
    const rr = typeof b === 'string' || typeof l === 'string' ? undefined : resolve(b, l);
    if (!rr) throw new Error('none of libopenblas.so.0, libblas.so.3 + liblapack.so.3 could be loaded');
    return bound(rr, 'reference BLAS/LAPACK (libblas.so.3, liblapack.so.3)');
  }
  return api;
}

/**
 * The stack koffi gives a synchronous call (its maximum, 16 MiB; its default is 2 MiB). Koffi runs each call
 * on a stack of its own, and OpenBLAS/LAPACK routines (dsyevd, dgesv, dgesdd, the threaded GEMM drivers) use
 * more than 2 MiB of it: with the default, the linalg conformance tests crashed the process in 3 to 7 of 14
 * runs; with 16 MiB, in none of 14 (the compiled addon, on Node's own 8 MiB stack: none of 14).
 */
export const CALL_STACK_BYTES = 16 * 1024 * 1024;

/**
 * Loads koffi (the optional dependency) for the FFI loader.
 * @returns the module and its version, or the reason it is unavailable (not installed, its prebuilt
 *   binary missing for this platform, not Node).
 */
export function loadKoffi(): { koffi?: Koffi; reason: string } {
  if (!nodeVersion()) return { reason: 'not running in Node' };
  const req = nodeRequire();
  if (!req) return { reason: 'process.getBuiltinModule is missing (need Node ≥ 20.16)' };
  try {
    const koffi = req('koffi') as Koffi;
    const stack = koffi.config().sync_stack_size ?? 0;
    if (stack < CALL_STACK_BYTES) koffi.config({ ...koffi.config(), sync_stack_size: CALL_STACK_BYTES });
    return { koffi, reason: `koffi ${koffi.version ?? ''}`.trim() };
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'MODULE_NOT_FOUND' && /'koffi'/.test(e.message)) return { reason: 'koffi (an optional dependency) is not installed' };
    return { reason: `koffi failed to load (or to take a ${CALL_STACK_BYTES >> 20} MiB call stack): ${e.message.split('\n')[0]}` };
  }
}
