import { describe, expect, it } from 'vitest';
import { createRng, InvalidArgumentError } from '@nclab/backend/host';
import {
  initParams,
  makeObjective,
  objectiveSpec,
  solveUfm,
  deepLinearUfmOptimum,
  deepLinearUfmTheory,
} from '../src/index.js';

function thrown(f: () => unknown): InvalidArgumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected a throw');
}

describe('bad input gives a typed error naming the argument', () => {
  const ok = { model: 'deep-linear' as const, K: 3, n: 2, d: 4, depth: 2, lambdaW: 0.1 };
  it('unknown model', () => expect(thrown(() => solveUfm({ ...ok, model: 'mlp' as never })).argument).toBe('model'));
  it('K < 2', () => expect(thrown(() => solveUfm({ ...ok, K: 1 })).argument).toBe('K'));
  it('n < 1 and wrong-length class counts', () => {
    expect(thrown(() => solveUfm({ ...ok, n: 0 })).argument).toBe('n');
    expect(thrown(() => solveUfm({ ...ok, n: [2, 2] })).argument).toBe('n');
  });
  it('depth < 1', () => expect(thrown(() => solveUfm({ ...ok, depth: 0 })).argument).toBe('depth'));
  it('negative λ', () => {
    expect(thrown(() => solveUfm({ ...ok, lambdaW: -0.1 })).argument).toBe('lambdaW');
    expect(thrown(() => solveUfm({ ...ok, lambdaH: -1 })).argument).toBe('lambdaH');
    expect(thrown(() => solveUfm({ ...ok, model: 'mse', depth: undefined, d: 4, lambdaB: -1 })).argument).toBe('lambdaB');
  });
  it('per-layer lists of the wrong length', () => {
    expect(thrown(() => solveUfm({ ...ok, d: [4, 4, 4] })).argument).toBe('d');
    expect(thrown(() => solveUfm({ ...ok, lambdaW: [0.1], lambdaH: 0.1 })).argument).toBe('lambdaW');
  });
  it('widths below K run but warn, and have no closed form', () => {
    const r = solveUfm({ ...ok, d: 2, solver: { maxSteps: 5 } });
    expect(r.warnings.join(' ')).toMatch(/below K = 3/);
    expect(r.theory).toBeNull();
  });
  it('closed-form helpers validate too', () => {
    expect(thrown(() => deepLinearUfmTheory({ K: 3, n: 2, L: 2, widths: [3, 2], lambdaW: 0.1, lambdaH: 0.1 })).argument).toBe('widths[1]');
    expect(thrown(() => deepLinearUfmOptimum({ K: 3, n: 2, L: 2, widths: 3, lambdaW: [0.1, -1], lambdaH: 0.1 })).argument).toBe('lambdaW[1]');
  });
});

describe('solver plumbing', () => {
  it('BLAS and JS product kernels give the same objective and gradient', () => {
    const mo = objectiveSpec({ model: 'deep-linear', K: 5, n: 40, d: [32, 24, 16], lambdaW: 0.01, lambdaH: 0.02 });
    const x = initParams(mo.layout, createRng(3), 1);
    const g1 = new Float64Array(x.length);
    const g2 = new Float64Array(x.length);
    const f1 = makeObjective(mo.spec, { products: 'blas' })(x, g1);
    const f2 = makeObjective(mo.spec, { products: 'js' })(x, g2);
    expect(Math.abs(f1 - f2) / f1).toBeLessThan(1e-13);
    let m = 0;
    let e = 0;
    for (let i = 0; i < x.length; i++) { m = Math.max(m, Math.abs(g1[i])); e = Math.max(e, Math.abs(g1[i] - g2[i])); }
    expect(e / m).toBeLessThan(1e-12);
  });
  it('restarts are seeded and reproducible; the best one is kept', () => {
    const cfg = { model: 'extended-relu' as const, K: 3, n: 2, d: 5, lambdaW: 0.05, solver: { method: 'lbfgs' as const, maxSteps: 300 }, restarts: 3, seed: 11 };
    const a = solveUfm(cfg);
    const b = solveUfm(cfg);
    expect(a.restarts.map((r) => r.objective)).toEqual(b.restarts.map((r) => r.objective));
    expect(a.restarts.map((r) => r.seed)).toEqual([11, 12, 13]);
    expect(a.objective).toBe(Math.min(...a.restarts.map((r) => r.objective)));
  });
  it('a warm start at the closed-form optimum stays there', () => {
    const opt = deepLinearUfmOptimum({ K: 3, n: 4, L: 2, widths: 5, lambdaW: 0.02, lambdaH: 0.02, frame: 'random', seed: 2 });
    const r = solveUfm({ model: 'deep-linear', K: 3, n: 4, d: 5, depth: 2, lambdaW: 0.02, init: { weights: opt.weights, h: opt.h, bias: null }, solver: { maxSteps: 10 } });
    expect(r.steps).toBe(0); // gradient already below gradTol
    expect(Math.abs(r.objective - opt.objective)).toBeLessThan(1e-14);
  });
});

describe('DNC reference point', () => {
  it('is a stationary point of the ReLU DUFM whose objective is the DNC reference objective', async () => {
    const { dncReferencePoint, packParams, theory } = await import('../src/index.js');
    const cfg = { model: 'deep-relu' as const, K: 3, n: [3, 2, 2], d: [5, 6, 4], lambdaW: [0.01, 0.02, 0.015], lambdaH: 0.01 };
    const p = dncReferencePoint(cfg)!;
    const mo = objectiveSpec(cfg);
    const x = packParams(p, mo.layout);
    const g = new Float64Array(x.length);
    const f = makeObjective(mo.spec)(x, g);
    const t = theory(cfg)!;
    if (t.kind !== 'dnc-reference') throw new Error('expected a DNC reference');
    expect(Math.abs(f - t.dncObjective) / t.dncObjective).toBeLessThan(1e-13);
    expect(Math.sqrt(g.reduce((s, v) => s + v * v, 0))).toBeLessThan(1e-12);
  });
});

describe('float64 paths', () => {
  it('the portable linear-algebra path reaches the same closed-form optimum as the active one', async () => {
    const { setLinalgPath } = await import('@nclab/backend/host');
    const cfg = { model: 'deep-linear' as const, K: 3, n: 10, d: 20, depth: 4, lambdaW: 0.01, lambdaH: 0.01, solver: { method: 'lbfgs' as const, maxSteps: 3000 } };
    try {
      setLinalgPath('portable');
      const r = solveUfm(cfg);
      expect(Math.abs(r.objective - 0.117702523918) / 0.117702523918).toBeLessThan(1e-9);
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    } finally {
      setLinalgPath('auto');
    }
  });
});
