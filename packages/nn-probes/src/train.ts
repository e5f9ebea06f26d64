import type * as TfCore from '@tensorflow/tfjs-core';
import { InvalidArgumentError, allFinite, createRng, getTf, type Tf } from '@nclab/backend';
import { TrainingDivergedError } from './errors.js';
import { batchLoss, lossTargets } from './losses.js';
import { cloneParams } from './mlp.js';
import { assignTfNetwork, forward, fromTfNetwork, toTfNetwork, type TfNetwork, type Tensor2D } from './network.js';
import { createOptimizer, type OptimizerOptions, type OptimizerState } from './optimizers.js';
import { checkTrainOptions, epochSeed, type CommonTrainOptions } from './train-options.js';
import { hostTrainRoute, type TrainRoute } from './host/trainer-host.js';
import type { LossName, MlpParams, TrainingSet } from './types.js';

/** Loss and accuracy after one epoch (epoch 0 = at initialisation). */
export interface EpochStats {
  epoch: number;
  /** Loss of the whole training set under the epoch's final weights (same convention as training). */
  trainLoss: number;
  /** Fraction of training samples whose arg-max output is the label. */
  trainAcc: number;
  testLoss?: number;
  testAcc?: number;
  /** Wall time of the epoch's updates in seconds (0 for epoch 0). */
  seconds: number;
}

/** What {@link trainMlp} hands to `onEpochEnd`. */
export interface EpochEnd {
  epoch: number;
  /** Host copy of the weights after this epoch. */
  params: MlpParams;
  /** The weights at initialisation, W₀. */
  initialParams: MlpParams;
  stats: EpochStats;
}

/** Options of {@link trainMlp}. */
export interface TrainOptions extends CommonTrainOptions {
  /** Initial network (from `createMlp`); not modified. */
  params: MlpParams;
  train: TrainingSet;
  test?: TrainingSet;
  /** Seed of the minibatch order; epoch e shuffles with its own generator, so a resumed run sees the same order. Default 0. */
  seed?: number;
  /**
   * Receives everything needed to resume (weights, W₀, optimiser state, epoch, history) every
   * `checkpointEvery` epochs, after that epoch's `onEpochEnd`; the caller serialises it. On divergence it
   * also receives the last good epoch's weights (without optimiser state) if that epoch was not handed out.
   */
  onCheckpoint?: (state: TrainState) => void | Promise<void>;
  /** Continue from a state handed out by `onCheckpoint` (same architecture, same seed and options). */
  resume?: TrainState;
  /** Rows per forward pass when evaluating on the tfjs route. Default 1024. (The host route evaluates in chunks of `batchSize` rows on its one workspace.) */
  evalBatchSize?: number;
  /** Called after epoch 0 (initialisation) and after every epoch, before that epoch's state goes to `onCheckpoint`. */
  onEpochEnd?: (e: EpochEnd) => void | Promise<void>;
  /**
   * Where the passes run. `'host'`: forward/backward by the backend's `sgemm` with preallocated
   * buffers (native BLAS, or the portable WebAssembly kernel); `'tfjs'`: the tfjs engine (autodiff).
   * Both give the same trajectory to float32 rounding. Default `'auto'` = `'host'` (measured faster on
   * both linear-algebra paths; see the package README).
   */
  route?: TrainRouteName;
}

/** The training routes of {@link trainMlp}. */
export type TrainRouteName = 'auto' | 'host' | 'tfjs';

/**
 * What {@link trainMlp} hands to `onCheckpoint` and takes back as `resume`. The minibatch order of
 * epoch e comes from its own generator seeded by (`seed`, e), so the epoch is the whole random state:
 * a resumed run is bit-identical to an uninterrupted one.
 */
export interface TrainState {
  /** Epochs completed. */
  readonly epoch: number;
  /** The weights after `epoch` epochs. */
  readonly params: MlpParams;
  /** The weights at initialisation, W₀. */
  readonly initialParams: MlpParams;
  /** Optimiser buffers and step count (absent in the state handed out on divergence). */
  readonly optimizerState?: OptimizerState;
  /** Loss and accuracy of epochs 0..`epoch`. */
  readonly history: readonly EpochStats[];
}

/** What {@link trainMlp} returns. */
export interface TrainResult {
  params: MlpParams;
  initialParams: MlpParams;
  history: EpochStats[];
  /** The epoch training resumed from (null for a fresh run). */
  resumedFrom: number | null;
  /** Training throughput in samples per second (updates only, evaluation excluded). */
  samplesPerSecond: number;
  /** The route that ran (`'host'` or `'tfjs'`). */
  route: 'host' | 'tfjs';
}

