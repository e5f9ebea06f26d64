import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, fromRows, psdSqrt, type Matrix } from '@nclab/backend/host';
import { fitRfm, matrixCorrelation, nfaCorrelation, predictRfm, accuracy } from '../src/index.js';
import { randn, randomPsd } from './helpers.js';

describe('matrixCorrelation', () => {
  it('is 1 for affine copies, −1 for negated copies, in [−1, 1] otherwise', () => {
    const a = randn(5, 5, 1);
    const b: Matrix = { rows: 5, cols: 5, data: a.data.map((v) => 2 * v + 3) };
    const c: Matrix = { rows: 5, cols: 5, data: a.data.map((v) => -v) };
    expect(matrixCorrelation(a, b)).toBeCloseTo(1, 14);
    expect(matrixCorrelation(a, c)).toBeCloseTo(-1, 14);
    const r = matrixCorrelation(a, randn(5, 5, 2));
    expect(Math.abs(r)).toBeLessThanOrEqual(1);
  });
  it('rejects shape mismatches and constant matrices', () => {
    expect(() => matrixCorrelation(randn(2, 3, 1), randn(3, 2, 1))).toThrow(InvalidArgumentError);
    expect(() => matrixCorrelation(fromRows([[1, 1]]), fromRows([[1, 2]]))).toThrow(/non-constant/);
  });
});

describe('nfaCorrelation', () => {
  it('is 1 when WᵀW equals AGOP^{1/2} (and AGOP for power 1)', () => {
    const g = randomPsd(4, 7);
    const root = psdSqrt(g);
    // W = G^{1/4}: WᵀW = G^{1/2}; build W from the root's root
    const w = psdSqrt(root);
    expect(nfaCorrelation(w, g, { power: 0.5 })).toBeCloseTo(1, 8);
    expect(nfaCorrelation(root, g, { power: 1 })).toBeCloseTo(1, 8);
  });
  it('subtracts the initial weights when given', () => {
    const g = randomPsd(4, 8);
    const w = psdSqrt(g);
    const w0 = randn(4, 4, 9);
    const shifted: Matrix = { rows: 4, cols: 4, data: w.data.map((v, i) => v + w0.data[i]) };
    expect(nfaCorrelation(shifted, g, { power: 1, initialWeights: w0 })).toBeCloseTo(1, 8);
    expect(() => nfaCorrelation(w, randomPsd(3, 1))).toThrow(/`agop`/);
  });
});

describe('fitRfm', () => {
  it('learns a metric concentrated on the two relevant coordinates of y = x₀·x₁ and lowers the test error', () => {
    const n = 160;
    const d = 8;
    const x = randn(n, d, 41);
    const xt = randn(80, d, 42);
    const target = (m: Matrix) => ({ rows: m.rows, cols: 1, data: Float64Array.from({ length: m.rows }, (_, i) => m.data[i * d] * m.data[i * d + 1]) });
    const rfm = fitRfm({ x, targets: target(x) }, {
      kernel: { kind: 'laplace', bandwidth: 4 },
      ridge: 1e-3,
      iterations: 3,
      test: { x: xt, targets: target(xt) },
    });
    const m = rfm.metric as Matrix;
    const tr = Array.from({ length: d }, (_, i) => m.data[i * d + i]);
    const total = tr.reduce((s, v) => s + v, 0);
    expect((tr[0] + tr[1]) / total).toBeGreaterThan(0.8);
    expect(rfm.history).toHaveLength(4);
    expect(rfm.history[3].testMse!).toBeLessThan(0.7 * rfm.history[0].testMse!);
  });
  it('classifies with labels and reports accuracy; rejects bad iterations', () => {
    const x = randn(60, 4, 5);
    const labels = Array.from({ length: 60 }, (_, i) => (x.data[i * 4] > 0 ? 1 : 0));
    const rfm = fitRfm({ x, labels }, { kernel: { kind: 'laplace', bandwidth: 2 }, iterations: 1 });
    expect(rfm.history[1].trainAcc).toBe(1);
    expect(accuracy(predictRfm(rfm, x), labels)).toBe(1);
    expect(() => fitRfm({ x, labels }, { kernel: 'laplace', iterations: -1 })).toThrow(/`iterations`/);
    expect(() => fitRfm({ x, labels: labels.slice(2) }, { kernel: 'laplace' })).toThrow(/`train.labels`/);
  });
});
