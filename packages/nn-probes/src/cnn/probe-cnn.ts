/**
 * `probeCnn`: train a VGG-style CNN and probe it every few epochs (the library behind `nclab probe cnn`).
 */
import { InvalidArgumentError, assertInteger, assertPositive, getEngineInfo, initEngine } from '@nclab/backend';
import type { ProbeProgress } from '../probe-mlp.js';
import type { EpochStats } from '../train.js';
import type { LossName, OptimizerName } from '../types.js';
import { createCnn } from './model.js';
import { probeCnnNetwork, type CnnLayerCheckpoint } from './probes.js';
import { trainCnn, type CnnTrainState } from './train.js';
import type { ConvBlockSpec, ImageSet } from './types.js';

/** Options of {@link probeCnn}. */
export interface ProbeCnnOptions {
  train: ImageSet;
  test?: ImageSet;
  blocks: readonly ConvBlockSpec[];
  /** Hidden FC widths of the head (e.g. [64]). */
  hidden: readonly number[];
  epochs: number;
  lr: number;
  /** Xavier-uniform gain. Default 1. */
  initScale?: number;
  /** Default 'mse'. */
  loss?: LossName;
  seed: number;
  /** Default 64. */
  batchSize?: number;
  /** Default 5. */
  probeEvery?: number;
  /** Default 'sgd'. */
  optimizer?: OptimizerName;
  momentum?: number;
  weightDecay?: number;
  /** Probe the test set too (`nc1_*_test`). Default false. */
  probeTest?: boolean;
  /** AGOP / NFA per layer. Default true. */
  nfa?: boolean;
  /** Training samples (class-balanced, seeded by `seed`) the AGOP averages over. Default 200 (0: all). */
  agopSamples?: number;
  /** Fisher and linear-probe NC1 where the feature dimension is ≤ 2048. Default false. */
  metricDependence?: boolean;
  onCheckpoint?: (state: ProbeCnnState) => void | Promise<void>;
  resume?: ProbeCnnState;
  onProgress?: (p: ProbeProgress) => void;
  engine?: 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';
}

/** The state handed to `onCheckpoint` and taken back as `resume`. */
export interface ProbeCnnState {
  readonly training: CnnTrainState;
  readonly checkpoints: readonly CnnLayerCheckpoint[];
  readonly logits: readonly { epoch: number; nc1: number }[];
}

/** The plain result of {@link probeCnn}. */
export interface ProbeCnnResult {
  config: Record<string, unknown>;
  checkpoints: CnnLayerCheckpoint[];
  history: EpochStats[];
  logits: { epoch: number; nc1: number }[];
  /** Per layer at the last checkpoint: does NC1 fall more at S Vᵀ than at U and σ (trace ratio)? */
  summary: { finalEpoch: number; finalTrainAcc: number; finalTestAcc: number | null; rightDominates: boolean[]; layersWhereRightDominates: number; layers: number };
  samplesPerSecond: number;
  seconds: number;
}

/**
 * Trains a CNN (conv blocks → MLP head; see `createCnn`) on images and probes every `probeEvery` epochs
 * (and at 0 and the end): per layer the sub-layer NC1 at the input patches, after S Vᵀ and after U and σ
 * (trace ratio and pinv form; Fisher and linear probe with `metricDependence`), NC2/NCC of the outputs,
 * ranks, and the NFA correlation of WᵀW with the patch AGOP. Seeded and resumable like `probeMlp`.
 * @returns the result (camelCase keys).
 * @throws {InvalidArgumentError} on bad options.
 * @throws {TrainingDivergedError} on a non-finite loss.
 * @example
 * await probeCnn({ train, blocks: [{ channels: 16, kernel: 3, pool: 2 }], hidden: [64], epochs: 20, lr: 0.05, seed: 0 });
 */
