import { InvalidArgumentError, assertInteger, assertPositive, getEngineInfo, initEngine } from '@nclab/backend';
import { createMlp } from './mlp.js';
import { probeNetwork, type LayerCheckpoint } from './probes.js';
import { trainMlp, type EpochStats, type TrainRouteName, type TrainState } from './train.js';
import { linearHeadProbe, type LinearHeadCheckpoint } from './host/linear-head.js';
import { entkProbe, type EntkCheckpoint } from './entk/entk.js';
import type { Activation, LossName, OptimizerName, TrainingSet } from './types.js';

/** Options of {@link probeMlp} (the library behind the `nclab probe mlp` job). */
export interface ProbeMlpOptions {
  /** Training samples: `x` `[N, d]` float32 (MNIST: raw pixels in [0, 1]), labels in [0, K). */
  train: TrainingSet;
  /** Held-out samples evaluated after every epoch (and probed when `probeTest`). */
  test?: TrainingSet;
  /** Hidden layers (≥ 1). */
  depth: number;
  /** Hidden width (≥ 1). */
  width: number;
  /** Width of the first hidden layer (≥ 1; a wide first layer, see `MlpSpec.firstWidth`). Default `width`. */
  firstWidth?: number;
  /** Epochs (≥ 0). */
  epochs: number;
  /** Learning rate. */
  lr: number;
  /** Xavier-uniform gain of the hidden layers. */
  initScale: number;
  /** `'mse'` (PyTorch MSELoss on ±1 one-hot targets) or `'ce'`. */
  loss: LossName;
  seed: number;
  /** Default 128. */
  batchSize?: number;
  /** Probe every this many epochs (and at epoch 0 and the last epoch). Default 10. */
  probeEvery?: number;
  /**
   * Receives the whole state after every probe epoch (training state plus the probe rows so far); the
   * caller serialises it (the nclab job uses the backend checkpoint container).
   */
  onCheckpoint?: (state: ProbeMlpState) => void | Promise<void>;
  /** Continue from a state handed to `onCheckpoint` by a run with the same options. */
  resume?: ProbeMlpState;
  /** Progress events (one per epoch and one per probe) for a progress bar. */
  onProgress?: (p: ProbeProgress) => void;
  /** Default `'sgd'` (the paper: no momentum). */
  optimizer?: OptimizerName;
  momentum?: number;
  weightDecay?: number;
  /** Default `'relu'`. */
  activation?: Activation;
  /** Default false (the paper's MLPs have no biases). */
  bias?: boolean;
  /** Also measure the sub-layer NC1 of the test samples at each probe (`nc1_*_test`). Default false. */
  probeTest?: boolean;
  /** Fisher and linear-probe NC1 at every sub-layer point (`nc1Fisher*`, `nc1Probe*`; see `NetworkNcOptions.metricDependence`). Default false. */
  metricDependence?: boolean;
  /** Compute AGOPs and NFA correlations at each probe. Default true. */
  nfa?: boolean;
  /**
   * The last this many hidden layers have no non-linearity (a deep linear head; see
   * `MlpSpec.linearLayers`). When ≥ 1 every probe also records the linear-head rows (`linearHead`).
   * Default 0.
   */
  linearLayers?: number;
  /**
   * With n set, every probe also runs {@link entkProbe} on a seeded (`seed`), class-balanced subsample
   * of n training points (the same points at every probe): eNTK alignment with yyᵀ, within-/across-class
   * means, and the eNTK predictor's AGOP against the network's AGOP and the NFA (`entk` rows). Default: off.
   */
  entkSamples?: number;
  /** Where training runs (see `TrainOptions.route`). Default `'auto'` (the host route). */
  route?: TrainRouteName;
  /** tfjs engine (see `initEngine`). Default: `NCLAB_ENGINE` or auto. */
  engine?: 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';
}

/** A progress event of {@link probeMlp}. */
export interface ProbeProgress {
  phase: 'train' | 'probe';
  epoch: number;
  epochs: number;
  trainLoss: number;
  trainAcc: number;
  testAcc?: number;
  /** Seconds since the run started. */
  elapsedSeconds: number;
}

