import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, fromRows } from '@nclab/backend/host';
import { kernelMatrix, medianBandwidth, resolveKernel, sqDistances } from '../src/index.js';
import { maxAbsDiff, randn, randomPsd } from './helpers.js';
import { gradientWeightsFromValuesInPlace, radialGradientWeightFromValue } from '../src/kernels.js';

describe('resolveKernel', () => {
  it('rejects a non-positive or non-finite bandwidth with a typed error naming it', () => {
    for (const bw of [0, -1, NaN, Infinity]) {
      expect(() => resolveKernel({ kind: 'laplace', bandwidth: bw })).toThrow(InvalidArgumentError);
      expect(() => resolveKernel({ kind: 'laplace', bandwidth: bw })).toThrow(/`bandwidth`/);
    }
  });
  it('rejects unknown kernels and exponents outside (0, 2]', () => {
    expect(() => resolveKernel('cauchy' as never)).toThrow(/`kernel`/);
    expect(() => resolveKernel({ kind: 'exponential', exponent: 2.5 })).toThrow(/`exponent`/);
    expect(() => resolveKernel({ kind: 'exponential', exponent: 0 })).toThrow(/`exponent`/);
  });
});

describe('kernelMatrix', () => {
  const x = fromRows([[0, 0], [3, 4], [1, 0]]);
  it('matches the closed forms of the Laplace, Gaussian and linear kernels', () => {
    const lap = kernelMatrix(x, undefined, { kernel: { kind: 'laplace', bandwidth: 5 } });
    expect(lap.data[1]).toBeCloseTo(Math.exp(-1), 15);
    expect(lap.data[0]).toBe(1);
    const gau = kernelMatrix(x, undefined, { kernel: { kind: 'gaussian', bandwidth: 5 } });
    expect(gau.data[1]).toBeCloseTo(Math.exp(-25 / 50), 15);
    const lin = kernelMatrix(x, undefined, { kernel: 'linear' });
    expect(lin.data[1 * 3 + 2]).toBe(3);
  });
  it('generalised exponent: p = 1 is Laplace, p = 2 with L is Gaussian with L/√2', () => {
    const z = randn(7, 4, 1);
    const w = randn(5, 4, 2);
    const a = kernelMatrix(z, w, { kernel: { kind: 'exponential', exponent: 1, bandwidth: 1.7 } });
    const b = kernelMatrix(z, w, { kernel: { kind: 'laplace', bandwidth: 1.7 } });
    expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-15);
    const c = kernelMatrix(z, w, { kernel: { kind: 'exponential', exponent: 2, bandwidth: 1.7 } });
    const g = kernelMatrix(z, w, { kernel: { kind: 'gaussian', bandwidth: 1.7 / Math.SQRT2 } });
    expect(maxAbsDiff(c.data, g.data)).toBeLessThan(1e-14);
  });
  it('a Mahalanobis M = AᵀA equals the plain kernel on the mapped points xA ᵀ (full and diagonal)', () => {
    const z = randn(6, 3, 3);
    const m = randomPsd(3, 4);
    // factor M = R Rᵀ by Cholesky by hand (3×3) and map rows x → Rᵀx, i.e. row-vector x R
    const r = new Float64Array(9);
    for (let j = 0; j < 3; j++) {
      let s = m.data[j * 3 + j];
      for (let p = 0; p < j; p++) s -= r[j * 3 + p] ** 2;
      r[j * 3 + j] = Math.sqrt(s);
      for (let i = j + 1; i < 3; i++) {
        let t = m.data[i * 3 + j];
        for (let p = 0; p < j; p++) t -= r[i * 3 + p] * r[j * 3 + p];
        r[i * 3 + j] = t / r[j * 3 + j];
      }
    }
    const mapped = new Float64Array(18);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) mapped[i * 3 + j] += z.data[i * 3 + k] * r[k * 3 + j];
    const a = kernelMatrix(z, undefined, { kernel: { kind: 'laplace', bandwidth: 2 }, metric: m });
    const b = kernelMatrix({ rows: 6, cols: 3, data: mapped }, undefined, { kernel: { kind: 'laplace', bandwidth: 2 } });
    expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-12);
    const diag = Float64Array.from([4, 1, 0.25]);
    const scaled = new Float64Array(18);
    for (let i = 0; i < 18; i++) scaled[i] = z.data[i] * Math.sqrt(diag[i % 3]);
    const c = kernelMatrix(z, undefined, { kernel: { kind: 'gaussian', bandwidth: 2 }, metric: diag });
    const d = kernelMatrix({ rows: 6, cols: 3, data: scaled }, undefined, { kernel: { kind: 'gaussian', bandwidth: 2 } });
    expect(maxAbsDiff(c.data, d.data)).toBeLessThan(1e-14);
  });
  it('rejects NaN data, mismatched dimensions, and bad metrics', () => {
    const bad = fromRows([[0, NaN]]);
    expect(() => kernelMatrix(bad, undefined, { kernel: 'laplace' })).toThrow(/`x`/);
    expect(() => kernelMatrix(x, fromRows([[1, 2, 3]]), { kernel: 'laplace' })).toThrow(/`z`/);
    expect(() => kernelMatrix(x, undefined, { kernel: 'laplace', metric: Float64Array.from([1, -1]) })).toThrow(/`metric`/);
    expect(() => kernelMatrix(x, undefined, { kernel: 'laplace', metric: fromRows([[1, 2], [0, 1]]) })).toThrow(/symmetric/);
  });
});

