import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initEngine, InvalidArgumentError, type Matrix, type Tf } from '@nclab/backend';
import { deepLinearUfmOptimum } from '@nclab/ufm';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import {
  deepUfmLayerGradients,
  deepUfmLayerHessian,
  empiricalFisherOperator,
  gaussNewtonOperator,
  hessianOperator,
  lanczos,
  operatorToDense,
  parameterLayout,
  perSampleGradients,
  restrictOperator,
  softmaxCrossEntropyHessian,
  type DifferentiableModel,
  checkHessianOperator,
} from '../src/index.js';

beforeAll(async () => {
  await initEngine({ engine: 'cpu' });
});

function softmaxModel(x: Matrix, w: Matrix): DifferentiableModel {
  const layout = parameterLayout([{ name: 'w', shape: [w.rows, w.cols] }]);
  return {
    layout,
    params: Float64Array.from(w.data),
    numSamples: x.rows,
    forward(tf: Tf, params: Tensor[], start: number, end: number): Tensor2D {
      const xs = tf.tensor2d(Float32Array.from(x.data.subarray(start * x.cols, end * x.cols)), [end - start, x.cols]);
      return tf.matMul(xs, tf.transpose(params[0] as Tensor2D)); // [B, K] = X Wᵀ
    },
  };
}

function mlpModel(x: Matrix, hidden: number, K: number, seed: number): DifferentiableModel {
  const d = x.cols;
  const layout = parameterLayout([
    { name: 'layer1.weight', shape: [d, hidden] },
    { name: 'layer1.bias', shape: [hidden] },
    { name: 'layer2.weight', shape: [hidden, K] },
  ]);
  const params = Float64Array.from(createRng(seed).normalArray(layout.size, 0, 0.7));
  return {
    layout,
    params,
    numSamples: x.rows,
    forward(tf, p, start, end) {
      const xs = tf.tensor2d(Float32Array.from(x.data.subarray(start * d, end * d)), [end - start, d]);
      const h = tf.softplus(tf.add(tf.matMul(xs, p[0] as Tensor2D), p[1]));
      return tf.matMul(h, p[2] as Tensor2D);
    },
  };
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  return { rows, cols, data: Float64Array.from(createRng(seed).normalArray(rows * cols)) };
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / s;
}

