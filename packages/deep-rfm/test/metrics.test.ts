import { describe, expect, it } from 'vitest';
import { collapseMetrics, centredGram, normalizeRows, arcCosineExpectation, sampleFeatureMap, applyFeatureMap } from '../src/index.js';
import { createRng, type Matrix } from '@nclab/backend/host';

/** Simplex-ETF means of norm r; each class holds μ_c ± s·e_k for every axis k (Σ_W = (s²/d) I exactly). */
function etfData(K: number, d: number, r: number, s: number): { x: Matrix; labels: Int32Array } {
  const means = new Float64Array(K * d);
  for (let c = 0; c < K; c++) for (let k = 0; k < K; k++) means[c * d + k] = ((c === k ? 1 : 0) - 1 / K) * r * Math.sqrt(K / (K - 1));
  const n = K * 2 * d;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < K; c++) {
    for (let k = 0; k < d; k++) {
      for (const sign of [1, -1]) {
        for (let j = 0; j < d; j++) data[i * d + j] = means[c * d + j] + (j === k ? sign * s : 0);
        labels[i++] = c;
      }
    }
  }
  return { x: { rows: n, cols: d, data }, labels };
}

describe('collapseMetrics', () => {
  it('matches the closed forms on simplex-ETF means with isotropic within-class spread', () => {
    const K = 4, d = 6, r = 2, s = 0.3;
    const { x, labels } = etfData(K, d, r, s);
    const m = collapseMetrics(x, labels, K);
    expect(m.nc1).toBeCloseTo((s * s) / (r * r), 12);
    expect(m.nc1Pinv).toBeCloseTo((s * s * (K - 1) ** 2) / (d * K * r * r), 12);
    expect(m.nc2).toBeLessThan(1e-12);
  });
  it('the trace ratio and ETF error are invariant to rotations and to global scaling', () => {
    const { x, labels } = etfData(3, 4, 1, 0.5);
    const a = collapseMetrics(x, labels, 3);
    const c = Math.cos(0.7), sn = Math.sin(0.7);
    const y = x.data.slice();
    for (let i = 0; i < x.rows; i++) {
      const u = x.data[i * 4], v = x.data[i * 4 + 2];
      y[i * 4] = 3 * (c * u - sn * v);
      y[i * 4 + 2] = 3 * (sn * u + c * v);
      y[i * 4 + 1] *= 3;
      y[i * 4 + 3] *= 3;
    }
    const b = collapseMetrics({ rows: x.rows, cols: 4, data: y }, labels, 3);
    expect(b.nc1).toBeCloseTo(a.nc1, 12);
    expect(b.nc2).toBeCloseTo(a.nc2, 12);
  });
  it('the centred Gram of collapsed features is exactly the ETF pattern', () => {
    const { x, labels } = etfData(3, 4, 1, 0);
    const g = centredGram(x, labels, 3, [0, 1, 8, 9, 16, 17]);
    expect(g.etfDeviation).toBeLessThan(1e-12);
    expect(g.matrix[0][1]).toBe(1);
    expect(g.matrix[0][2]).toBeCloseTo(-0.5, 4);
  });
  it('the centred Gram holds the cosines of the rows centred by the mean of all N, and their RMS distance from the ETF pattern', () => {
    const n = 30, d = 7, K = 3;
    const data = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.7 * i) + (i % d) * 0.3);
    const labels = Int32Array.from({ length: n }, (_, i) => i % K);
    const idx = [0, 3, 1, 4, 2, 5, 29];
    const g = centredGram({ rows: n, cols: d, data }, labels, K, idx);
    const mean = Array.from({ length: d }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += data[i * d + k]; return s / n; });
    const row = (i: number) => Array.from({ length: d }, (_, k) => data[i * d + k] - mean[k]);
    const cos = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k], 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    let dev = 0;
    for (let a = 0; a < idx.length; a++) {
      for (let b = 0; b < idx.length; b++) {
        const c = cos(row(idx[a]), row(idx[b]));
        expect(Math.abs(g.matrix[a][b] - c)).toBeLessThanOrEqual(5e-5 + 1e-12); // rounded to 1e-4
        if (a !== b) dev += (c - (labels[idx[a]] === labels[idx[b]] ? 1 : -1 / (K - 1))) ** 2;
      }
    }
    expect(g.etfDeviation).toBeCloseTo(Math.sqrt(dev / (idx.length * (idx.length - 1))), 12);
    expect(g.labels).toEqual(idx.map((i) => labels[i]));
  });
});

