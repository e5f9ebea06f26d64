/**
 * The deep-rfm job: data (MNIST or files) → `deepRfm` (Algorithm 1 of Beaglehole et al. 2024) with
 * a checkpoint after every layer → the per-layer collapse report.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freemem } from 'node:os';
import type { KernelName, KernelSpec } from '@nclab/agop';
import type { DeepRfmOptions, DeepRfmResult } from '@nclab/deep-rfm';
import { UsageError } from '../../cli/errors.js';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, type JobEnv, type JobRun } from '../job.js';
import { loadDeepRfmState, saveDeepRfmState } from './checkpoint.js';
import { loadDeepRfmData, type DeepRfmDataset, type DeepRfmFiles } from './data.js';
import { inputIdentity, type InputIdentity } from '../inputs.js';
import { checkDeepRfmSizes } from '../sizes.js';
import { DEEP_RFM_SPEC } from './flags.js';
import { deepRfmReport } from './report.js';
import { phaseLine } from './progress-lines.js';

/** Options of the deep-rfm job: every `deepRfm` option plus the data source and the checkpoint folder. */
export interface DeepRfmJobOptions extends Omit<DeepRfmOptions, 'kernel' | 'onLayer' | 'resume'> {
  /** `'mnist'` (balanced subsets, pixels in [0, 1]), `'files'` (see `files`) or matrices in memory. */
  readonly dataset: DeepRfmDataset;
  /** MNIST: training samples per class (required for `'mnist'`). */
  readonly perClass?: number;
  /** MNIST: test samples per class. Default: `perClass` (at most 892, the smallest test class). */
  readonly testPerClass?: number;
  /** `'files'`: the feature and label files. */
  readonly files?: DeepRfmFiles;
  /** Predictor kernel. */
  readonly kernel: KernelName | KernelSpec;
  /** Folder of the per-layer checkpoint (the CLI uses `OUT/checkpoint`); without it nothing is written. */
  readonly checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir` (default: start over, removing it). */
  readonly resume?: boolean;
}

/** The job's result: the Deep RFM result plus where the data came from. */
export type DeepRfmJobResult = DeepRfmResult & { readonly dataset: Record<string, unknown> };

/**
 * Runs the deep-rfm job: loads the data, runs `deepRfm` (saving a checkpoint after every layer when
 * `checkpointDir` is set, resuming from it with `resume`), and builds the report.
 *
 * @param options - data source, checkpoint folder and every `deepRfm` option.
 * @param env - progress sink, command line and engine summary (default: silent).
 * @returns the result, its report, the printed summary and a writer that also removes the checkpoint.
 * @throws {InvalidArgumentError} for bad options or data, or a checkpoint of another configuration.
 * @example
 * const run = await runDeepRfm({ dataset: 'mnist', perClass: 100, depth: 8, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 1024, seed: 0 });
 * await run.writeReport('runs/deep-rfm-mnist');
 */
export async function runDeepRfm(options: DeepRfmJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<DeepRfmJobResult>> {
  const [{ deepRfm }] = await Promise.all([import('@nclab/deep-rfm')]);
  const { dataset, perClass, testPerClass, files, checkpointDir, resume, ...algorithm } = options;
  const progress = env.progress('deep-rfm', options.depth);
  if (dataset === 'mnist') progress.log(`loading MNIST (${perClass} per class)`);
  const data = await loadDeepRfmData(dataset, { perClass, testPerClass, files });
  checkDeepRfmSizes(algorithm.width, data.train.x.cols, data.train.x.rows + (data.test?.x.rows ?? 0));
  const inputs = checkpointDir ? await deepRfmInputs(dataset, perClass, testPerClass, files) : undefined;
  if (checkpointDir && !resume && existsSync(checkpointDir)) rmSync(checkpointDir, { recursive: true, force: true });
  const saved = checkpointDir && resume ? await loadDeepRfmState(checkpointDir, inputs) : undefined;
  const result = await deepRfm(data.train, data.test, {
    ...algorithm,
    // float64 unless asked: the portable path's mixed-precision AGOP changes rff/Gaussian results (issue 21, cause 8)
    agopPrecision: algorithm.agopPrecision ?? 'float64',
    memoryBudget: algorithm.memoryBudget ?? defaultMemoryBudget(),
    resume: saved,
    onLayer: checkpointDir ? (state) => saveDeepRfmState(checkpointDir, state, inputs) : undefined,
    onProgress: (e) => {
      algorithm.onProgress?.(e);
      if (e.type === 'resume') progress.log(`resumed after layer ${e.layer} from ${checkpointDir}`);
      else if (e.type === 'phase') {
        const line = phaseLine(e);
        if (line) progress.log(line);
      } else progress.update(e.layer, e.row ? `layer ${e.layer}: NC1 ${e.row.nc1In.toPrecision(3)} → ${e.row.nc1Out.toPrecision(3)}` : `layer ${e.layer}`);
    },
  });
  progress.done();
  const full: DeepRfmJobResult = { ...result, dataset: data.source };
  const report = deepRfmReport(full, { command: env.command, engine: env.engine });
  const text = `${formatTextTable({ ...report.tables[0], caption: undefined })}final: train_acc ${result.final.trainAcc.toFixed(4)}, test_acc ${result.final.testAcc === null ? '–' : result.final.testAcc.toFixed(4)}\n`;
  return {
    result: full,
    report,
    text,
    async writeReport(dir, writeOptions) {
      progress.log('rendering plots and report');
      const written = await writeRunReport(dir, report, writeOptions);
      if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
      return written;
    },
  };
}

/** The default `--memory-budget`: 75 % of the memory free at the start (`os.freemem()`, MemAvailable on Linux). */
export function defaultMemoryBudget(): number {
  return Math.floor(0.75 * freemem());
}

/**
 * The identity of the job's input data for its checkpoint: the files' identities, or the hash of
 * the MNIST subset's specification (in-memory matrices: none).
 */
async function deepRfmInputs(dataset: DeepRfmDataset, perClass?: number, testPerClass?: number, files?: DeepRfmFiles): Promise<InputIdentity | undefined> {
  if (dataset === 'files' && files) return inputIdentity({ features: files.features, labels: files.labels, testFeatures: files.testFeatures, testLabels: files.testLabels });
  if (dataset === 'mnist') return inputIdentity({}, { name: 'mnist', perClass, testPerClass: testPerClass ?? null });
  return undefined;
}

/** The deep-rfm job: flags, flags → options, run. */
export const deepRfmJob = defineJob({
  spec: DEEP_RFM_SPEC,
  fromFlags(v): DeepRfmJobOptions {
    const fileFlags = (['features', 'labels', 'testFeatures', 'testLabels'] as const).filter((f) => v[f] !== undefined);
    if (v.dataset !== 'files' && fileFlags.length) {
      const kebab = fileFlags.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
      throw new UsageError('deep-rfm', `${kebab} need${fileFlags.length === 1 ? 's' : ''} \`--dataset files\` (the dataset is \`${v.dataset}\`)`);
    }
    if (v.dataset === 'mnist' && v.perClass === undefined) throw new UsageError('deep-rfm', '`--per-class` is required with `--dataset mnist`');
    if (v.dataset === 'files') {
      if (!v.features || !v.labels) throw new UsageError('deep-rfm', '`--dataset files` needs `--features FILE` and `--labels FILE`');
      if (Boolean(v.testFeatures) !== Boolean(v.testLabels)) throw new UsageError('deep-rfm', '`--test-features` and `--test-labels` go together');
    }
    if (v.ntkDepth !== undefined && v.kernel !== 'ntk') throw new UsageError('deep-rfm', '`--ntk-depth` applies to `--kernel ntk`');
    if (v.noTest && (v.testPerClass !== undefined || v.testFeatures)) throw new UsageError('deep-rfm', '`--no-test` conflicts with `--test-per-class` and `--test-features`');
    if (v.resume && !v.out) throw new UsageError('deep-rfm', '`--resume` needs `--out DIR` (the checkpoint lives in DIR/checkpoint)');
    return {
      dataset: v.dataset,
      perClass: v.perClass,
      testPerClass: v.noTest ? 0 : v.testPerClass,
      files: v.dataset === 'files' ? { features: v.features!, labels: v.labels!, testFeatures: v.testFeatures, testLabels: v.testLabels } : undefined,
      depth: v.depth,
      kernel: v.kernel === 'ntk' ? { kind: 'ntk', depth: v.ntkDepth ?? 1 } : v.kernel,
      bandwidth: v.bandwidth,
      ridge: v.ridge,
      width: v.width,
      featureMap: v.featureMap,
      featureBias: v.featureBias === true,
      normalize: v.normalize,
      sqrt: v.sqrt,
      agopSamples: v.agopSamples,
      agopPrecision: v.agopPrecision,
      precision: v.precision,
      memoryBudget: v.memoryBudget,
      gramSamples: v.gramSamples,
      fisher: v.fisher === true,
      seed: v.seed,
      linalg: v.linalg,
      checkpointDir: v.out ? join(v.out, 'checkpoint') : undefined,
      resume: v.resume === true,
    };
  },
  run: runDeepRfm,
  usesTfjs: false,
});