describe('autodiff operators (tfjs double backward)', () => {
  it('softmax regression: the Hessian-vector product equals the closed form (1/N) Σ (diag p − p pᵀ) ⊗ x xᵀ', async () => {
    const x = randomMatrix(12, 4, 1);
    const w = randomMatrix(3, 4, 2);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
    const h = hessianOperator({ model: softmaxModel(x, w), loss: 'cross-entropy', targets: labels });
    expect(h.size).toBe(12);
    const { matrix } = await operatorToDense(h);
    const exact = softmaxCrossEntropyHessian(x, w);
    expect(maxRelDiff(matrix.data, exact.data)).toBeLessThan(1e-5);
    // the model is linear in θ, so the Gauss–Newton matrix equals the Hessian
    const g = await operatorToDense(gaussNewtonOperator({ model: softmaxModel(x, w), loss: 'cross-entropy', targets: labels }));
    expect(maxRelDiff(g.matrix.data, exact.data)).toBeLessThan(1e-5);
  });

  it('MLP: chunked products equal the one-chunk product, and the HVP matches finite differences of the gradient', async () => {
    const x = randomMatrix(10, 3, 3);
    const labels = [0, 1, 0, 1, 0, 1, 1, 0, 1, 0];
    const model = mlpModel(x, 5, 2, 4);
    const full = hessianOperator({ model, loss: 'cross-entropy', targets: labels });
    const chunked = hessianOperator({ model, loss: 'cross-entropy', targets: labels, chunkSize: 3 });
    const v = Float64Array.from(createRng(5).normalArray(full.size));
    const a = await full.matvec(v);
    const b = await chunked.matvec(v);
    expect(maxRelDiff(b, a)).toBeLessThan(1e-5);
    // finite differences of the mean gradient (per-sample gradients averaged), in float32: loose tolerance
    const gradAt = async (params: Float64Array): Promise<Float64Array> => {
      const { gradients } = await perSampleGradients({ model: { ...model, params }, loss: 'cross-entropy', targets: labels });
      const mean = new Float64Array(params.length);
      gradients.forEach((g) => g.forEach((val, j) => { mean[j] += val / gradients.length; }));
      return mean;
    };
    const eps = 1e-2;
    const plus = await gradAt(model.params.map((p, i) => p + eps * v[i]));
    const minus = await gradAt(model.params.map((p, i) => p - eps * v[i]));
    const fd = plus.map((p, i) => (p - minus[i]) / (2 * eps));
    expect(maxRelDiff(fd, a)).toBeLessThan(2e-3);
  });

  it('a parameter filter gives the principal sub-matrix of the full Hessian (per-layer Hessian)', async () => {
    const x = randomMatrix(8, 3, 6);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    const model = mlpModel(x, 4, 3, 7);
    const fullOp = hessianOperator({ model, loss: 'mse', targets: labels });
    const layer2 = hessianOperator({ model, loss: 'mse', targets: labels, filter: ['layer2.weight'] });
    expect(layer2.size).toBe(12);
    const restricted = restrictOperator(fullOp, model.layout, /^layer2\./).op;
    const a = await operatorToDense(layer2);
    const b = await operatorToDense(restricted);
    expect(maxRelDiff(a.matrix.data, b.matrix.data)).toBeLessThan(1e-5);
  });

  it('the Gauss–Newton matrix of an MLP is positive semi-definite and differs from its Hessian away from zero residual', async () => {
    const x = randomMatrix(10, 3, 8);
    const labels = [0, 1, 0, 1, 0, 1, 1, 0, 1, 0];
    const model = mlpModel(x, 5, 2, 9);
    const g = await operatorToDense(gaussNewtonOperator({ model, loss: 'cross-entropy', targets: labels }));
    const h = await operatorToDense(hessianOperator({ model, loss: 'cross-entropy', targets: labels }));
    const gl = await lanczos(gaussNewtonOperator({ model, loss: 'cross-entropy', targets: labels }), { k: 3, which: 'SA', maxIter: g.matrix.rows });
    expect(gl.values[0]).toBeGreaterThan(-1e-5);
    expect(maxRelDiff(g.matrix.data, h.matrix.data)).toBeGreaterThan(1e-3);
  });

  it('the empirical Fisher from per-sample gradients equals (1/N) Σ g_i g_iᵀ', async () => {
    const x = randomMatrix(6, 2, 10);
    const w = randomMatrix(3, 2, 11);
    const labels = [0, 1, 2, 0, 1, 2];
    const { gradients } = await perSampleGradients({ model: softmaxModel(x, w), loss: 'cross-entropy', targets: labels });
    // closed form for softmax regression: g_i = (p_i − y_i) ⊗ x_i
    gradients.forEach((g, i) => {
      const z = [0, 1, 2].map((c) => w.data[c * 2] * x.data[i * 2] + w.data[c * 2 + 1] * x.data[i * 2 + 1]);
      const m = Math.max(...z);
      const e = z.map((t) => Math.exp(t - m));
      const s = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++) for (let j = 0; j < 2; j++) {
        expect(g[c * 2 + j]).toBeCloseTo((e[c] / s - (labels[i] === c ? 1 : 0)) * x.data[i * 2 + j], 5);
      }
    });
    const f = empiricalFisherOperator(gradients);
    const v = Float64Array.from([1, -1, 0.5, 2, 0, 1]);
    const fv = await f.matvec(v);
    const expected = new Float64Array(6);
    for (const g of gradients) {
      const d = g.reduce((a, gi, j) => a + gi * v[j], 0);
      g.forEach((gi, j) => { expected[j] += (gi * d) / gradients.length; });
    }
    fv.forEach((x1, j) => expect(x1).toBeCloseTo(expected[j], 12));
  });

  it('deep linear UFM (O1): the tfjs layer Hessian reproduces the 9 outliers 0.2037454515 of layer 1 to float32 accuracy', async () => {
    const opt = deepLinearUfmOptimum({ K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05, frame: 'random', seed: 1 });
    const N = opt.h.cols;
    const layout = parameterLayout([
      ...opt.weights.map((w, i) => ({ name: `W${i + 1}`, shape: [w.rows, w.cols] })),
      { name: 'H1', shape: [opt.h.rows, N] },
    ]);
    const params = new Float64Array(layout.size);
    opt.weights.forEach((w, i) => params.set(w.data, layout.blocks[i].offset));
    params.set(opt.h.data, layout.blocks[3].offset);
    const model: DifferentiableModel = {
      layout,
      params,
      numSamples: N,
      forward(tf, p, start, end) {
        let z = tf.slice(p[3] as Tensor2D, [0, start], [opt.h.rows, end - start]);
        for (let i = 0; i < 3; i++) z = tf.matMul(p[i] as Tensor2D, z);
        return tf.transpose(z) as Tensor2D; // [B, K]
      },
    };
    const h = hessianOperator({ model, loss: 'mse', targets: opt.labels, filter: ['W1'], chunkSize: 4 });
    const exact = deepUfmLayerHessian({ weights: opt.weights, h: opt.h, labels: opt.labels }, 1);
    const v = Float64Array.from(createRng(3).normalArray(h.size));
    expect(maxRelDiff(await h.matvec(v), await exact.matvec(v))).toBeLessThan(1e-5);
    const top = await lanczos(h, { k: 9, tol: 1e-5 });
    for (const val of top.values) expect(Math.abs(val - 0.2037454515) / 0.2037454515).toBeLessThan(1e-5);
    h.dispose();
    await expect(h.matvec(v)).rejects.toThrow(/disposed/);
    // the per-sample MSE gradients from autodiff equal the analytic ones
    const { gradients } = await perSampleGradients({ model, loss: 'mse', targets: opt.labels, filter: ['W1'] });
    const analytic = deepUfmLayerGradients({ weights: opt.weights, h: opt.h, labels: opt.labels }, 1).perSample;
    gradients.forEach((g, i) => expect(maxRelDiff(g, analytic[i])).toBeLessThan(1e-4));
  });

  it('rejects bad models, targets, losses and filters with typed errors', () => {
    const x = randomMatrix(4, 2, 12);
    const w = randomMatrix(2, 2, 13);
    const model = softmaxModel(x, w);
    expect(() => hessianOperator({ model, loss: 'hinge' as never, targets: [0, 1, 0, 1] })).toThrow(/`loss` must be 'mse' or 'cross-entropy'/);
    expect(() => hessianOperator({ model, loss: 'cross-entropy', targets: [0, 1, 0] })).toThrow(InvalidArgumentError);
    expect(() => hessianOperator({ model, loss: 'cross-entropy', targets: [0, 1, 0, 5] })).toThrow(/integers in \[0, 2\)/);
    expect(() => hessianOperator({ model, loss: 'cross-entropy', targets: [0, 1, 0, 1], filter: ['nope'] })).toThrow(/`filter` must be names among \[w\]/);
    expect(() => hessianOperator({ model, loss: 'mse', targets: [0, 1, 0, 1], chunkSize: 0 })).toThrow(/`chunkSize`/);
    expect(() => hessianOperator({ model: { ...model, params: new Float64Array(3) }, loss: 'mse', targets: [0, 1, 0, 1] })).toThrow(/`model.params`/);
  });
});

