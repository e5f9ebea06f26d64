import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CUDA_LIBRARIES, type CudaSearchLayout, discoverLibrary, formatVersion, sonameMajor } from '../src/linalg/cuda/discovery.js';
import { cudaSearchLayout, parseLdConf, sortToolkits } from '../src/linalg/cuda/search-dirs.js';

// Fake machines: temporary folders holding empty files named like the CUDA libraries.
const base = mkdtempSync(join(tmpdir(), 'nclab-cuda-disc-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function machine(files: Record<string, string>): string {
  const root = join(base, `m${counter++}`);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}
const listDir = (d: string): readonly string[] | undefined => {
  try {
    return readdirSync(d);
  } catch {
    return undefined;
  }
};
const readFile = (f: string): string | undefined => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return undefined;
  }
};
const spec = (name: string) => CUDA_LIBRARIES.find((s) => s.name === name)!;
const layoutOf = (root: string, env: Record<string, string> = {}): CudaSearchLayout => cudaSearchLayout({ env, listDir, readFile, root });
const files = (root: string, lib: string, env: Record<string, string> = {}, driverMajor?: number) =>
  discoverLibrary(spec(lib), layoutOf(root, env), listDir, { driverMajor }).candidates.map((c) => c.file.replace(root, ''));

describe('CUDA library discovery on fake layouts', () => {
  it('reads soname majors and tells a library from its longer-named sibling', () => {
    expect(sonameMajor('libcublas', 'libcublas.so.12')).toBe(12);
    expect(sonameMajor('libcublas', 'libcublas.so.12.4.5.8')).toBe(12);
    expect(sonameMajor('libcublas', 'libcublas.so')).toBeNull();
    expect(sonameMajor('libcublas', 'libcublasLt.so.12')).toBeUndefined();
    expect(sonameMajor('libnvrtc', 'libnvrtc-builtins.so.12')).toBeUndefined();
  });

  it('finds the cu13 wheel layout and the cu12 per-package layout in site-packages, CUDA 13 first', () => {
    const root = machine({
      '/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublas.so.13': '',
      '/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublasLt.so.13': '',
      '/usr/local/lib/python3.12/dist-packages/nvidia/cublas/lib/libcublas.so.12': '',
    });
    expect(files(root, 'cublas')).toEqual([
      '/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublas.so.13',
      '/usr/local/lib/python3.12/dist-packages/nvidia/cublas/lib/libcublas.so.12',
      'libcublas.so.13', 'libcublas.so.12', 'libcublas.so.11',
    ]);
    expect(files(root, 'cublasLt')[0]).toBe('/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublasLt.so.13');
  });

  it('orders NCLAB_CUDA_LIB_DIR, LD_LIBRARY_PATH, system, toolkit (newest first), wheels', () => {
    const root = machine({
      '/opt/mine/libcusolver.so.11': '',
      '/ld/libcusolver.so.11': '',
      '/usr/lib/x86_64-linux-gnu/libcusolver.so.11': '',
      '/usr/local/cuda-12.2/lib64/libcusolver.so.11': '',
      '/usr/local/cuda-12.8/targets/x86_64-linux/lib/libcusolver.so.11': '',
      '/venv/lib/python3.11/site-packages/nvidia/cusolver/lib/libcusolver.so.11': '',
    });
    const got = files(root, 'cusolver', { NCLAB_CUDA_LIB_DIR: `${root}/opt/mine`, LD_LIBRARY_PATH: `${root}/ld`, VIRTUAL_ENV: '/venv' });
    expect(got.filter((f) => f.startsWith('/'))).toEqual([
      '/opt/mine/libcusolver.so.11',
      '/ld/libcusolver.so.11',
      '/usr/lib/x86_64-linux-gnu/libcusolver.so.11',
      '/usr/local/cuda-12.8/targets/x86_64-linux/lib/libcusolver.so.11',
      '/usr/local/cuda-12.2/lib64/libcusolver.so.11',
      '/venv/lib/python3.11/site-packages/nvidia/cusolver/lib/libcusolver.so.11',
    ]);
  });

  it('prefers the soname link over the fully versioned file and the unversioned .so last', () => {
    const root = machine({
      '/usr/local/cuda/lib64/libnvrtc.so': '',
      '/usr/local/cuda/lib64/libnvrtc.so.12': '',
      '/usr/local/cuda/lib64/libnvrtc.so.12.4.127': '',
      '/usr/local/cuda/lib64/libnvrtc-builtins.so.12.4': '',
    });
    expect(files(root, 'nvrtc').slice(0, 2)).toEqual(['/usr/local/cuda/lib64/libnvrtc.so.12', '/usr/local/cuda/lib64/libnvrtc.so']);
  });

  it('rejects libraries newer than the driver, saying why, and keeps the bare sonames the driver can run', () => {
    const root = machine({
      '/usr/local/cuda-13.0/lib64/libcublas.so.13': '',
      '/usr/local/cuda-12.4/lib64/libcublas.so.12': '',
      '/usr/local/cuda-13.0/lib64/libcusolver.so.12': '',
    });
    const d = discoverLibrary(spec('cublas'), layoutOf(root), listDir, { driverMajor: 12 });
    expect(d.candidates.map((c) => c.file.replace(root, ''))).toEqual(['/usr/local/cuda-12.4/lib64/libcublas.so.12', 'libcublas.so.12', 'libcublas.so.11']);
    expect(d.rejected.find((r) => r.dir.endsWith('cuda-13.0/lib64'))?.reason).toBe('libcublas.so.13 needs a CUDA 13 driver; the driver supports CUDA 12');
    // cuSOLVER 12 ships with CUDA 13
    const s = discoverLibrary(spec('cusolver'), layoutOf(root), listDir, { driverMajor: 12 });
    expect(s.rejected.some((r) => /libcusolver\.so\.12 needs a CUDA 13 driver/.test(r.reason))).toBe(true);
    expect(s.candidates.map((c) => c.file)).toEqual(['libcusolver.so.11']);
  });

  it('reports absent folders and folders without the library', () => {
    const root = machine({ '/usr/lib64/libfoo.so': '' });
    const d = discoverLibrary(spec('cublas'), layoutOf(root, { NCLAB_CUDA_LIB_DIR: `${root}/nowhere` }), listDir);
    expect(d.rejected[0]).toEqual({ dir: `${root}/nowhere`, source: 'NCLAB_CUDA_LIB_DIR', reason: 'folder absent' });
    expect(d.rejected.find((r) => r.dir === `${root}/usr/lib64`)?.reason).toBe('no libcublas.so* file');
    expect(d.candidates.every((c) => c.source === 'loader')).toBe(true);
  });

  it('takes the driver only by its soname from system folders, never a toolkit stub or a wheel', () => {
    const root = machine({
      '/usr/local/cuda/lib64/stubs/libcuda.so': '',
      '/usr/local/cuda/lib64/libcuda.so.1': '',
      '/usr/lib/x86_64-linux-gnu/libcuda.so': '',
      '/usr/lib/x86_64-linux-gnu/libcuda.so.1': '',
      '/usr/lib/x86_64-linux-gnu/libcuda.so.580.65.06': '',
    });
    expect(files(root, 'cuda')).toEqual(['/usr/lib/x86_64-linux-gnu/libcuda.so.1', 'libcuda.so.1']);
  });

  it('adds folders from /etc/ld.so.conf and its includes', () => {
    expect(parseLdConf('# c\n/usr/local/cuda/lib64 # tail\ninclude /etc/ld.so.conf.d/*.conf\nrelative\n')).toEqual({
      dirs: ['/usr/local/cuda/lib64'], includes: ['/etc/ld.so.conf.d/*.conf'],
    });
    const root = machine({
      '/etc/ld.so.conf': 'include /etc/ld.so.conf.d/*.conf\n',
      '/etc/ld.so.conf.d/988_cuda-12.conf': '/opt/nv/lib\n',
      '/etc/ld.so.conf.d/skip.txt': '/not/this\n',
      '/opt/nv/lib/libcudart.so.12': '',
    });
    const layout = layoutOf(root);
    expect(layout.systemDirs).toContain(`${root}/opt/nv/lib`);
    expect(layout.systemDirs).not.toContain(`${root}/not/this`);
    expect(files(root, 'cudart')[0]).toBe('/opt/nv/lib/libcudart.so.12');
  });

  it('sorts toolkits newest first and keeps only existing Python package folders', () => {
    expect(sortToolkits(['cuda', 'cuda-12', 'cuda-12.4', 'cuda-13.0', 'cuda-12.10'])).toEqual(['cuda-13.0', 'cuda-12.10', 'cuda-12.4', 'cuda-12', 'cuda']);
    const root = machine({ '/home/u/.local/lib/python3.10/site-packages/x': '' });
    const layout = layoutOf(root, { HOME: '/home/u', PYTHONPATH: '/nope' });
    expect(layout.sitePackages).toEqual([`${root}/home/u/.local/lib/python3.10/site-packages`]);
  });

  it('formats each library\'s version encoding', () => {
    expect(formatVersion('cuda', 12040)).toBe('12.4');
    expect(formatVersion('nvrtc', 13000)).toBe('13.0');
    expect(formatVersion('cublas', 120402)).toBe('12.4.2');
    expect(formatVersion('cusolver', 11601)).toBe('11.6.1');
    expect(formatVersion('cublas', 0)).toBe('unknown');
  });
});
