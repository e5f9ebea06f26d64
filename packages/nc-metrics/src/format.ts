/**
 * Plain-text tables of metric results (for the CLI and reports).
 */
import type { LayerMetrics } from './layers.js';
import type { NcMetricsResult } from './metrics.js';

/** Formats a number compactly: integers as is, others with 6 significant digits. @internal */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}

const ROWS: ReadonlyArray<readonly [keyof NcMetricsResult, string]> = [
  ['nc1TraceRatio', 'tr Σ_W / tr Σ_B'],
  ['nc1Pinv', 'tr(Σ_W Σ_B^†)/K, top K−1'],
  ['nc1Cdnv', 'CDNV, mean over class pairs'],
  ['nc1WithinTotal', 'tr Σ_W / tr Σ_T'],
  ['nc1BetweenTotal', 'tr Σ_B / tr Σ_T'],
  ['nc1LinearProbe', 'NC1 after the best linear map'],
  ['nc2Etf', '‖ĤĤᵀ − Σ_ETF‖_F, unit centred means'],
  ['nc2EtfGram', 'normalised-Gram ETF error'],
  ['nc2OrthogonalFrame', 'orthogonal-frame error (uncentred)'],
  ['nc2Equinorm', 'CoV of centred mean norms'],
  ['nc2Equiangular', 'mean |cos + 1/(K−1)|'],
  ['nc2MaxAngleDeg', 'max angle deviation (degrees)'],
  ['nccAccuracy', 'nearest-class-mean accuracy'],
  ['meanRank', 'rank of centred means'],
  ['meanCondition', 'condition of centred means'],
  ['nc3', '‖W/‖W‖ − M̃/‖M̃‖‖_F'],
  ['nc3Uncentered', 'same with uncentred means'],
  ['nc4', 'classifier ≠ NCC rate'],
  ['classifierAccuracy', 'classifier accuracy'],
  ['nc2WEtf', 'ETF error of W rows'],
  ['nc2WEquinorm', 'CoV of ‖w_k‖'],
  ['nc2WEquiangular', 'W mean |cos + 1/(K−1)|'],
];

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/**
 * Options of {@link formatMetricsTable} and {@link formatLayerTable}.
 */
export interface FormatTableOptions {
  /**
   * How a result key is printed (metric names, column headers). Default: the key itself
   * (`nc1TraceRatio`); the `nclab` CLI passes its `result.json` mapping (`nc1_trace_ratio`).
   */
  readonly keyName?: (key: string) => string;
}

/**
 * A readable table of a {@link computeMetrics} result: sizes, every metric with its formula, the
 * preset's values and the warnings.
 * @param result - a metrics result.
 * @param options - `keyName`: how keys are printed (default: as they are).
 * @returns multi-line text.
 * @example
 * console.log(formatMetricsTable(computeMetrics(X, y)));
 */
export function formatMetricsTable(result: NcMetricsResult, options: FormatTableOptions = {}): string {
  const name = options.keyName ?? String;
  const lines: string[] = [`N = ${result.n}, K = ${result.K}, d = ${result.d}, samples per class ${Math.min(...result.counts)}..${Math.max(...result.counts)}`, ''];
  const rows: string[][] = [['metric', 'value', 'definition']];
  for (const [key, label] of ROWS) {
    const v = result[key] as number | null | undefined;
    if (v === undefined || (v === null && key !== 'nc1LinearProbe')) continue;
    if (v === null) continue;
    rows.push([name(key), formatNumber(v), label]);
  }
  lines.push(table(rows));
  if (result.preset) {
    lines.push('', `preset ${result.preset.name} (${result.preset.source})`);
    const prow: string[][] = [['metric', 'value', 'definition']];
    for (const [k, v] of Object.entries(result.preset.values)) prow.push([name(k), formatNumber(v), result.preset.formulas[k] ?? '']);
    lines.push(table(prow));
  }
  if (result.warnings.length > 0) lines.push('', 'warnings:', ...result.warnings.map((w) => `- ${w}`));
  return lines.join('\n');
}

/**
 * A per-layer table: one row per layer, the main NC metrics as columns.
 * @param layers - results of `computeLayerMetrics`.
 * @param keys - columns (default: trace ratio, pinv NC1, CDNV, ETF error, equinorm, NCC accuracy).
 * @param options - `keyName`: how column headers are printed (default: the keys as they are).
 * @returns multi-line text.
 * @example
 * console.log(formatLayerTable(computeLayerMetrics(layers, labels).layers));
 */
export function formatLayerTable(
  layers: readonly LayerMetrics[],
  keys: ReadonlyArray<keyof NcMetricsResult> = ['nc1TraceRatio', 'nc1Pinv', 'nc1Cdnv', 'nc2Etf', 'nc2Equinorm', 'nccAccuracy'],
  options: FormatTableOptions = {},
): string {
  const name = options.keyName ?? String;
  const rows: string[][] = [['layer', 'd', ...keys.map((k) => name(k))]];
  for (const l of layers) rows.push([l.layer, String(l.d), ...keys.map((k) => formatNumber(l[k] as number | null | undefined))]);
  return table(rows);
}
