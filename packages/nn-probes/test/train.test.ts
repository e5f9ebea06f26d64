import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, getTf, initEngine, type Tf } from '@nclab/backend';
import {
  TrainingDivergedError, batchLoss, createMlp, createOptimizer, linear, lossTargets, networkAgops, probeNetwork, trainMlp, type TrainState,
} from '../src/index.js';
import { blobs, relErr } from './helpers.js';

let tf: Tf;
beforeAll(async () => {
  await initEngine();
  tf = getTf() as Tf;
});

describe('losses', () => {
  it('MSE averages the squared error over all N·K entries of ±1 one-hot targets (PyTorch MSELoss)', async () => {
    const out = [0.5, -1, 2, 0, 0.25, -0.5];
    const labels = Int32Array.from([2, 0]);
    const y = lossTargets('mse', labels, 3);
    expect(Array.from(y)).toEqual([-1, -1, 1, 1, -1, -1]);
    const want = out.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / 6;
    const got = (await batchLoss('mse', tf.tensor2d(out, [2, 3]), tf.tensor2d(y, [2, 3])).data())[0];
    expect(got).toBeCloseTo(want, 6);
  });

  it('cross-entropy is the mean of −log softmax at the label', async () => {
    const out = [1, 2, 3, -1, 0, 4];
    const labels = Int32Array.from([0, 2]);
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = (lse([1, 2, 3]) - 1 + lse([-1, 0, 4]) - 4) / 2;
    const y = lossTargets('ce', labels, 3);
    const got = (await batchLoss('ce', tf.tensor2d(out, [2, 3]), tf.tensor2d(y, [2, 3])).data())[0];
    expect(got).toBeCloseTo(want, 5);
  });
});

describe('linear', () => {
  it('has the same gradients as a plain matMul (explicit transposes only)', async () => {
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as ReturnType<typeof tf.zeros>;
    const v = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as ReturnType<typeof tf.zeros>;
    const f1 = (a: unknown, b: unknown) => tf.sum(tf.square(linear(a as never, b as never)));
    const f2 = (a: unknown, b: unknown) => tf.sum(tf.square(tf.matMul(a as never, b as never)));
    const g1 = tf.grads(f1 as never)([x, v]);
    const g2 = tf.grads(f2 as never)([x, v]);
    for (let i = 0; i < 2; i++) expect(relErr(await g1[i].data(), await g2[i].data())).toBeLessThan(1e-5);
  });
});

describe('optimizers', () => {
  it('SGD with momentum and weight decay follows the PyTorch recursion over three steps', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = createOptimizer([w], { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    let ref = [1, -2];
    let buf = [0, 0];
    const gs = [[0.5, 1], [-1, 2], [0.25, 0.25]];
    gs.forEach((g, t) => {
      opt.step([tf.tensor1d(g)]);
      const gg = g.map((v, i) => v + 0.01 * ref[i]);
      buf = t === 0 ? gg : buf.map((b, i) => 0.9 * b + gg[i]);
      ref = ref.map((r, i) => r - 0.1 * buf[i]);
    });
    expect(relErr(await w.data(), ref)).toBeLessThan(1e-6);
  });

  it('AdamW applies decoupled decay and a bias-corrected step of size ≈ lr on the first update', async () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = createOptimizer([w], { name: 'adamw', lr: 0.01, weightDecay: 0.1 });
    opt.step([tf.tensor1d([0.3, -4, 1e-3])]);
    // step 1: m̂ = g, v̂ = g², update = lr·g/(|g| + ε) = lr·sign(g) (up to ε)
    const want = [1 * (1 - 0.001) - 0.01, -2 * (1 - 0.001) + 0.01, 3 * (1 - 0.001) - 0.01 * (1e-3 / (1e-3 + 1e-8))];
    expect(relErr(await w.data(), want)).toBeLessThan(1e-6);
  });

  it('rejects a non-positive learning rate and momentum ≥ 1', () => {
    const w = tf.variable(tf.tensor1d([1]));
    expect(() => createOptimizer([w], { name: 'sgd', lr: 0 })).toThrowError(InvalidArgumentError);
    expect(() => createOptimizer([w], { name: 'sgd', lr: 0.1, momentum: 1 })).toThrowError(/`momentum`/);
  });
});

