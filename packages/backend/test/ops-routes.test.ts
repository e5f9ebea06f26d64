import { afterAll, describe, expect, it } from 'vitest';
import { poolMatmul } from '../src/ops/pool.js';
import { closeWorkerPool, gemm, getLinalgImpl, initEngine, matmul, setLinalgPath, toFloat32, transpose } from '../src/index.js';
import { maxAbsDiff, randn } from './helpers.js';

afterAll(async () => {
  await closeWorkerPool();
});

describe('large-product routes', () => {
  it('the worker pool (one wasm engine per worker, rows split) matches the float64 product', async () => {
    const m = 67, k = 40, n = 33;
    const a = randn(m, k, 1);
    const b = randn(k, n, 2);
    const c = await poolMatmul(toFloat32(a).data, m, k, toFloat32(b).data, n);
    expect(maxAbsDiff(c, gemm(a, b).data)).toBeLessThan(1e-4);
  });

  it('matmul above the pool threshold on the portable path (wasm engine) matches float64', async () => {
    setLinalgPath('portable');
    await initEngine({ engine: 'wasm' });
    const a = randn(512, 256, 3);
    const b = randn(256, 512, 4);
    const c = await matmul(a, b);
    expect(maxAbsDiff(c.data, getLinalgImpl('portable')!.gemm(a, b).data)).toBeLessThan(1e-3);
  });

  it.skipIf(getLinalgImpl('native') === null)('matmul on the native sgemm route matches float64', async () => {
    setLinalgPath('native');
    const a = randn(30, 20, 5);
    const b = randn(20, 10, 6);
    expect(maxAbsDiff((await matmul(a, b, {})).data, gemm(a, b).data)).toBeLessThan(1e-4);
    expect(maxAbsDiff((await matmul(a, a, { transB: true })).data, gemm(a, a, { transB: true }).data)).toBeLessThan(1e-4);
  });

  it.skipIf(getLinalgImpl('native') === null)('matmul on the native route takes every transpose flag and float32 input as the portable route does', async () => {
    const a = randn(23, 17, 7);
    const b = randn(17, 11, 8);
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const x = tA ? transpose(a) : a;
      const y = tB ? transpose(b) : b;
      setLinalgPath('native');
      const native = await matmul(toFloat32(x), y, { transA: tA, transB: tB });
      setLinalgPath('portable');
      const portable = await matmul(toFloat32(x), y, { transA: tA, transB: tB });
      expect([native.rows, native.cols]).toEqual([23, 11]);
      expect(maxAbsDiff(native.data, gemm(a, b).data)).toBeLessThan(1e-4);
      expect(maxAbsDiff(native.data, portable.data)).toBeLessThan(1e-4);
    }
    setLinalgPath('native');
    expect((await matmul(randn(3, 0, 1), randn(0, 2, 1))).data).toEqual(new Float32Array(6));
  });

  it('matmul writes into `out` (a longer buffer: its first m·n entries) on both routes, and refuses a short one', async () => {
    const a = randn(9, 6, 11);
    const b = randn(6, 5, 12);
    for (const path of ['portable', 'native'] as const) {
      if (getLinalgImpl(path) === null) continue;
      setLinalgPath(path);
      const buf = new Float32Array(60).fill(7);
      const c = await matmul(a, b, { out: buf });
      expect(c.data.buffer).toBe(buf.buffer);
      expect(c.data.length).toBe(45);
      expect(maxAbsDiff(c.data, gemm(a, b).data)).toBeLessThan(1e-4);
      expect(buf[45]).toBe(7);
      await expect(matmul(a, b, { out: new Float32Array(44) })).rejects.toThrow(/options\.out/);
      await expect(matmul(a, b, { out: new Float64Array(45) as unknown as Float32Array })).rejects.toThrow(/options\.out/);
    }
    setLinalgPath('auto');
  });
});