/** What {@link probeMlp} hands to `onCheckpoint` and takes back as `resume`. */
export interface ProbeMlpState {
  /** The trainer's state (weights, W₀, optimiser, epoch, history). */
  readonly training: TrainState;
  /** The probe rows computed so far (the result's fields of the same names). */
  readonly checkpoints: readonly LayerCheckpoint[];
  readonly logits: ProbeResult['logits'];
  readonly spectra: ProbeResult['spectra'];
  readonly unitGaps: ProbeResult['unitGaps'];
  /** Linear-head rows so far (runs with `linearLayers` ≥ 1). */
  readonly linearHead?: readonly LinearHeadCheckpoint[];
  /** eNTK rows so far (runs with `entkSamples`). */
  readonly entk?: readonly EntkCheckpoint[];
}

/** The plain result of {@link probeMlp}; `result.json` holds it with snake_case keys (the nclab job maps them). */
export interface ProbeResult {
  /** Resolved options and engine. */
  config: Record<string, unknown>;
  /** Per checkpoint (epoch 0, every `probeEvery`, last), per hidden layer. */
  checkpoints: LayerCheckpoint[];
  /** Per-epoch training (and test) loss and accuracy, epoch 0 = initialisation. */
  history: EpochStats[];
  /** NC1 of the network output per checkpoint. */
  logits: { epoch: number; nc1: number }[];
  /** Singular values of every layer (hidden layers then the head) at initialisation and at the end. */
  spectra: { epoch: number; layer: number; singularValues: number[]; rank: number; stableRank: number }[];
  /** Per-unit balance gaps diag(W_{l+1}ᵀW_{l+1} − W_lW_lᵀ) at initialisation and at the end. */
  unitGaps: { epoch: number; layer: number; unitGap: number[] }[];
  /**
   * With `linearLayers` ≥ 1, per checkpoint: balancedness of consecutive linear layers, conditioning of
   * the features entering the linear part, NC1–NC3 at every level of the linear head, training error
   * (see `linearHeadProbe`). Absent otherwise.
   */
  linearHead?: LinearHeadCheckpoint[];
  /**
   * With `entkSamples`, per checkpoint: the eNTK Gram's alignment with yyᵀ and class-block means on the
   * subsample, and per hidden layer corr(AGOP of the eNTK predictor, network AGOP) and the NFA against
   * each (see `entkProbe`). Absent otherwise.
   */
  entk?: EntkCheckpoint[];
  /** Headline figures at the last checkpoint. */
  summary: ProbeSummary;
  /** Training throughput (samples per second, updates only). */
  samplesPerSecond: number;
  /** Wall time of the whole run in seconds. */
  seconds: number;
}

/** Headline figures of a run (last checkpoint). */
export interface ProbeSummary {
  finalEpoch: number;
  finalTrainLoss: number;
  finalTrainAcc: number;
  /** Per hidden layer: NC1 ratio input → after S Vᵀ, and after S Vᵀ → output. */
  nc1RatioRight: number[];
  nc1RatioActivation: number[];
  /** Layers where NC1 falls more (as a ratio) at S Vᵀ than at U and the activation. */
  layersWhereRightDominates: number;
  /** Mean and per-layer init-subtracted NFA correlation with AGOP^{1/2}. */
  nfaCorrSqrtDelta: (number | null)[];
  nfaCorrSqrtDeltaMean: number | null;
  /** Per-layer NFA correlation with AGOP^{1/2} at the end and at initialisation (the baseline). */
  nfaCorrSqrt: (number | null)[];
  nfaCorrSqrtInit: (number | null)[];
}

function resolve(o: ProbeMlpOptions) {
  assertInteger('depth', o.depth, 1);
  assertInteger('width', o.width, 1);
  if (o.firstWidth !== undefined) assertInteger('firstWidth', o.firstWidth, 1);
  assertInteger('epochs', o.epochs, 0);
  assertPositive('lr', o.lr);
  assertPositive('initScale', o.initScale);
  if (o.loss !== 'mse' && o.loss !== 'ce') throw new InvalidArgumentError('loss', "'mse' or 'ce'", o.loss);
  if (!Number.isFinite(o.seed)) throw new InvalidArgumentError('seed', 'a finite number', o.seed);
  const batchSize = o.batchSize ?? 128;
  assertInteger('batchSize', batchSize, 1);
  const probeEvery = o.probeEvery ?? 10;
  assertInteger('probeEvery', probeEvery, 1);
  if (o.entkSamples !== undefined) assertInteger('entkSamples', o.entkSamples, o.train.numClasses);
  return { batchSize, probeEvery };
}

