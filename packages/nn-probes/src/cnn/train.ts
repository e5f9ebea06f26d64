/**
 * Minibatch training of a CNN on tfjs (autodiff through conv2d / maxPool), with the conventions and the
 * optimisers of `trainMlp`: seeded per-epoch shuffles, SGD (momentum) or AdamW, MSE on ±1 one-hot
 * targets or cross-entropy, a resumable state, divergence as `TrainingDivergedError`.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { InvalidArgumentError, createRng, getTf, type Tf } from '@nclab/backend';
import { TrainingDivergedError } from '../errors.js';
import { batchLoss, lossTargets } from '../losses.js';
import { createOptimizer, type OptimizerState } from '../optimizers.js';
import type { EpochStats } from '../train.js';
import { checkTrainOptions, epochSeed, type CommonTrainOptions } from '../train-options.js';
import type { LossName } from '../types.js';
import { assignTfCnn, cloneCnn, cnnForward, fromTfCnn, toTfCnn, type TfCnn } from './model.js';
import type { CnnParams, ImageSet } from './types.js';

/** Options of {@link trainCnn} (the schedule, loss and optimiser options are `trainMlp`'s: {@link CommonTrainOptions}). */
export interface TrainCnnOptions extends CommonTrainOptions {
  params: CnnParams;
  train: ImageSet;
  test?: ImageSet;
  /** Seeds the per-epoch shuffles. Default 0. */
  seed?: number;
  onCheckpoint?: (state: CnnTrainState) => void | Promise<void>;
  /** Continue from a state given to `onCheckpoint` (same architecture). */
  resume?: CnnTrainState;
  /** Called after every epoch (and at epoch 0) with the weights then. */
  onEpochEnd?: (e: { epoch: number; params: CnnParams; initialParams: CnnParams; stats: EpochStats }) => void | Promise<void>;
}

/** What a resume needs: the weights now and at initialisation, the optimiser state, the history. */
export interface CnnTrainState {
  readonly epoch: number;
  readonly params: CnnParams;
  readonly initialParams: CnnParams;
  readonly optimizerState?: OptimizerState;
  readonly history: readonly EpochStats[];
}

/**
 * The order in which {@link trainCnn} visits the n training samples in `epoch` (1-based) of a run seeded `seed`.
 * @returns a permutation of 0..n−1.
 * @example
 * epochPermutation(0, 1, 1000); // what a peer must use to reproduce epoch 1
 */
export function epochPermutation(seed: number, epoch: number, n: number): Int32Array {
  return Int32Array.from(createRng(epochSeed(seed, epoch)).permutation(n));
}

function checkSet(name: string, d: ImageSet, p: CnnParams): void {
  const [H, W, C] = p.spec.inputShape;
  if (d.shape[0] !== H || d.shape[1] !== W || d.shape[2] !== C) throw new InvalidArgumentError(`${name}.shape`, `[${H}, ${W}, ${C}]`, `[${d.shape.join(', ')}]`);
  if (d.x.length !== d.n * H * W * C) throw new InvalidArgumentError(`${name}.x`, `of length N·H·W·C = ${d.n * H * W * C}`, d.x.length);
  if (d.labels.length !== d.n) throw new InvalidArgumentError(`${name}.labels`, `of length ${d.n}`, d.labels.length);
  for (let i = 0; i < d.n; i++) if (!(d.labels[i] >= 0 && d.labels[i] < p.spec.numClasses)) throw new InvalidArgumentError(`${name}.labels`, `integers in [0, ${p.spec.numClasses})`, d.labels[i], `at index ${i}`);
}

/**
 * Loss and accuracy of the network on a data set, in batches.
 * @returns mean loss and accuracy.
 * @example
 * await evaluateCnn(net, test, 'mse');
 */
export async function evaluateCnn(net: TfCnn, data: ImageSet, loss: LossName, batchSize = 256): Promise<{ loss: number; accuracy: number }> {
  const tf = getTf() as Tf;
  const K = net.spec.numClasses;
  const [H, W, C] = data.shape;
  const targets = lossTargets(loss, data.labels, K);
  let sum = 0;
  let correct = 0;
  for (let s = 0; s < data.n; s += batchSize) {
    const e = Math.min(data.n, s + batchSize);
    const [l, pred] = tf.tidy(() => {
      const out = cnnForward(net, tf.tensor4d(data.x.subarray(s * H * W * C, e * H * W * C), [e - s, H, W, C]));
      return [batchLoss(loss, out, tf.tensor2d(targets.subarray(s * K, e * K), [e - s, K])), tf.argMax(out, 1)];
    });
    sum += (await l.data())[0] * (e - s);
    const p = await pred.data();
    for (let i = 0; i < e - s; i++) if (p[i] === data.labels[s + i]) correct++;
    tf.dispose([l, pred]);
  }
  return { loss: sum / data.n, accuracy: correct / data.n };
}

