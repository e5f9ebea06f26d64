/**
 * The Deep RFM report: per-layer NC1 / NC2 curves at the three points of every layer, Gram heat
 * maps of selected layers, the per-layer table and the timings.
 */
import { heatmapSpec, lineChartSpec, type CurvePoint, type HeatmapPanel } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';
import { toJsonKeys } from '../json-keys.js';
import type { DeepRfmJobResult } from './job.js';
import { metricDependenceTable } from './metric-dependence.js';

/** Series names of the three points recorded per layer. */
export const DEEP_RFM_POINTS = {
  in: 'input X_l',
  agop: 'after AGOP M^½X_l',
  out: 'after feature map Φ(M^½X_l)',
} as const;

/** Options of {@link deepRfmReport}. */
export interface DeepRfmReportOptions {
  /** Command line shown in the report. */
  command?: string;
  /** Engine summary to record (the result already holds the linear-algebra path). */
  engine?: Record<string, unknown>;
  /** Layers whose output Gram is drawn (default: 1, the middle one and the last); the input Gram is always drawn. */
  gramLayers?: number[];
}

/** Least-squares line through (l, ln v_l) over the positive values, as a function of l. */
function fitLine(points: readonly (readonly [number, number])[]): (l: number) => number {
  const p = points.filter(([, v]) => v > 0 && Number.isFinite(v));
  const mx = p.reduce((s, [l]) => s + l, 0) / p.length;
  const my = p.reduce((s, [, v]) => s + Math.log(v), 0) / p.length;
  let sxx = 0;
  let sxy = 0;
  for (const [l, v] of p) {
    sxx += (l - mx) ** 2;
    sxy += (l - mx) * (Math.log(v) - my);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return (l) => Math.exp(my + b * (l - mx));
}

/**
 * Layers drawn in the Gram heat maps by default: the first, the middle and the last.
 *
 * @param depth - number of layers L.
 * @returns sorted distinct layer numbers in 1..L.
 */
export function defaultGramLayers(depth: number): number[] {
  return [...new Set([1, Math.ceil(depth / 2), depth])].filter((l) => l >= 1 && l <= depth).sort((a, b) => a - b);
}

/**
 * Builds the report of a Deep RFM run: `nc1` and `nc2` (log-scale curves per layer for the input,
 * after the AGOP step and after the feature map), `nc1-train-test` (train and test NC1 side by side,
 * with test data), `gram-error` (Theorem 4.3's relative Gram error per layer with its fitted rate),
 * the metric-dependence table (which step carries the NC1 decrease under each NC1 form), `accuracy` (train/test accuracy of each layer's
 * predictor), `gram` (centred, normalised Gram matrices of the input and selected layers, diverging
 * colours over the one symmetric range [−1, 1] that cosines live in).
 *
 * @param result - the deep-rfm job's result (`deepRfm`'s result plus the data source).
 * @param options - command line, engine, Gram layers.
 * @returns a {@link RunReport} for `writeRunReport`; `result.json` keeps every key of `result`
 *   through {@link toJsonKeys} (`layers: [{layer, nc1_in, nc1_agop, nc1_out, nc2_in, nc2_agop, nc2_out, train_acc, test_acc, …}]`).
 * @example
 * const { result } = await runDeepRfm({ dataset: 'mnist', perClass: 30, depth: 5, kernel: 'laplace', bandwidth: 2, width: 256 });
 * await writeRunReport('runs/drfm', deepRfmReport(result));
 */
export function deepRfmReport(result: DeepRfmJobResult, options: DeepRfmReportOptions = {}): RunReport {
  const { config, engine, timings, ...rest } = result;
  const nc1: CurvePoint[] = [];
  const nc2: CurvePoint[] = [];
  const acc: CurvePoint[] = [];
  const trainTest: CurvePoint[] = [];
  const gram: CurvePoint[] = [];
  for (const row of result.layers) {
    for (const [p, label] of [['In', DEEP_RFM_POINTS.in], ['Agop', DEEP_RFM_POINTS.agop], ['Out', DEEP_RFM_POINTS.out]] as const) {
      trainTest.push({ x: row.layer, y: row[`nc1${p}`], series: `train: ${label}` });
      const t = row[`nc1Test${p}`];
      if (t !== null && t !== undefined) trainTest.push({ x: row.layer, y: t, series: `test: ${label}` });
    }
    if (row.relativeGramError !== undefined) gram.push({ x: row.layer, y: row.relativeGramError, series: 'relative Gram error ‖X̃ᵀX̃ − yyᵀ‖_F / ‖yyᵀ‖_F' });
    nc1.push({ x: row.layer, y: row.nc1In, series: DEEP_RFM_POINTS.in }, { x: row.layer, y: row.nc1Agop, series: DEEP_RFM_POINTS.agop }, { x: row.layer, y: row.nc1Out, series: DEEP_RFM_POINTS.out });
    nc2.push({ x: row.layer, y: row.nc2In, series: DEEP_RFM_POINTS.in }, { x: row.layer, y: row.nc2Agop, series: DEEP_RFM_POINTS.agop }, { x: row.layer, y: row.nc2Out, series: DEEP_RFM_POINTS.out });
    acc.push({ x: row.layer, y: row.trainAcc, series: 'train' });
    if (row.testAcc !== null) acc.push({ x: row.layer, y: row.testAcc, series: 'test' });
  }
  const depth = result.layers.length;
  const wanted = new Set(options.gramLayers ?? defaultGramLayers(depth));
  const panels: HeatmapPanel[] = result.grams
    .filter((g) => g.point === 'input' || wanted.has(g.layer))
    .sort((a, b) => a.layer - b.layer)
    .map((g) => ({ title: g.point === 'input' ? 'input X_1' : `layer ${g.layer} output`, values: g.matrix, labels: g.labels }));
  const plots: RunReport['plots'] = [
    {
      name: 'nc1',
      title: 'NC1 per layer',
      caption: 'NC1 = tr Σ_W / tr Σ_B (log scale) at the input of each layer, after the AGOP step and after the random feature map.',
      spec: lineChartSpec(nc1, { title: 'NC1 (tr Σ_W / tr Σ_B) per layer', xTitle: 'layer', yTitle: 'NC1 (log scale)', logY: true, integerX: true }),
    },
    {
      name: 'nc2',
      title: 'NC2 per layer',
      caption: 'NC2 = ‖H̄ᵀH̄ − Σ_ETF‖_F of the centred, normalised class means (log scale), same three points.',
      spec: lineChartSpec(nc2, { title: 'NC2 (ETF error) per layer', xTitle: 'layer', yTitle: 'NC2 (log scale)', logY: true, integerX: true }),
    },
    {
      name: 'accuracy',
      title: 'Accuracy per layer',
      caption: "Train and test accuracy of each layer's kernel predictor.",
      spec: lineChartSpec(acc, { title: 'Accuracy of the layer predictor', xTitle: 'layer', yTitle: 'accuracy', integerX: true }),
    },
  ];
  if (trainTest.some((p) => p.series.startsWith('test'))) {
    plots.splice(1, 0, {
      name: 'nc1-train-test',
      title: 'NC1 per layer: train and test',
      caption: 'tr Σ_W / tr Σ_B (log scale) of the training data and of the test data mapped by the same layers, at the three points of each layer.',
      spec: lineChartSpec(trainTest, { title: 'NC1 per layer, train vs test', xTitle: 'layer', yTitle: 'NC1 (log scale)', logY: true, integerX: true }),
    });
  }
  if (gram.length) {
    const rate = result.gramErrorRate;
    const first = result.layers.find((r) => r.gramError > 0);
    if (rate !== null && rate !== undefined && first) {
      // the fitted line e_l = C·q^l, drawn relative like the measured values
      const fit = fitLine(result.layers.map((r) => [r.layer, r.relativeGramError] as const));
      for (const r of result.layers) gram.push({ x: r.layer, y: fit(r.layer), series: `fit: q = ${rate.toPrecision(3)} per layer (R² = ${(result.gramErrorR2 ?? NaN).toFixed(3)})` });
    }
    plots.push({
      name: 'gram-error',
      title: 'Gram error per layer (Theorem 4.3)',
      caption: 'Relative Frobenius distance of the unit-row Gram of each layer output to the collapsed Gram yyᵀ (log scale), with the log-linear fit of its rate.',
      spec: lineChartSpec(gram, { title: 'Gram error per layer', xTitle: 'layer', yTitle: 'relative Gram error (log scale)', logY: true, integerX: true }),
    });
  }
  if (panels.length) {
    plots.push({
      name: 'gram',
      title: 'Gram matrices',
      caption:
        'Cosines of the centred features of a class-balanced subsample sorted by class. One diverging colour scale over [−1, 1] for every panel; the collapsed pattern is 1 within a class and −1/(K−1) across classes.',
      spec: heatmapSpec(panels, { title: 'Centred, normalised Gram matrices', range: 1, legendTitle: 'cosine', panelSize: 240 }),
    });
  }
  const layerRows = result.layers.map((r) => ({
    layer: r.layer,
    dim: r.dim,
    nc1_in: r.nc1In,
    nc1_agop: r.nc1Agop,
    nc1_out: r.nc1Out,
    nc1_test_in: r.nc1TestIn ?? null,
    nc1_test_out: r.nc1TestOut ?? null,
    nc2_in: r.nc2In,
    nc2_agop: r.nc2Agop,
    nc2_out: r.nc2Out,
    train_acc: r.trainAcc,
    test_acc: r.testAcc,
    relative_gram_error: r.relativeGramError ?? null,
    ridge_used: r.ridgeUsed,
    seconds: Object.values(r.seconds).reduce((s, v) => s + v, 0),
  }));
  const first = result.layers[0];
  const last = result.layers[depth - 1];
  const notes: string[] = [];
  if (first && last && last.nc1In > 0) notes.push(`NC1 at the input fell ${(first.nc1In / last.nc1In).toPrecision(3)}× from layer 1 to layer ${depth}.`);
  notes.push(`Final predictor: train accuracy ${result.final.trainAcc.toFixed(4)}${result.final.testAcc === null ? '' : `, test accuracy ${result.final.testAcc.toFixed(4)}`}; NC1 ${result.final.nc1.toPrecision(4)}, NC2 ${result.final.nc2.toPrecision(4)}.`);
  if (result.gramErrorRate !== null && result.gramErrorRate !== undefined) notes.push(`Gram error (Theorem 4.3): fitted rate q = ${result.gramErrorRate.toPrecision(4)} per layer, R² = ${(result.gramErrorR2 ?? NaN).toFixed(3)}.`);
  for (const r of result.layers) if (r.ridgeFallback) notes.push(`Layer ${r.layer}: ${r.ridgeFallback.reason}; ridge ${r.ridgeFallback.ridgeAdded} added.`);
  return {
    kind: 'deep-rfm',
    title: 'Deep RFM: deep neural collapse per layer',
    command: options.command,
    config: toJsonKeys({ ...config, dataset: result.dataset }) as Record<string, unknown>,
    engine: { ...(options.engine ?? {}), linalg: engine.linalg.path, linalg_library: engine.linalg.library, node: engine.node },
    timings: { total: timings.totalSeconds, ...timings.perPhase, final: timings.finalSeconds },
    // result.json keeps its snake_case keys: the one camelCase → snake_case mapping of the job boundary
    result: toJsonKeys({ ...rest, engineDetails: engine, timings }) as Record<string, unknown>,
    tables: [
      {
        title: 'Per layer',
        rows: layerRows,
        caption: `nc1_* = tr Σ_W / tr Σ_B; nc2_* = ETF error of the normalised centred class means; _in = X_l, _agop = M^½X_l, _out = Φ(M^½X_l). Conventions: ${Object.entries(toJsonKeys(result.conventions) as Record<string, string>).map(([k, v]) => `${k}: ${v}`).join('; ')}`,
      },
      metricDependenceTable(result.layers),
      { title: 'Final regression', rows: [toJsonKeys(result.final) as Record<string, number | null>] },
      { title: 'Data', rows: [toJsonKeys(result.data) as Record<string, number>] },
    ],
    plots,
    notes,
  };
}
