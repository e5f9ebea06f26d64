/**
 * The `nclab_cuda.node` addon (built from `native/nclab_cuda.c`): its function table and the loader.
 * Device pointers are BigInt; arrays are column-major (BLAS/LAPACK order); the solver calls return
 * LAPACK-style `info`. Every CUDA failure throws an Error whose `code` is `CUDA_DRIVER`, `CUDA_LIBRARY`,
 * `CUDA_SYMBOL`, `CUDA_NO_DEVICE` or `CUDA_MISSING`.
 */
import { readEnv } from '../../runtime/env.js';
import { builtinModule, nodeRequire, nodeVersion } from '../../runtime/node.js';
import { packageRoot } from '../native/addon.js';
import { nativeCacheDir } from '../native/locate.js';
import type { CudaLibraryName } from './discovery.js';

/** What `initDriver` reports about the driver and the first device. */
export interface CudaDriverInfo {
  /** `cuDriverGetVersion`: major·1000 + minor·10. */
  readonly driverVersion: number;
  readonly deviceCount: number;
  readonly name: string;
  /** Bytes. */
  readonly totalMemory: number;
  /** e.g. `9.0`. */
  readonly computeCapability: string;
}

/** Library versions as each reports it (0: not open). */
export interface CudaLibraryVersions {
  readonly cublas: number;
  readonly cusolver: number;
  readonly nvrtc: number;
  readonly cudart: number;
}

/** The addon's functions (see `native/nclab_cuda.c` for each one's C routine). */
export interface CudaAddon {
  /** dlopen the first loadable of `files` into `slot`; every failure's dlerror text in `errors`. */
  open(slot: CudaLibraryName, files: readonly string[]): { file: string | null; errors: string[] };
  initDriver(): CudaDriverInfo;
  initLibraries(): CudaLibraryVersions;
  malloc(bytes: number): bigint;
  free(ptr: bigint): void;
  upload(ptr: bigint, byteOffset: number, host: Float64Array | Float32Array | Int32Array): void;
  download(ptr: bigint, byteOffset: number, host: Float64Array | Float32Array | Int32Array): void;
  copy(dst: bigint, src: bigint, bytes: number): void;
  memset0(ptr: bigint, bytes: number): void;
  /** [free, total] bytes. */
  memInfo(): [number, number];
  synchronize(): void;
  /** cublasSetMathMode: 0 default, 3 TF32 tensor-op math. */
  setMathMode(mode: number): void;
  dgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: bigint, lda: number, b: bigint, ldb: number, beta: number, c: bigint, ldc: number): void;
  sgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: bigint, lda: number, b: bigint, ldb: number, beta: number, c: bigint, ldc: number): void;
  dsyrk(upper: number, trans: number, n: number, k: number, alpha: number, a: bigint, lda: number, beta: number, c: bigint, ldc: number): void;
  ssyrk(upper: number, trans: number, n: number, k: number, alpha: number, a: bigint, lda: number, beta: number, c: bigint, ldc: number): void;
  dcopy(n: number, x: bigint, incx: number, y: bigint, incy: number): void;
  dpotrf(upper: number, n: number, a: bigint, lda: number): number;
  dpotrs(upper: number, n: number, nrhs: number, a: bigint, lda: number, b: bigint, ldb: number): number;
  dgetrf(n: number, a: bigint, lda: number, ipiv: bigint): number;
  dgetrs(n: number, nrhs: number, a: bigint, lda: number, ipiv: bigint, b: bigint, ldb: number): number;
  dsyevd(upper: number, n: number, a: bigint, lda: number, w: bigint): number;
  /** Thin SVD (jobu = jobvt = 'S'); needs m ≥ n. */
  dgesvd(m: number, n: number, a: bigint, lda: number, s: bigint, u: bigint, ldu: number, vt: bigint, ldvt: number): number;
  /** NVRTC-compile `source` for this device and return the `name` kernel's CUfunction. */
  compile(source: string, name: string): bigint;
  /** One launch; `signature` has a letter per argument (p pointer, i int32, l int64, d double, f float). */
  launch(fn: bigint, gridX: number, gridY: number, blockX: number, blockY: number, signature: string, args: ReadonlyArray<bigint | number>): void;
}

/**
 * Loads the addon file (`NCLAB_CUDA_ADDON`, else `nclab_cuda.node` in the native cache folder, built beside
 * `nclab_blas.node` on first use or by `nclab setup native`; see `nativeCacheDir`).
 * @returns the addon, or the reason it is unavailable.
 */
export function loadCudaAddon(): { addon?: CudaAddon; reason: string } {
  if (!nodeVersion()) return { reason: 'not running in Node' };
  const req = nodeRequire();
  const path = builtinModule<typeof import('node:path')>('path');
  const fs = builtinModule<typeof import('node:fs')>('fs');
  if (!req || !path || !fs) return { reason: 'process.getBuiltinModule is missing (need Node ≥ 20.16)' };
  const root = packageRoot();
  const dir = root ? nativeCacheDir(root) : undefined;
  const file = readEnv('NCLAB_CUDA_ADDON') ?? (dir ? path.join(dir, 'nclab_cuda.node') : undefined);
  if (!file || !fs.existsSync(file)) {
    return { reason: `the CUDA addon is not built (${file ?? 'package root not found'}); run \`nclab setup native --force\` with a C compiler present` };
  }
  try {
    return { addon: req(file) as CudaAddon, reason: 'loaded' };
  } catch (err) {
    return { reason: `the CUDA addon failed to load: ${(err as Error).message}` };
  }
}
