/**
 * Locates and loads the N-API addon `nclab_blas.node` (built from `native/nclab_blas.c` into the user
 * cache folder on first use; see `locate.ts`).
 * Node facilities come from `runtime/` (`process.getBuiltinModule`), so that bundling this package for
 * a browser pulls in no Node module; there the addon is simply reported as unavailable.
 */
import { readEnv } from '../../runtime/env.js';
import { builtinModule, nodeRequire, nodeVersion } from '../../runtime/node.js';
import { addonFile, buildAddon, loadBlasLibrary } from './locate.js';

/** The addon's functions: thin wrappers over Fortran BLAS/LAPACK symbols (column-major). */
export interface BlasAddon {
  /** Loads the libraries (`libopenblas.so.0`, else `libblas.so.3` + `liblapack.so.3`); returns a description or throws. */
  load(): string;
  dgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number): void;
  sgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  /** y = alpha·op(A)·x + beta·y, A column-major m×n, unit strides (BLAS `dgemv`). */
  dgemv(trans: number, m: number, n: number, alpha: number, a: Float64Array, lda: number, x: Float64Array, beta: number, y: Float64Array): void;
  /** Float32 `sgemv`, as {@link BlasAddon.dgemv}. */
  sgemv(trans: number, m: number, n: number, alpha: number, a: Float32Array, lda: number, x: Float32Array, beta: number, y: Float32Array): void;
  dsyrk(upper: number, trans: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, beta: number, c: Float64Array, ldc: number): void;
  /**
   * Float32 symmetric rank-k update (BLAS `ssyrk`). Optional: a compiled addon built before it was
   * added lacks it, and the native path then computes the full `sgemm` product.
   */
  ssyrk?(upper: number, trans: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, beta: number, c: Float32Array, ldc: number): void;
  dpotrf(upper: number, n: number, a: Float64Array, lda: number): number;
  dpotrs(upper: number, n: number, nrhs: number, a: Float64Array, lda: number, b: Float64Array, ldb: number): number;
  /** Float32 Cholesky in place (LAPACK `spotrf`): only the named triangle is read and written. */
  spotrf(upper: number, n: number, a: Float32Array, lda: number): number;
  /** Float32 solve with a `spotrf` factor (LAPACK `spotrs`); B (column-major) is overwritten. */
  spotrs(upper: number, n: number, nrhs: number, a: Float32Array, lda: number, b: Float32Array, ldb: number): number;
  dgesv(n: number, nrhs: number, a: Float64Array, lda: number, ipiv: Int32Array, b: Float64Array, ldb: number): number;
  dsyevd(upper: number, n: number, a: Float64Array, lda: number, w: Float64Array): number;
  dgesdd(m: number, n: number, a: Float64Array, lda: number, s: Float64Array, u: Float64Array, ldu: number, vt: Float64Array, ldvt: number): number;
  /**
   * Singular values only (LAPACK `dgesdd` with jobz = 'N'; `a` is destroyed); present on the FFI loader.
   * Without it, the native path takes the values from the thin SVD.
   */
  dgesddValues?(m: number, n: number, a: Float64Array, lda: number, s: Float64Array): number;
  /**
   * OpenBLAS's thread count for the calls that follow (`openblas_set_num_threads`); acts only where
   * the loaded library is OpenBLAS and exports it (the FFI loader sets it after `load()`; the compiled
   * addon always has it, and its `threads()` reads 1 where the library has no control).
   */
  setThreads?(n: number): void;
  /** OpenBLAS's current thread count (`openblas_get_num_threads`); present with {@link BlasAddon.setThreads}. */
  threads?(): number;
}

/** Absolute path of this package's root folder (the one holding its package.json), or undefined. */
export function packageRoot(): string | undefined {
  const url = builtinModule<{ fileURLToPath(u: string): string }>('url');
  const path = builtinModule<typeof import('node:path')>('path');
  const fs = builtinModule<typeof import('node:fs')>('fs');
  if (!url || !path || !fs || !import.meta.url?.startsWith('file:')) return undefined;
  let dir = path.dirname(url.fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === '@nclab/backend') return dir;
      } catch {
        // keep walking
      }
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * Loads the addon and its libraries. The addon is `NCLAB_NATIVE_ADDON`, else the build in the per-user
 * cache folder, built there on this first use when missing (a C compiler and Node's headers needed;
 * `nclab setup native` does the same explicitly); the library is found as `locate.ts` describes.
 * Returns the addon and library text, or the reason it is unavailable (shown by `nclab info`).
 */
export function loadAddon(): { addon?: BlasAddon; library?: string; reason: string } {
  const node = nodeVersion();
  if (!node) return { reason: 'not running in Node' };
  const req = nodeRequire();
  const fs = builtinModule<typeof import('node:fs')>('fs');
  if (!req || !fs) return { reason: `process.getBuiltinModule is missing (Node ${node}; need ≥ 20.16)` };
  const root = packageRoot();
  if (!root) return { reason: 'the @nclab/backend package folder was not found' };
  let file = addonFile(root);
  let built = '';
  if (!file) return { reason: 'the native cache folder could not be determined' };
  if (!fs.existsSync(file)) {
    if (readEnv('NCLAB_NATIVE_ADDON')) return { reason: `NCLAB_NATIVE_ADDON=${file} does not exist` };
    const b = buildAddon(root);
    if (!b.file) return { reason: `the native addon is not built (${b.reason}); \`nclab setup native\` retries` };
    file = b.file;
    built = ' (built on first use)';
  }
  let addon: BlasAddon;
  try {
    addon = req(file) as BlasAddon;
  } catch (err) {
    return { reason: `the native addon ${file} failed to load: ${(err as Error).message}; \`nclab setup native --force\` rebuilds it` };
  }
  const platform = (globalThis as { process?: { platform?: string } }).process?.platform ?? 'linux';
  const lib = loadBlasLibrary(() => addon.load(), platform);
  if (!lib.library) return { reason: lib.reason };
  return { addon, library: lib.library, reason: `${lib.reason}${built}` };
}
