import { beforeAll, describe, expect, it } from 'vitest';
import {
  fromTensor, gemm, getEngineInfo, getTf, gram, initEngine, matmul,
  setLinalgPath, tidy, toFloat32, toTensor, InvalidArgumentError,
} from '../src/index.js';
import { maxAbsDiff, naiveMul, randn } from './helpers.js';

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

  it('computes gradients (autodiff registered): d/dx Σ x² = 2x', async () => {
    const tf = getTf();
    const g = tf.grad((x) => tf.sum(tf.mul(x, x)));
    const out = tidy(() => g(tf.tensor1d([1, -2, 3])));
    expect(Array.from(await out.data())).toEqual([2, -4, 6]);
    out.dispose();
  });
});
