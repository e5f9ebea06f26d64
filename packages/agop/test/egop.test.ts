import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, getTf, initEngine, type Matrix } from '@nclab/backend';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { egop } from '../src/egop.js';
import { fitKernelRidge, kernelAgop, oneHot } from '../src/index.js';
import { maxAbs, maxAbsDiff, randn } from './helpers.js';

beforeAll(async () => {
  await initEngine({ engine: 'cpu' });
}, 60_000);

describe('egop (autodiff)', () => {
  it('of a linear map x ↦ xA is A Aᵀ (every point, every output)', async () => {
    const tf = getTf();
    const a = randn(4, 3, 1);
    const at = tf.tensor2d(Float32Array.from(a.data), [4, 3]);
    const x = randn(10, 4, 2);
    const { egop: g, outputs } = await egop((t) => tf.matMul(t, at) as Tensor2D, x, { batchSize: 3 });
    expect(outputs).toBe(3);
    const ref = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) ref[i * 4 + j] += a.data[i * 3 + k] * a.data[j * 3 + k];
    expect(maxAbsDiff(g.data, ref)).toBeLessThan(1e-5 * maxAbs(ref));
    const centred = await egop((t) => tf.matMul(t, at) as Tensor2D, x, { centered: true });
    expect(maxAbs(centred.egop.data)).toBeLessThan(1e-5 * maxAbs(ref));
    at.dispose();
  });
  it('of a Gaussian-kernel predictor written in tfjs equals the exact kernel AGOP', async () => {
    const tf = getTf();
    const x = randn(20, 3, 3, 0.7);
    const y = oneHot(Array.from({ length: 20 }, (_, i) => i % 2), 2);
    const model = fitKernelRidge(x, y, { kernel: { kind: 'gaussian', bandwidth: 1 }, ridge: 1e-2 });
    const centers = tf.tensor2d(Float32Array.from(x.data), [20, 3]);
    const alpha = tf.tensor2d(Float32Array.from(model.alpha.data), [20, 2]);
    const f = (t: Tensor2D): Tensor2D => {
      const diff = tf.sub(tf.expandDims(t, 1), tf.expandDims(centers, 0)); // [b, N, d]
      const sq = tf.sum(tf.square(diff), 2); // [b, N]
      return tf.matMul(tf.exp(tf.mul(sq, -0.5)), alpha) as Tensor2D;
    };
    const pts = randn(15, 3, 4, 0.7);
    const { egop: g } = await egop(f, pts);
    const exact = kernelAgop(model, { points: pts }).agop as Matrix;
    expect(maxAbsDiff(g.data, exact.data)).toBeLessThan(1e-4 * maxAbs(exact.data));
    centers.dispose();
    alpha.dispose();
  });
  it('rejects a bad batch size and NaN input', async () => {
    const tf = getTf();
    await expect(egop((t) => t, randn(2, 2, 1), { batchSize: 0 })).rejects.toThrow(InvalidArgumentError);
    const bad = randn(2, 2, 1);
    bad.data[0] = NaN;
    await expect(egop((t) => tf.relu(t) as Tensor2D, bad)).rejects.toThrow(/`x`/);
  });
});
