/**
 * The metrics job: feature matrices (files or memory) → every NC metric (`computeMetrics`), or the
 * per-layer table of several layers (`computeLayerMetrics`) → the metrics report.
 */
import { basename } from 'node:path';
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

/** Options of the metrics job: the input plus `computeMetrics` options. */
export type MetricsJobOptions = MetricsInput & { readonly metrics?: ComputeMetricsOptions };

/**
 * Runs the metrics job.
 *
 * @param options - the input (files, a matrix or layers) and the metric options (classifier, preset, …).
 * @param env - progress, command line and engine (default: silent).
 * @returns `NcMetricsResult` for one matrix, the per-layer rows for several, with the report.
 * @throws {InvalidArgumentError} for invalid features or labels (see `computeMetrics`).
 * @example
 * const run = await runMetrics({ features: X, labels: y, metrics: { preset: 'papyan2020' } });
 * run.result; // NcMetricsResult
 */
export async function runMetrics(options: MetricsJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<NcMetricsResult | LayerMetrics[]>> {
  const { computeLayerMetrics, computeMetrics, formatLayerTable, formatMetricsTable } = await import('@nclab/nc-metrics');
  const t0 = performance.now();
  let metrics: ComputeMetricsOptions = options.metrics ?? {};
  let layers: LayerFeatures[] | undefined;
  let single: AnyMatrix | undefined;
  let labels: ArrayLike<number>;
  let config: Record<string, unknown> | undefined;
  if ('files' in options) {
    const { loadLabelsFile, loadMatrixFile } = await import('../../io/load.js');
    const f = options.files;
    labels = loadLabelsFile('--labels', f.labels);
    metrics = {
      ...metrics,
      classifier: f.classifier ? loadMatrixFile('--classifier', f.classifier) : metrics.classifier,
      bias: f.bias ? loadLabelsFile('--bias', f.bias) : metrics.bias,
    };
    config = { features: f.features, labels: f.labels, classifier: f.classifier ?? null, bias: f.bias ?? null, preset: metrics.preset ?? null, num_classes: metrics.numClasses ?? null, drop_empty_classes: metrics.dropEmptyClasses === true, linear_probe: metrics.linearProbe === true };
    if (f.features.length === 1) single = loadMatrixFile('--features', f.features[0]);
    else {
      const names = f.features.map((p, i) => (f.features.filter((g) => basename(g) === basename(p)).length > 1 ? `${i + 1}:${basename(p)}` : basename(p)));
      layers = f.features.map((p, i) => ({ name: names[i], features: loadMatrixFile(`--features (${p})`, p) }));
    }
  } else if ('layers' in options) {
    layers = options.layers;
    labels = options.labels;
  } else {
    single = options.features;
    labels = options.labels;
  }
  const reportOptions = { command: env.command, engine: env.engine, config };
  let run: Omit<JobRun<NcMetricsResult | LayerMetrics[]>, 'writeReport'>;
  if (layers) {
    const { layers: rows } = computeLayerMetrics(layers, labels, metrics);
    const report = metricsReport({ layers: rows }, { ...reportOptions, timings: { total: secondsSince(t0) } });
    run = { result: rows, report, text: `${formatLayerTable(rows, undefined, { keyName: jsonKey })}\n\n${formatMetricsTable(rows[rows.length - 1], { keyName: jsonKey })}\n` };
  } else {
    const result = computeMetrics(single as AnyMatrix, labels, metrics);
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
    if (v.classifier && v.features.length > 1) throw new UsageError('metrics', '`--classifier` applies to one feature matrix; give a single `--features`');
    return {
      files: { features: v.features, labels: v.labels, classifier: v.classifier, bias: v.bias },
      metrics: { preset: v.preset, numClasses: v.numClasses, dropEmptyClasses: v.dropEmptyClasses === true, linearProbe: v.linearProbe === true },
    };
  },
  run: runMetrics,
});
