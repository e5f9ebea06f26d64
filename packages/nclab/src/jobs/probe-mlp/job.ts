/**
 * The probe-mlp job: load a balanced MNIST subset, train a bias-free MLP and probe it (`probeMlp`:
 * sub-layer NC1, NFA), keep its state in `OUT/checkpoints` (backend checkpoint container) → the probe
 * report.
 */
import { join } from 'node:path';
import { InvalidArgumentError, NumericalError } from '@nclab/backend';
import type { ProbeMlpOptions, ProbeResult } from '@nclab/nn-probes';
import { UsageError } from '../../cli/errors.js';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, type JobEnv, type JobRun } from '../job.js';
import { loadProbeState, saveProbeState } from './checkpoint.js';
import { loadProbeData } from './data.js';
import { PROBE_MLP_SPEC } from './flags.js';
import { probeReport } from './report.js';
import { checkMlpSizes } from '../sizes.js';

/** Options of the probe-mlp job: `probeMlp`'s, with the data named instead of given, and the output folder. */
export type ProbeMlpJobOptions = Omit<ProbeMlpOptions, 'train' | 'test' | 'onCheckpoint' | 'resume'> & {
  /** Only `'mnist'` (raw pixels scaled to [0, 1]). */
  dataset: 'mnist';
  /** Training samples per class (balanced subset: the first n of each class in file order). */
  perClass: number;
  /** Test samples per class evaluated each epoch (MNIST test split). Default 0 (none). */
  testPerClass?: number;
  /** Keeps the state in `outDir/checkpoints` after every probe epoch. */
  outDir?: string;
  /** Continue from the state in `outDir/checkpoints` when there is one. Default false. */
  resume?: boolean;
};

/**
 * The configuration a checkpoint belongs to: every option that changes the numbers (the epoch
 * count may grow on resume; engine and output folder do not count).
 *
 * @param o - the job options.
 * @returns a plain JSON object with defaults filled in.
 */
export function probeCheckpointConfig(o: ProbeMlpJobOptions): Record<string, unknown> {
  return {
    dataset: o.dataset, perClass: o.perClass, testPerClass: o.testPerClass ?? 0, depth: o.depth, width: o.width, lr: o.lr,
    initScale: o.initScale, loss: o.loss, seed: o.seed, batchSize: o.batchSize ?? 128, probeEvery: o.probeEvery ?? 10,
    optimizer: o.optimizer ?? 'sgd', momentum: o.momentum ?? 0, weightDecay: o.weightDecay ?? 0, activation: o.activation ?? 'relu',
    bias: o.bias ?? false, probeTest: o.probeTest ?? false, nfa: o.nfa ?? true,
    // only when set, so that checkpoints of runs without a linear head still resume
    ...(o.linearLayers ? { linearLayers: o.linearLayers } : {}),
    ...(o.firstWidth !== undefined ? { firstWidth: o.firstWidth } : {}),
    ...(o.metricDependence ? { metricDependence: true } : {}),
    ...(o.entkSamples !== undefined ? { entkSamples: o.entkSamples } : {}),
  };
}

/**
 * Runs the probe-mlp job.
 *
 * @param options - see {@link ProbeMlpJobOptions}.
 * @param env - progress, command line and engine (default: silent).
 * @returns the probe result (its `config` adds the data options), the report and the printed table.
 * @throws {InvalidArgumentError} on bad options, or (argument `resume`) when `outDir/checkpoints` holds
 *   the state of a run with other settings (the message names the fields).
 * @throws {TrainingDivergedError} when the loss becomes NaN/Inf; the last good state stays in `outDir/checkpoints`.
 */
export async function runProbeMlp(options: ProbeMlpJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<ProbeResult>> {
  const { probeMlp } = await import('@nclab/nn-probes');
  const { dataset, perClass, testPerClass = 0, outDir, resume: wantResume = false, ...rest } = options;
  const train = await loadProbeData(dataset, 'train', perClass);
  const test = testPerClass > 0 ? await loadProbeData(dataset, 'test', testPerClass) : undefined;
  const dir = outDir ? join(outDir, 'checkpoints') : undefined;
  const key = probeCheckpointConfig(options);
  const resume = dir && wantResume ? await loadProbeState(dir, key) : undefined;
  checkMlpSizes(Math.max(options.width, options.firstWidth ?? options.width), options.depth, train.dim, train.n + (test?.n ?? 0));
  const progress = env.progress('probe mlp', Math.max(1, options.epochs));
  let epoch = 0;
  const run = await probeMlp({
    ...rest,
    train,
    test,
    resume,
    onCheckpoint: dir ? (state) => saveProbeState(dir, key, state) : undefined,
    onProgress: (p) => {
      options.onProgress?.(p);
      if (p.phase === 'train') epoch = p.epoch;
      if (p.phase === 'train' && p.epoch > 0) progress.update(p.epoch, `loss ${p.trainLoss.toPrecision(4)}, acc ${p.trainAcc.toFixed(3)}`);
    },
  }).catch((e: unknown) => {
    // the probes' features are the network's: degenerate features mean the training diverged, not bad input
    if (e instanceof InvalidArgumentError && e.argument === 'features') {
      throw new NumericalError('probe mlp', `the layer features of the network trained to epoch ${epoch} are degenerate (${e.expected}; ${e.actual}): training diverged at lr ${options.lr}. Try a smaller --lr or --init-scale.`, { cause: e });
    }
    throw e;
  });
  progress.done();
  const result: ProbeResult = { ...run, config: { dataset, perClass, ...run.config, testPerClass } };
  const report = probeReport(result, { command: env.command, engine: env.engine });
  return { result, report, text: formatTextTable(report.tables[0]), writeReport: (d, o) => writeRunReport(d, report, o) };
}

/** The probe-mlp job: flags, flags → options, run. */
export const probeMlpJob = defineJob({
  spec: PROBE_MLP_SPEC,
  fromFlags(v): ProbeMlpJobOptions {
    if (v.resume && !v.out) throw new UsageError('probe mlp', '`--resume` needs `--out DIR` (checkpoints live in DIR/checkpoints)');
    if (v.probeTest && !v.testPerClass) throw new UsageError('probe mlp', '`--probe-test` needs `--test-per-class N` (N ≥ 1)');
    return {
      dataset: v.dataset,
      perClass: v.perClass,
      testPerClass: v.testPerClass,
      depth: v.depth,
      width: v.width,
      firstWidth: v.firstWidth,
      epochs: v.epochs,
      lr: v.lr,
      initScale: v.initScale,
      loss: v.loss,
      optimizer: v.optimizer,
      momentum: v.momentum,
      weightDecay: v.weightDecay,
      linearLayers: v.linearLayers,
      entkSamples: v.entkSamples,
      route: v.trainRoute === 'auto' ? undefined : v.trainRoute,
      batchSize: v.batchSize,
      probeEvery: v.probeEvery,
      probeTest: v.probeTest === true,
      metricDependence: v.metricDependence === true,
      nfa: v.noNfa !== true,
      seed: v.seed,
      outDir: v.out,
      resume: v.resume === true,
      engine: v.engine,
    };
  },
  run: runProbeMlp,
});
