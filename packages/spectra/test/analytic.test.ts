import { describe, expect, it } from 'vitest';
import { createRng, fromRows, InvalidArgumentError, type Matrix } from '@nclab/backend';
import {
  linearRegressionHessian,
  logisticRegressionHessian,
  outputLossHessian,
  softmaxCrossEntropyHessian,
  softmaxCrossEntropyLoss,
} from '../src/index.js';

function rand(rows: number, cols: number, seed: number): Matrix {
  return { rows, cols, data: Float64Array.from(createRng(seed).normalArray(rows * cols)) };
}

/** Central finite-difference Hessian of f at w. */
function fdHessian(f: (w: Float64Array) => number, w: Float64Array, eps = 1e-4): Float64Array {
  const P = w.length;
  const out = new Float64Array(P * P);
  for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) {
    const at = (da: number, db: number): number => {
      const x = Float64Array.from(w);
      x[a] += da;
      x[b] += db;
      return f(x);
    };
    out[a * P + b] = (at(eps, eps) - at(eps, -eps) - at(-eps, eps) + at(-eps, -eps)) / (4 * eps * eps);
  }
  return out;
}

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('closed-form loss Hessians', () => {
  it('linear regression with mean squared error: (2/N) XᵀX, equal to finite differences', () => {
    const x = rand(16, 5, 1);
    const y = Float64Array.from(createRng(2).normalArray(16));
    const loss = (w: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < 16; i++) {
        let z = 0;
        for (let j = 0; j < 5; j++) z += x.data[i * 5 + j] * w[j];
        s += (z - y[i]) ** 2;
      }
      return s / 16;
    };
    const h = linearRegressionHessian(x);
    expect(maxAbsDiff(h.data, fdHessian(loss, Float64Array.from(createRng(3).normalArray(5))))).toBeLessThan(1e-6);
  });

  it('binary logistic regression: (1/N) Xᵀ diag(σ(1−σ)) X, equal to finite differences', () => {
    const x = rand(16, 5, 4);
    const labels = Array.from({ length: 16 }, (_, i) => i % 2);
    const w = Float64Array.from(createRng(5).normalArray(5, 0, 0.5));
    const loss = (v: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < 16; i++) {
        let z = 0;
        for (let j = 0; j < 5; j++) z += x.data[i * 5 + j] * v[j];
        const p = 1 / (1 + Math.exp(-z));
        s -= labels[i] ? Math.log(p) : Math.log(1 - p);
      }
      return s / 16;
    };
    expect(maxAbsDiff(logisticRegressionHessian(x, w).data, fdHessian(loss, w))).toBeLessThan(1e-6);
  });

  it('softmax cross-entropy: (1/N) Σ (diag p − p pᵀ) ⊗ x xᵀ over row-major vec(W), equal to finite differences', () => {
    const x = rand(16, 5, 6);
    const w = rand(3, 5, 7);
    const labels = Array.from({ length: 16 }, (_, i) => i % 3);
    const loss = (v: Float64Array): number => softmaxCrossEntropyLoss(x, { rows: 3, cols: 5, data: v }, labels);
    const h = softmaxCrossEntropyHessian(x, w);
    expect(h.rows).toBe(15);
    expect(maxAbsDiff(h.data, fdHessian(loss, Float64Array.from(w.data)))).toBeLessThan(1e-6);
    expect(softmaxCrossEntropyLoss(fromRows([[1]]), fromRows([[0], [0]]), [0])).toBeCloseTo(Math.log(2), 14);
  });

  it('output-space loss Hessians: I for MSE, diag(p) − ppᵀ (rows summing to 0) for cross-entropy', () => {
    expect(Array.from(outputLossHessian('mse', [3, -1]).data)).toEqual([1, 0, 0, 1]);
    const h = outputLossHessian('cross-entropy', [0.3, -1, 2]);
    for (let a = 0; a < 3; a++) expect(h.data[a * 3] + h.data[a * 3 + 1] + h.data[a * 3 + 2]).toBeCloseTo(0, 15);
    expect(Array.from(outputLossHessian('cross-entropy', [0, 0]).data)).toEqual([0.25, -0.25, -0.25, 0.25]);
  });

  it('rejects mismatched shapes and non-finite inputs', () => {
    const x = rand(4, 3, 8);
    expect(() => logisticRegressionHessian(x, [1, 2])).toThrow(/`w` must be of length d = 3/);
    expect(() => softmaxCrossEntropyHessian(x, rand(2, 4, 9))).toThrow(InvalidArgumentError);
    expect(() => linearRegressionHessian({ rows: 1, cols: 2, data: Float64Array.from([1, Number.NaN]) })).toThrow(/finite/);
    expect(() => outputLossHessian('hinge' as never, [1])).toThrow(/`loss`/);
    expect(() => softmaxCrossEntropyLoss(x, rand(2, 3, 10), [0, 1, 2, 0])).toThrow(/integers in \[0, 2\)/);
  });
});
