import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumericalError, InvalidArgumentError, factorWorkspace, productArray, setLinalgPath, solveSpdMixed, type Matrix } from '../src/index.js';
import { poolShares } from '../src/linalg/portable/gemm-pool.js';
import { maxAbsDiff, naiveMul, randn, randomSpd } from './helpers.js';
import { linalgPaths } from './linalg-paths.js';

describe.each(linalgPaths())('solveSpdMixed (float32 factor, float64 refinement) on the %s path', (path) => {
  beforeAll(() => {
    setLinalgPath(path);
  });
  afterAll(() => {
    setLinalgPath('auto');
  });

  it('reaches a float64 residual on a well-conditioned SPD system large enough for the threaded kernels', () => {
    const n = 520;
    const a = randomSpd(n, 21);
    const b = randn(n, 4, 22);
    const { x, iterations, residual } = solveSpdMixed(a, b, { shift: 0.5 });
    expect(residual).toBeLessThanOrEqual(1e-13);
    expect(iterations).toBeGreaterThan(0); // the float32 factor alone is not that accurate
    const ax = naiveMul(a, x).data.map((v, i) => v + 0.5 * x.data[i]);
    expect(maxAbsDiff(ax, b.data)).toBeLessThan(1e-11);
  });

  it('throws NumericalError instead of returning a poor answer when the system is too ill-conditioned', () => {
    // Hilbert matrix, n = 12: cond ≈ 1e16, far beyond what a float32 factor can refine
    const n = 12;
    const h: Matrix = { rows: n, cols: n, data: new Float64Array(n * n).map((_, t) => 1 / (Math.floor(t / n) + (t % n) + 1)) };
    expect(() => solveSpdMixed(h, randn(n, 1, 3))).toThrow(NumericalError);
  });

  it('factors into a reused workspace with the bits of a fresh array, and never writes A', () => {
    const n = 300;
    const a = randomSpd(n, 31);
    const b = randn(n, 2, 32);
    const before = Float64Array.from(a.data);
    const fresh = solveSpdMixed(a, b, { shift: 0.1 });
    const ws = factorWorkspace(n + 5); // larger than n²: the leading n² entries are used
    ws.fill(Number.NaN); // nothing of what it held may leak into the answer
    const first = solveSpdMixed(a, b, { shift: 0.1, workspace: ws });
    const again = solveSpdMixed(a, b, { shift: 0.1, workspace: ws }); // now holding the previous factor
    expect(Array.from(first.x.data)).toEqual(Array.from(fresh.x.data));
    expect(Array.from(again.x.data)).toEqual(Array.from(fresh.x.data));
    expect(first.iterations).toBe(fresh.iterations);
    expect(a.data).toEqual(before);
  });

  it('rejects a workspace that is not float32 or smaller than n², naming it', () => {
    const a = randomSpd(6, 1);
    const b = randn(6, 1, 2);
    expect(() => solveSpdMixed(a, b, { workspace: new Float32Array(35) })).toThrow(InvalidArgumentError);
    expect(() => solveSpdMixed(a, b, { workspace: new Float32Array(35) })).toThrow(/`workspace`.*36/);
    expect(() => solveSpdMixed(a, b, { workspace: new Float64Array(36) as unknown as Float32Array })).toThrow(/`workspace`/);
  });

  it('makes factor workspaces of n² float32 entries, shared with the threads on the portable path', () => {
    const n = 1100; // 4.8 MB: large enough for shared memory where the pool runs threads
    const ws = factorWorkspace(n);
    expect(ws).toBeInstanceOf(Float32Array);
    expect(ws.length).toBe(n * n);
    expect(ws.buffer instanceof SharedArrayBuffer).toBe(path === 'portable' && poolShares(4 * n * n));
    // the general allocator behind it: float64 too, and small arrays stay plain on every path
    const big = productArray(Float64Array, 700_000); // 5.6 MB
    expect(big).toBeInstanceOf(Float64Array);
    expect(big.length).toBe(700_000);
    expect(big.buffer instanceof SharedArrayBuffer).toBe(path === 'portable' && poolShares(8 * 700_000));
    expect(productArray(Float64Array, 1000).buffer instanceof SharedArrayBuffer).toBe(false);
    expect(productArray(Float64Array, 700_000, { linalg: 'portable' }).buffer instanceof SharedArrayBuffer).toBe(poolShares(8 * 700_000));
  });

  it('rejects mismatched right-hand sides with a typed error naming b', () => {
    expect(() => solveSpdMixed(randomSpd(5, 1), randn(4, 1, 2))).toThrow(InvalidArgumentError);
    expect(() => solveSpdMixed(randomSpd(5, 1), randn(4, 1, 2))).toThrow(/`b`/);
  });
});
