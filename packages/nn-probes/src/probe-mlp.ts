import { join } from 'node:path';
import { InvalidArgumentError, assertInteger, assertPositive, getEngineInfo, initEngine } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { createMlp } from './mlp.js';
import { probeNetwork, type LayerCheckpoint } from './probes.js';
import { trainMlp, type EpochStats } from './train.js';
import type { Activation, LabelledData, LossName, OptimizerName } from './types.js';

/** Options of {@link probeMlp} (the `nclab probe mlp` command). */
export interface ProbeMlpOptions {
  /** Only `'mnist'` (raw pixels scaled to [0, 1]). */
  dataset: 'mnist';
  /** Training samples per class (balanced subset: the first n of each class in file order). */
  perClass: number;
  /** Hidden layers (≥ 1). */
  depth: number;
  /** Hidden width (≥ 1). */
  width: number;
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
  /** Writes `checkpoints/` here (the result is returned; the nclab job writes `result.json`). */
  outDir?: string;
  /** Resume from the newest checkpoint in `outDir/checkpoints`. Default false. */
  resume?: boolean;
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
  /** Test samples per class to evaluate each epoch (from the MNIST test split). Default 0 (none). */
  testPerClass?: number;
  /** Also measure the sub-layer NC1 of the test samples at each probe (`nc1_*_test`). Default false. */
  probeTest?: boolean;
  /** Compute AGOPs and NFA correlations at each probe. Default true. */
  nfa?: boolean;
  /** tfjs engine (see `initEngine`). Default: `NCLAB_ENGINE` or auto. */
  engine?: 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';
}

/** A progress event of {@link probeMlp}. */
export interface ProbeProgress {
  phase: 'train' | 'probe';
  epoch: number;
  epochs: number;
  train_loss: number;
  train_acc: number;
  test_acc?: number;
  /** Seconds since the run started. */
  elapsed_s: number;
}

/** The plain result of {@link probeMlp}; `result.json` holds exactly this object. */
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
  spectra: { epoch: number; layer: number; singular_values: number[]; rank: number; stable_rank: number }[];
  /** Per-unit balance gaps diag(W_{l+1}ᵀW_{l+1} − W_lW_lᵀ) at initialisation and at the end. */
  unit_gaps: { epoch: number; layer: number; unit_gap: number[] }[];
  /** Headline figures at the last checkpoint. */
  summary: ProbeSummary;
  /** Training throughput (samples per second, updates only). */
  samples_per_second: number;
  /** Wall time of the whole run in seconds. */
  seconds: number;
}

/** Headline figures of a run (last checkpoint). */
export interface ProbeSummary {
  final_epoch: number;
  final_train_loss: number;
  final_train_acc: number;
  /** Per hidden layer: NC1 ratio input → after S Vᵀ, and after S Vᵀ → output. */
  nc1_ratio_right: number[];
  nc1_ratio_activation: number[];
  /** Layers where NC1 falls more (as a ratio) at S Vᵀ than at U and the activation. */
  layers_where_right_dominates: number;
  /** Mean and per-layer init-subtracted NFA correlation with AGOP^{1/2}. */
  nfa_corr_sqrt_delta: (number | null)[];
  nfa_corr_sqrt_delta_mean: number | null;
  /** Per-layer NFA correlation with AGOP^{1/2} at the end and at initialisation (the baseline). */
  nfa_corr_sqrt: (number | null)[];
  nfa_corr_sqrt_init: (number | null)[];
}