/**
 * Trains a CNN (see the module comment). Every epoch visits the training set in the order of a
 * permutation seeded by (seed, epoch), so a run resumed from a checkpoint gives the same weights as an
 * uninterrupted one.
 * @returns the final and initial weights, the history, where it resumed from, and the throughput.
 * @throws {InvalidArgumentError} on bad options or data.
 * @throws {TrainingDivergedError} on a non-finite loss (the last good state went to `onCheckpoint`).
 * @example
 * const r = await trainCnn({ params: createCnn(spec), train, epochs: 10, lr: 0.05 });
 */
export async function trainCnn(options: TrainCnnOptions): Promise<{ params: CnnParams; initialParams: CnnParams; history: EpochStats[]; resumedFrom: number | null; samplesPerSecond: number }> {
  const tf = getTf() as Tf;
  const { train, test } = options;
  const spec = options.params.spec;
  const { batchSize, loss, checkpointEvery: every, optimizer: optOptions } = checkTrainOptions(options);
  checkSet('train', train, options.params);
  if (test) checkSet('test', test, options.params);
  let params = cloneCnn(options.params);
  let initialParams = cloneCnn(options.params);
  let history: EpochStats[] = [];
  let start = 0;
  let resumedFrom: number | null = null;
  const net = toTfCnn(params);
  const variables: TfCore.Variable[] = [...net.filters, ...net.weights];
  const optimizer = createOptimizer(variables, optOptions);
  const [H, W, C] = spec.inputShape;
  const K = spec.numClasses;
  try {
    const saved = options.resume;
    if (saved) {
      if (JSON.stringify(saved.params.spec) !== JSON.stringify(spec)) throw new InvalidArgumentError('resume', `a state of the architecture ${JSON.stringify(spec)}`, JSON.stringify(saved.params.spec));
      params = cloneCnn(saved.params);
      initialParams = cloneCnn(saved.initialParams);
      assignTfCnn(net, params);
      if (saved.optimizerState) optimizer.setState(saved.optimizerState);
      history = saved.history.filter((h) => h.epoch <= saved.epoch).map((h) => ({ ...h }));
      start = resumedFrom = saved.epoch;
    }
    const xAll = tf.tensor4d(train.x, [train.n, H, W, C]);
    const yAll = tf.tensor2d(lossTargets(loss, train.labels, K), [train.n, K]);
    let updSeconds = 0;
    let updSamples = 0;
    const finish = async (epoch: number, seconds: number): Promise<void> => {
      const tr = await evaluateCnn(net, train, loss);
      if (!Number.isFinite(tr.loss)) throw new TrainingDivergedError(epoch, -1, history[history.length - 1]?.epoch ?? 0, tr.loss);
      const stats: EpochStats = { epoch, trainLoss: tr.loss, trainAcc: tr.accuracy, seconds };
      if (test) {
        const te = await evaluateCnn(net, test, loss);
        stats.testLoss = te.loss;
        stats.testAcc = te.accuracy;
      }
      history.push(stats);
      await options.onEpochEnd?.({ epoch, params, initialParams, stats });
      if (epoch > 0 && options.onCheckpoint && (epoch % every === 0 || epoch === options.epochs)) {
        await options.onCheckpoint({ epoch, params, initialParams, optimizerState: await optimizer.getState(), history: history.slice() });
      }
    };
    try {
      if (resumedFrom === null) await finish(0, 0);
      for (let epoch = start + 1; epoch <= options.epochs; epoch++) {
        const perm = epochPermutation(options.seed ?? 0, epoch, train.n);
        const t0 = performance.now();
        for (let s = 0, b = 0; s < train.n; s += batchSize, b++) {
          const idx = tf.tensor1d(perm.subarray(s, Math.min(train.n, s + batchSize)), 'int32');
          const { value, grads } = tf.variableGrads(() => batchLoss(loss, cnnForward(net, tf.gather(xAll, idx) as TfCore.Tensor4D), tf.gather(yAll, idx) as TfCore.Tensor2D), variables);
          const v = (await value.data())[0];
          if (!Number.isFinite(v)) {
            tf.dispose([idx, value, ...Object.values(grads)]);
            throw new TrainingDivergedError(epoch, b, history[history.length - 1]?.epoch ?? 0, v);
          }
          optimizer.step(variables.map((x) => grads[x.name]));
          tf.dispose([idx, value, ...Object.values(grads)]);
        }
        const seconds = (performance.now() - t0) / 1000;
        updSeconds += seconds;
        updSamples += train.n;
        params = await fromTfCnn(net);
        await finish(epoch, seconds);
      }
    } finally {
      tf.dispose([xAll, yAll]);
    }
    return { params, initialParams, history, resumedFrom, samplesPerSecond: updSeconds > 0 ? updSamples / updSeconds : 0 };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
