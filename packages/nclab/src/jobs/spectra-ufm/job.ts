/**
 * The spectra-ufm job: a deep UFM (solved, or its closed-form optimum) → the layer-wise Hessian
 * spectra (`deepUfmSpectra`) → the outlier/bulk report. The spectra-density job runs the same code
 * with the SLQ density.
 */
import type { DeepUfmSpectraConfig, DeepUfmSpectraResult } from './deep-ufm-spectra.js';
import type { FlagValues } from '../../cli/spec.js';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, secondsSince, type JobEnv, type JobRun } from '../job.js';
import { DEEP_UFM_FLAGS, SPECTRA_UFM_SPEC } from './flags.js';
import { checkDensitySizes, checkUfmSizes } from '../sizes.js';
import { spectraReport } from './report.js';

const one = (v: readonly number[]): number | number[] => (v.length === 1 ? v[0] : [...v]);

/**
 * The deep UFM part of a spectra configuration from parsed flags.
 *
 * @param v - parsed values of {@link DEEP_UFM_FLAGS}.
 * @returns the configuration without the spectra/density part.
 */
export function deepUfmConfigFromFlags(v: FlagValues<typeof DEEP_UFM_FLAGS>): DeepUfmSpectraConfig {
  const solver = { steps: v.steps, lr: v.lr, initScale: v.initScale };
  return {
    model: v.model,
    K: v.K,
    n: v.n,
    d: one(v.d),
    depth: v.depth,
    lambdaW: one(v.lambdaW),
    lambdaH: v.lambdaH,
    layers: v.layer,
    atOptimum: v.atOptimum === true,
    solver: Object.values(solver).some((x) => x !== undefined) ? solver : undefined,
    seed: v.seed,
  };
}

/**
 * Runs the spectra-ufm job (or, with `densityOnly`, the spectra-density job).
 *
 * @param config - as `deepUfmSpectra`.
 * @param env - progress, command line and engine (default: silent).
 * @param densityOnly - report the SLQ density only.
 * @returns the spectra per layer, the report and the printed table.
 * @throws {InvalidArgumentError} for an invalid configuration.
 */
export async function runSpectraUfm(config: DeepUfmSpectraConfig, env: JobEnv = SILENT_ENV, densityOnly = false): Promise<JobRun<DeepUfmSpectraResult>> {
  const { deepUfmSpectra } = await import('./deep-ufm-spectra.js');
  checkUfmSizes(config.K, config.n, config.d);
  if (config.density) checkDensitySizes(config.density.gridPoints ?? 400, config.layers?.length ?? config.depth);
  const progress = env.progress(densityOnly ? 'spectra density' : 'spectra', 1);
  progress.log(`${config.atOptimum ? 'building the closed-form optimum' : 'solving the model'} and analysing ${config.layers?.length ?? config.depth} layer(s)`);
  const t0 = performance.now();
  const result = await deepUfmSpectra(config);
  progress.done();
  const report = spectraReport(result, { command: env.command, engine: env.engine, seconds: secondsSince(t0), densityOnly });
  return { result, report, text: formatTextTable(report.tables[0]), writeReport: (dir, o) => writeRunReport(dir, report, o) };
}

/** The spectra-ufm job: flags, flags → options, run. */
export const spectraUfmJob = defineJob({
  spec: SPECTRA_UFM_SPEC,
  fromFlags: (v): DeepUfmSpectraConfig => ({ ...deepUfmConfigFromFlags(v), top: v.top, density: false }),
  run: (config: DeepUfmSpectraConfig, env?: JobEnv) => runSpectraUfm(config, env, false),
});
