import { describe, expect, it } from 'vitest';
import { fromRows } from '@nclab/backend/host';
import type { Matrix } from '@nclab/backend/host';
import { balancedness, computeLayerMetrics, computeMetrics, formatLayerTable, formatMetricsTable, spectrumSummary } from '../src/index.js';
import { etfWithIsotropicNoise, randomOrthogonal } from './fixtures.js';
import { randomLabelledData } from './random-data.js';

describe('structure probes', () => {
  it('spectrumSummary gives singular values, rank and condition on the non-zero part', () => {
    const s = spectrumSummary(fromRows([[3, 0, 0], [0, 1, 0], [0, 0, 0]]));
    expect(Array.from(s.singularValues)).toEqual([3, 1, 0]);
    expect(s.rank).toBe(2);
    expect(s.condition).toBe(3);
    expect(spectrumSummary(fromRows([[3, 0], [0, 1e-3]]), { rtol: 1e-2 }).rank).toBe(1);
  });

  it('balancedness is 0 for W2 = V S Uᵀ after W1 = U S Wᵀ and grows when one layer is rescaled', () => {
    const d = 4;
    const U = randomOrthogonal(d, 1);
    const V = randomOrthogonal(d, 2);
    const Q = randomOrthogonal(d, 3);
    const S = [3, 2, 1, 0.5];
    const W1 = new Float64Array(d * d);
    const W2 = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        for (let k = 0; k < d; k++) {
          W1[a * d + b] += U[a * d + k] * S[k] * Q[b * d + k];
          W2[a * d + b] += V[a * d + k] * S[k] * U[b * d + k];
        }
      }
    }
    const m = (data: Float64Array): Matrix => ({ rows: d, cols: d, data });
    const [b0] = balancedness([m(W1), m(W2)]);
    expect(b0.error).toBeLessThan(1e-12);
    const [b1] = balancedness([m(W1), m(W2.map((v) => 2 * v))]);
    // ‖4 U S² Uᵀ − U S² Uᵀ‖_F = 3 ‖S²‖_F
    expect(b1.error).toBeCloseTo(3 * Math.hypot(...S.map((v) => v * v)), 10);
    expect(b1.relative).toBeCloseTo(3, 10);
  });

  it('reports the rank of the centred class means (low-rank structure below K − 1)', () => {
    // 4 classes whose means lie on a line: rank 1
    const x = fromRows([[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1], [2, 0, 0], [2, 0, 1], [4, 0, 0], [4, 0, 1]]);
    const r = computeMetrics(x, [0, 0, 1, 1, 2, 2, 3, 3]);
    expect(r.meanRank).toBe(1);
    expect(r.warnings.join('\n')).toMatch(/Σ_B has numerical rank 1/);
    expect(r.sigmaBEigenvalues).toHaveLength(1);
  });
});

describe('per-layer analysis', () => {
  it('returns one row per layer, in order, with unbalanced classes reported once', () => {
    const a = randomLabelledData(3, 5, 1, { maxPerClass: 8 });
    const collapsed = etfWithIsotropicNoise(3, 4, 1, 0, {});
    // reuse a's labels for a second "layer": the class means of a, with no spread
    const h: Matrix = { rows: a.features.rows, cols: 4, data: new Float64Array(a.features.rows * 4) };
    for (let i = 0; i < a.features.rows; i++) h.data.set(collapsed.means.data.subarray(a.labels[i] * 4, a.labels[i] * 4 + 4), i * 4);
    const out = computeLayerMetrics([{ name: 'input', features: a.features }, { name: 'last', features: h }], a.labels);
    expect(out.layers.map((l) => l.layer)).toEqual(['input', 'last']);
    expect(out.layers[1].nc1TraceRatio).toBeLessThan(1e-25);
    expect(out.layers[1].nc2Etf).toBeLessThan(1e-12);
    expect(out.layers[0].nc1TraceRatio).toBeGreaterThan(0);
    const unbalanced = new Set(out.layers[0].counts).size > 1;
    expect(out.warnings.filter((w) => w.includes('unbalanced'))).toHaveLength(unbalanced ? 1 : 0);
    const table = formatLayerTable(out.layers);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toMatch(/^layer\s+d\s+nc1TraceRatio/);
  });

  it('rejects empty layer lists, duplicate names and mismatched row counts', () => {
    const a = randomLabelledData(3, 5, 1);
    expect(() => computeLayerMetrics([], a.labels)).toThrow(/non-empty array/);
    expect(() => computeLayerMetrics([{ name: 'x', features: a.features }, { name: 'x', features: a.features }], a.labels)).toThrow(/unique/);
    const short: Matrix = { rows: 2, cols: 5, data: new Float64Array(10) };
    expect(() => computeLayerMetrics([{ name: 'x', features: a.features }, { name: 'y', features: short }], a.labels)).toThrow(/N = \d+ rows/);
  });
});

describe('formatMetricsTable', () => {
  it('prints sizes, each metric with its definition, the preset block and the warnings', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { seed: 1 });
    const text = formatMetricsTable(computeMetrics(features, labels, { preset: 'zhu2021' }));
    expect(text).toMatch(/N = 48, K = 4, d = 6/);
    expect(text).toMatch(/nc1Pinv\s+0\.050625\s+tr\(Σ_W Σ_B\^†\)\/K/);
    expect(text).toMatch(/nc1TraceRatio\s+0\.135/);
    expect(text).toMatch(/preset zhu2021/);
    expect(text).toMatch(/warnings:\n- preset zhu2021/);
    expect(text).not.toMatch(/nc3/);
  });

  it('spells metric names and column headers with keyName', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { seed: 1 });
    const r = computeMetrics(features, labels, { preset: 'zhu2021' });
    const upper = (k: string) => k.toUpperCase();
    const text = formatMetricsTable(r, { keyName: upper });
    expect(text).toMatch(/NC1PINV\s+0\.050625/);
    expect(text).toMatch(/NC2H\s/);
    expect(formatLayerTable([{ ...r, layer: 'x' }], ['nc1Pinv'], { keyName: upper })).toMatch(/^layer\s+d\s+NC1PINV\n/);
  });
});
