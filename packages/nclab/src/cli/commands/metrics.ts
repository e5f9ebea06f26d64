/**
 * `nclab metrics`: every NC metric of a feature matrix (or of several layers) from .npy/.csv files.
 */
import type { ComputeMetricsOptions } from '@nclab/nc-metrics';
import { basename } from 'node:path';
import { resultDocument, writeRunReport } from '../../report/write.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import { UsageError } from '../errors.js';
import { EXECUTOR_OPTIONS } from '../../executors/options.js';

export const metricsCommand: CliCommand = {
  spec: {
    name: 'metrics',
    summary: 'neural collapse metrics (NC1–NC4, CDNV, ETF errors) of features from .npy/.csv files',
    usage: 'metrics --features F --labels L [--classifier W] [--bias B] [--preset P] [--json [OUT]] [--out DIR]',
    description:
      'F: features [N, d]; L: labels [N] (integers, or floats holding integers); W: classifier [K, d]; B: bias [K].\n' +
      'Files are .npy (float32/float64/integer, C order) or .csv. Repeat --features to analyse several layers\n' +
      '(same labels); the per-layer table is printed and the last layer is reported in full.\n' +
      'JSON keys: n, K, d, nc1_trace_ratio, nc1_pinv (tr(Σ_W Σ_B^†)/K, top K−1, class-mean-average global\n' +
      'mean, Σ_W/N, Σ_B/K), nc1_cdnv, nc2_etf, nc2_equinorm, nc2_equiangular, and nc3, nc4 with a classifier.',
    options: [
      { name: 'features', kind: 'string', valueName: 'FILE', multiple: true, description: 'features [N, d] (repeat for several layers; required unless --shard)' },
      { name: 'labels', kind: 'string', valueName: 'FILE', description: 'labels [N] (required unless --shard)' },
      { name: 'shard', kind: 'string', valueName: 'F.npy:L.npy', multiple: true, keepCommas: true, description: 'a row block of one dataset: features and labels (repeat, in order; needs --out; see docs/guide/cluster)' },
      { name: 'classifier', kind: 'string', valueName: 'FILE', description: 'last-layer weights W [K, d] (enables NC3/NC4)' },
      { name: 'bias', kind: 'string', valueName: 'FILE', description: 'last-layer bias b [K] (with --classifier)' },
      { name: 'preset', kind: 'string', choices: ['papyan2020', 'zhu2021', 'rangamani2023', 'beaglehole2024', 'tirer2023'], description: "also report a paper's convention" },
      { name: 'num-classes', kind: 'integer', min: 2, valueName: 'K', description: 'number of classes (default: max label + 1)' },
      { name: 'drop-empty-classes', kind: 'boolean', description: 'drop classes without samples instead of failing' },
      { name: 'linear-probe', kind: 'boolean', description: 'also compute the linear-probe NC1 (O(N·d²))' },
      { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
      { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
      ...EXECUTOR_OPTIONS.filter((o) => o.name !== 'points-per-task'),
    ],
    examples: [
      'nclab metrics --features feats.npy --labels labels.npy',
      'nclab metrics --features feats.npy --labels labels.npy --classifier W.npy --preset papyan2020 --json metrics.json',
      'nclab metrics --features h1.npy --features h2.npy --features h3.npy --labels y.npy --out runs/layers',
    ],
  },
  async run(ctx) {
    const [{ computeLayerMetrics, computeMetrics, formatLayerTable, formatMetricsTable }, { metricsReport }, { loadLabelsFile, loadMatrixFile }] = await Promise.all([
      import('@nclab/nc-metrics'),
      import('../../pipelines/metrics.js'),
      import('../../io/load.js'),
    ]);
    const v = ctx.args.values;
    if (v.shard) {
      const { runShardedCommand } = await import('../../executors/sharded/command.js');
      return runShardedCommand(ctx);
    }
    if (!v.features) throw new UsageError('metrics', 'missing required flag `--features`');
    if (!v.labels) throw new UsageError('metrics', 'missing required flag `--labels`');
    const featureFiles = v.features as string[];
    if (v.bias && !v.classifier) throw new UsageError('metrics', '`--bias` needs `--classifier`');
    if (v.classifier && featureFiles.length > 1) throw new UsageError('metrics', '`--classifier` applies to one feature matrix; give a single `--features`');
    const labels = loadLabelsFile('--labels', v.labels as string);
    const options: ComputeMetricsOptions = {
      classifier: v.classifier ? loadMatrixFile('--classifier', v.classifier as string) : undefined,
      bias: v.bias ? loadLabelsFile('--bias', v.bias as string) : undefined,
      preset: v.preset as string | undefined,
      numClasses: v.numClasses as number | undefined,
      dropEmptyClasses: v.dropEmptyClasses === true,
      linearProbe: v.linearProbe === true,
    };
    const engine = await setupEngine(ctx);
    const t0 = performance.now();
    const config = { features: featureFiles, labels: v.labels, classifier: v.classifier ?? null, bias: v.bias ?? null, preset: v.preset ?? null, num_classes: v.numClasses ?? null, drop_empty_classes: options.dropEmptyClasses, linear_probe: options.linearProbe };
    let text: string;
    let report;
    if (featureFiles.length === 1) {
      const single = computeMetrics(loadMatrixFile('--features', featureFiles[0]), labels, options);
      report = metricsReport({ single }, { command: ctx.commandLine, engine: { ...engine }, config, timings: { total: (performance.now() - t0) / 1000 } });
      text = formatMetricsTable(single);
    } else {
      const names = featureFiles.map((f, i) => (featureFiles.filter((g) => basename(g) === basename(f)).length > 1 ? `${i + 1}:${basename(f)}` : basename(f)));
      const layers = featureFiles.map((f, i) => ({ name: names[i], features: loadMatrixFile(`--features (${f})`, f) }));
      const { layers: rows } = computeLayerMetrics(layers, labels, options);
      report = metricsReport({ layers: rows }, { command: ctx.commandLine, engine: { ...engine }, config, timings: { total: (performance.now() - t0) / 1000 } });
      text = `${formatLayerTable(rows)}\n\n${formatMetricsTable(rows[rows.length - 1])}`;
    }
    if (v.out) {
      const written = await writeRunReport(v.out as string, report, { png: v.png === true });
      ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots and ${written.html}`);
    }
    if ((await emitJson(ctx, resultDocument(report, new Date().toISOString()))) === 'stdout') return;
    ctx.io.stdout.write(`${text}\n`);
  },
};
