/**
 * The ufm job: an unconstrained features model (`solveUfm`) → its closed-form comparison report.
 */
import type { SolveUfmConfig, SolveUfmResult } from '@nclab/ufm';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, secondsSince, type JobEnv, type JobRun } from '../job.js';
import { ufmConfigFromFlags } from './config.js';
import { criticalPointOf } from './json.js';
import { checkUfmSizes } from '../sizes.js';
import { UFM_SPEC } from './flags.js';
import { ufmReport } from './report.js';

/**
 * Runs the ufm job.
 *
 * @param config - as `solveUfm` (model, K, n, d, depth, λ's, solver, restarts, seed).
 * @param env - progress, command line and engine (default: silent).
 * @returns the solution with its closed-form comparison, the report and the printed tables.
 * @throws {InvalidArgumentError} naming the option for an invalid configuration.
 * @example
 * const run = await runUfm({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1, lambdaH: 0.1 });
 */
export async function runUfm(config: SolveUfmConfig, env: JobEnv = SILENT_ENV): Promise<JobRun<SolveUfmResult>> {
  const { solveUfm } = await import('@nclab/ufm');
  const progress = env.progress('ufm', 1);
  progress.log(`solving ${config.model} (K = ${config.K}) from ${config.restarts ?? 'the default number of'} start(s)`);
  const t0 = performance.now();
  checkUfmSizes(config.K, config.n, config.d);
  const result = solveUfm(config);
  const seconds = secondsSince(t0);
  progress.done(`${result.steps} steps, objective ${result.objective.toPrecision(8)}`);
  const { warning } = criticalPointOf(result);
  if (warning !== null) progress.log(`warning: ${warning}`);
  const report = ufmReport(result, { command: env.command, engine: env.engine, seconds });
  return { result, report, text: report.tables.slice(0, 3).map((t) => `${formatTextTable(t)}\n`).join(''), writeReport: (dir, o) => writeRunReport(dir, report, o) };
}

/** The ufm job: flags, flags → options, run. */
export const ufmJob = defineJob({
  spec: UFM_SPEC,
  fromFlags: (v) => ufmConfigFromFlags(v),
  run: runUfm,
  usesTfjs: false,
});
