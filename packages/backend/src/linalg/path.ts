import { InvalidArgumentError } from '../errors/errors.js';
import { readEnv } from '../runtime/env.js';
import { writeStderr } from '../runtime/node.js';
import { isQuiet } from '../runtime/quiet.js';
import { tuneAllocator } from '../runtime/allocator.js';
import { loadCuda } from './cuda/load.js';
import { loadNative } from './native/load.js';
import { portableLinalg } from './portable/index.js';
import type { LinalgImpl, LinalgPath, LinalgRequest } from './types.js';

/** Which float64 implementation is active and why. */
export interface LinalgInfo {
  /** `native` (system OpenBLAS/LAPACK through the FFI loader or the compiled addon), `portable` (typed arrays) or `cuda` (cuBLAS/cuSOLVER on a GPU). */
  readonly path: LinalgPath;
  /** Library description, e.g. `OpenBLAS (libopenblas.so.0)`. */
  readonly library: string;
  /** Why this path was chosen (or why `native` is unavailable); for `native`, which loader bound the library and why the others were not. */
  readonly reason: string;
}

let active: LinalgImpl | null = null;
let reason = '';
let announced = false;

/** The accepted names of a path request, e.g. for a CLI flag's choices. */
export const LINALG_REQUESTS: readonly LinalgRequest[] = ['auto', 'native', 'portable', 'cuda'];

function announce(): void {
  if (announced || isQuiet()) return;
  announced = true;
  const hint = active?.path === 'portable'
    ? ' For the fast path: apt-get install libopenblas0.'
    : '';
  writeStderr(`nclab: float64 linear algebra uses the ${active?.path} path (${active?.library}; ${reason}).${hint}\n`);
}

function isRequest(v: unknown): v is LinalgRequest {
  return v === 'auto' || v === 'native' || v === 'portable' || v === 'cuda';
}

/**
 * The implementation a request names, with the reason; `native` unavailable → InvalidArgumentError(`argument`),
 * `cuda` unavailable → CudaUnavailableError naming the missing library. `auto` tries cuda, native, portable.
 */
function pick(requested: LinalgRequest, argument: string): { impl: LinalgImpl; reason: string } {
  if (requested === 'portable') return { impl: portableLinalg, reason: 'portable requested' };
  let cudaNote = '';
  if (requested === 'cuda' || requested === 'auto') {
    const cuda = loadCuda();
    if (cuda.impl) return { impl: cuda.impl, reason: requested === 'cuda' ? 'cuda requested' : `GPU found: ${cuda.report.reason}` };
    if (requested === 'cuda') throw cuda.error as Error;
    cudaNote = `; cuda unavailable: ${cuda.report.reason}`;
  }
  const native = loadNative();
  if (native.impl) return { impl: native.impl, reason: `${requested === 'native' ? 'native requested' : 'native BLAS/LAPACK loaded'}: ${native.reason}` };
  if (requested === 'native') {
    throw new InvalidArgumentError(argument, 'a linear-algebra path available here', 'native', native.reason);
  }
  return { impl: portableLinalg, reason: `native unavailable: ${native.reason}${cudaNote}` };
}

function choose(requested: LinalgRequest): void {
  ({ impl: active, reason } = pick(requested, 'path'));
}

/**
 * The active (global default) implementation; chosen on first use from `NCLAB_LINALG`
 * (`native`|`portable`|`cuda`|`auto`, default `auto`; `native` where it cannot load falls back to `auto`).
 * @throws {InvalidArgumentError} naming `NCLAB_LINALG` when it holds another value.
 * @throws {CudaUnavailableError} when `NCLAB_LINALG=cuda` and the cuda path cannot load (no silent fallback).
 */