function validateData(name: string, d: TrainingSet, inputDim: number, numClasses: number): void {
  if (d.dim !== inputDim) throw new InvalidArgumentError(`${name}.dim`, `the network's input dimension ${inputDim}`, d.dim);
  if (d.x.length !== d.n * d.dim) throw new InvalidArgumentError(`${name}.x`, `of length n·dim = ${d.n * d.dim}`, d.x.length);
  if (d.labels.length !== d.n) throw new InvalidArgumentError(`${name}.labels`, `of length n = ${d.n} (one label per sample)`, d.labels.length);
  if (d.n < 1) throw new InvalidArgumentError(`${name}.n`, 'at least 1 sample', d.n);
  for (let i = 0; i < d.n; i++) {
    const y = d.labels[i];
    if (!(y >= 0 && y < numClasses)) throw new InvalidArgumentError(`${name}.labels`, `integers in [0, ${numClasses})`, y, `at index ${i}`);
  }
}

/**
 * Loss and accuracy of a network on a data set, evaluated in chunks (no gradients).
 * @returns `{ loss, accuracy }` with the training loss convention of `loss`.
 * @throws {InvalidArgumentError} from the engine when `data` does not fit the network.
 * @example
 * const { loss, accuracy } = await evaluate(net, test, 'mse');
 */
export async function evaluate(net: TfNetwork, data: TrainingSet, loss: LossName, batchSize = 1024): Promise<{ loss: number; accuracy: number }> {
  const tf = getTf() as Tf;
  const targets = lossTargets(loss, data.labels, net.spec.numClasses);
  const K = net.spec.numClasses;
  let lossSum = 0;
  let correct = 0;
  for (let s = 0; s < data.n; s += batchSize) {
    const e = Math.min(data.n, s + batchSize);
    const [l, pred] = tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(s * data.dim, e * data.dim), [e - s, data.dim]);
      const y = tf.tensor2d(targets.subarray(s * K, e * K), [e - s, K]);
      const out = forward(net, x);
      return [batchLoss(loss, out, y), tf.argMax(out, 1)];
    });
    lossSum += (await l.data())[0] * (e - s);
    const p = await pred.data();
    for (let i = 0; i < e - s; i++) if (p[i] === data.labels[s + i]) correct++;
    l.dispose();
    pred.dispose();
  }
  return { loss: lossSum / data.n, accuracy: correct / data.n };
}

/**
 * Trains an MLP with minibatch SGD (optionally with momentum) or AdamW, on the host (backend `sgemm`,
 * default) or on the tfjs engine (`route`).
 *
 * Per epoch: a seeded permutation of the training set, minibatches of `batchSize`, one update each;
 * then the loss and accuracy of the whole training (and test) set are evaluated,
 * `onEpochEnd` runs (probes hook in there), and every `checkpointEvery` epochs the state goes to
 * `onCheckpoint` (the caller serialises it; pass it back as `resume` to continue).
 * Every minibatch loss is checked: a NaN or infinite loss stops training at once, restores the last
 * epoch that ended finite and throws {@link TrainingDivergedError}.
 *
 * @returns the trained parameters, W₀, the per-epoch history and the throughput.
 * @throws {InvalidArgumentError} on bad sizes, data that do not fit the network, or bad optimiser options.
 * @throws {TrainingDivergedError} when a minibatch loss is not finite.
 * @example
 * const net = createMlp({ inputDim: 784, width: 64, depth: 2, numClasses: 10, initScale: 0.5 });
 * const { history } = await trainMlp({ params: net, train, epochs: 5, lr: 0.05 });
 */
