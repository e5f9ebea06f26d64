/**
 * Locating the native addon and the BLAS/LAPACK library (src/linalg/native/locate.ts): the cache
 * folder formula agrees with native/build.mjs, the library fallback walks the candidates through
 * NCLAB_BLAS_LIBRARY and restores it, a library the user forced is the only one tried, and a missing
 * compiler gives a reason instead of an exception.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { blasLibraryCandidates, loadBlasLibrary, nativeCacheDir } from '../src/linalg/native/locate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(root, 'native', 'build.mjs');
const saved = { ...process.env };
afterEach(() => {
  for (const k of ['NCLAB_BLAS_LIBRARY', 'NCLAB_NATIVE_DIR', 'XDG_CACHE_HOME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('native addon cache folder', () => {
  it('is the folder native/build.mjs builds into (same version, source hash, platform and ABI)', () => {
    process.env.XDG_CACHE_HOME = '/tmp/nclab-cache-probe';
    delete process.env.NCLAB_NATIVE_DIR;
    const printed = spawnSync(process.execPath, [script, '--print-dir'], { encoding: 'utf8', env: process.env }).stdout.trim();
    expect(nativeCacheDir(root)).toBe(printed);
    expect(printed.startsWith('/tmp/nclab-cache-probe/nclab/native/0.')).toBe(true);
    expect(printed).toMatch(new RegExp(`-[0-9a-f]{8}-${process.platform}-${process.arch}-abi${process.versions.modules}$`));
  });

  it('honours NCLAB_NATIVE_DIR', () => {
    process.env.NCLAB_NATIVE_DIR = '/opt/nclab-addon';
    expect(nativeCacheDir(root)).toBe('/opt/nclab-addon');
  });

  it('reports a missing compiler as a reason (exit 1), never as a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nclab-native-'));
    try {
      const r = spawnSync(process.execPath, [script, '--out', dir, '--quiet', '--force'], { encoding: 'utf8', env: { ...process.env, CC: 'nclab-no-such-cc' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('nclab-no-such-cc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('BLAS/LAPACK library search', () => {
  it('lists Accelerate and Homebrew OpenBLAS on macOS, 32-bit-integer builds only on Linux', () => {
    expect(blasLibraryCandidates('darwin')).toContain('/System/Library/Frameworks/Accelerate.framework/Accelerate');
    expect(blasLibraryCandidates('darwin')).toContain('/opt/homebrew/opt/openblas/lib/libopenblas.dylib');
    expect(blasLibraryCandidates('linux').some((c) => c.includes('64_'))).toBe(false);
  });

  it('falls back through the candidates via NCLAB_BLAS_LIBRARY and restores it', () => {
    delete process.env.NCLAB_BLAS_LIBRARY;
    const seen: (string | undefined)[] = [];
    const load = () => {
      seen.push(process.env.NCLAB_BLAS_LIBRARY);
      if (process.env.NCLAB_BLAS_LIBRARY === 'libflexiblas.so.3') return 'BLAS/LAPACK (libflexiblas.so.3)';
      throw new Error('cannot load');
    };
    const r = loadBlasLibrary(load, 'linux');
    expect(r.library).toBe('BLAS/LAPACK (libflexiblas.so.3)');
    expect(seen.slice(0, 4)).toEqual([undefined, 'libopenblas.so', 'libopenblasp.so.0', 'libopenblaso.so.0']);
    expect(r.reason).toContain('libflexiblas.so.3');
    expect(process.env.NCLAB_BLAS_LIBRARY).toBeUndefined();
  });

  it('tries only the library the user forced, and names every failure otherwise', () => {
    process.env.NCLAB_BLAS_LIBRARY = '/my/libblas.so';
    let calls = 0;
    const forced = loadBlasLibrary(() => { calls++; throw new Error('lacks a routine'); }, 'linux');
    expect(calls).toBe(1);
    expect(forced.library).toBeUndefined();
    expect(forced.reason).toContain('/my/libblas.so');
    expect(process.env.NCLAB_BLAS_LIBRARY).toBe('/my/libblas.so');
    delete process.env.NCLAB_BLAS_LIBRARY;
    const none = loadBlasLibrary(() => { throw new Error('no'); }, 'darwin');
    expect(none.reason).toContain('brew install openblas');
  });
});
