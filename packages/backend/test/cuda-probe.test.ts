import { describe, expect, it } from 'vitest';
import type { CudaSearchLayout } from '../src/linalg/cuda/discovery.js';
import { CudaUnavailableError } from '../src/linalg/cuda/errors.js';
import { probeCuda } from '../src/linalg/cuda/probe.js';
import { fakeCuda } from './cuda-fake-addon.js';

// The probe with a fake addon on a listed-in-memory layout: which library a failure names, what the
// report says, and that libraries newer than the driver are never offered to dlopen.
const layout: CudaSearchLayout = { libDirs: [], ldLibraryPath: [], systemDirs: ['/sys/lib'], toolkitDirs: ['/tk/lib64'], sitePackages: ['/site'] };
const tree: Record<string, string[]> = {
  '/sys/lib': ['libcuda.so.1'],
  '/tk/lib64': ['libcublas.so.12', 'libcublasLt.so.12', 'libcusolver.so.11', 'libnvrtc.so.12', 'libcudart.so.12'],
  '/site/nvidia/cu13/lib': ['libcublas.so.13', 'libcublasLt.so.13', 'libcusolver.so.12', 'libnvrtc.so.13', 'libcudart.so.13'],
};
const listDir = (d: string): readonly string[] | undefined => tree[d];
const everything = new Set(Object.entries(tree).flatMap(([d, names]) => names.map((n) => `${d}/${n}`)));
const driver = (version: number) => ({ driverVersion: version, deviceCount: 1, name: 'Fake H200', totalMemory: 150 * 2 ** 30, computeCapability: '9.0' });

function errorOf(p: ReturnType<typeof probeCuda>): CudaUnavailableError {
  expect(p.report.available).toBe(false);
  expect(p.error).toBeInstanceOf(CudaUnavailableError);
  expect(p.error?.code).toBe('CUDA_UNAVAILABLE');
  return p.error as CudaUnavailableError;
}

describe('the CUDA probe', () => {
  it('without the addon names nclab_cuda.node and passes on why', () => {
    const e = errorOf(probeCuda(undefined, layout, listDir, 'the CUDA addon is not built (x.node)'));
    expect(e.library).toBe('nclab_cuda.node');
    expect(e.message).toMatch(/not built/);
  });

  it('without a loadable driver names libcuda.so.1 and lists each dlopen error', () => {
    const p = probeCuda(fakeCuda({ openable: new Set() }), layout, listDir);
    expect(errorOf(p).library).toBe('libcuda.so.1');
    const cuda = p.report.libraries.find((l) => l.library === 'cuda')!;
    expect(cuda.file).toBeNull();
    expect(cuda.notFound.some((s) => s.startsWith('/sys/lib/libcuda.so.1'))).toBe(true);
  });

  it('with a driver but no GPU names GPU', () => {
    const err = Object.assign(new Error('nclab_cuda: cuInit failed: CUresult 100 (no CUDA-capable device is detected)'), { code: 'CUDA_DRIVER' });
    const p = probeCuda(fakeCuda({ openable: everything, driver: err }), layout, listDir);
    expect(errorOf(p).library).toBe('GPU');
    expect(p.error?.message).toMatch(/no CUDA-capable device/);
  });

  it('on a CUDA 12 driver offers only CUDA 12 libraries and uses them', () => {
    const fake = fakeCuda({ openable: everything, driver: driver(12040) });
    const p = probeCuda(fake, layout, listDir);
    expect(p.report.available).toBe(true);
    expect(fake.opened.cublas).toBe('/tk/lib64/libcublas.so.12');
    expect(fake.opened.cusolver).toBe('/tk/lib64/libcusolver.so.11');
    expect(fake.tried.flatMap((t) => t.files).some((f) => /\.so\.13$/.test(f))).toBe(false);
    const cublas = p.report.libraries.find((l) => l.library === 'cublas')!;
    expect(cublas.notFound.some((s) => /libcublas\.so\.13 needs a CUDA 13 driver/.test(s))).toBe(true);
    expect(p.report.device).toEqual({ name: 'Fake H200', memoryGiB: 150, computeCapability: '9.0', count: 1 });
    expect(p.report.driver?.version).toBe('12.4');
  });

  it('folder order wins over version: a toolkit before a newer wheel', () => {
    const fake = fakeCuda({ openable: everything, driver: driver(13000) });
    expect(probeCuda(fake, layout, listDir).report.available).toBe(true);
    expect(fake.opened.cublas).toBe('/tk/lib64/libcublas.so.12');
    expect(fake.opened.cusolver).toBe('/tk/lib64/libcusolver.so.11');
  });

  it('on a CUDA 13 driver without a toolkit takes the cu13 wheel, loading cuBLASLt before cuBLAS', () => {
    const fake = fakeCuda({ openable: everything, driver: driver(13000) });
    const p = probeCuda(fake, { ...layout, toolkitDirs: [] }, listDir);
    expect(p.report.available).toBe(true);
    expect(fake.opened.cublas).toBe('/site/nvidia/cu13/lib/libcublas.so.13');
    const order = fake.tried.map((t) => t.slot);
    expect(order.indexOf('cublasLt')).toBeLessThan(order.indexOf('cublas'));
    expect(p.kernels).toBe(true);
    expect(p.report.libraries.find((l) => l.library === 'cublas')?.version).toBe('13.1.0');
  });

  it('without cuSOLVER names libcusolver; without NVRTC still loads (kernels off)', () => {
    const noSolver = new Set([...everything].filter((f) => !f.includes('cusolver')));
    const p = probeCuda(fakeCuda({ openable: noSolver, driver: driver(13000) }), layout, listDir);
    expect(errorOf(p).library).toBe('libcusolver');
    expect(p.error?.message).toMatch(/NCLAB_CUDA_LIB_DIR/);
    const noRtc = new Set([...everything].filter((f) => !f.includes('nvrtc')));
    const q = probeCuda(fakeCuda({ openable: noRtc, driver: driver(13000), nvrtc: false }), layout, listDir);
    expect(q.report.available).toBe(true);
    expect(q.kernels).toBe(false);
    expect(q.report.reason).toMatch(/no NVRTC/);
  });
});

describe('the CUDA probe report without a driver', () => {
  it('still says where each other library is, without opening it', () => {
    const fake = fakeCuda({ openable: new Set() });
    const p = probeCuda(fake, layout, listDir);
    expect(fake.tried.map((t) => t.slot)).toEqual(['cuda']);
    const cublas = p.report.libraries.find((l) => l.library === 'cublas')!;
    expect(cublas.file).toBeNull();
    expect(cublas.notFound.at(-1)).toBe('not opened without a GPU; would try /tk/lib64/libcublas.so.12');
  });
});
