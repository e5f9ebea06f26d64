/**
 * The spectra-density job: the SLQ spectral density of the deep-UFM layer Hessians (same code as
 * the spectra-ufm job, density report).
 */
import type { DeepUfmSpectraConfig, DeepUfmSpectraResult } from '../spectra-ufm/deep-ufm-spectra.js';
import { SILENT_ENV, defineJob, type JobEnv, type JobRun } from '../job.js';
import { deepUfmConfigFromFlags, runSpectraUfm } from '../spectra-ufm/job.js';
import { SPECTRA_DENSITY_SPEC } from './flags.js';

/**
 * Runs the spectra-density job.
 *
 * @param config - as `deepUfmSpectra`, with `density: { runs, steps, gridPoints }`.
 * @param env - progress, command line and engine (default: silent).
 * @returns the densities per layer and the report.
 */
export function runSpectraDensity(config: DeepUfmSpectraConfig, env: JobEnv = SILENT_ENV): Promise<JobRun<DeepUfmSpectraResult>> {
  return runSpectraUfm(config, env, true);
}

/** The spectra-density job: flags, flags → options, run. */
export const spectraDensityJob = defineJob({
  spec: SPECTRA_DENSITY_SPEC,
  fromFlags: (v): DeepUfmSpectraConfig => ({ ...deepUfmConfigFromFlags(v), density: { runs: v.runs, steps: v.lanczosSteps, gridPoints: v.gridPoints } }),
  run: runSpectraDensity,
});
