import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '@nclab/backend';
import { matrixCorrelation, rightShare } from '../src/index.js';

const mat = (rows: number, cols: number, data: number[]) => ({ rows, cols, data: Float64Array.from(data) });

describe('matrixCorrelation', () => {
  it('matches a hand-computed Pearson correlation of the entries', () => {
    // a = [1 2; 3 4], b = [1 3; 2 5]: centred a = [-1.5 -0.5 0.5 1.5], centred b = [-1.75 0.25 -0.75 2.25]
    // <a,b> = 2.625 + -0.125 + -0.375 + 3.375 = 5.5; |a|² = 5; |b|² = 3.0625+0.0625+0.5625+5.0625 = 8.75
    const r = matrixCorrelation(mat(2, 2, [1, 2, 3, 4]), mat(2, 2, [1, 3, 2, 5]));
    expect(r).toBeCloseTo(5.5 / Math.sqrt(5 * 8.75), 14);
  });

  it('is 1 for a positive affine image, −1 for a negative one, and symmetric', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (v, s, t) => {
          const a = mat(2, 3, v);
          const spread = Math.max(...v) - Math.min(...v);
          fc.pre(spread > 1e-3);
          const b = mat(2, 3, v.map((x) => s * x + t));
          const c = mat(2, 3, v.map((x) => -s * x + t));
          expect(matrixCorrelation(a, b)).toBeCloseTo(1, 9);
          expect(matrixCorrelation(a, c)).toBeCloseTo(-1, 9);
          const d = mat(2, 3, v.map((x, i) => x * x + i));
          expect(matrixCorrelation(a, d)).toBeCloseTo(matrixCorrelation(d, a), 12);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is NaN for a constant matrix and rejects mismatched shapes', () => {
    expect(matrixCorrelation(mat(1, 2, [3, 3]), mat(1, 2, [1, 2]))).toBeNaN();
    expect(() => matrixCorrelation(mat(1, 2, [1, 2]), mat(2, 1, [1, 2]))).toThrowError(InvalidArgumentError);
  });
});

describe('rightShare', () => {
  it('is 1 when the whole NC1 reduction happens at S Vᵀ and 0 when none does', () => {
    expect(rightShare(1, 0.1, 0.1)).toBeCloseTo(1, 12);
    expect(rightShare(1, 1, 0.1)).toBeCloseTo(0, 12);
    expect(rightShare(1, 0.1, 0.01)).toBeCloseTo(0.5, 12);
    expect(rightShare(1, 0.5, 1)).toBeNull();
  });
});
