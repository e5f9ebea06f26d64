import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { createMlp, mlpFromWeights } from '../src/index.js';

describe('createMlp', () => {
  it('builds depth hidden layers plus a head with PyTorch [out, in] shapes', () => {
    const net = createMlp({ inputDim: 12, width: 7, depth: 3, numClasses: 4 });
    expect(net.layers.map((p) => [p.outDim, p.inDim])).toEqual([[7, 12], [7, 7], [7, 7], [4, 7]]);
    expect(net.layers.every((p) => p.bias === null && p.weight.length === p.outDim * p.inDim)).toBe(true);
  });

  it('draws hidden weights from Xavier-uniform with the given gain (bound and variance)', () => {
    const gain = 0.5;
    const net = createMlp({ inputDim: 300, width: 200, depth: 2, numClasses: 10, initScale: gain, seed: 3 });
    const w = net.layers[1].weight; // 200 × 200
    const bound = gain * Math.sqrt(6 / 400);
    let max = 0;
    let ss = 0;
    for (const v of w) {
      max = Math.max(max, Math.abs(v));
      ss += v * v;
    }
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(0.99 * bound);
    // Var U(−a, a) = a²/3; 40,000 draws: relative standard error ≈ 0.6 %.
    expect(ss / w.length / (bound * bound / 3)).toBeCloseTo(1, 1);
  });

  it('initialises the head with PyTorch nn.Linear default bounds 1/sqrt(fan_in)', () => {
    const net = createMlp({ inputDim: 5, width: 64, depth: 1, numClasses: 10, initScale: 0.01 });
    const head = net.layers[1].weight;
    const max = head.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(max).toBeLessThanOrEqual(1 / 8);
    expect(max).toBeGreaterThan(0.9 / 8);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = createMlp({ inputDim: 6, width: 5, depth: 2, numClasses: 3, seed: 1 });
    const b = createMlp({ inputDim: 6, width: 5, depth: 2, numClasses: 3, seed: 1 });
    const c = createMlp({ inputDim: 6, width: 5, depth: 2, numClasses: 3, seed: 2 });
    expect(Array.from(a.layers[0].weight)).toEqual(Array.from(b.layers[0].weight));
    expect(Array.from(a.layers[0].weight)).not.toEqual(Array.from(c.layers[0].weight));
  });

  it.each([
    ['width', { width: 0 }],
    ['depth', { depth: 0 }],
    ['depth', { depth: 1.5 }],
    ['numClasses', { numClasses: 1 }],
    ['initScale', { initScale: -1 }],
    ['activation', { activation: 'gelu' }],
  ])('rejects a bad %s with a typed error naming it', (arg, patch) => {
    const base = { inputDim: 4, width: 3, depth: 2, numClasses: 3 };
    expect(() => createMlp({ ...base, ...(patch as object) })).toThrowError(InvalidArgumentError);
    expect(() => createMlp({ ...base, ...(patch as object) })).toThrowError(new RegExp(`\`${arg}\``));
  });
});

describe('mlpFromWeights', () => {
  it('chains imported matrices into hidden layers and a head', () => {
    const w0 = { rows: 4, cols: 3, data: new Float64Array(12) };
    const w1 = { rows: 2, cols: 4, data: new Float64Array(8) };
    const net = mlpFromWeights([w0, w1]);
    expect(net.spec).toMatchObject({ inputDim: 3, width: 4, depth: 1, numClasses: 2, bias: false });
  });

  it('rejects matrices whose shapes do not chain, naming the offending one', () => {
    const w0 = { rows: 4, cols: 3, data: new Float64Array(12) };
    const w1 = { rows: 2, cols: 5, data: new Float64Array(10) };
    expect(() => mlpFromWeights([w0, w1])).toThrowError(/`weights\[1\]` must be of shape \[\*, 4\]/);
  });
});
