/**
 * The report of a feature analysis (`nclab metrics`): the metric table with conventions, the
 * per-layer table when several layers were given, and plots of the class-mean spectrum and of
 * NC1 / NC2 per layer.
 */
import type { LayerMetrics, NcMetricsResult } from '@nclab/nc-metrics';
import { barChartSpec, lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';
import { jsonKey, toJsonKeys } from '../json-keys.js';

/** Keys shown in the metrics table, with their one-line meaning. */
const MAIN_KEYS: [keyof NcMetricsResult, string][] = [
  ['nc1TraceRatio', 'tr Σ_W / tr Σ_B'],
  ['nc1Pinv', 'tr(Σ_W Σ_B^†)/K, top K−1 eigenpairs'],
  ['nc1Cdnv', 'CDNV, mean over class pairs'],
  ['nc1WithinTotal', 'tr Σ_W / tr Σ_T'],
  ['nc1BetweenTotal', 'tr Σ_B / tr Σ_T'],
  ['nc1LinearProbe', 'linear-probe NC1'],
  ['nc2Etf', '‖H̄ᵀH̄ − Σ_ETF‖_F, unit-normalised centred means'],
  ['nc2EtfGram', 'ETF error of the Frobenius-normalised Gram'],
  ['nc2OrthogonalFrame', 'orthogonal-frame error, uncentred means'],
  ['nc2Equinorm', 'CoV of centred mean norms'],
  ['nc2Equiangular', 'mean |cos + 1/(K−1)|'],
  ['nc2MaxAngleDeg', 'max deviation from the ETF angle (degrees)'],
  ['nc3', 'self-duality, centred means'],
  ['nc3Uncentered', 'self-duality, uncentred means'],
  ['nc4', 'classifier vs nearest-class-centre disagreement'],
  ['classifierAccuracy', 'classifier accuracy'],
  ['nccAccuracy', 'nearest-class-centre accuracy'],
  ['meanRank', 'numerical rank of the centred class means'],
];

/** Options of {@link metricsReport}. */
export interface MetricsReportOptions {
  command?: string;
  engine?: Record<string, unknown>;
  config?: Record<string, unknown>;
  timings?: Record<string, number>;
}

function metricRows(r: NcMetricsResult): Record<string, unknown>[] {
  return MAIN_KEYS.filter(([k]) => r[k] !== undefined && r[k] !== null).map(([k, meaning]) => ({ metric: jsonKey(k), value: r[k] as number, meaning }));
}

/**
 * Builds the report of `computeMetrics` (one feature matrix) or `computeLayerMetrics` (several).
 *
 * @param analysis - `{ single }` with one result, or `{ layers }` with per-layer results (the last
 *   layer's result is also reported in full).
 * @param options - command line, engine, configuration, timings.
 * @returns a {@link RunReport}; `result.json` holds the full `NcMetricsResult` at top level, its keys
 *   mapped by {@link toJsonKeys} (`n`, `K`, `d`, `nc1_trace_ratio`, `nc1_pinv`, `nc1_cdnv`, `nc2_etf`,
 *   `nc2_equinorm`, `nc2_equiangular`, and `nc3`, `nc4` with a classifier), plus `layers` for several layers.
 */
export function metricsReport(analysis: { single: NcMetricsResult } | { layers: LayerMetrics[] }, options: MetricsReportOptions = {}): RunReport {
  const layers = 'layers' in analysis ? analysis.layers : undefined;
  const main: NcMetricsResult = 'single' in analysis ? analysis.single : analysis.layers[analysis.layers.length - 1];
  const plots: RunReport['plots'] = [
    {
      name: 'class-means-spectrum',
      title: 'Singular values of the centred class means',
      caption: 'A collapsed simplex ETF has K−1 equal non-zero singular values; fewer or unequal ones show a low-rank or unbalanced geometry.',
      spec: barChartSpec(
        main.meanSingularValues.map((s, i) => ({ label: String(i + 1), value: s })),
        { title: 'Singular values of the centred class-mean matrix', xTitle: 'index', yTitle: 'singular value' },
      ),
    },
  ];
  const tables: RunReport['tables'] = [
    { title: layers ? `Metrics of ${layers[layers.length - 1].layer}` : 'Metrics', columns: ['metric', 'value', 'meaning'], rows: metricRows(main), caption: main.convention },
  ];
  if (main.preset) {
    tables.push({
      title: `Preset ${main.preset.name} (${main.preset.source})`,
      columns: ['metric', 'value', 'formula'],
      rows: Object.entries(main.preset.values).map(([k, v]) => ({ metric: jsonKey(k), value: v, formula: main.preset?.formulas[k] ?? '' })),
    });
  }
  if (layers) {
    const nc: CurvePoint[] = [];
    layers.forEach((l, i) => {
      nc.push({ x: i + 1, y: l.nc1TraceRatio, series: 'NC1 tr Σ_W / tr Σ_B' }, { x: i + 1, y: l.nc1Pinv, series: 'NC1 tr(Σ_W Σ_B^†)/K' }, { x: i + 1, y: l.nc2Etf, series: 'NC2 ETF error' });
    });
    plots.unshift({
      name: 'layers',
      title: 'NC per layer',
      caption: `Layers in the order given: ${layers.map((l, i) => `${i + 1} = ${l.layer}`).join(', ')}.`,
      spec: lineChartSpec(nc, { title: 'Neural collapse per layer', xTitle: 'layer', yTitle: 'value (log scale)', logY: true, integerX: true }),
    });
    tables.unshift({
      title: 'Per layer',
      rows: layers.map((l) => toJsonKeys({ layer: l.layer, d: l.d, nc1TraceRatio: l.nc1TraceRatio, nc1Pinv: l.nc1Pinv, nc1Cdnv: l.nc1Cdnv, nc2Etf: l.nc2Etf, nc2Equinorm: l.nc2Equinorm, nccAccuracy: l.nccAccuracy }) as Record<string, unknown>),
    });
  }
  const { warnings } = main;
  return {
    kind: 'metrics',
    title: 'Neural collapse metrics',
    command: options.command,
    config: options.config ?? {},
    engine: options.engine,
    timings: options.timings ?? {},
    result: toJsonKeys({ ...main, ...(layers ? { layers } : {}) }) as Record<string, unknown>,
    tables,
    plots,
    notes: warnings.length ? warnings : undefined,
  };
}
