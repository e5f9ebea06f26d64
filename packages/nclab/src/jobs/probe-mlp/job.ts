/**
 * The probe-mlp job: train a bias-free MLP on MNIST and probe it (`probeMlp`: sub-layer NC1, NFA)
 * → the probe report.
 */
import type { ProbeMlpOptions, ProbeResult } from '@nclab/nn-probes';
import { UsageError } from '../../cli/errors.js';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, type JobEnv, type JobRun } from '../job.js';
import { PROBE_MLP_SPEC } from './flags.js';
import { probeReport } from './report.js';

/**
 * Runs the probe-mlp job.
 * TODO(merge, issue 14 item 1): MNIST loading and the checkpoint folder still live in `probeMlp`
 * (nn-probes); move them here when its trainer takes matrices and hands out its state.
 *
 * @param options - as `probeMlp` (`outDir` holds the checkpoints).
 * @param env - progress, command line and engine (default: silent).
 * @returns the probe result, the report and the printed table.
 * @throws {TrainingDivergedError} when the loss becomes NaN/Inf.
 */
export async function runProbeMlp(options: ProbeMlpOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<ProbeResult>> {
  const { probeMlp } = await import('@nclab/nn-probes');
  const progress = env.progress('probe mlp', Math.max(1, options.epochs));
  const result = await probeMlp({
    ...options,
    onProgress: (p) => {
      options.onProgress?.(p);
      if (p.phase === 'train' && p.epoch > 0) progress.update(p.epoch, `loss ${p.train_loss.toPrecision(4)}, acc ${p.train_acc.toFixed(3)}`);
    },
  });
  progress.done();
  const report = probeReport(result, { command: env.command, engine: env.engine });
  return { result, report, text: formatTextTable(report.tables[0]), writeReport: (dir, o) => writeRunReport(dir, report, o) };
}

/** The probe-mlp job: flags, flags → options, run. */
export const probeMlpJob = defineJob({
  spec: PROBE_MLP_SPEC,
  fromFlags(v): ProbeMlpOptions {
    if (v.resume && !v.out) throw new UsageError('probe mlp', '`--resume` needs `--out DIR` (checkpoints live in DIR/checkpoints)');
    return {
      dataset: v.dataset,
      perClass: v.perClass,
      testPerClass: v.testPerClass,
      depth: v.depth,
      width: v.width,
      epochs: v.epochs,
      lr: v.lr,
      initScale: v.initScale,
      loss: v.loss,
      optimizer: v.optimizer,
      momentum: v.momentum,
      weightDecay: v.weightDecay,
      batchSize: v.batchSize,
      probeEvery: v.probeEvery,
      nfa: v.noNfa !== true,
      seed: v.seed,
      outDir: v.out,
      resume: v.resume === true,
      engine: v.engine,
    };
  },
  run: runProbeMlp,
});
