import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type AnyMatrix, type Matrix } from '@nclab/backend/host';
import { blockLabelMatrix, blockLabels, gaussianMixture, labelMatrix, orthogonalFrame, simplexEtf } from '../src/index.js';

function gram(m: Matrix): number[][] {
  const g: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    g.push([]);
    for (let j = 0; j < m.rows; j++) {
      let s = 0;
      for (let t = 0; t < m.cols; t++) s += m.data[i * m.cols + t] * m.data[j * m.cols + t];
      g[i].push(s);
    }
  }
  return g;
}

function expectClose(a: number[][], b: (i: number, j: number) => number, tol: number): void {
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b(i, j)), `(${i}, ${j})`).toBeLessThan(tol)));
}

/** Empirical NC statistics with empirical class means: Σ_W with 1/N, Σ_B with 1/K around the mean of class means. */
function empirical(x: AnyMatrix, labels: Int32Array, K: number) {
  const { rows: N, cols: d, data } = x;
  const mu = new Float64Array(K * d);
  const cnt = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    cnt[labels[i]]++;
    for (let t = 0; t < d; t++) mu[labels[i] * d + t] += data[i * d + t];
  }
  for (let k = 0; k < K; k++) for (let t = 0; t < d; t++) mu[k * d + t] /= cnt[k];
  const g = new Float64Array(d);
  for (let k = 0; k < K; k++) for (let t = 0; t < d; t++) g[t] += mu[k * d + t] / K;
  const sw = new Float64Array(d * d);
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < d; a++) {
      const ra = data[i * d + a] - mu[labels[i] * d + a];
      for (let b = 0; b < d; b++) sw[a * d + b] += (ra * (data[i * d + b] - mu[labels[i] * d + b])) / N;
    }
  }
  const sb = new Float64Array(d * d);
  for (let k = 0; k < K; k++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) sb[a * d + b] += ((mu[k * d + a] - g[a]) * (mu[k * d + b] - g[b])) / K;
  let tw = 0;
  let tb = 0;
  for (let a = 0; a < d; a++) {
    tw += sw[a * d + a];
    tb += sb[a * d + a];
  }
  return { mu, sw, sb, traceRatio: tw / tb, d };
}

/** tr(A B⁻¹) for small symmetric positive definite B (Gauss–Jordan on [B | I]). */
function traceAInvB(A: Float64Array, B: Float64Array, d: number): number {
  const m = Array.from({ length: d }, (_, i) => [...Array.from(B.subarray(i * d, (i + 1) * d)), ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const pv = m[c][c];
    for (let j = 0; j < 2 * d; j++) m[c][j] /= pv;
    for (let r = 0; r < d; r++) if (r !== c) {
      const f = m[r][c];
      for (let j = 0; j < 2 * d; j++) m[r][j] -= f * m[c][j];
    }
  }
  let tr = 0;
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) tr += A[i * d + k] * m[k][d + i];
  return tr;
}

describe('simplex ETF', () => {
  it.each([
    [2, 1, 1, 'canonical'], [3, 2, 1, 'canonical'], [4, 6, 2, 'canonical'], [10, 9, 0.5, 'canonical'],
    [5, 4, 3, 'random'], [10, 64, 1.7, 'random'],
  ] as const)('K=%i, d=%i, r=%f, %s basis: M Mᵀ = r² K/(K−1) (I − 11ᵀ/K)', (K, d, r, basis) => {
    const m = simplexEtf(K, { dim: d, radius: r, basis, seed: 11 });
    expect([m.rows, m.cols]).toEqual([K, d]);
    expectClose(gram(m), (i, j) => r * r * (K / (K - 1)) * ((i === j ? 1 : 0) - 1 / K), 1e-12 * Math.max(1, r * r));
  });

  it('is centred and uses all d coordinates under a random basis, seed-dependently', () => {
    const a = simplexEtf(4, { dim: 8, basis: 'random', seed: 1 });
    const b = simplexEtf(4, { dim: 8, basis: 'random', seed: 2 });
    for (let t = 0; t < 8; t++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a.data[k * 8 + t];
      expect(Math.abs(s)).toBeLessThan(1e-14);
    }
    expect(a.data.some((v, i) => i % 8 >= 3 && Math.abs(v) > 1e-3)).toBe(true);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
  });

  it('rejects d < K − 1, K < 2 and r ≤ 0', () => {
    expect(() => simplexEtf(5, { dim: 3 })).toThrow(InvalidArgumentError);
    expect(() => simplexEtf(5, { dim: 3 })).toThrow(/`dim` must be an integer in 4\.\./);
    expect(() => simplexEtf(1)).toThrow(/`numClasses`/);
    expect(() => simplexEtf(3, { radius: 0 })).toThrow(/`radius`/);
  });
});

