/**
 * Where the native addon and the BLAS/LAPACK library are looked for, and the first-use build.
 *
 * No install script builds the addon: it lives in a per-user cache folder
 * (`$NCLAB_NATIVE_DIR`, else `<cache>/nclab/native/<version>-<source hash>-<platform>-<arch>-abi<modules>/`) and is
 * compiled there by `native/build.mjs` on first use when a C compiler and Node's headers are present,
 * or explicitly by `nclab setup native` (the FFI loader, `ffi.ts`, needs no build). The library is found
 * by the loader's own search (the same in the addon and the FFI loader: Linux sonames `libopenblas.so.0`, else `libblas.so.3` + `liblapack.so.3`), then by the candidates of
 * {@link blasLibraryCandidates} (more Linux sonames, macOS OpenBLAS dylibs and Apple Accelerate,
 * Windows OpenBLAS DLLs), each passed to the loader as `NCLAB_BLAS_LIBRARY`. Node facilities come from `runtime/`, so a
 * browser bundle pulls in no Node module.
 */
import { readEnv } from '../../runtime/env.js';
import { builtinModule } from '../../runtime/node.js';
import { isQuiet } from '../../runtime/quiet.js';

type Path = typeof import('node:path');
type Fs = typeof import('node:fs');

/** The addon's file name inside its folder. */
export const ADDON_FILE = 'nclab_blas.node';

/**
 * The per-user folder that holds the built addon: `$NCLAB_NATIVE_DIR`, else
 * `<cache>/nclab/native/<version>-<hash>-<platform>-<arch>-abi<modules>` with <cache> =
 * `$XDG_CACHE_HOME`, else `~/Library/Caches` (macOS), `%LOCALAPPDATA%` (Windows), `~/.cache`, and
 * <hash> the first 8 hex digits of the SHA-256 of `native/nclab_blas.c` followed by `native/nclab_cuda.c` (an edited source, as in a
 * clone, builds a new addon). The same formula as `native/build.mjs`, which a test checks.
 *
 * @param root - `@nclab/backend`'s package folder (holds package.json and native/nclab_blas.c).
 * @returns the folder, or undefined outside Node.
 */
export function nativeCacheDir(root: string): string | undefined {
  const forced = readEnv('NCLAB_NATIVE_DIR');
  if (forced) return forced;
  const path = builtinModule<Path>('path');
  const os = builtinModule<typeof import('node:os')>('os');
  const fs = builtinModule<Fs>('fs');
  const crypto = builtinModule<typeof import('node:crypto')>('crypto');
  const proc = (globalThis as { process?: { platform: string; arch: string; versions: { modules?: string } } }).process;
  if (!path || !os || !fs || !crypto || !proc) return undefined;
  let version = 'unknown';
  let hash = 'nosource';
  try {
    version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? version;
    const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'native', 'nclab_blas.c')));
    const cuda = path.join(root, 'native', 'nclab_cuda.c');
    if (fs.existsSync(cuda)) sha.update(fs.readFileSync(cuda));
    hash = sha.digest('hex').slice(0, 8);
  } catch {
    // keep the placeholders: the build then fails with its own reason
  }
  const home = os.homedir();
  const base = readEnv('XDG_CACHE_HOME')
    ?? (proc.platform === 'darwin' ? path.join(home, 'Library', 'Caches')
      : proc.platform === 'win32' ? (readEnv('LOCALAPPDATA') ?? path.join(home, 'AppData', 'Local'))
        : path.join(home, '.cache'));
  return path.join(base, 'nclab', 'native', `${version}-${hash}-${proc.platform}-${proc.arch}-abi${proc.versions.modules ?? 'unknown'}`);
}

/**
 * The addon file to load: `NCLAB_NATIVE_ADDON` when set, else the cache folder's build.
 *
 * @param root - `@nclab/backend`'s package folder.
 * @returns the path (which may not exist yet), or undefined outside Node.
 */
export function addonFile(root: string): string | undefined {
  const override = readEnv('NCLAB_NATIVE_ADDON');
  if (override) return override;
  const path = builtinModule<Path>('path');
  const dir = nativeCacheDir(root);
  return path && dir ? path.join(dir, ADDON_FILE) : undefined;
}

/**
 * BLAS/LAPACK libraries to try after the addon's built-in search fails: each must export the
 * Fortran BLAS and LAPACK symbols (`dgemm_`, `dsyevd_`, …) with 32-bit integers.
 *
 * @param platform - `process.platform` (`win32`: OpenBLAS DLLs on PATH, for the FFI loader; the C addon is POSIX-only).
 * @returns sonames (found by the dynamic loader) and absolute paths.
 */