/**
 * Trains a bias-free MLP on the given training set and probes it every `probeEvery` epochs: sub-layer
 * NC1 (input, after S Vᵀ, after U and ReLU), NFA correlations of every hidden layer with the AGOP of its
 * sub-network (α = 1 and 1/2, plain and init-subtracted, centered and uncentered; epoch 0 is the baseline),
 * weight spectra and balancedness. Reproduces §5 of Beaglehole et al. 2024 at CPU scale (the nclab
 * probe-mlp job feeds it a balanced MNIST subset).
 *
 * Conventions: Xavier-uniform hidden layers with gain `initScale`, PyTorch-default head; SGD without
 * momentum unless asked; MSE = squared error averaged over all N·K entries of ±1 one-hot targets
 * (PyTorch `MSELoss`); NC1 = tr Σ_W / tr Σ_B (Σ_W with 1/N, Σ_B with 1/K). Reads no files and writes none:
 * the state for a resume goes to `onCheckpoint`.
 *
 * @param options - see {@link ProbeMlpOptions}.
 * @returns the plain result (camelCase keys).
 * @throws {InvalidArgumentError} on bad options (width or depth < 1, unknown loss, data that do not fit, ...).
 * @throws {TrainingDivergedError} when the loss becomes NaN/Inf; the last good state went to `onCheckpoint`.
 * @example
 * const r = await probeMlp({ train, depth: 5, width: 256, epochs: 300, lr: 0.05, initScale: 0.5, loss: 'mse', seed: 0 });
 * r.checkpoints.filter((c) => c.epoch === 300).map((c) => c.nfaCorrSqrtDelta);
 */
export async function probeMlp(options: ProbeMlpOptions): Promise<ProbeResult> {
  const { batchSize, probeEvery } = resolve(options);
  const t0 = performance.now();
  await initEngine(options.engine ? { engine: options.engine } : {});
  const { train, test } = options;
  const params = createMlp({
    inputDim: train.dim,
    width: options.width,
    firstWidth: options.firstWidth,
    depth: options.depth,
    numClasses: train.numClasses,
    initScale: options.initScale,
    bias: options.bias ?? false,
    activation: options.activation ?? 'relu',
    seed: options.seed,
    linearLayers: options.linearLayers ?? 0,
  });
  const saved = options.resume;
  const linearHead: LinearHeadCheckpoint[] | undefined = (options.linearLayers ?? 0) > 0 ? [...(saved?.linearHead ?? [])] : undefined;
  const entk: EntkCheckpoint[] | undefined = options.entkSamples !== undefined ? [...(saved?.entk ?? [])] : undefined;
  const checkpoints: LayerCheckpoint[] = saved ? [...saved.checkpoints] : [];
  const logits: ProbeResult['logits'] = saved ? [...saved.logits] : [];
  const spectra: ProbeResult['spectra'] = saved ? [...saved.spectra] : [];
  const unitGaps: ProbeResult['unitGaps'] = saved ? [...saved.unitGaps] : [];
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const engine = getEngineInfo();
  const onCheckpoint = options.onCheckpoint;
  const trained = await trainMlp({
    params,
    train,
    test,
    epochs: options.epochs,
    lr: options.lr,
    batchSize,
    optimizer: options.optimizer ?? 'sgd',
    momentum: options.momentum,
    weightDecay: options.weightDecay,
    loss: options.loss,
    seed: options.seed,
    route: options.route,
    checkpointEvery: probeEvery,
    resume: saved?.training,
    onCheckpoint: onCheckpoint
      ? (training) => onCheckpoint({ training, checkpoints: checkpoints.slice(), logits: logits.slice(), spectra: spectra.slice(), unitGaps: unitGaps.slice(), ...(linearHead ? { linearHead: linearHead.slice() } : {}), ...(entk ? { entk: entk.slice() } : {}) })
      : undefined,
    onEpochEnd: async ({ epoch, params: now, initialParams, stats }) => {
      const progress = (phase: ProbeProgress['phase']): ProbeProgress => ({ phase, epoch, epochs: options.epochs, trainLoss: stats.trainLoss, trainAcc: stats.trainAcc, testAcc: stats.testAcc, elapsedSeconds: elapsed() });
      options.onProgress?.(progress('train'));
      const last = epoch === options.epochs;
      if (epoch % probeEvery !== 0 && !last) return;
      const snap = await probeNetwork(now, initialParams, train.x, train.labels, { epoch, trainLoss: stats.trainLoss }, {
        nfa: options.nfa ?? true,
        linearProbe: true,
        metricDependence: options.metricDependence ?? false,
        test: test && options.probeTest ? { x: test.x, labels: test.labels } : undefined,
      });
      checkpoints.push(...snap.rows);
      if (linearHead) linearHead.push(linearHeadProbe(now, train.x, train.labels, epoch, stats.trainAcc));
      if (entk) entk.push({ epoch, ...(await entkProbe(now, train.x, train.labels, { samples: options.entkSamples!, seed: options.seed })) });
      logits.push({ epoch, nc1: snap.nc1Logits });
      if (epoch === 0 || last) {
        snap.spectra.forEach((s, l) => spectra.push({ epoch, layer: l + 1, singularValues: s.singularValues, rank: s.rank, stableRank: s.stableRank }));
        snap.balance.forEach((b) => unitGaps.push({ epoch, layer: b.layer + 1, unitGap: b.unitGap }));
      }
      options.onProgress?.(progress('probe'));
    },
  });
  const history = trained.history;
  const lastStats = history[history.length - 1];
  return {
    config: {
      n: train.n,
      depth: options.depth,
      width: options.width,
      ...(options.firstWidth !== undefined ? { firstWidth: options.firstWidth } : {}),
      epochs: options.epochs,
      lr: options.lr,
      initScale: options.initScale,
      loss: options.loss,
      seed: options.seed,
      batchSize,
      probeEvery,
      optimizer: options.optimizer ?? 'sgd',
      momentum: options.momentum ?? 0,
      weightDecay: options.weightDecay ?? 0,
      activation: options.activation ?? 'relu',
      bias: options.bias ?? false,
      probeTest: options.probeTest ?? false,
      ...(options.linearLayers ? { linearLayers: options.linearLayers } : {}),
      ...(options.route ? { route: options.route } : {}),
      ...(entk ? { entkSamples: options.entkSamples } : {}),
      metricDependence: options.metricDependence ?? false,
      engine,
      resumedFrom: trained.resumedFrom,
      conventions: {
        nc1: 'tr(Sigma_W)/tr(Sigma_B), Sigma_W with 1/N, Sigma_B with 1/K (Beaglehole et al. 2024)',
        nc1_right: 'NC1 of W_l h = U_l (S_l V_l^T h); U_l has orthonormal columns so this equals NC1 of S_l V_l^T h',
        nfa: 'Pearson correlation of matrix entries (each minus its mean), float64; AGOP averaged over the N training points and summed over the K outputs',
        mse: 'mean over all N*K entries of (f - y)^2 with y = +-1 one-hot (PyTorch MSELoss)',
        init: 'Xavier-uniform with gain initScale for hidden layers; PyTorch nn.Linear default for the head',
      },
    },
    checkpoints,
    history,
    logits,
    spectra,
    unitGaps,
    ...(linearHead ? { linearHead } : {}),
    ...(entk ? { entk } : {}),
    summary: summarise(checkpoints, lastStats),
    samplesPerSecond: trained.samplesPerSecond,
    seconds: elapsed(),
  };
}

