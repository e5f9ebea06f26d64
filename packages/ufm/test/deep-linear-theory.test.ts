import { describe, expect, it } from 'vitest';
import {
  deepLinearGlobalThreshold,
  deepLinearLocalThreshold,
  deepLinearLargestRoot,
  deepLinearPhi,
  deepLinearUfmOptimum,
  deepLinearUfmTheory,
} from '../src/theory/deep-linear.js';
import { makeObjective } from '../src/objective.js';
import { objectiveSpec } from '../src/models.js';
import { packParams } from '../src/layout.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('deep linear UFM thresholds (notes-deep-linear §6.2)', () => {
  it('b_g(L) matches the oracle table for L = 1…6', () => {
    const want = [1, 0.39685, 0.272166, 0.210367, 0.172355, 0.146316];
    want.forEach((w, i) => expect(deepLinearGlobalThreshold(i + 1)).toBeCloseTo(w, 5));
  });
  it('b_loc(L) matches the oracle for L = 2, 3, 4', () => {
    expect(deepLinearLocalThreshold(2)).toBeCloseTo(0.47247, 5);
    expect(deepLinearLocalThreshold(3)).toBeCloseTo(0.3849, 4);
    expect(deepLinearLocalThreshold(4)).toBeCloseTo(0.346975, 5);
  });
  it('min φ over x > 0 crosses φ(0) = 1 exactly at b_g (0.999·b_g below, 1.001·b_g above)', () => {
    for (const L of [2, 3, 4, 5]) {
      const bg = deepLinearGlobalThreshold(L);
      for (const [f, below] of [[0.999, true], [1.001, false]] as const) {
        const b = f * bg;
        const x = deepLinearLargestRoot(b, L)!;
        expect(deepLinearPhi(x, b, L) < 1).toBe(below);
      }
    }
  });
  it('the largest root solves b = (1−x)x^{(L−1)/(L+1)} and is null above b_loc', () => {
    const x = deepLinearLargestRoot(0.2, 3)!;
    expect((1 - x) * Math.pow(x, 0.5)).toBeCloseTo(0.2, 14);
    expect(deepLinearLargestRoot(1.01 * deepLinearLocalThreshold(3), 3)).toBeNull();
  });
});