function resolve(o: ProbeMlpOptions) {
  if (o.dataset !== 'mnist') throw new InvalidArgumentError('dataset', "'mnist'", o.dataset);
  assertInteger('perClass', o.perClass, 1);
  assertInteger('depth', o.depth, 1);
  assertInteger('width', o.width, 1);
  assertInteger('epochs', o.epochs, 0);
  assertPositive('lr', o.lr);
  assertPositive('initScale', o.initScale);
  if (o.loss !== 'mse' && o.loss !== 'ce') throw new InvalidArgumentError('loss', "'mse' or 'ce'", o.loss);
  if (!Number.isFinite(o.seed)) throw new InvalidArgumentError('seed', 'a finite number', o.seed);
  const batchSize = o.batchSize ?? 128;
  assertInteger('batchSize', batchSize, 1);
  const probeEvery = o.probeEvery ?? 10;
  assertInteger('probeEvery', probeEvery, 1);
  const testPerClass = o.testPerClass ?? 0;
  assertInteger('testPerClass', testPerClass, 0);
  return { batchSize, probeEvery, testPerClass };
}

function toLabelled(ds: { x: { rows: number; cols: number; data: Float32Array | Float64Array }; labels: Int32Array; numClasses: number }): LabelledData {
  const x = ds.x.data instanceof Float32Array ? ds.x.data : Float32Array.from(ds.x.data);
  return { x, n: ds.x.rows, dim: ds.x.cols, labels: ds.labels, numClasses: ds.numClasses };
}

/**
 * Trains a bias-free MLP on a balanced MNIST subset and probes it every `probeEvery` epochs: sub-layer
 * NC1 (input, after S Vᵀ, after U and ReLU), NFA correlations of every hidden layer with the AGOP of its
 * sub-network (α = 1 and 1/2, plain and init-subtracted, centred and uncentred; epoch 0 is the baseline),
 * weight spectra and balancedness. Reproduces §5 of Beaglehole et al. 2024 at CPU scale.
 *
 * Conventions: raw pixels in [0, 1]; Xavier-uniform hidden layers with gain `initScale`, PyTorch-default
 * head; SGD without momentum unless asked; MSE = squared error averaged over all N·K entries of ±1
 * one-hot targets (PyTorch `MSELoss`); NC1 = tr Σ_W / tr Σ_B (Σ_W with 1/N, Σ_B with 1/K).
 *
 * @param options - see {@link ProbeMlpOptions}.
 * @returns the plain result (the nclab probe-mlp job writes it to `result.json`; this function writes only checkpoints).
 * @throws {InvalidArgumentError} on bad options (width or depth < 1, unknown dataset or loss, ...).
 * @throws {TrainingDivergedError} when the loss becomes NaN/Inf; the last good checkpoint stays in
 *   `outDir/checkpoints`.
 * @example
 * const r = await probeMlp({ dataset: 'mnist', perClass: 200, depth: 5, width: 256, epochs: 300, lr: 0.05,
 *   initScale: 0.5, loss: 'mse', seed: 0, outDir: 'runs/probe' });
 * r.checkpoints.filter((c) => c.epoch === 300).map((c) => c.nfa_corr_sqrt_delta);
 */