describe('trainMlp', () => {
  const data = blobs(3, 20, 8, 4, 1);
  const params = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, initScale: 0.8, seed: 5 });

  it('lowers the training loss and is reproducible from the seed', async () => {
    const a = await trainMlp({ params, train: data, epochs: 15, lr: 0.1, batchSize: 16, seed: 2 });
    const b = await trainMlp({ params, train: data, epochs: 15, lr: 0.1, batchSize: 16, seed: 2 });
    expect(a.history).toHaveLength(16);
    expect(a.history[15].trainLoss).toBeLessThan(0.6 * a.history[0].trainLoss);
    expect(a.history.map((h) => h.trainLoss)).toEqual(b.history.map((h) => h.trainLoss));
  });

  it('resumes from a handed-out state to exactly the weights of an uninterrupted run (momentum state included)', async () => {
    const cfg = { params, train: data, lr: 0.05, batchSize: 16, seed: 4, momentum: 0.9, checkpointEvery: 2 };
    const full = await trainMlp({ ...cfg, epochs: 6 });
    const states: TrainState[] = [];
    await trainMlp({ ...cfg, epochs: 4, onCheckpoint: (s) => { states.push(s); } });
    expect(states.map((s) => s.epoch)).toEqual([2, 4]);
    expect(states[1].optimizerState).toBeDefined();
    const resumed = await trainMlp({ ...cfg, epochs: 6, resume: states[1] });
    expect(resumed.resumedFrom).toBe(4);
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(full.history.map((h) => h.trainLoss));
    for (let l = 0; l < full.params.layers.length; l++) {
      expect(Array.from(resumed.params.layers[l].weight)).toEqual(Array.from(full.params.layers[l].weight));
    }
    expect(Array.from(resumed.initialParams.layers[0].weight)).toEqual(Array.from(params.layers[0].weight));
  });

  it('refuses to resume from a state of another architecture, naming `resume`', async () => {
    let saved: TrainState | undefined;
    await trainMlp({ params, train: data, epochs: 2, lr: 0.05, checkpointEvery: 2, onCheckpoint: (s) => { saved = s; } });
    const wider = createMlp({ inputDim: 8, width: 17, depth: 2, numClasses: 3, seed: 5 });
    const err = await trainMlp({ params: wider, train: data, epochs: 4, lr: 0.05, resume: saved }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('resume');
  });

  it('stops on a NaN loss, names the diverged epoch and hands out the last good weights', async () => {
    // A linear network with a too-large step grows geometrically until the loss overflows.
    const linearNet = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, activation: 'identity', initScale: 1, seed: 5 });
    const states: TrainState[] = [];
    const err = await trainMlp({ params: linearNet, train: data, epochs: 100, lr: 0.5, batchSize: 60, checkpointEvery: 100, onCheckpoint: (s) => { states.push(s); } }).catch((e) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    const e = err as TrainingDivergedError;
    expect(e.epoch).toBeGreaterThanOrEqual(1);
    expect(e.lastGoodEpoch).toBe(e.epoch - 1);
    expect(e.epoch).toBeGreaterThan(1); // so that the kept state is a trained one, handed out on divergence
    expect(e.message).toMatch(new RegExp(`epoch ${e.epoch}`));
    const good = states.at(-1)!;
    expect(good.epoch).toBe(e.lastGoodEpoch);
    expect(good.optimizerState).toBeUndefined();
    expect(good.params.layers.every((p) => p.weight.every(Number.isFinite))).toBe(true);
  });

  it('releases every engine tensor it creates (training with biases and AdamW, probes, autodiff AGOPs)', async () => {
    const biased = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, bias: true, seed: 1 });
    await trainMlp({ params: biased, train: data, epochs: 1, lr: 0.01, optimizer: 'adamw' });
    const before = tf.memory().numTensors;
    const r = await trainMlp({ params: biased, train: data, epochs: 2, lr: 0.01, optimizer: 'adamw', batchSize: 16 });
    await probeNetwork(r.params, biased, data.x, data.labels, { epoch: 2, trainLoss: null }, { right: 'svd' });
    await networkAgops(r.params, data.x, data.n, { method: 'autodiff' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects data that do not fit the network', async () => {
    await expect(trainMlp({ params, train: { ...data, dim: 7 }, epochs: 1, lr: 0.1 })).rejects.toThrowError(/`train.dim`/);
    const bad = { ...data, labels: Int32Array.from(data.labels, (v) => (v === 2 ? 3 : v)) };
    await expect(trainMlp({ params, train: bad, epochs: 1, lr: 0.1 })).rejects.toThrowError(/`train.labels`/);
  });

  it('conserves the per-unit balance of a bias-free ReLU network under small-step SGD', async () => {
    const p0 = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, initScale: 1, seed: 9 });
    const { params: p1 } = await trainMlp({ params: p0, train: data, epochs: 10, lr: 0.005, batchSize: 60 });
    // diag(W_{l+1}ᵀW_{l+1} − W_l W_lᵀ) is invariant under gradient flow for positively homogeneous units;
    // a discrete step changes it by O(lr²). Compare with how much the squared norms themselves move.
    const gap = (p: typeof p0, l: number) => {
      const lo = p.layers[l];
      const up = p.layers[l + 1];
      return Array.from({ length: lo.outDim }, (_, i) => {
        let inc = 0;
        for (let j = 0; j < lo.inDim; j++) inc += lo.weight[i * lo.inDim + j] ** 2;
        let out = 0;
        for (let o = 0; o < up.outDim; o++) out += up.weight[o * up.inDim + i] ** 2;
        return [out - inc, inc];
      });
    };
    for (const l of [0, 1]) {
      const g0 = gap(p0, l);
      const g1 = gap(p1, l);
      let gapMove = 0;
      let normMove = 0;
      for (let i = 0; i < g0.length; i++) {
        gapMove += Math.abs(g1[i][0] - g0[i][0]);
        normMove += Math.abs(g1[i][1] - g0[i][1]);
      }
      expect(normMove).toBeGreaterThan(0);
      expect(gapMove).toBeLessThan(0.05 * normMove);
    }
  });
});
