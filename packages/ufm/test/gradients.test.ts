import { describe, expect, it } from 'vitest';
import { createRng } from '@nclab/backend/host';
import { objectiveSpec, type UfmModelConfig } from '../src/models.js';
import { makeObjective } from '../src/objective.js';
import { initParams } from '../src/init.js';

/** Central finite differences of f along random directions vs the analytic directional derivative. */
function directionalErrors(cfg: UfmModelConfig, seed: number): number[] {
  const mo = objectiveSpec(cfg);
  const fg = makeObjective(mo.spec);
  const rng = createRng(seed);
  const x = initParams(mo.layout, rng, 1);
  if (mo.layout.bias) for (let k = 0; k < mo.layout.bias.rows; k++) x[mo.layout.bias.offset + k] = rng.normal();
  const g = new Float64Array(x.length);
  fg(x, g);
  const scratch = new Float64Array(x.length);
  const errs: number[] = [];
  for (let t = 0; t < 4; t++) {
    const v = rng.normalArray(x.length) as Float64Array;
    const h = 1e-5;
    const xp = x.map((xi, i) => xi + h * v[i]);
    const xm = x.map((xi, i) => xi - h * v[i]);
    const fd = (fg(xp, scratch) - fg(xm, scratch)) / (2 * h);
    const an = g.reduce((s, gi, i) => s + gi * v[i], 0);
    errs.push(Math.abs(fd - an) / Math.max(1, Math.abs(an)));
  }
  return errs;
}

const cases: [string, UfmModelConfig][] = [
  ['mse bias-free', { model: 'mse', K: 3, n: 4, d: 5, lambdaW: 0.1, lambdaH: 0.2 }],
  ['mse free bias', { model: 'mse', K: 3, n: 4, d: 5, lambdaW: 0.1, lambdaH: 0.2, bias: 'free' }],
  ['mse regularised bias, imbalanced', { model: 'mse', K: 3, n: [4, 2, 1], d: 5, lambdaW: 0.1, lambdaH: 0.2, lambdaB: 0.3 }],
  ['ce with weight decay on b', { model: 'ce', K: 4, n: 3, d: 6, lambdaW: 0.05, lambdaH: 0.02 }],
  ['extended-linear', { model: 'extended-linear', K: 3, n: 2, d: [5, 4], lambdaW: [0.1, 0.2], lambdaH: 0.3 }],
  ['extended-relu', { model: 'extended-relu', K: 3, n: 2, d: [5, 6], lambdaW: 0.1, lambdaH: 0.1 }],
  ['deep-linear L = 4 mixed widths', { model: 'deep-linear', K: 3, n: 3, d: [6, 5, 7, 4], lambdaW: [0.01, 0.02, 0.03, 0.04], lambdaH: 0.05 }],
  ['deep-relu L = 3', { model: 'deep-relu', K: 3, n: 3, d: [6, 5, 7], lambdaW: 0.01, lambdaH: 0.02 }],
  ['deep-linear L = 1', { model: 'deep-linear', K: 2, n: 3, d: [3], lambdaW: 0.1, lambdaH: 0.1 }],
];

describe('analytic gradients agree with central finite differences', () => {
  for (const [name, cfg] of cases) {
    it(name, () => {
      for (const e of directionalErrors(cfg, 7)) expect(e).toBeLessThan(1e-7);
    });
  }
});

describe('objective scaling', () => {
  it('mse at W = 0, H = 0 is ½ (each sample contributes ½‖y‖²/N… = 1/(2N)·N)', () => {
    const mo = objectiveSpec({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1, lambdaH: 0.1 });
    const x = new Float64Array(mo.layout.size);
    expect(makeObjective(mo.spec)(x, new Float64Array(x.length))).toBe(0.5);
  });
  it('ce at zero logits is log K', () => {
    const mo = objectiveSpec({ model: 'ce', K: 5, n: 2, d: 6, lambdaW: 0.1, lambdaH: 0.1 });
    const x = new Float64Array(mo.layout.size);
    expect(makeObjective(mo.spec)(x, new Float64Array(x.length))).toBeCloseTo(Math.log(5), 14);
  });
  it('mse penalties are λ_W/(2K)‖W‖² and λ_H/(2N)‖H‖²; deep ones λ/2‖·‖²', () => {
    const one = (cfg: UfmModelConfig): number => {
      const mo = objectiveSpec(cfg);
      const x = new Float64Array(mo.layout.size).fill(1);
      return makeObjective(mo.spec)(x, new Float64Array(x.length));
    };
    // K = 2, n = 1, d = 2: W = H = ones(2×2); WH = 2·ones, ‖WH − Y‖² = 1 + 4 + 4 + 1 = 10.
    expect(one({ model: 'mse', K: 2, n: 1, d: 2, lambdaW: 0.4, lambdaH: 0.8 })).toBeCloseTo(10 / 4 + (0.4 / 4) * 4 + (0.8 / 4) * 4, 14);
    expect(one({ model: 'deep-linear', K: 2, n: 1, d: [2], depth: 1, lambdaW: 0.4, lambdaH: 0.8 })).toBeCloseTo(10 / 4 + 0.2 * 4 + 0.4 * 4, 14);
  });
});