export function activeLinalg(): LinalgImpl {
  if (!active) {
    tuneAllocator();
    const requested = readEnv('NCLAB_LINALG');
    if (requested !== undefined && !isRequest(requested)) {
      throw new InvalidArgumentError('NCLAB_LINALG', "one of 'native', 'portable', 'cuda', 'auto' (or unset)", requested);
    }
    if (requested === 'native') {
      try {
        choose(requested);
      } catch {
        choose('auto');
      }
    } else {
      choose(requested ?? 'auto');
    }
    announce();
  }
  return active as LinalgImpl;
}

/**
 * The float64 implementation for one call: `path` when given (a per-call override of the global
 * default), else the active path ({@link setLinalgPath}, else `NCLAB_LINALG`, else `auto`).
 * `auto` prefers `cuda` when a GPU and cuBLAS/cuSOLVER load, else `native` when a BLAS/LAPACK library
 * loads (through koffi, else the compiled addon; `NCLAB_NATIVE_LOADER` forces one), else `portable`.
 * Every backend entry whose numerics depend on the path takes `options.linalg` and resolves it here.
 * @param path - `'auto' | 'native' | 'portable' | 'cuda'`, or undefined for the global default.
 * @returns the implementation (its `path` says which one).
 * @throws {InvalidArgumentError} (argument `linalg`) for an unknown name or `native` when it cannot be
 *   loaded; (argument `NCLAB_LINALG`) when the default comes from an invalid environment value.
 * @throws {CudaUnavailableError} for `cuda` when it cannot load (its `library` names what is missing).
 * @example
 * resolveLinalg('portable').path; // 'portable', whatever the global default is
 * gemm(a, b, { linalg: 'portable' }); // the same choice, for one product
 */
export function resolveLinalg(path?: LinalgRequest): LinalgImpl {
  if (path === undefined) return activeLinalg();
  if (!isRequest(path)) throw new InvalidArgumentError('linalg', "one of 'native', 'portable', 'cuda', 'auto'", path);
  return pick(path, 'linalg').impl;
}

/**
 * Selects the float64 host linear-algebra path for every following call.
 * `auto` prefers `cuda` (a GPU with cuBLAS/cuSOLVER), then `native`, then `portable`.
 * @param path - `'native' | 'portable' | 'cuda' | 'auto'`.
 * @returns the resulting {@link LinalgInfo}.
 * @throws {InvalidArgumentError} for an unknown name, or `native` when it cannot be loaded (the detail says why).
 * @throws {CudaUnavailableError} for `cuda` when it cannot load.
 * @example
 * setLinalgPath('portable'); // force the typed-array path (e.g. to compare)
 */
export function setLinalgPath(path: LinalgRequest): LinalgInfo {
  if (!isRequest(path)) {
    throw new InvalidArgumentError('path', "one of 'native', 'portable', 'cuda', 'auto'", path);
  }
  choose(path);
  return getLinalgInfo();
}

/**
 * Reports the active float64 path, its library and the reason it was chosen; with `path`, the
 * implementation a call with `options.linalg = path` uses (what a job records in its result).
 * @param path - optional per-call request, as {@link resolveLinalg}.
 * @throws {InvalidArgumentError} as {@link resolveLinalg}.
 * @example
 * getLinalgInfo(); // { path: 'native', library: 'OpenBLAS (libopenblas.so.0)', reason: '...' }
 */
export function getLinalgInfo(path?: LinalgRequest): LinalgInfo {
  if (path === undefined) {
    const impl = activeLinalg();
    return { path: impl.path, library: impl.library, reason };
  }
  if (!isRequest(path)) throw new InvalidArgumentError('linalg', "one of 'native', 'portable', 'cuda', 'auto'", path);
  const chosen = pick(path, 'linalg');
  return { path: chosen.impl.path, library: chosen.impl.library, reason: chosen.reason };
}

/** The implementation of `path` (portable: always; native, cuda: null when it cannot load), e.g. for conformance tests. */
export function getLinalgImpl(path: LinalgPath): LinalgImpl | null {
  if (path === 'portable') return portableLinalg;
  if (path === 'cuda') return loadCuda().impl ?? null;
  return loadNative().impl ?? null;
}
