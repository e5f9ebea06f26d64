import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, fromRows, InvalidArgumentError, type Matrix } from '@nclab/backend/host';
import { nc1Fisher, nc1FisherFromStatistics } from '../src/fisher.js';
import { ClassMeanAccumulator, ResidualAccumulator } from '../src/index.js';
import { nc1TraceRatio } from '../src/index.js';
import { randomLabelledData } from './random-data.js';

/** x A for a row matrix x and a d×d matrix A (row-major). */
function mapRows(x: Matrix, a: Float64Array): Matrix {
  const { rows, cols: d } = x;
  const out = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) for (let k = 0; k < d; k++) {
    const v = x.data[i * d + k];
    for (let j = 0; j < d; j++) out[i * d + j] += v * a[k * d + j];
  }
  return { rows, cols: d, data: out };
}

describe('nc1Fisher', () => {
  it('closed form in 1-D: Σ_W = 1, Σ_B = 4 gives 4 at full rank', () => {
    const r = nc1Fisher(fromRows([[0], [2], [4], [6]]), [0, 0, 1, 1]);
    expect(r.nc1Fisher).toBeCloseTo(4, 13);
    expect(r.nc1FisherRank).toBe(1);
    expect(r).toMatchObject({ n: 4, d: 1, K: 2 });
  });

  it('closed form with singular Σ_W: only the residual direction counts, rank 1', () => {
    // class 0 around (0, 0), class 1 around (4, 6); residuals ±1 along x only: Σ_W = diag(1, 0)
    const x = fromRows([[-1, 0], [1, 0], [3, 6], [5, 6]]);
    const r = nc1Fisher(x, [0, 0, 1, 1]);
    expect(r.nc1FisherRank).toBe(1);
    // m̃ = ±(2, 3); Σ_W⁺ = diag(1, 0): (1/2)(4 + 4) = 4
    expect(r.nc1Fisher).toBeCloseTo(4, 12);
    expect(r.rtol).toBeCloseTo(4 * 2 ** -52, 30);
  });

  it('closed form in d = 2, K = 3: tr(Σ_W⁻¹ Σ_B) with Σ_W = diag(a², b²)', () => {
    const a = 0.5;
    const b = 2;
    const mu = [[0, 0], [3, 1], [-1, 4]];
    const rows: number[][] = [];
    const labels: number[] = [];
    mu.forEach(([u, v], k) => {
      for (const [s, t] of [[a, 0], [-a, 0], [0, b], [0, -b]]) {
        rows.push([u + s, v + t]);
        labels.push(k);
      }
    });
    // per class the residuals ±a e1, ±b e2 (4 samples): Σ_W = diag(2a²/4, 2b²/4)
    const sw = [a * a / 2, b * b / 2];
    const g = [(0 + 3 - 1) / 3, (0 + 1 + 4) / 3];
    let expected = 0;
    for (const [u, v] of mu) expected += ((u - g[0]) ** 2 / sw[0] + (v - g[1]) ** 2 / sw[1]) / 3;
    const r = nc1Fisher(fromRows(rows), labels);
    expect(r.nc1FisherRank).toBe(2);
    expect(r.nc1Fisher).toBeCloseTo(expected, 11);
  });

  it('is invariant to an invertible linear map of the features while the trace ratio changes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (K, d, seed) => {
        const { features: x, labels } = randomLabelledData(K, d, seed, { minPerClass: d + 2, maxPerClass: 6 });
        const rng = createRng(seed + 1);
        // A = I + 0.5·G + diag(scale): well conditioned but far from orthogonal
        const A = Float64Array.from(rng.normalArray(d * d), (v) => 0.5 * v);
        for (let i = 0; i < d; i++) A[i * d + i] += 1 + 3 * i;
        const y = mapRows(x, A);
        const before = nc1Fisher(x, labels, { numClasses: K });
        const after = nc1Fisher(y, labels, { numClasses: K });
        expect(before.nc1FisherRank).toBe(d);
        expect(after.nc1FisherRank).toBe(d);
        expect(Math.abs(after.nc1Fisher - before.nc1Fisher)).toBeLessThanOrEqual(1e-7 * Math.max(1, before.nc1Fisher));
        if (d > 1) {
          const tr0 = nc1TraceRatio(x, labels, { numClasses: K });
          const tr1 = nc1TraceRatio(y, labels, { numClasses: K });
          expect(Math.abs(tr1 - tr0)).toBeGreaterThan(1e-6 * tr0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('rejects bad input with typed errors', () => {
    expect(() => nc1Fisher(fromRows([[0], [1]]), [0, 0])).toThrow(InvalidArgumentError);
    expect(() => nc1Fisher(fromRows([[0], [1], [NaN], [3]]), [0, 0, 1, 1])).toThrow(InvalidArgumentError);
    expect(() => nc1Fisher(fromRows([[0], [1], [2], [3]]), [0, 0, 1, 1], { rtol: -1 })).toThrow(InvalidArgumentError);
  });

  it('from streamed statistics (chunks of any size) equals nc1Fisher on the whole matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1e6 }), (K, d, chunk, seed) => {
        const { features: x, labels } = randomLabelledData(K, d, seed, { minPerClass: 2, maxPerClass: 6 });
        const n = x.rows;
        const rowsOf = (s: number, e: number): Matrix => ({ rows: e - s, cols: d, data: x.data.subarray(s * d, e * d) as Float64Array });
        const pass1 = new ClassMeanAccumulator({ numClasses: K, dim: d });
        for (let s = 0; s < n; s += chunk) pass1.update(rowsOf(s, Math.min(n, s + chunk)), labels.slice(s, Math.min(n, s + chunk)));
        const means = pass1.finalize();
        const pass2 = new ResidualAccumulator(means, { fullScatter: true });
        for (let s = 0; s < n; s += chunk) pass2.update(rowsOf(s, Math.min(n, s + chunk)), labels.slice(s, Math.min(n, s + chunk)));
        const streamed = nc1FisherFromStatistics(means, pass2.finalize());
        const whole = nc1Fisher(x, labels, { numClasses: K });
        expect(streamed.nc1FisherRank).toBe(whole.nc1FisherRank);
        expect(Math.abs(streamed.nc1Fisher - whole.nc1Fisher)).toBeLessThanOrEqual(1e-9 * Math.max(1, whole.nc1Fisher));
      }),
      { numRuns: 30 },
    );
  });

  it('from statistics without a scatter: typed error', () => {
    const x = fromRows([[0], [2], [4], [6]]);
    const means = new ClassMeanAccumulator({ numClasses: 2, dim: 1 }).update(x, [0, 0, 1, 1]).finalize();
    const res = new ResidualAccumulator(means).update(x, [0, 0, 1, 1]).finalize();
    expect(() => nc1FisherFromStatistics(means, res)).toThrow(InvalidArgumentError);
  });
});
