/**
 * Every job of nclab, by name, and the library's front door to them: `runJob(name, options)` runs
 * the same code as `nclab <command>` (and so as `nclab run` and `nclab sweep`).
 */
import type { AnyMatrix } from '@nclab/backend';
import type { ImportedResult, ProbeCnnResult, ProbeResult } from '@nclab/nn-probes';
import type { DeepUfmSpectraConfig, DeepUfmSpectraResult } from './spectra-ufm/deep-ufm-spectra.js';
import type { SolveUfmConfig, SolveUfmResult } from '@nclab/ufm';
import { deepRfmJob, type DeepRfmJobOptions, type DeepRfmJobResult } from './deep-rfm/job.js';
import type { AnyJob, JobEnv, JobRun } from './job.js';
import { kernelModelJob, type KernelModelJobOptions, type KernelModelJobResult } from './kernel-model/job.js';
import { metricsJob, type MetricsJobOptions, type MetricsJobResult } from './metrics/job.js';
import type { ProbeImportJobOptions } from './probe-import/data.js';
import { probeImportJob } from './probe-import/job.js';
import { probeMlpJob, type ProbeMlpJobOptions } from './probe-mlp/job.js';
import { probeCnnJob, type ProbeCnnJobOptions } from './probe-cnn/job.js';
import { spectraDensityJob } from './spectra-density/job.js';
import { spectraUfmJob } from './spectra-ufm/job.js';
import { ufmJob } from './ufm/job.js';

/** Every job, keyed by its name (the CLI command without spaces: `probe mlp` → `probe-mlp`). */
export const JOBS = {
  'deep-rfm': deepRfmJob,
  metrics: metricsJob,
  ufm: ufmJob,
  'kernel-model': kernelModelJob,
  'spectra-ufm': spectraUfmJob,
  'spectra-density': spectraDensityJob,
  'probe-mlp': probeMlpJob,
  'probe-import': probeImportJob,
  'probe-cnn': probeCnnJob,
} as const satisfies Record<string, AnyJob>;

/** Names of the jobs. */
export type JobName = keyof typeof JOBS;

/** Options and result of each job. */
export interface JobTypes {
  'deep-rfm': { options: DeepRfmJobOptions; result: DeepRfmJobResult };
  metrics: { options: MetricsJobOptions; result: MetricsJobResult };
  ufm: { options: SolveUfmConfig; result: SolveUfmResult };
  'kernel-model': { options: KernelModelJobOptions; result: KernelModelJobResult };
  'spectra-ufm': { options: DeepUfmSpectraConfig; result: DeepUfmSpectraResult };
  'spectra-density': { options: DeepUfmSpectraConfig; result: DeepUfmSpectraResult };
  'probe-mlp': { options: ProbeMlpJobOptions; result: ProbeResult };
  'probe-import': { options: ProbeImportJobOptions; result: ImportedResult };
  'probe-cnn': { options: ProbeCnnJobOptions; result: ProbeCnnResult };
}

/**
 * Runs a job from the library: the same code as its CLI command, without flags.
 *
 * @param name - the job (`'deep-rfm'`, `'metrics'`, `'ufm'`, `'kernel-model'`, `'spectra-ufm'`, `'spectra-density'`, `'probe-mlp'`, `'probe-import'`, `'probe-cnn'`).
 * @param options - the job's options (see {@link JobTypes}).
 * @param env - progress sink, command line, engine summary (default: silent).
 * @returns the typed result, its report, the summary text and a writer of the run directory.
 * @throws {InvalidArgumentError} for invalid options or data (each job documents its errors).
 * @example
 * const run = await runJob('deep-rfm', { dataset: 'mnist', perClass: 100, depth: 8, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 1024, seed: 0 });
 * run.result.layers.map((r) => r.nc1In);
 * await run.writeReport('runs/deep-rfm-mnist');
 */
export async function runJob<N extends JobName>(name: N, options: JobTypes[N]['options'], env?: JobEnv): Promise<JobRun<JobTypes[N]['result']>> {
  const job = JOBS[name] as AnyJob;
  return (await job.run(options, env)) as JobRun<JobTypes[N]['result']>;
}

/**
 * The metrics job on matrices in memory (a shorthand of `runJob('metrics', …)`).
 *
 * @param input - `{ features: [N, d], labels }` or `{ layers: [{ name, features }], labels }`.
 * @param options - as `computeMetrics` (classifier, bias, preset, …).
 * @returns the metrics and the report.
 * @throws {InvalidArgumentError} for invalid features or labels.
 * @example
 * const run = await analyseFeatures({ features: X, labels: y }, { preset: 'papyan2020' });
 */
export function analyseFeatures(
  input: { features: AnyMatrix; labels: ArrayLike<number> } | { layers: { name: string; features: AnyMatrix }[]; labels: ArrayLike<number> },
  options: MetricsJobOptions['metrics'] = {},
): Promise<JobRun<MetricsJobResult>> {
  return runJob('metrics', { ...input, metrics: options });
}