export async function probeCnn(options: ProbeCnnOptions): Promise<ProbeCnnResult> {
  assertInteger('epochs', options.epochs, 0);
  assertPositive('lr', options.lr);
  const probeEvery = options.probeEvery ?? 5;
  assertInteger('probeEvery', probeEvery, 1);
  const batchSize = options.batchSize ?? 64;
  const loss = options.loss ?? 'mse';
  if (!Number.isFinite(options.seed)) throw new InvalidArgumentError('seed', 'a finite number', options.seed);
  const t0 = performance.now();
  await initEngine(options.engine ? { engine: options.engine } : {});
  const { train, test } = options;
  const params = createCnn({ inputShape: train.shape as [number, number, number], blocks: options.blocks, hidden: options.hidden, numClasses: train.numClasses, initScale: options.initScale ?? 1, seed: options.seed });
  const saved = options.resume;
  const checkpoints: CnnLayerCheckpoint[] = saved ? [...saved.checkpoints] : [];
  const logits: { epoch: number; nc1: number }[] = saved ? [...saved.logits] : [];
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const onCheckpoint = options.onCheckpoint;
  const trained = await trainCnn({
    params, train, test, epochs: options.epochs, lr: options.lr, batchSize, optimizer: options.optimizer ?? 'sgd', momentum: options.momentum,
    weightDecay: options.weightDecay, loss, seed: options.seed, checkpointEvery: probeEvery, resume: saved?.training,
    onCheckpoint: onCheckpoint ? (training) => onCheckpoint({ training, checkpoints: checkpoints.slice(), logits: logits.slice() }) : undefined,
    onEpochEnd: async ({ epoch, params: now, initialParams, stats }) => {
      const progress = (phase: ProbeProgress['phase']): ProbeProgress => ({ phase, epoch, epochs: options.epochs, trainLoss: stats.trainLoss, trainAcc: stats.trainAcc, testAcc: stats.testAcc, elapsedSeconds: elapsed() });
      options.onProgress?.(progress('train'));
      if (epoch % probeEvery !== 0 && epoch !== options.epochs) return;
      const snap = await probeCnnNetwork(now, initialParams, train, { epoch, trainLoss: stats.trainLoss }, {
        nfa: options.nfa ?? true,
        agopSamples: options.agopSamples,
        agopSeed: options.seed,
        metricDependence: options.metricDependence ?? false,
        test: test && options.probeTest ? test : undefined,
      });
      checkpoints.push(...snap.rows);
      logits.push({ epoch, nc1: snap.nc1Logits });
      options.onProgress?.(progress('probe'));
    },
  });
  const last = trained.history[trained.history.length - 1];
  const finalEpoch = checkpoints.length ? Math.max(...checkpoints.map((c) => c.epoch)) : 0;
  const fin = checkpoints.filter((c) => c.epoch === finalEpoch).sort((a, b) => a.layer - b.layer);
  const rightDominates = fin.map((r) => r.nc1Input / r.nc1Right > r.nc1Right / r.nc1Output);
  return {
    config: {
      n: train.n, inputShape: train.shape, blocks: options.blocks, hidden: options.hidden, epochs: options.epochs, lr: options.lr,
      initScale: options.initScale ?? 1, loss, seed: options.seed, batchSize, probeEvery, optimizer: options.optimizer ?? 'sgd',
      momentum: options.momentum ?? 0, weightDecay: options.weightDecay ?? 0, probeTest: options.probeTest ?? false, agopSamples: options.agopSamples ?? 200,
      metricDependence: options.metricDependence ?? false, batchNorm: false, engine: getEngineInfo(), resumedFrom: trained.resumedFrom,
      conventions: {
        conv: "k×k 'same' convolution, stride 1, no bias, ReLU, max pool; W as [C_out, C_in·k·k] (PyTorch W.reshape(C_out, -1))",
        nc1_input: 'NC1 of the unfolded input patches, flattened per sample [H·W·C_in·k²] (FC layers: the layer input)',
        nc1_right: 'NC1 of the pre-activation W·patch = U (S V^T patch), flattened; equal to NC1 of S V^T patch (U orthonormal columns)',
        nc1_output: 'NC1 of sigma(W·patch) before pooling, flattened',
        nfa: 'corr(W^T W, AGOP^{1/2}), AGOP over patches = W^T [(1/N) sum_{i,c,p} g g^T] W, g = d f_c / d pre-activation at position p',
      },
    },
    checkpoints,
    history: trained.history,
    logits,
    summary: {
      finalEpoch,
      finalTrainAcc: last.trainAcc,
      finalTestAcc: last.testAcc ?? null,
      rightDominates,
      layersWhereRightDominates: rightDominates.filter(Boolean).length,
      layers: fin.length,
    },
    samplesPerSecond: trained.samplesPerSecond,
    seconds: elapsed(),
  };
}
