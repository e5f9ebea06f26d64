import { beforeAll, describe, expect, it } from 'vitest';
import {
  fromTensor, gemm, getEngineInfo, getTf, gram, initEngine, matmul, pairwiseSqDistances, rowSqNorms,
  setLinalgPath, tidy, toFloat32, toTensor, InvalidArgumentError, mapRowChunks,
} from '../src/index.js';
import { maxAbsDiff, naiveMul, randn } from './helpers.js';

/** float64 reference of the squared distances. */
function refDistances(x: { rows: number; cols: number; data: ArrayLike<number> }, z: typeof x): Float64Array {
  const out = new Float64Array(x.rows * z.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < z.rows; j++) {
      let s = 0;
      for (let k = 0; k < x.cols; k++) {
        const d = x.data[i * x.cols + k] - z.data[j * z.cols + k];
        s += d * d;
      }
      out[i * z.rows + j] = s;
    }
  }
  return out;
}

// Engines available in CI; the float64 path is forced to `portable` so products go through the engine.
describe.each(['wasm', 'cpu'] as const)('tfjs engine %s against float64 host results', (engine) => {
  beforeAll(async () => {
    setLinalgPath('portable');
    await initEngine({ engine });
  });

  it('initialises the requested backend and is idempotent', async () => {
    const info = getEngineInfo();
    expect(info?.name).toBe(engine);
    expect(info?.tfjsBackend).toBe(engine);
    expect(getTf().getBackend()).toBe(engine);
    expect(await initEngine({ engine })).toBe(info);
  });

  it('round-trips a host matrix through a tensor', async () => {
    const a = randn(7, 5, 1);
    const t = toTensor(a);
    expect(t.shape).toEqual([7, 5]);
    const back = await fromTensor(t);
    t.dispose();
    expect(maxAbsDiff(back.data, toFloat32(a).data)).toBe(0);
  });

  it.each([[false, false], [true, false], [false, true], [true, true]])('matmul (transA=%s, transB=%s) matches the float64 gemm', async (tA, tB) => {
    const a = tA ? randn(40, 30, 2) : randn(30, 40, 2);
    const b = tB ? randn(20, 40, 3) : randn(40, 20, 3);
    const c = await matmul(a, b, { transA: tA, transB: tB });
    const ref = gemm(a, b, { transA: tA, transB: tB });
    expect([c.rows, c.cols]).toEqual([30, 20]);
    expect(maxAbsDiff(c.data, ref.data)).toBeLessThan(1e-4);
  });

  it('gram equals X Xᵀ', async () => {
    const x = randn(25, 12, 4);
    const g = await gram(x);
    expect(maxAbsDiff(g.data, naiveMul(x, x, false, true).data)).toBeLessThan(1e-4);
  });

  it('pairwiseSqDistances matches float64 distances, chunked under a tiny budget, symmetric with zero self-diagonal', async () => {
    const x = randn(53, 9, 5);
    const d = await pairwiseSqDistances(x, undefined, { budgetBytes: 1000 });
    const ref = refDistances(x, x);
    expect(maxAbsDiff(d.data, ref)).toBeLessThan(1e-4);
    for (let i = 0; i < 53; i++) expect(d.data[i * 53 + i]).toBe(0);
    for (const v of d.data) expect(v).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 53; i++) for (let j = 0; j < i; j++) expect(d.data[j * 53 + i]).toBe(d.data[i * 53 + j]);
  });

  it('pairwiseSqDistances between two sets, and clamps float32 cancellation at 0', async () => {
    const x = randn(11, 6, 6);
    const z = randn(17, 6, 7);
    const d = await pairwiseSqDistances(x, z);
    expect([d.rows, d.cols]).toEqual([11, 17]);
    expect(maxAbsDiff(d.data, refDistances(x, z))).toBeLessThan(1e-4);
    // Identical far-from-origin points: ‖x‖² + ‖z‖² − 2xᵀz cancels in float32; never negative.
    const far = { rows: 2, cols: 3, data: new Float32Array([1000.1, 1000.2, 1000.3, 1000.1, 1000.2, 1000.3]) };
    const dd = await pairwiseSqDistances(far, { rows: 2, cols: 3, data: far.data.slice() });
    for (const v of dd.data) expect(v).toBeGreaterThanOrEqual(0);
    await expect(pairwiseSqDistances(x, randn(3, 5, 1))).rejects.toThrow(InvalidArgumentError);
  });

  it('computes gradients (autodiff registered): d/dx Σ x² = 2x', async () => {
    const tf = getTf();
    const g = tf.grad((x) => tf.sum(tf.mul(x, x)));
    const out = tidy(() => g(tf.tensor1d([1, -2, 3])));
    expect(Array.from(await out.data())).toEqual([2, -4, 6]);
    out.dispose();
  });
});

describe('row helpers', () => {
  it('rowSqNorms accumulates in float64', () => {
    expect(Array.from(rowSqNorms({ rows: 2, cols: 2, data: new Float64Array([3, 4, 1, 0]) }))).toEqual([25, 1]);
  });

  it('mapRowChunks covers [0, n) in blocks bounded by the budget', async () => {
    const blocks: [number, number][] = [];
    await mapRowChunks(10, 8, 24, (s, e) => {
      blocks.push([s, e]);
    });
    expect(blocks).toEqual([[0, 3], [3, 6], [6, 9], [9, 10]]);
    await expect(mapRowChunks(10, 0, 24, () => {})).rejects.toThrow(/bytesPerRow/);
  });
});
