import { beforeAll, describe, expect, it } from 'vitest';
import type * as TfCore from '@tensorflow/tfjs-core';
import { createRng, getTf, initEngine, type Tf } from '@nclab/backend';
import { batchLoss, lossTargets } from '../src/losses.js';
import { cnnAgops, cnnForward, convSame, createCnn, filterLayout, matrixLayout, toTfCnn, trainCnn, unfoldPatches, type CnnParams, type ImageSet } from '../src/index.js';
import { relErr } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

/** Direct 'same' convolution on the host, float64: z[n, y, x, o] = Σ_{c, ky, kx} W[o, c, ky, kx] a[n, y+ky−r, x+kx−r, c]. */
function hostConv(a: Float64Array, [N, H, W, C]: number[], w: ArrayLike<number>, cout: number, k: number): Float64Array {
  const r = (k - 1) / 2;
  const z = new Float64Array(N * H * W * cout);
  for (let n = 0; n < N; n++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let o = 0; o < cout; o++) {
    let s = 0;
    for (let c = 0; c < C; c++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const yy = y + ky - r;
      const xx = x + kx - r;
      if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
      s += w[((o * C + c) * k + ky) * k + kx] * a[((n * H + yy) * W + xx) * C + c];
    }
    z[((n * H + y) * W + x) * cout + o] = s;
  }
  return z;
}

/** Host float64 forward of the whole CNN (conv → ReLU → max pool per block, flatten, FC + ReLU, head) and its MSE loss. */
function hostLoss(p: CnnParams, x: Float32Array, n: number, labels: Int32Array): number {
  let [H, W, C] = p.spec.inputShape;
  let a = Float64Array.from(x);
  p.spec.blocks.forEach((b, i) => {
    const z = hostConv(a, [n, H, W, C], p.conv[i].weight, b.channels, b.kernel).map((v) => Math.max(0, v));
    const h2 = Math.floor(H / b.pool);
    const w2 = Math.floor(W / b.pool);
    const pooled = new Float64Array(n * h2 * w2 * b.channels).fill(-Infinity);
    for (let s = 0; s < n; s++) for (let y = 0; y < h2 * b.pool; y++) for (let xx = 0; xx < w2 * b.pool; xx++) for (let c = 0; c < b.channels; c++) {
      const o = ((s * h2 + Math.floor(y / b.pool)) * w2 + Math.floor(xx / b.pool)) * b.channels + c;
      pooled[o] = Math.max(pooled[o], z[((s * H + y) * W + xx) * b.channels + c]);
    }
    a = pooled;
    H = h2;
    W = w2;
    C = b.channels;
  });
  let h = a;
  p.fc.forEach((l, i) => {
    const out = new Float64Array(n * l.outDim);
    for (let s = 0; s < n; s++) for (let o = 0; o < l.outDim; o++) {
      let v = 0;
      for (let j = 0; j < l.inDim; j++) v += l.weight[o * l.inDim + j] * h[s * l.inDim + j];
      out[s * l.outDim + o] = i < p.fc.length - 1 ? Math.max(0, v) : v;
    }
    h = out;
  });
  const K = p.spec.numClasses;
  let loss = 0;
  for (let s = 0; s < n; s++) for (let c = 0; c < K; c++) loss += (h[s * K + c] - (labels[s] === c ? 1 : -1)) ** 2;
  return loss / (n * K);
}

function images(n: number, shape: [number, number, number], K: number, seed: number): ImageSet {
  const rng = createRng(seed);
  const [H, W, C] = shape;
  const labels = Int32Array.from({ length: n }, (_, i) => i % K);
  const x = Float32Array.from({ length: n * H * W * C }, (_, i) => rng.normal() * 0.5 + 0.3 * labels[Math.floor(i / (H * W * C))] * ((i % 3) - 1));
  return { x, n, shape, labels, numClasses: K };
}

const spec = { inputShape: [6, 6, 2] as [number, number, number], blocks: [{ channels: 3, kernel: 3, pool: 2 }, { channels: 4, kernel: 3, pool: 1 }], hidden: [5], numClasses: 3 };

