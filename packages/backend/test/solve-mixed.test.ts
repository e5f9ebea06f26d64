import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumericalError, InvalidArgumentError, setLinalgPath, solveSpdMixed, type Matrix } from '../src/index.js';
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

  it('rejects mismatched right-hand sides with a typed error naming b', () => {
    expect(() => solveSpdMixed(randomSpd(5, 1), randn(4, 1, 2))).toThrow(InvalidArgumentError);
    expect(() => solveSpdMixed(randomSpd(5, 1), randn(4, 1, 2))).toThrow(/`b`/);
  });
});
