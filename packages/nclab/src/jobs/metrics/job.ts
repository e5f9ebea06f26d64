/**
 * The metrics job: feature matrices (files or memory) → every NC metric (`computeMetrics`), or the
 * per-layer table of several layers (`computeLayerMetrics`) → the metrics report.
 */
import type { AnyMatrix } from '@nclab/backend';
import type { ComputeMetricsOptions, LayerFeatures, LayerMetrics, NcMetricsResult } from '@nclab/nc-metrics';
import { UsageError } from '../../cli/errors.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, secondsSince, type JobEnv, type JobRun } from '../job.js';
import { jsonKey } from '../json-keys.js';
import { METRICS_SPEC } from './flags.js';
import { metricsReport } from './report.js';

/** Files of the metrics job (`.npy` or `.csv`). */
export interface MetricsFiles {
  /** One features file per layer. */
  readonly features: readonly string[];
  readonly labels: string;
  readonly classifier?: string;
  readonly bias?: string;
}

/** Input of the metrics job: files, one feature matrix, or several layers, with labels. */
export type MetricsInput =
  | { readonly files: MetricsFiles }
  | { readonly features: AnyMatrix; readonly labels: ArrayLike<number> }
  | { readonly layers: LayerFeatures[]; readonly labels: ArrayLike<number> };

/** The Fisher discriminant NC1 the job adds to every result (`nc1Fisher` of `@nclab/nc-metrics`). */
export interface FisherFields {
  /** tr(Σ_W⁺ Σ_B) (larger: more separated; invariant to invertible linear maps of the features). */
  readonly nc1Fisher: number;
  /** Numerical rank of Σ_W kept by the pseudo-inverse. */
  readonly nc1FisherRank: number;
}

/** Result of the metrics job: one `NcMetricsResult`, or one row per layer, each with the Fisher NC1. */
export type MetricsJobResult = (NcMetricsResult & FisherFields) | (LayerMetrics & FisherFields)[];

/** Options of the metrics job: the input plus `computeMetrics` options. */
export type MetricsJobOptions = MetricsInput & { readonly metrics?: ComputeMetricsOptions };

/**
 * Runs the metrics job.
 *
 * @param options - the input (files, a matrix or layers) and the metric options (classifier, preset, …).
 * @param env - progress, command line and engine (default: silent).
 * @returns `NcMetricsResult` for one matrix, the per-layer rows for several, each with the Fisher
 *   discriminant NC1 tr(Σ_W⁺Σ_B) and the rank of Σ_W kept (`nc1Fisher`, `nc1FisherRank`), with the report.
 * @throws {InvalidArgumentError} for invalid features or labels (see `computeMetrics`).
 * @example
 * const run = await runMetrics({ features: X, labels: y, metrics: { preset: 'papyan2020' } });
 * run.result; // NcMetricsResult
 */
export async function runMetrics(options: MetricsJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<MetricsJobResult>> {
  const { computeLayerMetrics, computeMetrics, formatLayerTable, formatMetricsTable, nc1Fisher } = await import('@nclab/nc-metrics');
  const t0 = performance.now();
  let metrics: ComputeMetricsOptions = options.metrics ?? {};
  let layers: LayerFeatures[] | undefined;
  let single: AnyMatrix | undefined;
  let labels: ArrayLike<number>;
  let config: Record<string, unknown> | undefined;
  if ('files' in options) {
    const { loadArrayFiles, loadLabelsFile, loadMatrixFile } = await import('../../io/load.js');
    const f = options.files;
    labels = loadLabelsFile('--labels', f.labels);
    const classifier = f.classifier ? loadMatrixFile('--classifier', f.classifier) : metrics.classifier;
    const bias = f.bias ? loadLabelsFile('--bias', f.bias) : metrics.bias;
    // a bare .npz gives every array as a layer, except those named by --labels/--classifier/--bias
    const exclude = [f.labels, f.classifier, f.bias].filter((p): p is string => p !== undefined);
    const loaded = f.features.flatMap((p) => loadArrayFiles(f.features.length > 1 ? `--features (${p})` : '--features', p, exclude));
    const names = loaded.map((a, i) => (loaded.filter((b) => b.name === a.name).length > 1 ? `${i + 1}:${a.name}` : a.name));
    config = { features: f.features, labels: f.labels, classifier: f.classifier ?? null, bias: f.bias ?? null, preset: metrics.preset ?? null, num_classes: metrics.numClasses ?? null, drop_empty_classes: metrics.dropEmptyClasses === true, linear_probe: metrics.linearProbe === true };
    // arrays of rank > 2 were flattened per sample: their stored shapes are reported
    if (loaded.some((a) => a.shape.length > 2)) config.feature_shapes = Object.fromEntries(loaded.map((a, i) => [names[i], a.shape]));
    if (loaded.length === 1) {
      single = loaded[0].matrix;
      metrics = { ...metrics, classifier, bias };
    } else {
      // several layers: the classifier (NC3/NC4) belongs to the last one
      layers = loaded.map((a, i) => ({ name: names[i], features: a.matrix, ...(i === loaded.length - 1 && classifier ? { classifier, bias } : {}) }));
    }
  } else if ('layers' in options) {
    layers = options.layers;
    labels = options.labels;
  } else {
    single = options.features;
    labels = options.labels;
  }
  const reportOptions = { command: env.command, engine: env.engine, config };
  const fisher = (x: AnyMatrix): FisherFields => {
    const f = nc1Fisher(x, labels, { numClasses: metrics.numClasses, dropEmptyClasses: metrics.dropEmptyClasses });
    return { nc1Fisher: f.nc1Fisher, nc1FisherRank: f.nc1FisherRank };
  };
  let run: Omit<JobRun<MetricsJobResult>, 'writeReport'>;
  if (layers) {
    const rows = computeLayerMetrics(layers, labels, metrics).layers.map((row, i) => ({ ...row, ...fisher(layers![i].features) }));
    const report = metricsReport({ layers: rows }, { ...reportOptions, timings: { total: secondsSince(t0) } });
    run = { result: rows, report, text: `${formatLayerTable(rows, undefined, { keyName: jsonKey })}\n\n${formatMetricsTable(rows[rows.length - 1], { keyName: jsonKey })}\n` };
  } else {
    const result = { ...computeMetrics(single as AnyMatrix, labels, metrics), ...fisher(single as AnyMatrix) };
    const report = metricsReport({ single: result }, { ...reportOptions, timings: { total: secondsSince(t0) } });
    run = { result, report, text: `${formatMetricsTable(result, { keyName: jsonKey })}\n` };
  }
  return { ...run, writeReport: (dir, o) => writeRunReport(dir, run.report, o) };
}

/** The metrics job: flags, flags → options, run. */
export const metricsJob = defineJob({
  spec: METRICS_SPEC,
  fromFlags(v): MetricsJobOptions {
    if (v.bias && !v.classifier) throw new UsageError('metrics', '`--bias` needs `--classifier`');
    return {
      files: { features: v.features, labels: v.labels, classifier: v.classifier, bias: v.bias },
      metrics: { preset: v.preset, numClasses: v.numClasses, dropEmptyClasses: v.dropEmptyClasses === true, linearProbe: v.linearProbe === true },
    };
  },
  run: runMetrics,
  usesTfjs: false,
});
