import { afterAll, describe, expect, it } from 'vitest';
import { CudaUnavailableError, cudaKernelBlock, cudaReport, getCudaDevice, getLinalgImpl, getLinalgInfo, InvalidArgumentError, LINALG_REQUESTS, resolveLinalg, setLinalgPath } from '../src/index.js';

// On a machine without a usable GPU (CI): `cuda` fails with a typed error naming what is missing, and
// `auto` falls back to native/portable. On a GPU machine the same file checks that `auto` picks cuda.
const report = cudaReport();
const hasCuda = report.available;

describe('the cuda path request', () => {
  afterAll(() => {
    setLinalgPath('auto');
  });

  it('is one of the accepted requests', () => {
    expect(LINALG_REQUESTS).toContain('cuda');
    expect(() => resolveLinalg('cud' as 'cuda')).toThrow(InvalidArgumentError);
  });

  it.skipIf(hasCuda)('fails cleanly where no GPU loads: a CudaUnavailableError naming the missing library', () => {
    expect(getLinalgImpl('cuda')).toBeNull();
    for (const call of [() => resolveLinalg('cuda'), () => setLinalgPath('cuda'), () => getLinalgInfo('cuda'), () => getCudaDevice(), () => cudaKernelBlock({ rows: 1, cols: 1, data: new Float64Array(1) }, { rows: 1, cols: 1, data: new Float64Array(1) }, { kind: 'laplace', bandwidth: 1 })]) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CudaUnavailableError);
      expect((err as CudaUnavailableError).code).toBe('CUDA_UNAVAILABLE');
      expect(['nclab_cuda.node', 'libcuda.so.1', 'GPU', 'libcublas', 'libcusolver']).toContain((err as CudaUnavailableError).library);
    }
    expect(report.reason.length).toBeGreaterThan(0);
  });

  it.skipIf(hasCuda)('auto falls back to native or portable', () => {
    const info = getLinalgInfo('auto');
    expect(info.path).toBe(getLinalgImpl('native') ? 'native' : 'portable');
    expect(setLinalgPath('auto').path).toBe(info.path);
  });

  it.skipIf(!hasCuda)('auto prefers cuda where a GPU loads, and the report names the device and libraries', () => {
    expect(getLinalgInfo('auto').path).toBe('cuda');
    expect(report.device?.name).toBeTruthy();
    expect(report.libraries.find((l) => l.library === 'cublas')?.file).toBeTruthy();
  });
});
