/**
 * The probe-cnn job: load images, train a VGG-style CNN and probe it per layer (`probeCnn`), keep its
 * state in `OUT/checkpoints` → the report.
 */
import { join } from 'node:path';
import type { ProbeCnnOptions, ProbeCnnResult } from '@nclab/nn-probes';
import { UsageError } from '../../cli/errors.js';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, type JobEnv, type JobRun } from '../job.js';
import { loadCnnState, saveCnnState } from './checkpoint.js';
import { loadCnnData, type CnnDataOptions } from './data.js';
import { PROBE_CNN_SPEC } from './flags.js';
import { probeCnnReport } from './report.js';

/** Options of the probe-cnn job: `probeCnn`'s with the data named, and the output folder. */
export type ProbeCnnJobOptions = Omit<ProbeCnnOptions, 'train' | 'test' | 'onCheckpoint' | 'resume'> & CnnDataOptions & {
  outDir?: string;
  resume?: boolean;
};

/** The configuration a resume must match (training and probe settings; not the epoch count). @returns plain JSON. @example cnnCheckpointConfig(o) */
export function cnnCheckpointConfig(o: ProbeCnnJobOptions): Record<string, unknown> {
  return {
    dataset: o.dataset, perClass: o.perClass ?? null, testPerClass: o.testPerClass ?? 0, images: o.images ?? null, cifarDir: o.cifarDir ?? null,
    blocks: o.blocks, hidden: o.hidden, lr: o.lr, initScale: o.initScale ?? 1, loss: o.loss ?? 'mse', seed: o.seed, batchSize: o.batchSize ?? 64,
    probeEvery: o.probeEvery ?? 5, optimizer: o.optimizer ?? 'sgd', momentum: o.momentum ?? 0, weightDecay: o.weightDecay ?? 0,
    probeTest: o.probeTest ?? false, nfa: o.nfa ?? true, agopSamples: o.agopSamples ?? 200, metricDependence: o.metricDependence ?? false,
  };
}

/**
 * Runs the probe-cnn job.
 * @param options - data, architecture, training and probe options.
 * @param env - progress, command line, engine.
 * @returns the result, the report and the printed table.
 * @throws {InvalidArgumentError} on bad data or options; {@link TrainingDivergedError} when training diverges.
 */
export async function runProbeCnn(options: ProbeCnnJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<ProbeCnnResult>> {
  const { probeCnn } = await import('@nclab/nn-probes');
  const { outDir, resume: wantResume = false, dataset, perClass, testPerClass, images, labels, testImages, testLabels, channelsLast, cifarDir, ...rest } = options;
  const { train, test } = await loadCnnData({ dataset, perClass, testPerClass, images, labels, testImages, testLabels, channelsLast, cifarDir });
  const dir = outDir ? join(outDir, 'checkpoints') : undefined;
  const key = cnnCheckpointConfig(options);
  const resume = dir && wantResume ? await loadCnnState(dir, key) : undefined;
  const progress = env.progress('probe cnn', Math.max(1, options.epochs));
  const result = await probeCnn({
    ...rest,
    train,
    test,
    resume,
    onCheckpoint: dir ? (s) => saveCnnState(dir, key, s) : undefined,
    onProgress: (p) => {
      if (p.phase === 'train' && p.epoch > 0) progress.update(p.epoch, `loss ${p.trainLoss.toPrecision(4)}, acc ${p.trainAcc.toFixed(3)}`);
    },
  });
  progress.done();
  const full: ProbeCnnResult = { ...result, config: { dataset, perClass: perClass ?? null, testPerClass: testPerClass ?? 0, ...result.config } };
  const report = probeCnnReport(full, { command: env.command, engine: env.engine });
  return { result: full, report, text: formatTextTable(report.tables[0]), writeReport: (d, o) => writeRunReport(d, report, o) };
}

/** The probe-cnn job: flags, flags → options, run. */
export const probeCnnJob = defineJob({
  spec: PROBE_CNN_SPEC,
  fromFlags(v): ProbeCnnJobOptions {
    if (v.resume && !v.out) throw new UsageError('probe cnn', '`--resume` needs `--out DIR` (checkpoints live in DIR/checkpoints)');
    if (v.probeTest && !v.testPerClass && !v.testImages) throw new UsageError('probe cnn', '`--probe-test` needs test images (--test-per-class N or --test-images)');
    if ((v.dataset === 'mnist' || v.dataset === 'cifar10') && !v.perClass) throw new UsageError('probe cnn', `\`--dataset ${v.dataset}\` needs \`--per-class N\``);
    const channels: number[] = v.channels ?? [16, 32];
    return {
      dataset: v.dataset, perClass: v.perClass, testPerClass: v.testPerClass, images: v.images, labels: v.labels, testImages: v.testImages,
      testLabels: v.testLabels, channelsLast: v.channelsLast === true, cifarDir: v.cifarDir,
      blocks: channels.map((c) => ({ channels: c, kernel: v.kernel, pool: v.pool })),
      hidden: v.hidden ?? [64],
      epochs: v.epochs, lr: v.lr, initScale: v.initScale, loss: v.loss, optimizer: v.optimizer, momentum: v.momentum, weightDecay: v.weightDecay,
      batchSize: v.batchSize, probeEvery: v.probeEvery, agopSamples: v.agopSamples, probeTest: v.probeTest === true,
      metricDependence: v.metricDependence === true, nfa: v.noNfa !== true, seed: v.seed, outDir: v.out, resume: v.resume === true, engine: v.engine,
    };
  },
  run: runProbeCnn,
});