describe('CNN layers', () => {
  it('unfolded patches times the reshaped kernel equal a direct convolution and tfjs conv2d', () => {
    const tf = getTf() as Tf;
    const p = createCnn({ ...spec, seed: 1, initScale: 1.5 });
    const data = images(2, spec.inputShape, 3, 3);
    const x = tf.tensor4d(data.x, [2, 6, 6, 2]);
    const w = p.conv[0];
    const patches = unfoldPatches(x, 3); // [2, 6, 6, 18]
    expect(patches.shape).toEqual([2, 6, 6, 18]);
    const viaPatches = tf.matMul(tf.reshape(patches, [-1, 18]) as TfCore.Tensor2D, tf.tensor2d(w.weight, [3, 18]), false, true).dataSync();
    const direct = hostConv(Float64Array.from(data.x), [2, 6, 6, 2], w.weight, 3, 3);
    const conv = tf.conv2d(x, tf.tensor4d(filterLayout(w, 3, 2), [3, 3, 2, 3]), 1, 'same').dataSync();
    const viaShifts = convSame(x, tf.tensor4d(filterLayout(w, 3, 2), [3, 3, 2, 3])).dataSync();
    expect(relErr(viaShifts, direct)).toBeLessThan(1e-6);
    expect(relErr(viaPatches, direct)).toBeLessThan(1e-6);
    expect(relErr(conv, direct)).toBeLessThan(1e-6);
    expect(Array.from(matrixLayout(filterLayout(w, 3, 2), 3, 2, 3))).toEqual(Array.from(w.weight));
    tf.dispose([x, patches]);
  });

  it('autodiff gradients of the training loss equal central finite differences of a float64 host forward', () => {
    const tf = getTf() as Tf;
    const p = createCnn({ ...spec, seed: 2, initScale: 1.2 });
    const data = images(4, spec.inputShape, 3, 5);
    const net = toTfCnn(p);
    const vars = [...net.filters, ...net.weights];
    const { grads } = tf.variableGrads(() => batchLoss('mse', cnnForward(net, tf.tensor4d(data.x, [4, 6, 6, 2])), tf.tensor2d(lossTargets('mse', data.labels, 3), [4, 3])), vars);
    const gConv = matrixLayout(grads[net.filters[1].name].dataSync(), 3, 3, 4);
    const gFc = grads[net.weights[0].name].dataSync(); // [in, out]
    const h = 1e-4;
    const fd = (mutate: (q: CnnParams, sign: number) => void): number => {
      const plus = { ...p, conv: p.conv.map((l) => ({ ...l, weight: l.weight.slice() })), fc: p.fc.map((l) => ({ ...l, weight: l.weight.slice() })) };
      const minus = { ...p, conv: p.conv.map((l) => ({ ...l, weight: l.weight.slice() })), fc: p.fc.map((l) => ({ ...l, weight: l.weight.slice() })) };
      mutate(plus, 1);
      mutate(minus, -1);
      return (hostLoss(plus, data.x, 4, data.labels) - hostLoss(minus, data.x, 4, data.labels)) / (2 * h);
    };
    for (const j of [0, 7, 20, 35]) {
      const num = fd((q, s) => ((q.conv[1].weight as Float32Array)[j] += s * h));
      expect(Math.abs(gConv[j] - num)).toBeLessThan(2e-3 * Math.max(1e-2, Math.abs(num)) + 2e-4);
    }
    const inDim = p.fc[0].inDim;
    for (const [o, i] of [[0, 0], [2, 5], [4, inDim - 1]]) {
      const num = fd((q, s) => ((q.fc[0].weight as Float32Array)[o * inDim + i] += s * h));
      expect(Math.abs(gFc[i * 5 + o] - num)).toBeLessThan(2e-3 * Math.max(1e-2, Math.abs(num)) + 2e-4);
    }
    tf.dispose(Object.values(grads));
    net.dispose();
  });

  it('the patch AGOP Wᵀ(Σ g gᵀ)W equals the AGOP of explicit gradients with respect to the unfolded patches', async () => {
    const tf = getTf() as Tf;
    const p = createCnn({ ...spec, seed: 4, initScale: 1.3 });
    const data = images(5, spec.inputShape, 3, 6);
    const agops = await cnnAgops(p, data, 2);
    const net = toTfCnn(p);
    // block 1 reads the pooled map [3, 3, 3]; its patches have 3·9 = 27 entries
    const trace = { convInputs: [] as TfCore.Tensor4D[], convPre: [], convOut: [], fcInputs: [], fcPre: [] };
    const ref = new Float64Array(27 * 27);
    tf.tidy(() => {
      cnnForward(net, tf.tensor4d(data.x, [5, 6, 6, 2]), trace);
      const patches = unfoldPatches(trace.convInputs[1], 3);
      const Wm = tf.tensor2d(p.conv[1].weight, [4, 27]);
      for (let c = 0; c < 3; c++) {
        const g = tf.grad((pt: TfCore.Tensor) => {
          const z = tf.reshape(tf.matMul(tf.reshape(pt, [-1, 27]) as TfCore.Tensor2D, Wm, false, true), [5, 3, 3, 4]);
          return tf.sum(tf.slice(cnnForward(net, null, undefined, { conv: 1, z }), [0, c], [-1, 1]));
        })(patches);
        const G = tf.reshape(g, [-1, 27]) as TfCore.Tensor2D;
        const gg = tf.matMul(G, G, true).dataSync();
        for (let i = 0; i < gg.length; i++) ref[i] += gg[i] / 5;
      }
    });
    expect(agops[1].rows).toBe(27);
    expect(relErr(agops[1].data, ref)).toBeLessThan(1e-5);
    net.dispose();
  });

  it('resuming from the state after epoch 1 gives the same weights as 2 uninterrupted epochs (SGD with momentum)', async () => {
    const p = createCnn({ ...spec, seed: 7 });
    const data = images(12, spec.inputShape, 3, 8);
    const base = { params: p, train: data, lr: 0.05, batchSize: 5, optimizer: 'sgd' as const, momentum: 0.9, seed: 3, checkpointEvery: 1 };
    const straight = await trainCnn({ ...base, epochs: 2 });
    let saved: Parameters<NonNullable<Parameters<typeof trainCnn>[0]['onCheckpoint']>>[0] | undefined;
    await trainCnn({ ...base, epochs: 1, onCheckpoint: (s) => { saved = s; } });
    const resumed = await trainCnn({ ...base, epochs: 2, resume: saved });
    expect(resumed.resumedFrom).toBe(1);
    resumed.params.conv.forEach((l, i) => expect(Array.from(l.weight)).toEqual(Array.from(straight.params.conv[i].weight)));
    resumed.params.fc.forEach((l, i) => expect(Array.from(l.weight)).toEqual(Array.from(straight.params.fc[i].weight)));
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(straight.history.map((h) => h.trainLoss));
  });
});