export function blasLibraryCandidates(platform: string): string[] {
  if (platform === 'win32') {
    return ['libopenblas.dll', 'openblas.dll']; // OpenBLAS's Windows builds (on PATH), through the FFI loader
  }
  if (platform === 'darwin') {
    return [
      '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', // Homebrew, Apple silicon
      '/usr/local/opt/openblas/lib/libopenblas.dylib', // Homebrew, Intel
      '/opt/local/lib/libopenblas.dylib', // MacPorts
      '/System/Library/Frameworks/Accelerate.framework/Accelerate', // Apple Accelerate (always there)
    ];
  }
  return [
    'libopenblas.so', // the development symlink (no soname version)
    'libopenblasp.so.0', // Fedora/RHEL pthreads build
    'libopenblaso.so.0', // Fedora/RHEL OpenMP build
    'libflexiblas.so.3', // Fedora's default BLAS/LAPACK switch
    '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0',
    '/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0',
    '/usr/lib64/libopenblas.so.0',
    '/opt/OpenBLAS/lib/libopenblas.so.0',
  ];
}

/**
 * Loads a BLAS/LAPACK library into a loader (the addon or the FFI one): its built-in search first, then each candidate of
 * {@link blasLibraryCandidates} through `NCLAB_BLAS_LIBRARY` (restored afterwards). A library the
 * user forced with `NCLAB_BLAS_LIBRARY` is the only one tried.
 *
 * @param load - the loader's `load()` (throws when the library cannot be loaded).
 * @param platform - `process.platform`.
 * @returns the library description, or the reasons every attempt failed.
 */
export function loadBlasLibrary(load: () => string, platform: string): { library?: string; reason: string } {
  const tried: string[] = [];
  const attempt = (label: string): string | undefined => {
    try {
      return load();
    } catch (err) {
      tried.push(`${label}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const forced = readEnv('NCLAB_BLAS_LIBRARY');
  const first = attempt(forced ? `NCLAB_BLAS_LIBRARY=${forced}` : 'default search');
  if (first) return { library: first, reason: 'loaded' };
  if (forced) return { reason: tried.join('; ') };
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  const fs = builtinModule<Fs>('fs');
  if (env) {
    for (const candidate of blasLibraryCandidates(platform)) {
      if (candidate.startsWith('/') && fs && !fs.existsSync(candidate)) continue;
      env.NCLAB_BLAS_LIBRARY = candidate;
      try {
        const library = attempt(candidate);
        if (library) return { library, reason: `loaded (found ${candidate} after: ${tried.join('; ')})` };
      } finally {
        delete env.NCLAB_BLAS_LIBRARY;
      }
    }
  }
  const hint = platform === 'darwin' ? 'brew install openblas' : 'apt-get install libopenblas0 (or dnf install openblas)';
  return { reason: `no BLAS/LAPACK library could be loaded (${tried.join('; ')}); ${hint}` };
}

/**
 * Builds the addon into the cache folder with `native/build.mjs` (the C compiler; about a second),
 * unless `NCLAB_NATIVE_BUILD=0`. Prints one line on stderr unless quiet.
 *
 * @param root - `@nclab/backend`'s package folder (holds `native/build.mjs`).
 * @returns the built file, or the reason it was not built.
 */
export function buildAddon(root: string): { file?: string; reason: string } {
  const path = builtinModule<Path>('path');
  const cp = builtinModule<typeof import('node:child_process')>('child_process');
  const fs = builtinModule<Fs>('fs');
  const proc = (globalThis as { process?: { execPath: string; stderr: { write(s: string): unknown } } }).process;
  if (!path || !cp || !fs || !proc) return { reason: 'not running in Node' };
  if (readEnv('NCLAB_NATIVE_BUILD') === '0') return { reason: 'NCLAB_NATIVE_BUILD=0 (no first-use build)' };
  const script = path.join(root, 'native', 'build.mjs');
  const dir = nativeCacheDir(root);
  if (!fs.existsSync(script) || !dir) return { reason: `${script} is missing` };
  if (!isQuiet()) proc.stderr.write(`nclab: building the native linear-algebra addon once into ${dir} ...\n`);
  const r = cp.spawnSync(proc.execPath, [script, '--out', dir, '--quiet'], { encoding: 'utf8', timeout: 180_000 });
  const file = path.join(dir, ADDON_FILE);
  if (r.status === 0 && fs.existsSync(file)) return { file, reason: 'built' };
  return { reason: `the first-use build failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}` };
}