/** Headline figures of the last checkpoint (see {@link ProbeSummary}).
 * @returns the summary.
 * @example
 * summarise(result.checkpoints, result.history.at(-1)!).layersWhereRightDominates; */
export function summarise(rows: readonly LayerCheckpoint[], last: EpochStats): ProbeSummary {
  const finalEpoch = rows.length ? Math.max(...rows.map((r) => r.epoch)) : last.epoch;
  const fin = rows.filter((r) => r.epoch === finalEpoch).sort((a, b) => a.layer - b.layer);
  const init = rows.filter((r) => r.epoch === 0).sort((a, b) => a.layer - b.layer);
  const ratioRight = fin.map((r) => r.nc1Input / r.nc1Right);
  const ratioAct = fin.map((r) => r.nc1Right / r.nc1Output);
  const deltas = fin.map((r) => r.nfaCorrSqrtDelta);
  const finite = deltas.filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    finalEpoch,
    finalTrainLoss: last.trainLoss,
    finalTrainAcc: last.trainAcc,
    nc1RatioRight: ratioRight,
    nc1RatioActivation: ratioAct,
    layersWhereRightDominates: ratioRight.filter((v, i) => v > ratioAct[i]).length,
    nfaCorrSqrtDelta: deltas,
    nfaCorrSqrtDeltaMean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
    nfaCorrSqrt: fin.map((r) => r.nfaCorrSqrt),
    nfaCorrSqrtInit: init.map((r) => r.nfaCorrSqrt),
  };
}