export async function trainMlp(options: TrainOptions): Promise<TrainResult> {
  const { train, test } = options;
  const spec = options.params.spec;
  const { batchSize, loss, checkpointEvery, optimizer: optOptions } = checkTrainOptions(options);
  const seed = options.seed ?? 0;
  validateData('train', train, spec.inputDim, spec.numClasses);
  if (test) validateData('test', test, spec.inputDim, spec.numClasses);
  const evalBatch = options.evalBatchSize ?? 1024;

  let params = cloneParams(options.params);
  // one snapshot serves both until the first epoch ends (neither is ever written: the route trains its own copy)
  let initialParams = params;
  let history: EpochStats[] = [];
  let startEpoch = 0;
  let resumedFrom: number | null = null;
  const routeName = options.route ?? 'auto';
  if (routeName !== 'auto' && routeName !== 'host' && routeName !== 'tfjs') throw new InvalidArgumentError('route', "'auto', 'host' or 'tfjs'", routeName);
  const route: TrainRoute = routeName === 'tfjs' ? tfjsTrainRoute(params, train, loss, optOptions) : hostTrainRoute(params, train, loss, optOptions, batchSize);
  let lastHanded = -1;

  try {
    const saved = options.resume;
    if (saved) {
      if (JSON.stringify(saved.params.spec) !== JSON.stringify(spec)) {
        throw new InvalidArgumentError('resume', `a state of the same architecture ${JSON.stringify(spec)}`, JSON.stringify(saved.params.spec));
      }
      params = cloneParams(saved.params);
      initialParams = cloneParams(saved.initialParams);
      route.assign(params);
      if (saved.optimizerState) route.setOptimizerState(saved.optimizerState);
      history = saved.history.filter((h) => h.epoch <= saved.epoch).map((h) => ({ ...h }));
      startEpoch = saved.epoch;
      resumedFrom = saved.epoch;
      lastHanded = saved.epoch;
    }

    let updateSeconds = 0;
    let updateSamples = 0;

    const finishEpoch = async (epoch: number, seconds: number, previous?: MlpParams): Promise<void> => {
      const tr = await route.evaluate(train, loss, evalBatch);
      // finite minibatch losses can still end in weights whose loss overflows (AdamW at a huge lr):
      // the same stop as a non-finite minibatch loss, back to the last finite epoch
      if (previous && !Number.isFinite(tr.loss)) {
        params = previous;
        throw await diverged(epoch, -1, tr.loss);
      }
      const stats: EpochStats = { epoch, trainLoss: tr.loss, trainAcc: tr.accuracy, seconds };
      if (test) {
        const te = await route.evaluate(test, loss, evalBatch);
        stats.testLoss = te.loss;
        stats.testAcc = te.accuracy;
      }
      history.push(stats);
      if (options.onEpochEnd) await options.onEpochEnd({ epoch, params, initialParams, stats });
      if (epoch > 0 && options.onCheckpoint && (epoch % checkpointEvery === 0 || epoch === options.epochs)) {
        await options.onCheckpoint({ epoch, params, initialParams, optimizerState: await route.optimizerState(), history: history.slice() });
        lastHanded = epoch;
      }
    };

    // Restores the last good state and hands it out (weights only) before reporting the divergence.
    const diverged = async (epoch: number, batch: number, lossValue: number): Promise<TrainingDivergedError> => {
      const lastGood = history[history.length - 1].epoch;
      route.assign(params);
      // The optimiser state of that epoch is gone (the failed epoch changed it): weights only.
      if (options.onCheckpoint && lastGood > 0 && lastHanded !== lastGood) {
        await options.onCheckpoint({ epoch: lastGood, params, initialParams, history: history.slice() });
        lastHanded = lastGood;
      }
      return new TrainingDivergedError(epoch, batch, lastGood, lossValue);
    };

    if (resumedFrom === null) await finishEpoch(0, 0);
    for (let epoch = startEpoch + 1; epoch <= options.epochs; epoch++) {
      const perm = createRng(epochSeed(seed, epoch)).permutation(train.n);
      const t0 = performance.now();
      for (let s = 0, b = 0; s < train.n; s += batchSize, b++) {
        const lossValue = await route.step(perm.subarray(s, Math.min(train.n, s + batchSize)));
        if (!Number.isFinite(lossValue)) throw await diverged(epoch, b, lossValue);
      }
      const seconds = (performance.now() - t0) / 1000;
      updateSeconds += seconds;
      updateSamples += train.n;
      const next = await route.params();
      if (!next.layers.every((p) => allFinite(p.weight))) throw await diverged(epoch, -1, NaN);
      const previous = params;
      params = next;
      await finishEpoch(epoch, seconds, previous);
    }
    return { params, initialParams, history, resumedFrom, samplesPerSecond: updateSeconds > 0 ? updateSamples / updateSeconds : 0, route: route.name };
  } finally {
    route.dispose();
  }
}

/**
 * The tfjs route of {@link trainMlp}: variables on the engine, gradients by `tf.variableGrads`, the
 * tfjs optimiser. Kept for engines without a host contract (browser demos) and as the reference the
 * host route is tested against.
 */
function tfjsTrainRoute(initial: MlpParams, train: TrainingSet, loss: LossName, optOptions: OptimizerOptions): TrainRoute {
  const tf = getTf() as Tf;
  const spec = initial.spec;
  const net = toTfNetwork(initial);
  const variables: TfCore.Variable[] = [...net.weights, ...(net.biases.filter((b) => b !== null) as TfCore.Variable[])];
  const optimizer = createOptimizer(variables, optOptions);
  const xAll = tf.tensor2d(train.x, [train.n, train.dim]);
  const yAll = tf.tensor2d(lossTargets(loss, train.labels, spec.numClasses), [train.n, spec.numClasses]);
  return {
    name: 'tfjs',
    async step(perm) {
      const idx = tf.tensor1d(perm, 'int32');
      const { value, grads } = tf.variableGrads(() => {
        const xb = tf.gather(xAll, idx) as Tensor2D;
        const yb = tf.gather(yAll, idx) as Tensor2D;
        return batchLoss(loss, forward(net, xb), yb);
      }, variables);
      const lossValue = (await value.data())[0];
      if (Number.isFinite(lossValue)) optimizer.step(variables.map((v) => grads[v.name]));
      idx.dispose();
      value.dispose();
      tf.dispose(grads);
      return lossValue;
    },
    evaluate: (data, lossName, evalBatch) => evaluate(net, data, lossName, evalBatch),
    params: () => fromTfNetwork(net),
    assign: (p) => assignTfNetwork(net, p),
    optimizerState: () => optimizer.getState(),
    setOptimizerState: (st: OptimizerState) => optimizer.setState(st),
    dispose() {
      xAll.dispose();
      yAll.dispose();
      optimizer.dispose();
      net.dispose();
    },
  };
}