describe('normalizeRows', () => {
  it("'unit' gives unit rows, 'gram' unit mean squared norm, 'none' a copy", () => {
    const x: Matrix = { rows: 2, cols: 2, data: Float64Array.from([3, 4, 0, 2]) };
    const u = normalizeRows(x, 'unit').data;
    [0.6, 0.8, 0, 1].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
    const g = normalizeRows(x, 'gram', 1 / Math.sqrt((25 + 4) / 2));
    expect((g.data[0] ** 2 + g.data[1] ** 2 + g.data[3] ** 2) / 2).toBeCloseTo(1, 14);
    expect(Array.from(normalizeRows(x, 'none').data)).toEqual([3, 4, 0, 2]);
  });
});

describe('Proposition A.1 (arc-cosine kernel)', () => {
  it('equals (√(1−r²) + (π − arccos r) r)/π and is 1 at r = 1, 1/π at r = 0', () => {
    for (const r of [-0.99, -0.5, 0, 0.3, 0.9, 1]) {
      expect(arcCosineExpectation(r)).toBeCloseTo((Math.sqrt(1 - r * r) + (Math.PI - Math.acos(r)) * r) / Math.PI, 14);
    }
    expect(arcCosineExpectation(1)).toBeCloseTo(1, 15);
    expect(arcCosineExpectation(0)).toBeCloseTo(1 / Math.PI, 15);
    expect(() => arcCosineExpectation(1.5)).toThrow(/`r`/);
  });
  it('matches a Monte Carlo estimate with the library ReLU feature map, W ~ N(0, 2/D)', () => {
    const D = 40000;
    const d = 5;
    const map = sampleFeatureMap(d, { kind: 'relu', width: D, weightStd: Math.sqrt(2 / D) }, createRng(7));
    for (const r of [-0.8, -0.2, 0.4, 0.95]) {
      const x = [1, 0, 0, 0, 0];
      const y = [r, Math.sqrt(1 - r * r), 0, 0, 0];
      const f = applyFeatureMap(map, { rows: 2, cols: d, data: Float64Array.from([...x, ...y]) });
      let dot = 0;
      let sq = 0;
      for (let j = 0; j < D; j++) {
        const p = f.data[j] * f.data[D + j] * D;
        dot += p / D;
        sq += (p * p) / D;
      }
      const se = Math.sqrt((sq - dot * dot) / D);
      expect(Math.abs(dot - arcCosineExpectation(r))).toBeLessThan(4 * se + 1e-12);
    }
  });
  it('random Fourier features approximate the Laplace and Gaussian kernels', () => {
    const D = 20000;
    const x = Float64Array.from([0.3, -0.2, 0.5]);
    const y = Float64Array.from([-0.1, 0.4, 0.2]);
    const dist = Math.hypot(0.4, -0.6, 0.3);
    for (const [kind, k] of [['laplace', Math.exp(-dist / 1.5)], ['gaussian', Math.exp(-(dist * dist) / (2 * 1.5 * 1.5))]] as const) {
      const map = sampleFeatureMap(3, { kind: 'rff', width: D, rffKernel: kind, rffBandwidth: 1.5 }, createRng(3));
      const f = applyFeatureMap(map, { rows: 2, cols: 3, data: Float64Array.from([...x, ...y]) });
      let dot = 0;
      for (let j = 0; j < D; j++) dot += f.data[j] * f.data[D + j];
      expect(Math.abs(dot - k)).toBeLessThan(0.03);
    }
  });
  it('rejects width < 1', () => {
    expect(() => sampleFeatureMap(3, { kind: 'relu', width: 0 }, createRng(0))).toThrow(/`width`/);
  });
});
