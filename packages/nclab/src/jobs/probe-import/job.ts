/**
 * The probe-import job: activations and weights saved from PyTorch or JAX (`.npy`) →
 * `probeImported` (sub-layer NC1, spectra, NFA) → the probe report.
 */
import type { ImportedResult } from '@nclab/nn-probes';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, secondsSince, type JobEnv, type JobRun } from '../job.js';
import { importedProbeReport } from '../probe-mlp/report.js';
import { probeCheckpoints } from './checkpoints.js';
import { readImported, type ProbeImportJobOptions } from './data.js';
import { PROBE_IMPORT_SPEC } from './flags.js';
import { subLayerMetricTable } from './metric-dependence.js';

/**
 * Runs the probe-import job: reads the `.npy` files, runs `probeImported`, builds the report.
 *
 * @param options - as `probeImported`, with `.npy` paths allowed for layers, labels and weights; with
 *   `checkpoints` (a folder with one sub-folder per epoch) the paths are relative to each sub-folder and
 *   the analysis runs per checkpoint (rows carry `epoch`, the result adds `epochs`).
 * @param env - progress, command line and engine (default: silent).
 * @returns the per-layer probe result, the report and the printed table.
 * @throws {InvalidArgumentError} for unreadable or inconsistent inputs.
 */
export async function runProbeImport(options: ProbeImportJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<ImportedResult>> {
  const { probeImported } = await import('@nclab/nn-probes');
  const t0 = performance.now();
  const { checkpoints, ...rest } = options;
  const result: ImportedResult = checkpoints ? await probeCheckpoints(checkpoints, rest, probeImported) : await probeImported(await readImported(rest));
  const files = (v: unknown) => (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? v : '(in memory)');
  const report = importedProbeReport(result, {
    command: env.command,
    engine: env.engine,
    seconds: secondsSince(t0),
    config: { layer_features: files(options.layers), labels: files(options.labels), weights: options.weights ? files(options.weights) : null, activation: options.activation, nfa: options.nfa === true, ...(checkpoints ? { checkpoints } : {}) },
  });
  if (options.metricDependence) report.tables.push(subLayerMetricTable(result.layers));
  return { result, report, text: formatTextTable(report.tables[0]), writeReport: (dir, o) => writeRunReport(dir, report, o) };
}

/** The probe-import job: flags, flags → options, run. */
export const probeImportJob = defineJob({
  spec: PROBE_IMPORT_SPEC,
  fromFlags: (v): ProbeImportJobOptions => ({ layers: v.layerFeatures, labels: v.labels, weights: v.weights, activation: v.activation, nfa: v.nfa === true, metricDependence: v.metricDependence === true, ...(v.checkpoints ? { checkpoints: v.checkpoints } : {}) }),
  run: runProbeImport,
});