describe('orthogonal frame', () => {
  it.each([['canonical'], ['random']] as const)('%s basis: M Mᵀ = r² I', (basis) => {
    const m = orthogonalFrame(6, { dim: 20, radius: 2.5, basis, seed: 5 });
    expectClose(gram(m), (i, j) => (i === j ? 6.25 : 0), 1e-12);
  });

  it('rejects d < K', () => {
    expect(() => orthogonalFrame(4, { dim: 3 })).toThrow(/`dim`/);
  });
});

describe('label matrices', () => {
  it('blockLabelMatrix is the Kronecker product I_K ⊗ 1_nᵀ', () => {
    const K = 3;
    const n = 4;
    const y = blockLabelMatrix(K, n);
    expect([y.rows, y.cols]).toEqual([K, K * n]);
    // (I_K ⊗ 1_nᵀ)[k, j·… ] entry: row k, column c is I[k, floor(c / n)] · 1
    for (let k = 0; k < K; k++) for (let c = 0; c < K * n; c++) expect(y.data[k * K * n + c]).toBe(k === Math.floor(c / n) ? 1 : 0);
  });

  it('plus-minus coding is 2Y − 1 and the samples-by-classes layout is the transpose', () => {
    const y01 = blockLabelMatrix(4, 3);
    const ypm = blockLabelMatrix(4, 3, { coding: 'plus-minus' });
    y01.data.forEach((v, i) => expect(ypm.data[i]).toBe(2 * v - 1));
    const yt = blockLabelMatrix(4, 3, { coding: 'plus-minus', layout: 'samples-by-classes' });
    expect([yt.rows, yt.cols]).toEqual([12, 4]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 12; i++) expect(yt.data[i * 4 + k]).toBe(ypm.data[k * 12 + i]);
  });

  it('labelMatrix of unordered labels has one +1 per column and column sums 2 − K under ±1 coding', () => {
    const labels = Int32Array.from([2, 0, 4, 4, 1, 3, 0]);
    const y = labelMatrix(labels, 5, { coding: 'plus-minus' });
    for (let i = 0; i < labels.length; i++) {
      let sum = 0;
      for (let k = 0; k < 5; k++) sum += y.data[k * labels.length + i];
      expect(sum).toBe(2 - 5);
      expect(y.data[labels[i] * labels.length + i]).toBe(1);
    }
    expect(() => labelMatrix(Int32Array.from([5]), 5)).toThrow(/`labels` must be integers in \[0, 5\)/);
    expect(Array.from(blockLabels(2, 3))).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('Gaussian mixture', () => {
  it('reports the closed forms: K=4, d=6, r=2, s=0.3 gives trace ratio 0.135 and tr(Σ_W Σ_B^†)/K = 0.050625', () => {
    const ds = gaussianMixture({ numClasses: 4, perClass: 2, dim: 6, radius: 2, noise: 0.3 });
    expect(ds.theory.traceWithin).toBeCloseTo(0.54, 14);
    expect(ds.theory.traceBetween).toBeCloseTo(4, 12);
    expect(ds.theory.traceRatio).toBeCloseTo(0.135, 12);
    expect(ds.theory.nc1Pinv).toBeCloseTo(0.050625, 12);
    const o = gaussianMixture({ numClasses: 4, perClass: 2, dim: 6, radius: 2, noise: 0.3, means: 'orthogonal' });
    expect(o.theory.traceBetween).toBeCloseTo(3, 12); // r²(K−1)/K
    expect(o.theory.traceRatio).toBeCloseTo((0.09 * 6 * 4) / (4 * 3), 12);
    expect(o.theory.nc1Pinv).toBeCloseTo((0.09 * 3) / 4, 12);
  });

  it('empirical NC1 trace ratio and tr(Σ_W Σ_B⁻¹)/K approach the closed forms for large n (ETF, d = K − 1)', () => {
    const K = 4;
    const ds = gaussianMixture({ numClasses: K, perClass: 20000, dim: 3, radius: 2, noise: 0.3, seed: 7 });
    const e = empirical(ds.x, ds.labels, K);
    // s² d / r² = 0.0675; standard error of the estimate is about 0.3 % here
    expect(Math.abs(e.traceRatio / ds.theory.traceRatio - 1)).toBeLessThan(0.02);
    const nc1 = traceAInvB(e.sw, e.sb, e.d) / K;
    expect(Math.abs(nc1 / ds.theory.nc1Pinv! - 1)).toBeLessThan(0.03);
  });

  it('the orthogonal frame in d > K follows its own closed form, with a random basis', () => {
    const ds = gaussianMixture({ numClasses: 3, perClass: 10000, dim: 10, radius: 1.5, noise: 0.2, means: 'orthogonal', basis: 'random', seed: 3 });
    const e = empirical(ds.x, ds.labels, 3);
    expect(Math.abs(e.traceRatio / ((0.04 * 10 * 3) / (2.25 * 2)) - 1)).toBeLessThan(0.02);
  });

  it('class means converge to the true means at rate s/√n', () => {
    const n = 5000;
    const ds = gaussianMixture({ numClasses: 5, perClass: n, dim: 8, radius: 3, noise: 0.5, basis: 'random', seed: 2 });
    const e = empirical(ds.x, ds.labels, 5);
    const maxErr = Math.max(...Array.from(e.mu, (v, i) => Math.abs(v - ds.means.data[i])));
    expect(maxErr).toBeLessThan((5 * 0.5) / Math.sqrt(n)); // 5 standard errors
  });

  it('is class-blocked, seeded and reproducible; zero noise returns the means exactly', () => {
    const a = gaussianMixture({ numClasses: 3, perClass: 4, noise: 0.1, seed: 9 });
    const b = gaussianMixture({ numClasses: 3, perClass: 4, noise: 0.1, seed: 9 });
    const c = gaussianMixture({ numClasses: 3, perClass: 4, noise: 0.1, seed: 10 });
    expect(Array.from(a.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.x.data)).not.toEqual(Array.from(c.x.data));
    const z = gaussianMixture({ numClasses: 3, perClass: 2, noise: 0, radius: 2 });
    for (let i = 0; i < 6; i++) for (let t = 0; t < 2; t++) expect(z.x.data[i * 2 + t]).toBe(z.means.data[Math.floor(i / 2) * 2 + t]);
    const f = gaussianMixture({ numClasses: 3, perClass: 4, noise: 0.1, seed: 9, dtype: 'float32' });
    expect(f.x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f.x.data)).toEqual(Array.from(a.x.data, Math.fround));
  });

  it('accepts explicit means and computes tr Σ_B from them; trace ratio is Infinity when all means coincide', () => {
    const means: Matrix = { rows: 2, cols: 2, data: Float64Array.from([1, 0, -1, 0]) };
    const ds = gaussianMixture({ numClasses: 2, perClass: 3, noise: 0.5, means });
    expect(ds.theory.traceBetween).toBe(1);
    expect(ds.theory.traceRatio).toBeCloseTo(0.5, 14);
    expect(ds.theory.nc1Pinv).toBeNull();
    const same = gaussianMixture({ numClasses: 2, perClass: 1, noise: 1, means: { rows: 2, cols: 1, data: Float64Array.from([3, 3]) } });
    expect(same.theory.traceRatio).toBe(Infinity);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => gaussianMixture({ numClasses: 1, perClass: 3, noise: 1 })).toThrow(/`numClasses`/);
    expect(() => gaussianMixture({ numClasses: 3, perClass: 0, noise: 1 })).toThrow(/`perClass`/);
    expect(() => gaussianMixture({ numClasses: 3, perClass: 2, noise: -1 })).toThrow(/`noise`/);
    expect(() => gaussianMixture({ numClasses: 3, perClass: 2, noise: NaN })).toThrow(/`noise`/);
    expect(() => gaussianMixture({ numClasses: 3, perClass: 2, noise: 1, means: { rows: 2, cols: 2, data: new Float64Array(4) } })).toThrow(/K = 3 rows/);
    expect(() => gaussianMixture({ numClasses: 2, perClass: 2, noise: 1, means: { rows: 2, cols: 1, data: Float64Array.from([0, NaN]) } })).toThrow(/finite/);
    expect(() => gaussianMixture({ numClasses: 3, perClass: 2, noise: 1, means: 'simplex' as never })).toThrow(/`means`/);
  });
});
