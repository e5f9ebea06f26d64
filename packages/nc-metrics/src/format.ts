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
  ['nc1_trace_ratio', 'tr Σ_W / tr Σ_B'],
  ['nc1_pinv', 'tr(Σ_W Σ_B^†)/K, top K−1'],
  ['nc1_cdnv', 'CDNV, mean over class pairs'],
  ['nc1_within_total', 'tr Σ_W / tr Σ_T'],
  ['nc1_between_total', 'tr Σ_B / tr Σ_T'],
  ['nc1_linear_probe', 'NC1 after the best linear map'],
  ['nc2_etf', '‖ĤĤᵀ − Σ_ETF‖_F, unit centred means'],
  ['nc2_etf_gram', 'normalised-Gram ETF error'],
  ['nc2_orthogonal_frame', 'orthogonal-frame error (uncentred)'],
  ['nc2_equinorm', 'CoV of centred mean norms'],
  ['nc2_equiangular', 'mean |cos + 1/(K−1)|'],
  ['nc2_max_angle_deg', 'max angle deviation (degrees)'],
  ['ncc_accuracy', 'nearest-class-mean accuracy'],
  ['mean_rank', 'rank of centred means'],
  ['mean_condition', 'condition of centred means'],
  ['nc3', '‖W/‖W‖ − M̃/‖M̃‖‖_F'],
  ['nc3_uncentred', 'same with uncentred means'],
  ['nc4', 'classifier ≠ NCC rate'],
  ['classifier_accuracy', 'classifier accuracy'],
  ['nc2_w_etf', 'ETF error of W rows'],
  ['nc2_w_equinorm', 'CoV of ‖w_k‖'],
  ['nc2_w_equiangular', 'W mean |cos + 1/(K−1)|'],
];

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/**
 * A readable table of a {@link computeMetrics} result: sizes, every metric with its formula, the
 * preset's values and the warnings.
 * @param result - a metrics result.
 * @returns multi-line text.
 * @example
 * console.log(formatMetricsTable(computeMetrics(X, y)));
 */
export function formatMetricsTable(result: NcMetricsResult): string {
  const lines: string[] = [`N = ${result.n}, K = ${result.K}, d = ${result.d}, samples per class ${Math.min(...result.counts)}..${Math.max(...result.counts)}`, ''];
  const rows: string[][] = [['metric', 'value', 'definition']];
  for (const [key, label] of ROWS) {
    const v = result[key] as number | null | undefined;
    if (v === undefined || (v === null && key !== 'nc1_linear_probe')) continue;
    if (v === null) continue;
    rows.push([String(key), formatNumber(v), label]);
  }
  lines.push(table(rows));
  if (result.preset) {
    lines.push('', `preset ${result.preset.name} (${result.preset.source})`);
    const prow: string[][] = [['metric', 'value', 'definition']];
    for (const [k, v] of Object.entries(result.preset.values)) prow.push([k, formatNumber(v), result.preset.formulas[k] ?? '']);
    lines.push(table(prow));
  }
  if (result.warnings.length > 0) lines.push('', 'warnings:', ...result.warnings.map((w) => `- ${w}`));
  return lines.join('\n');
}

/**
 * A per-layer table: one row per layer, the main NC metrics as columns.
 * @param layers - results of `computeLayerMetrics`.
 * @param keys - columns (default: trace ratio, pinv NC1, CDNV, ETF error, equinorm, NCC accuracy).
 * @returns multi-line text.
 * @example
 * console.log(formatLayerTable(computeLayerMetrics(layers, labels).layers));
 */
export function formatLayerTable(
  layers: readonly LayerMetrics[],
  keys: ReadonlyArray<keyof NcMetricsResult> = ['nc1_trace_ratio', 'nc1_pinv', 'nc1_cdnv', 'nc2_etf', 'nc2_equinorm', 'ncc_accuracy'],
): string {
  const rows: string[][] = [['layer', 'd', ...keys.map(String)]];
  for (const l of layers) rows.push([l.layer, String(l.d), ...keys.map((k) => formatNumber(l[k] as number | null | undefined))]);
  return table(rows);
}
