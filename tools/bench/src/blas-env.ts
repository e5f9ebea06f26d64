/**
 * The BLAS environment of a benchmark run: both sides (our process and every peer) run with the same
 * OpenBLAS settings, and the run records them.
 */
import { readFileSync } from 'node:fs';

/** Variables that pin old OpenBLAS kernels on some hosts (e.g. `OPENBLAS_CORETYPE=Haswell`); benchmarks run without them. */
export const PINNED_BLAS_VARIABLES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Thread-count variables BLAS libraries and PyTorch read; recorded, never changed. */
export const BLAS_THREAD_VARIABLES = ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'GOTO_NUM_THREADS', 'MKL_NUM_THREADS'] as const;

/**
 * `env` less {@link PINNED_BLAS_VARIABLES} (only those that are set).
 * @returns a new environment and the names that were removed.
 * @example
 * unpinnedEnv({ PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell' }); // { env: { PATH: '/bin' }, unset: ['OPENBLAS_CORETYPE'] }
 */
export function unpinnedEnv(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; unset: string[] } {
  const out: NodeJS.ProcessEnv = { ...env };
  const unset: string[] = [];
  for (const k of PINNED_BLAS_VARIABLES) {
    if (out[k] !== undefined) {
      delete out[k];
      unset.push(k);
    }
  }
  return { env: out, unset };
}

/** The BLAS/LAPACK shared libraries mapped into this process (from `/proc/self/maps`; empty where it cannot be read). */
export function loadedBlasLibraries(maps?: string): string[] {
  let text = maps;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/maps', 'utf8');
    } catch {
      return [];
    }
  }
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    const path = line.trim().split(/\s+/).slice(5).join(' ');
    if (/\/lib(open)?blas[^/]*\.so/.test(path) || /\/libopenblas[^/]*\.so/.test(path)) found.add(path);
  }
  return [...found].sort();
}

/** What {@link unpinOwnProcess} did. */
export interface UnpinReport {
  /** Variables removed from this process's environment. */
  unset: string[];
  /**
   * BLAS libraries already loaded when they were removed: those read their settings at load, so a
   * non-empty list means our side may still run the pinned kernels (the table header says so).
   */
  loadedBefore: string[];
}

/**
 * Removes {@link PINNED_BLAS_VARIABLES} from this process's real environment (Node's `process.env`
 * deletes with `unsetenv`), so the OpenBLAS our benches load later reads the same settings as the
 * peers. Call it before any bench file is imported. Benchmarks only: tests and CI keep the environment.
 * @param env - the environment to change (default `process.env`).
 */
export function unpinOwnProcess(env: NodeJS.ProcessEnv = process.env): UnpinReport {
  const loadedBefore = loadedBlasLibraries();
  const unset: string[] = [];
  for (const k of PINNED_BLAS_VARIABLES) {
    if (env[k] !== undefined) {
      delete env[k];
      unset.push(k);
    }
  }
  return { unset, loadedBefore };
}

/**
 * Variables printed and recorded with every run, never changed: the thread counts, and
 * `GLIBC_TUNABLES` (`glibc.malloc.hugetlb=1` gives our large typed arrays transparent huge pages,
 * which NumPy requests itself: first touch of fresh 4 KiB pages dominates some of our timings here).
 */
export const RECORDED_VARIABLES = [...BLAS_THREAD_VARIABLES, 'GLIBC_TUNABLES'] as const;

/** `NAME=value` for each set {@link RECORDED_VARIABLES} (empty list: libraries use their defaults). */
export function threadSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  return RECORDED_VARIABLES.filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`);
}