describe('deep linear UFM closed form (notes-deep-linear §6 O1–O7)', () => {
  it('O1: mixed λ reproduces b, x*, τ, objective, MSE, norms and W_l W_lᵀ eigenvalues', () => {
    const t = deepLinearUfmTheory({ K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 });
    expect(rel(t.b[0], 0.1765698574)).toBeLessThan(1e-9);
    expect(rel(t.xStar[0], 0.802952132955)).toBeLessThan(1e-11);
    expect(rel(t.tau[0], 0.0527400017126)).toBeLessThan(1e-10);
    expect(rel(t.objective, 0.335853941229)).toBeLessThan(1e-11);
    expect(rel(t.mse, 0.0194139309535)).toBeLessThan(1e-10);
    const norms = [0.5274000171, 0.5563015561, 0.9779781674, 0.6447321278];
    norms.forEach((v, l) => expect(rel(t.classMeanSqNorms[l][0], v)).toBeLessThan(1e-9));
    [1.054800034, 1.758000057, 0.6592500214].forEach((v, l) => {
      for (const s of t.weightSqSingularValues[l]) expect(rel(s, v)).toBeLessThan(1e-9);
    });
    expect(rel(t.featureSqSingularValues[0], 1.054800034)).toBeLessThan(1e-9); // eigenvalues of H_1H_1ᵀ
  });
  it('O2, O3, O4, O7: x* and objectives', () => {
    const o2 = deepLinearUfmTheory({ K: 3, n: 10, L: 4, widths: 20, lambdaW: 0.01, lambdaH: 0.01 });
    expect(rel(o2.xStar[0], 0.95099803649)).toBeLessThan(1e-10);
    expect(rel(o2.tau[0], 0.0155335903606)).toBeLessThan(1e-10);
    expect(rel(o2.objective, 0.117702523918)).toBeLessThan(1e-10);
    [0.1553359036, 0.2412924295, 0.3748137757, 0.5822203653, 0.9043972654].forEach((v, l) =>
      expect(rel(o2.classMeanSqNorms[l][1], v)).toBeLessThan(1e-9));
    const o3 = deepLinearUfmTheory({ K: 4, n: 5, L: 1, widths: 8, lambdaW: 0.01, lambdaH: 0.01 });
    expect(rel(o3.b[0], 0.0894427191)).toBeLessThan(1e-9);
    expect(rel(o3.objective, 0.0854427191)).toBeLessThan(1e-9);
    expect(rel(o3.weightSqSingularValues[0][0], 2.036067977)).toBeLessThan(1e-9);
    const o4 = deepLinearUfmTheory({ K: 2, n: 3, L: 3, widths: 4, lambdaW: 0.1, lambdaH: 0.1 });
    expect(rel(o4.xStar[0], 0.681051722071)).toBeLessThan(1e-10);
    expect(rel(o4.objective, 0.485304549867)).toBeLessThan(1e-10);
    const o7 = deepLinearUfmTheory({ K: 10, n: 5, L: 3, widths: 16, lambdaW: 5e-3, lambdaH: 5e-3 });
    expect(rel(o7.xStar[0], 0.922140060731)).toBeLessThan(1e-10);
    expect(rel(o7.weightSqSingularValues[1][9], 1.435955383)).toBeLessThan(1e-9);
  });
  it('O5/O6: b = 0.33 is a local-only non-zero point (objective 0.5907 > ½); b = 0.5 has none', () => {
    const lam = 0.33 / (3 * Math.pow(2, 0.25));
    const o5 = deepLinearUfmTheory({ K: 3, n: 2, L: 3, widths: 6, lambdaW: lam, lambdaH: lam });
    expect(o5.b[0]).toBeCloseTo(0.33, 12);
    expect(o5.regime[0]).toBe('zero-global-nonzero-local');
    expect(rel(o5.xLargestRoot[0]!, 0.558379530246)).toBeLessThan(1e-10);
    expect(rel(o5.stationaryObjective!, 0.590697980549)).toBeLessThan(1e-10);
    expect(o5.objective).toBe(0.5);
    const lam6 = 0.5 / (3 * Math.pow(2, 0.25));
    const o6 = deepLinearUfmTheory({ K: 3, n: 2, L: 3, widths: 6, lambdaW: lam6, lambdaH: lam6 });
    expect(o6.regime[0]).toBe('zero-only');
    expect(o6.stationaryObjective).toBeNull();
  });
});

describe('deepLinearUfmOptimum', () => {
  const cfg = { K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 };
  for (const frame of ['canonical', 'random'] as const) {
    it(`(${frame} frames) evaluates to the closed-form objective with zero gradient`, () => {
      const opt = deepLinearUfmOptimum({ ...cfg, frame, seed: 3 });
      const spec = objectiveSpec({ model: 'deep-linear', K: 3, n: 2, d: [6, 5, 7], depth: 3, lambdaW: cfg.lambdaW, lambdaH: 0.05 });
      const x = packParams({ weights: opt.weights, h: opt.h, bias: null }, spec.layout);
      const g = new Float64Array(x.length);
      const f = makeObjective(spec.spec)(x, g);
      expect(rel(f, 0.335853941229)).toBeLessThan(1e-12);
      expect(Math.sqrt(g.reduce((s, v) => s + v * v, 0))).toBeLessThan(1e-12);
    });
  }
  it('is balanced: λ_{W_1} W_1ᵀW_1 = λ_H H_1H_1ᵀ', () => {
    const opt = deepLinearUfmOptimum({ ...cfg, frame: 'random', seed: 1 });
    const W1 = opt.weights[0];
    const H = opt.h;
    const d = W1.cols;
    let err = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let a = 0; let b = 0;
      for (let r = 0; r < W1.rows; r++) a += W1.data[r * d + i] * W1.data[r * d + j];
      for (let c = 0; c < H.cols; c++) b += H.data[i * H.cols + c] * H.data[j * H.cols + c];
      err = Math.max(err, Math.abs(0.05 * a - 0.05 * b));
    }
    expect(err).toBeLessThan(1e-13);
  });
});