describe('checkHessianOperator', () => {
  it('passes for a softplus MLP and flags a model using sigmoid, whose second derivative tfjs gets wrong', async () => {
    const x = randomMatrix(8, 3, 20);
    const labels = [0, 1, 0, 1, 0, 1, 1, 0];
    const good = mlpModel(x, 4, 2, 21);
    expect((await checkHessianOperator({ model: good, loss: 'cross-entropy', targets: labels })).relativeError).toBeLessThan(1e-2);
    const bad: DifferentiableModel = {
      ...good,
      forward(tf, p, start, end) {
        const xs = tf.tensor2d(Float32Array.from(x.data.subarray(start * 3, end * 3)), [end - start, 3]);
        const h = tf.sigmoid(tf.add(tf.matMul(xs, p[0] as Tensor2D), p[1]));
        return tf.add(tf.matMul(h, p[2] as Tensor2D), tf.slice(tf.mul(tf.matMul(xs, p[0] as Tensor2D), 0.5), [0, 0], [end - start, 2])) as Tensor2D;
      },
    };
    let flagged = false;
    try {
      flagged = (await checkHessianOperator({ model: bad, loss: 'mse', targets: labels })).relativeError > 0.05;
    } catch {
      flagged = true; // tfjs may also refuse the double backward outright
    }
    expect(flagged).toBe(true);
  });
});
