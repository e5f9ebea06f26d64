import { InvalidArgumentError } from '../errors/errors.js';
import { loadNative } from './native/load.js';
import { portableLinalg } from './portable/index.js';
import type { LinalgImpl, LinalgPath } from './types.js';

/** Which float64 implementation is active and why. */
export interface LinalgInfo {
  /** `native` (system OpenBLAS/LAPACK through the addon) or `portable` (typed arrays). */
  readonly path: LinalgPath;
  /** Library description, e.g. `OpenBLAS (libopenblas.so.0)`. */
  readonly library: string;
  /** Why this path was chosen (or why `native` is unavailable). */
  readonly reason: string;
}

let active: LinalgImpl | null = null;
let reason = '';
let announced = false;

function quiet(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NCLAB_QUIET === '1' || env?.NCLAB_QUIET === 'true';
}

function announce(): void {
  if (announced || quiet()) return;
  announced = true;
  const proc = (globalThis as { process?: { stderr?: { write(s: string): void }; versions?: { node?: string } } }).process;
  if (!proc?.versions?.node || !proc.stderr) return;
  const hint = active?.path === 'portable'
    ? ' For the fast path: apt-get install libopenblas0 (then `npm rebuild @nclab/backend` if the addon was not built).'
    : '';
  proc.stderr.write(`nclab: float64 linear algebra uses the ${active?.path} path (${active?.library}; ${reason}).${hint}\n`);
}

function choose(requested: 'native' | 'portable' | 'auto'): void {
  if (requested === 'portable') {
    active = portableLinalg;
    reason = 'portable requested';
    return;
  }
  const native = loadNative();
  if (native.impl) {
    active = native.impl;
    reason = requested === 'native' ? 'native requested' : 'native addon and BLAS/LAPACK loaded';
    return;
  }
  if (requested === 'native') {
    throw new InvalidArgumentError('path', 'a linear-algebra path available here', 'native', native.reason);
  }
  active = portableLinalg;
  reason = `native unavailable: ${native.reason}`;
}

/** The active implementation; chosen on first use from `NCLAB_LINALG` (`native`|`portable`|`auto`, default `auto`). */
export function activeLinalg(): LinalgImpl {
  if (!active) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const requested = env?.NCLAB_LINALG;
    if (requested === 'native' || requested === 'portable') {
      try {
        choose(requested);
      } catch {
        choose('auto');
      }
    } else {
      choose('auto');
    }
    announce();
  }
  return active as LinalgImpl;
}

/**
 * Selects the float64 host linear-algebra path for every following call.
 * `auto` prefers `native` when the addon and a BLAS/LAPACK library load, else `portable`.
 * @param path - `'native' | 'portable' | 'auto'`.
 * @returns the resulting {@link LinalgInfo}.
 * @throws {InvalidArgumentError} for an unknown name, or `native` when it cannot be loaded (the detail says why).
 * @example
 * setLinalgPath('portable'); // force the typed-array path (e.g. to compare)
 */
export function setLinalgPath(path: 'native' | 'portable' | 'auto'): LinalgInfo {
  if (path !== 'native' && path !== 'portable' && path !== 'auto') {
    throw new InvalidArgumentError('path', "one of 'native', 'portable', 'auto'", path);
  }
  choose(path);
  return getLinalgInfo();
}

/**
 * Reports the active float64 path, its library and the reason it was chosen.
 * @example
 * getLinalgInfo(); // { path: 'native', library: 'OpenBLAS (libopenblas.so.0)', reason: '...' }
 */
export function getLinalgInfo(): LinalgInfo {
  const impl = activeLinalg();
  return { path: impl.path, library: impl.library, reason };
}

/** The portable implementation (always available), e.g. for conformance tests. */
export function getLinalgImpl(path: LinalgPath): LinalgImpl | null {
  if (path === 'portable') return portableLinalg;
  return loadNative().impl ?? null;
}
