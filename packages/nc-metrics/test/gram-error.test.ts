import { describe, expect, it } from 'vitest';
import { createRng, fromRows, InvalidArgumentError } from '@nclab/backend/host';
import { fitExponentialRate, gramError } from '../src/gram-error.js';

/** ‖F Fᵀ − yyᵀ‖_F by forming the N×N Gram (the reference). */
function naiveGramError(f: number[][], labels: number[]): number {
  let s = 0;
  for (let i = 0; i < f.length; i++) for (let j = 0; j < f.length; j++) {
    const g = f[i].reduce((acc, v, k) => acc + v * f[j][k], 0);
    s += (g - (labels[i] === labels[j] ? 1 : 0)) ** 2;
  }
  return Math.sqrt(s);
}

describe('gramError', () => {
  it('is 0 at the collapsed fixed point (classes on orthonormal directions) and √(Σ n_k²) at F = 0', () => {
    expect(gramError(fromRows([[1, 0], [1, 0], [0, 1]]), [0, 0, 1]).gramError).toBeCloseTo(0, 14);
    const z = gramError(fromRows([[0, 0], [0, 0], [0, 0]]), [0, 0, 1]);
    expect(z.gramError).toBeCloseTo(Math.sqrt(5), 14);
    expect(z.relativeGramError).toBeCloseTo(1, 14);
  });

  it('equals the N×N reference on random data, with and without row normalisation', () => {
    const rng = createRng(5);
    const rows = Array.from({ length: 11 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const labels = rows.map((_, i) => i % 3);
    expect(gramError(fromRows(rows), labels).gramError).toBeCloseTo(naiveGramError(rows, labels), 10);
    const unit = rows.map((r) => {
      const n = Math.hypot(...r);
      return r.map((v) => v / n);
    });
    expect(gramError(fromRows(rows), labels, { normalize: true }).gramError).toBeCloseTo(naiveGramError(unit, labels), 10);
  });

  it('equals the reference for wide features too (d > N: the N×N Gram is the smaller one)', () => {
    const rng = createRng(6);
    const rows = Array.from({ length: 6 }, () => Array.from({ length: 13 }, () => rng.normal()));
    const labels = rows.map((_, i) => i % 2);
    expect(gramError(fromRows(rows), labels).gramError).toBeCloseTo(naiveGramError(rows, labels), 10);
  });
});

describe('fitExponentialRate', () => {
  it('recovers q and C of an exact geometric sequence with R² = 1', () => {
    const e = Array.from({ length: 6 }, (_, i) => 3 * 0.7 ** (i + 1));
    const fit = fitExponentialRate(e);
    expect(fit.rate).toBeCloseTo(0.7, 12);
    expect(fit.logIntercept).toBeCloseTo(Math.log(3), 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.points).toBe(6);
  });

  it('uses the given layer indices, skips exact zeros, and has R² < 1 for a noisy sequence', () => {
    const fit = fitExponentialRate([1, 0.25, 0, 1 / 64], [0, 2, 3, 6]);
    expect(fit.rate).toBeCloseTo(0.5, 12); // 2^{-l}
    expect(fit.points).toBe(3);
    const noisy = fitExponentialRate([1, 0.6, 0.2, 0.15, 0.03]);
    expect(noisy.r2).toBeLessThan(1);
    expect(noisy.r2).toBeGreaterThan(0.8);
  });

  it('rejects too few points and mismatched layers with typed errors', () => {
    expect(() => fitExponentialRate([1, 0])).toThrow(InvalidArgumentError);
    expect(() => fitExponentialRate([1, 2], [1])).toThrow(InvalidArgumentError);
    expect(() => fitExponentialRate([1, 2], [3, 3])).toThrow(InvalidArgumentError);
  });
});