export async function probeMlp(options: ProbeMlpOptions): Promise<ProbeResult> {
  const { batchSize, probeEvery, testPerClass } = resolve(options);
  const t0 = performance.now();
  await initEngine(options.engine ? { engine: options.engine } : {});
  const train = toLabelled(loadMnist({ split: 'train', perClass: options.perClass, scale: 'unit', dtype: 'float32' }));
  const test = testPerClass > 0 ? toLabelled(loadMnist({ split: 'test', perClass: testPerClass, scale: 'unit', dtype: 'float32' })) : undefined;
  const params = createMlp({
    inputDim: train.dim,
    width: options.width,
    depth: options.depth,
    numClasses: train.numClasses,
    initScale: options.initScale,
    bias: options.bias ?? false,
    activation: options.activation ?? 'relu',
    seed: options.seed,
  });
  let checkpoints: LayerCheckpoint[] = [];
  let logits: ProbeResult['logits'] = [];
  let spectra: ProbeResult['spectra'] = [];
  let unitGaps: ProbeResult['unit_gaps'] = [];
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const engine = getEngineInfo();
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
    checkpointDir: options.outDir ? join(options.outDir, 'checkpoints') : undefined,
    checkpointEvery: probeEvery,
    resume: options.resume ?? false,
    checkpointExtra: () => ({ checkpoints, logits, spectra, unit_gaps: unitGaps }),
    onResume: (_epoch, extra) => {
      checkpoints = (extra.checkpoints as LayerCheckpoint[]) ?? [];
      logits = (extra.logits as ProbeResult['logits']) ?? [];
      spectra = (extra.spectra as ProbeResult['spectra']) ?? [];
      unitGaps = (extra.unit_gaps as ProbeResult['unit_gaps']) ?? [];
    },
    onEpochEnd: async ({ epoch, params: now, initialParams, stats }) => {
      options.onProgress?.({ phase: 'train', epoch, epochs: options.epochs, train_loss: stats.train_loss, train_acc: stats.train_acc, test_acc: stats.test_acc, elapsed_s: elapsed() });
      const last = epoch === options.epochs;
      if (epoch % probeEvery !== 0 && !last) return;
      const snap = await probeNetwork(now, initialParams, train.x, train.labels, { epoch, trainLoss: stats.train_loss }, {
        nfa: options.nfa ?? true,
        linearProbe: true,
        test: test && options.probeTest ? { x: test.x, labels: test.labels } : undefined,
      });
      checkpoints.push(...snap.rows);
      logits.push({ epoch, nc1: snap.nc1_logits });
      if (epoch === 0 || last) {
        snap.spectra.forEach((s, l) => spectra.push({ epoch, layer: l + 1, singular_values: s.singular_values, rank: s.rank, stable_rank: s.stable_rank }));
        snap.balance.forEach((b) => unitGaps.push({ epoch, layer: b.layer + 1, unit_gap: b.unit_gap }));
      }
      options.onProgress?.({ phase: 'probe', epoch, epochs: options.epochs, train_loss: stats.train_loss, train_acc: stats.train_acc, test_acc: stats.test_acc, elapsed_s: elapsed() });
    },
  });
  const history = trained.history;
  const lastStats = history[history.length - 1];
  const result: ProbeResult = {
    config: {
      dataset: options.dataset,
      perClass: options.perClass,
      n: train.n,
      depth: options.depth,
      width: options.width,
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
      testPerClass,
      probeTest: options.probeTest ?? false,
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
    unit_gaps: unitGaps,
    summary: summarise(checkpoints, lastStats),
    samples_per_second: trained.samplesPerSecond,
    seconds: elapsed(),
  };
  return result;
}

/** Headline figures of the last checkpoint (see {@link ProbeSummary}).
 * @returns the summary.
 * @example
 * summarise(result.checkpoints, result.history.at(-1)!).layers_where_right_dominates; */
export function summarise(rows: LayerCheckpoint[], last: EpochStats): ProbeSummary {
  const finalEpoch = rows.length ? Math.max(...rows.map((r) => r.epoch)) : last.epoch;
  const fin = rows.filter((r) => r.epoch === finalEpoch).sort((a, b) => a.layer - b.layer);
  const init = rows.filter((r) => r.epoch === 0).sort((a, b) => a.layer - b.layer);
  const ratioRight = fin.map((r) => r.nc1_input / r.nc1_right);
  const ratioAct = fin.map((r) => r.nc1_right / r.nc1_output);
  const deltas = fin.map((r) => r.nfa_corr_sqrt_delta);
  const finite = deltas.filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    final_epoch: finalEpoch,
    final_train_loss: last.train_loss,
    final_train_acc: last.train_acc,
    nc1_ratio_right: ratioRight,
    nc1_ratio_activation: ratioAct,
    layers_where_right_dominates: ratioRight.filter((v, i) => v > ratioAct[i]).length,
    nfa_corr_sqrt_delta: deltas,
    nfa_corr_sqrt_delta_mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
    nfa_corr_sqrt: fin.map((r) => r.nfa_corr_sqrt),
    nfa_corr_sqrt_init: init.map((r) => r.nfa_corr_sqrt),
  };
}
