/**
 * Pipeline functions: data in → a typed result and its report, ready to be written to a run
 * directory. Each wraps one package's entry point with the matching report builder.
 */
import type { AnyMatrix } from '@nclab/backend';
import { runDeepRfm, type RunDeepRfmOptions, type RunDeepRfmResult } from '@nclab/deep-rfm';
import { computeLayerMetrics, computeMetrics, type ComputeMetricsOptions, type LayerFeatures, type LayerMetrics, type NcMetricsResult } from '@nclab/nc-metrics';
import { probeImported, probeMlp, type ImportedResult, type ProbeImportedOptions, type ProbeMlpOptions, type ProbeResult } from '@nclab/nn-probes';
import { deepUfmSpectra, type DeepUfmSpectraConfig, type DeepUfmSpectraResult } from '@nclab/spectra';
import { solveUfm, type SolveUfmConfig, type SolveUfmResult } from '@nclab/ufm';
import { writeRunReport, type RunReport, type WriteReportOptions, type WrittenReport } from '../report/write.js';
import { deepRfmReport } from './deep-rfm.js';
import { metricsReport } from './metrics.js';
import { importedProbeReport, probeReport } from './probe.js';
import { spectraReport } from './spectra.js';
import { ufmReport } from './ufm.js';

/** What every pipeline returns: the package's typed result, its report, and a writer. */
export interface PipelineRun<T> {
  /** The package's own result object. */
  result: T;
  /** Tables, plots and metadata of the run. */
  report: RunReport;
  /** Writes `result.json`, the SVG plots (PNG on request) and `report.html` to `dir`. */
  writeReport(dir: string, options?: WriteReportOptions): Promise<WrittenReport>;
}

function wrap<T>(result: T, report: RunReport): PipelineRun<T> {
  return { result, report, writeReport: (dir, options) => writeRunReport(dir, report, options) };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Analyses features: every NC metric of one feature matrix, or the per-layer table of several.
 *
 * @param input - `{ features: [N, d], labels }` or `{ layers: [{ name, features }], labels }`.
 * @param options - as `computeMetrics` (classifier, bias, preset, …).
 * @returns the metrics (`NcMetricsResult` or the per-layer rows) and the report.
 * @throws {InvalidArgumentError} for invalid features or labels (see `computeMetrics`).
 * @example
 * const run = analyseFeatures({ features: X, labels: y }, { preset: 'papyan2020' });
 * run.result.nc1_pinv;
 * await run.writeReport('runs/metrics');
 */
export function analyseFeatures(
  input: { features: AnyMatrix; labels: ArrayLike<number> } | { layers: LayerFeatures[]; labels: ArrayLike<number> },
  options: ComputeMetricsOptions = {},
): PipelineRun<NcMetricsResult | LayerMetrics[]> {
  const t0 = performance.now();
  if ('layers' in input) {
    const { layers } = computeLayerMetrics(input.layers, input.labels, options);
    return wrap(layers, metricsReport({ layers }, { timings: { total: seconds(t0) } }));
  }
  const single = computeMetrics(input.features, input.labels, options);
  return wrap(single, metricsReport({ single }, { timings: { total: seconds(t0) } }));
}

/**
 * Runs Deep RFM (`runDeepRfm`) and builds its report (NC1/NC2 per layer, Gram heat maps).
 *
 * @param options - as `runDeepRfm` (dataset, perClass, depth, kernel, bandwidth, ridge, width, …).
 * @returns the Deep RFM result and its report.
 * @example
 * const run = await deepRfmPipeline({ dataset: 'mnist', perClass: 30, depth: 5, kernel: 'laplace', bandwidth: 2, width: 256 });
 * await run.writeReport('runs/drfm');
 */
export async function deepRfmPipeline(options: RunDeepRfmOptions): Promise<PipelineRun<RunDeepRfmResult>> {
  const result = await runDeepRfm(options);
  return wrap(result, deepRfmReport(result));
}

/**
 * Solves an unconstrained features model (`solveUfm`) and builds its report.
 *
 * @param config - as `solveUfm`.
 * @returns the solution with its closed-form comparison, and the report.
 */
export function ufmPipeline(config: SolveUfmConfig): PipelineRun<SolveUfmResult> {
  const t0 = performance.now();
  const result = solveUfm(config);
  return wrap(result, ufmReport(result, { seconds: seconds(t0) }));
}

/**
 * Computes the layer-wise Hessian spectra of a deep UFM (`deepUfmSpectra`) and builds the report.
 *
 * @param config - as `deepUfmSpectra`.
 * @returns the spectra per layer and the report.
 */
export async function spectraPipeline(config: DeepUfmSpectraConfig): Promise<PipelineRun<DeepUfmSpectraResult>> {
  const t0 = performance.now();
  const result = await deepUfmSpectra(config);
  return wrap(result, spectraReport(result, { seconds: seconds(t0) }));
}

/**
 * Trains an MLP and probes it (`probeMlp`), or probes imported activations (`probeImported`).
 *
 * @param options - `probeMlp` options, or `{ imported: ProbeImportedOptions }`.
 * @returns the probe result and its report.
 */
export async function probePipeline(options: ProbeMlpOptions): Promise<PipelineRun<ProbeResult>>;
export async function probePipeline(options: { imported: ProbeImportedOptions }): Promise<PipelineRun<ImportedResult>>;
export async function probePipeline(options: ProbeMlpOptions | { imported: ProbeImportedOptions }): Promise<PipelineRun<ProbeResult | ImportedResult>> {
  if ('imported' in options) {
    const t0 = performance.now();
    const result = await probeImported(options.imported);
    return wrap(result, importedProbeReport(result, { seconds: seconds(t0) }));
  }
  const result = await probeMlp(options);
  return wrap(result, probeReport(result));
}
