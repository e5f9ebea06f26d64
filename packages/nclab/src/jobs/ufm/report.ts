/**
 * The report of a solved unconstrained features model (`nclab ufm`): objective vs its closed
 * form, per-layer NC metrics, weight spectra and the convergence curve.
 */
import type { SolveUfmResult } from '@nclab/ufm';
import { ufmResultToJson } from './json.js';
import { barChartSpec, lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';

/** Options of {@link ufmReport}. */
export interface UfmReportOptions {
  command?: string;
  engine?: Record<string, unknown>;
  /** Seconds spent solving. */
  seconds?: number;
}

/**
 * Builds the report of a `solveUfm` result. `result.json` holds `ufmResultToJson(result)` (keys
 * `objective`, `theory_objective`, `nc1_trace_ratio`, `nc2_etf`, `nc2_orthogonal`, `nc3`,
 * `layers: [{singular_values}]`, …).
 *
 * @param result - the value returned by `solveUfm` from `@nclab/ufm`.
 * @param options - command line, engine, timing.
 * @returns a {@link RunReport} with plots `objective` (log scale per step), `singular-values`
 *   (squared singular values per weight matrix) and `layers-nc` (NC per feature layer).
 */
export function ufmReport(result: SolveUfmResult, options: UfmReportOptions = {}): RunReport {
  const json = ufmResultToJson(result);
  const history: CurvePoint[] = result.history.map((h) => ({ x: h.step, y: h.objective, series: 'objective' }));
  if (json.theory_objective !== null && result.history.length > 0) {
    const first = result.history[0].step;
    const last = result.history[result.history.length - 1].step;
    history.push({ x: first, y: json.theory_objective as number, series: 'closed-form optimum' }, { x: last, y: json.theory_objective as number, series: 'closed-form optimum' });
  }
  const sv = result.layers.flatMap((l, i) => l.sqSingularValues.map((s, j) => ({ label: `W${i + 1}·${j + 1}`, value: s, group: `W${i + 1}` })));
  const nc: CurvePoint[] = result.metrics.flatMap((m, i) => [
    { x: i + 1, y: m.nc1TraceRatio, series: 'NC1 tr Σ_W / tr Σ_B' },
    { x: i + 1, y: m.nc2Etf, series: 'NC2 ETF error' },
    { x: i + 1, y: m.nc2Orthogonal, series: 'NC2 orthogonal-frame error' },
  ]);
  const plots: RunReport['plots'] = [
    {
      name: 'objective',
      title: 'Objective',
      caption: 'Objective of the best start per step (log scale), with the closed-form optimum where one exists.',
      spec: lineChartSpec(history, { title: 'Objective during optimisation', xTitle: 'step', yTitle: 'objective (log scale)', logY: true, points: false }),
    },
    {
      name: 'singular-values',
      title: 'Weight spectra',
      caption: 'Squared singular values of each weight matrix, descending (collapse: K equal values, the rest 0).',
      spec: barChartSpec(sv, { title: 'Squared singular values of the weights', xTitle: 'matrix · index', yTitle: 'σ²' }),
    },
  ];
  if (result.metrics.length > 1) {
    plots.push({
      name: 'layers-nc',
      title: 'NC per feature layer',
      caption: 'Feature layer 1 is H_1; layer l + 1 is the input of W_{l+1}. Zero values are not drawn on the log axis.',
      spec: lineChartSpec(nc, { title: 'Neural collapse per feature layer', xTitle: 'feature layer', yTitle: 'value (log scale)', logY: true, integerX: true }),
    });
  }
  const cp = json.critical_point as Record<string, unknown> | null;
  const summary = ['objective', 'theory_objective', 'objective_relative_error', 'max_relative_error', 'converged', 'stop_reason', 'steps', 'grad_norm', 'nc1_trace_ratio', 'nc2_etf', 'nc2_orthogonal', 'nc3'].map((k) => ({ quantity: k, value: json[k] }));
  if (cp) summary.push({ quantity: 'critical_point', value: `${cp.global ? 'global minimum' : 'NOT the global minimum'}, rank ${String(cp.rank)}, ${Number(cp.ratio_to_global).toPrecision(4)}× the closed form` });
  const tables: RunReport['tables'] = [
    { title: 'Summary', columns: ['quantity', 'value'], rows: summary },
    { title: 'Per feature layer', rows: json.feature_layers as Record<string, unknown>[] },
  ];
  if (Array.isArray(json.comparison)) tables.push({ title: 'Solution vs closed form', rows: json.comparison as Record<string, unknown>[] });
  tables.push({ title: 'Restarts', rows: result.restarts.map((r, i) => ({ start: i, ...r, best: i === result.best })) });
  const config = Object.fromEntries(['model', 'K', 'n', 'd', 'depth', 'lambda_w', 'lambda_h', 'bias', 'lambda_b'].map((k) => [k, json[k]]));
  return {
    kind: 'ufm',
    title: `UFM (${String(json.model)}): solution vs closed form`,
    command: options.command,
    config,
    engine: options.engine,
    timings: options.seconds === undefined ? {} : { solve: options.seconds },
    result: json,
    tables,
    plots,
    notes: (json.warnings as string[]).length ? (json.warnings as string[]) : undefined,
  };
}