describe('sqDistances', () => {
  it('gives exactly 0 for self-pairs and exact duplicates, and the true value elsewhere', () => {
    const z = randn(5, 8, 5);
    const dup = { rows: 6, cols: 8, data: new Float64Array(48) };
    dup.data.set(z.data);
    dup.data.set(z.data.subarray(16, 24), 40); // row 5 duplicates row 2
    const sq = sqDistances(dup);
    for (let i = 0; i < 6; i++) expect(sq.data[i * 6 + i]).toBe(0);
    expect(sq.data[2 * 6 + 5]).toBe(0);
    let s = 0;
    for (let k = 0; k < 8; k++) s += (z.data[k] - z.data[8 + k]) ** 2;
    expect(sq.data[1]).toBeCloseTo(s, 12);
  });
});

describe('gradientWeightsFromValuesInPlace', () => {
  it('matches the per-entry weights on both triangles, with 0 for k = 1 (self-pairs), k = 0 and tiny distances', () => {
    const values = [0, 1 - 2 ** -52, 1 - 1e-12, 0.999, 0.5, 0.1, 1e-300, Math.exp(-3), 0.75, 0.2];
    const n = 5; // the 10 values fill the strict lower triangle; the diagonal is k = 1
    for (const spec of [{ kind: 'laplace', bandwidth: 2 }, { kind: 'gaussian', bandwidth: 0.7 }, { kind: 'exponential', bandwidth: 1.5, exponent: 0.6 }] as const) {
      const kernel = resolveKernel(spec);
      const data = new Float64Array(n * n).fill(1);
      let t = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) data[i * n + j] = data[j * n + i] = values[t++];
      const k = data.slice();
      gradientWeightsFromValuesInPlace(kernel, data, n);
      for (let p = 0; p < n * n; p++) {
        const ref = radialGradientWeightFromValue(kernel, k[p]);
        expect(Math.abs(data[p] - ref)).toBeLessThanOrEqual(1e-14 * Math.abs(ref));
      }
      for (let i = 0; i < n; i++) expect(data[i * n + i]).toBe(0);
      expect(data[1 * n + 0]).toBe(0); // k = 0
      expect(data[3 * n + 1]).toBeGreaterThan(0); // k = 0.5
    }
  });
});

describe('medianBandwidth', () => {
  it('returns the median pairwise distance', () => {
    expect(medianBandwidth(fromRows([[0], [1], [3]]))).toBe(2);
    expect(medianBandwidth(fromRows([[0], [1], [3]]), { scale: 2 })).toBe(4);
  });
  it('rejects data without two distinct rows', () => {
    expect(() => medianBandwidth(fromRows([[1, 1], [1, 1]]))).toThrow(InvalidArgumentError);
  });
});
