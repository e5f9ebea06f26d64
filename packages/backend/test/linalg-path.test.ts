import { afterAll, describe, expect, it } from 'vitest';
import {
  eigh, gemm, getLinalgImpl, getLinalgInfo, InvalidArgumentError, matmul, psdSqrt, resolveLinalg, setLinalgPath,
  setLinalgQuiet, solveSpdMixed, svd,
} from '../src/index.js';
import { closeWorkerPool } from '../src/index.js';
import { randn, randomSpd, randomSymmetric } from './helpers.js';

const hasNative = getLinalgImpl('native') !== null;

afterAll(async () => {
  await closeWorkerPool();
});

// This file runs in its own process: the global path is still unchosen when the first test runs.
describe('the float64 path as a parameter', () => {
  it('NCLAB_LINALG with an unknown value raises an InvalidArgumentError naming the variable', () => {
    process.env.NCLAB_LINALG = 'bogus';
    try {
      let caught: unknown;
      try {
        getLinalgInfo();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).argument).toBe('NCLAB_LINALG');
      expect((caught as InvalidArgumentError).actual).toMatch(/bogus/);
      // an explicit per-call path does not consult the environment
      expect(resolveLinalg('portable').path).toBe('portable');
    } finally {
      delete process.env.NCLAB_LINALG;
    }
  });

  it('setLinalgQuiet(true) silences the path notice without writing process.env', () => {
    const before = process.env.NCLAB_QUIET;
    delete process.env.NCLAB_QUIET;
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      written.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      setLinalgQuiet(true);
      getLinalgInfo(); // first choice of the global path: the one moment the notice is printed
    } finally {
      process.stderr.write = write;
      setLinalgQuiet(undefined);
      if (before !== undefined) process.env.NCLAB_QUIET = before;
    }
    expect(written.filter((s) => s.includes('float64 linear algebra'))).toEqual([]);
    expect(process.env.NCLAB_QUIET).toBe(before);
  });

  it('resolveLinalg and getLinalgInfo(path) name the implementation a call would use', () => {
    expect(resolveLinalg('portable')).toBe(getLinalgImpl('portable'));
    expect(getLinalgInfo('portable').path).toBe('portable');
    expect(getLinalgInfo('auto').path).toBe(hasNative ? 'native' : 'portable');
    expect(resolveLinalg().path).toBe(getLinalgInfo().path);
    let caught: unknown;
    try {
      resolveLinalg('fast' as 'auto');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe('linalg');
    expect(() => gemm(randn(2, 2, 1), randn(2, 2, 2), { linalg: 'fast' as 'auto' })).toThrow(InvalidArgumentError);
  });

  it.skipIf(!hasNative)('linalg: portable runs one call on the portable path while the global path is native', async () => {
    setLinalgPath('native');
    const portable = getLinalgImpl('portable')!;
    const native = getLinalgImpl('native')!;
    const s = randomSymmetric(40, 3);
    const a = randn(50, 30, 4);
    // The two paths use different algorithms (QL vs dsyevd, Jacobi vs dgesdd): their bits differ,
    // and a per-call override reproduces the portable bits exactly.
    const ep = eigh(s, { linalg: 'portable' });
    expect(ep.values).toEqual(portable.eigh(s).values);
    expect(ep.vectors.data).toEqual(portable.eigh(s).vectors.data);
    expect(eigh(s).values).toEqual(native.eigh(s).values);
    expect(eigh(s).vectors.data).not.toEqual(ep.vectors.data);
    expect(svd(a, { linalg: 'portable' }).s).toEqual(portable.svd(a).s);
    expect(gemm(a, a, { transB: true, linalg: 'portable' }).data).toEqual(portable.gemm(a, a, { transB: true }).data);
    // derived entries pass the path down: psdSqrt on the portable path equals the portable composition
    const spd = randomSpd(20, 5);
    const { values, vectors } = portable.eigh(spd);
    const root = psdSqrt(spd, { linalg: 'portable' });
    let r00 = 0;
    for (let j = 0; j < 20; j++) r00 += vectors.data[j] ** 2 * Math.sqrt(Math.max(0, values[j]));
    expect(Math.abs(root.data[0] - r00)).toBeLessThan(1e-12 * Math.abs(r00));
    expect(solveSpdMixed(spd, randn(20, 2, 6), { linalg: 'portable' }).residual).toBeLessThan(1e-12);
    // the float32 product route follows the per-call path too: portable → the tfjs engine, not sgemm
    const x = randn(8, 5, 7);
    const viaEngine = await matmul(x, x, { transB: true, linalg: 'portable' });
    const viaSgemm = await matmul(x, x, { transB: true, linalg: 'native' });
    expect(Math.max(...viaEngine.data.map((v, i) => Math.abs(v - gemm(x, x, { transB: true }).data[i])))).toBeLessThan(1e-4);
    expect(Array.from(viaSgemm.data)).toEqual(Array.from(native.sgemm({ rows: 8, cols: 5, data: Float32Array.from(x.data) }, { rows: 8, cols: 5, data: Float32Array.from(x.data) }, { transB: true }).data));
    expect(getLinalgInfo().path).toBe('native');
  });
});
