import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initEngine, type Tf } from '@nclab/backend';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { applyOperator, gaussNewtonOperator, hessianOperator, lambdaOperator, mlpHessianOperator, mlpParameterLayout, type DifferentiableModel, type HostActivation } from '../src/index.js';

beforeAll(async () => {
  await initEngine();
});

const N = 12;
const sizes = [5, 6, 4, 3];

function setup(seed: number) {
  const rng = createRng(seed);
  const x = { rows: N, cols: sizes[0], data: Float32Array.from(rng.normalArray(N * sizes[0])) };
  const labels = Int32Array.from({ length: N }, (_, i) => i % 3);
  const layout = mlpParameterLayout(sizes);
  const params = Float64Array.from(rng.normalArray(layout.size), (v) => 0.6 * v);
  return { x, labels, layout, params };
}

/** The same network written with tfjs ops (the autodiff reference). */
function tfModel(s: ReturnType<typeof setup>, act: HostActivation): DifferentiableModel {
  const L = sizes.length - 1;
  return {
    layout: s.layout,
    params: s.params,
    numSamples: N,
    forward(tf: Tf, p: Tensor[], start: number, end: number) {
      let h = tf.slice(tf.tensor2d(s.x.data, [N, sizes[0]]), [start, 0], [end - start, sizes[0]]) as Tensor2D;
      for (let l = 0; l < L; l++) {
        const a = tf.add(tf.matMul(h, p[2 * l] as Tensor2D), p[2 * l + 1]) as Tensor2D;
        h = l === L - 1 ? a : act === 'softplus' ? tf.softplus(a) : act === 'relu' ? tf.relu(a) : (a as Tensor2D);
      }
      return h;
    },
  };
}

function relDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

describe('mlpHessianOperator (host R-operator)', () => {
  for (const [act, loss] of [['softplus', 'cross-entropy'], ['softplus', 'mse'], ['relu', 'cross-entropy']] as const) {
    it(`matches the tfjs autodiff Hessian and Gauss–Newton products to float32 tolerance (${act}, ${loss})`, async () => {
      const s = setup(act === 'relu' ? 3 : 1);
      const v = Float64Array.from(createRng(9).normalArray(s.layout.size));
      for (const kind of ['hessian', 'gauss-newton'] as const) {
        const host = mlpHessianOperator({ x: s.x, sizes, params: s.params, activation: act, loss, targets: s.labels, kind });
        const ref = (kind === 'hessian' ? hessianOperator : gaussNewtonOperator)({ model: tfModel(s, act), loss, targets: s.labels });
        const a = await host.matvec(v);
        const b = await ref.matvec(v);
        ref.dispose();
        expect(relDiff(a, b)).toBeLessThan(2e-5);
      }
    });
  }

  it('is symmetric (uᵀHv = vᵀHu) and the Gauss–Newton matrix is positive semi-definite on random directions', async () => {
    const s = setup(2);
    const rng = createRng(4);
    const h = mlpHessianOperator({ x: s.x, sizes, params: s.params, activation: 'softplus', loss: 'cross-entropy', targets: s.labels });
    const g = mlpHessianOperator({ x: s.x, sizes, params: s.params, activation: 'softplus', loss: 'cross-entropy', targets: s.labels, kind: 'gauss-newton' });
    const u = Float64Array.from(rng.normalArray(h.size));
    const v = Float64Array.from(rng.normalArray(h.size));
    const dot = (p: Float64Array, q: Float64Array) => p.reduce((acc, pi, i) => acc + pi * q[i], 0);
    const hu = await h.matvec(u);
    const hv = await h.matvec(v);
    expect(Math.abs(dot(u, hv) - dot(v, hu)) / Math.abs(dot(u, hv))).toBeLessThan(1e-4);
    expect(dot(v, await g.matvec(v))).toBeGreaterThan(0);
  });

  it('writes its product into a caller buffer holding garbage, bit-identical to a fresh product (biases included)', async () => {
    const s = setup(3);
    const rng = createRng(5);
    for (const kind of ['hessian', 'gauss-newton'] as const) {
      const h = mlpHessianOperator({ x: s.x, sizes, params: s.params, activation: 'tanh', loss: 'mse', targets: s.labels, kind });
      const v = Float64Array.from(rng.normalArray(h.size));
      const fresh = await h.matvec(v);
      const buffer = new Float64Array(h.size).fill(Number.NaN);
      const got = await applyOperator(h, v, 'test', buffer);
      expect(got).toBe(buffer);
      expect(Array.from(got)).toEqual(Array.from(fresh));
      expect(Array.from(await h.matvec(v, got))).toEqual(Array.from(fresh)); // again into the same buffer (old product in it)
    }
    await expect(applyOperator(lambdaOperator(3, (x) => x), new Float64Array(3), 'test', new Float64Array(2))).rejects.toThrow(/`buffer`/);
  });
});
