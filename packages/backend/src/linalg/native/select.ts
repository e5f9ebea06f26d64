/**
 * Which loader binds BLAS/LAPACK for the native path, and why the others were not used.
 *
 * Order: the FFI loader (koffi, an optional dependency with prebuilt binaries: no compiler, no install
 * script), else the compiled addon (the cached build, built on this first use when a C compiler is
 * present, or by `nclab setup native`), else nothing (the caller falls back to the portable path).
 * `NCLAB_NATIVE_LOADER=ffi|addon` forces one loader (and only that one is tried).
 */
import { InvalidArgumentError } from '../../errors/errors.js';
import { readEnv } from '../../runtime/env.js';
import { type BlasAddon, loadAddon } from './addon.js';
import { ffiAddon, loadKoffi } from './ffi.js';
import { loadBlasLibrary } from './locate.js';

/** A way to bind the BLAS/LAPACK routines: `ffi` (koffi, prebuilt) or `addon` (the C addon, compiled). */
export type NativeLoader = 'ffi' | 'addon';

/** A loader request: one of {@link NativeLoader}, or `auto` (FFI, else addon). */
export type NativeLoaderRequest = NativeLoader | 'auto';

/** The accepted loader names, e.g. for `NCLAB_NATIVE_LOADER`. */
export const NATIVE_LOADERS: readonly NativeLoader[] = ['ffi', 'addon'];

/** The outcome of loading: the routines, the library and the loader, or only the reason it failed. */
export interface LoadedBlas {
  addon?: BlasAddon;
  /** Library description, e.g. `OpenBLAS (libopenblas.so.0)` (the same text from either loader). */
  library?: string;
  loader?: NativeLoader;
  /** Which loader and library were found and why the others were not (shown by `nclab info`). */
  reason: string;
}

/**
 * The loader `NCLAB_NATIVE_LOADER` asks for (unset: `auto`).
 * @throws {InvalidArgumentError} naming `NCLAB_NATIVE_LOADER` for a value other than `ffi`, `addon`, `auto`.
 */
export function requestedLoader(): NativeLoaderRequest {
  const v = readEnv('NCLAB_NATIVE_LOADER');
  if (v === undefined || v === 'auto') return 'auto';
  if (v === 'ffi' || v === 'addon') return v;
  throw new InvalidArgumentError('NCLAB_NATIVE_LOADER', "one of 'ffi', 'addon', 'auto' (or unset)", v);
}

const platform = (): string => (globalThis as { process?: { platform?: string } }).process?.platform ?? 'linux';

/**
 * The FFI loader: koffi, then the library search of `locate.ts` through it.
 * @returns `koffiMissing` true when koffi itself is unavailable (then the addon is worth trying; when
 *   koffi loaded but no library did, the addon would find none either).
 */
export function loadFfiBlas(): LoadedBlas & { koffiMissing?: boolean } {
  const k = loadKoffi();
  if (!k.koffi) return { reason: k.reason, koffiMissing: true };
  let addon: BlasAddon;
  try {
    addon = ffiAddon(k.koffi);
  } catch (err) {
    return { reason: `${k.reason} failed: ${(err as Error).message}`, koffiMissing: true };
  }
  const lib = loadBlasLibrary(() => addon.load(), platform());
  if (!lib.library) return { reason: `${k.reason}: ${lib.reason}` };
  const found = lib.reason === 'loaded' ? '' : ` (${lib.reason.replace(/^loaded \(|\)$/g, '')})`;
  return { addon, library: lib.library, loader: 'ffi', reason: `loaded through ${k.reason} (FFI, prebuilt: no compiler needed)${found}` };
}

/** The compiled-addon loader (`addon.ts`): the cached build, built now when missing and a compiler exists. */
export function loadAddonBlas(): LoadedBlas {
  const r = loadAddon();
  if (!r.addon || !r.library) return { reason: r.reason };
  return { addon: r.addon, library: r.library, loader: 'addon', reason: `${r.reason} through the compiled addon` };
}

/**
 * Loads BLAS/LAPACK through the requested loader.
 * @param request - `ffi` or `addon` (only that one is tried), or `auto`: FFI, else (when koffi is
 *   unavailable) the addon.
 * @returns the loaded routines, or the reasons each loader tried was not used.
 */
export function loadBlas(request: NativeLoaderRequest): LoadedBlas {
  if (request === 'ffi') {
    const f = loadFfiBlas();
    return f.addon ? { ...f, reason: `${f.reason} (ffi requested)` } : { reason: `the ffi loader was requested and is unavailable: ${f.reason}` };
  }
  if (request === 'addon') {
    const a = loadAddonBlas();
    return a.addon ? { ...a, reason: `${a.reason} (addon requested)` } : { reason: `the addon loader was requested and is unavailable: ${a.reason}` };
  }
  const f = loadFfiBlas();
  if (f.addon) return { addon: f.addon, library: f.library, loader: 'ffi', reason: `${f.reason}; the compiled addon was not needed` };
  if (!f.koffiMissing) return { reason: `FFI loader: ${f.reason}` };
  const a = loadAddonBlas();
  if (a.addon) return { ...a, reason: `${a.reason}; FFI loader unavailable: ${f.reason}` };
  return { reason: `FFI loader: ${f.reason}; compiled addon: ${a.reason}` };
}
