/**
 * nclab: the neural collapse research toolkit in one import. Re-exports the public API of every
 * `@nclab/*` package, and adds pipelines (data in → typed result → report directory), the report
 * writer (result.json, SVG/PNG plots via Vega-Lite, self-contained report.html) and the CLI entry.
 */
export const PACKAGE_NAME = 'nclab';
export const VERSION = '0.1.0';

// reports
export { writeFileAtomic, writeJsonAtomic, toJson, jsonReplacer } from './report/atomic.js';
export { renderSvg, svgToPng } from './report/render.js';
export type { VegaLiteSpec } from './report/render.js';
export { lineChartSpec, heatmapSpec, barChartSpec, strideIndices } from './report/plots.js';
export type { CurvePoint, LineChartOptions, HeatmapPanel, HeatmapOptions, BarChartOptions } from './report/plots.js';
export { formatCell, formatTextTable, tableColumns } from './report/table.js';
export type { ReportTable } from './report/table.js';
export { renderReportHtml, escapeHtml, inlineSvg } from './report/html.js';
export type { HtmlReportInput, RenderedPlot } from './report/html.js';
export { writeRunReport, resultDocument } from './report/write.js';
export type { ReportPlot, RunReport, WriteReportOptions, WrittenReport } from './report/write.js';

// CLI
export { main as runCli, formatTopHelp } from './cli/main.js';
export type { CliIo } from './cli/context.js';
export { UsageError, exitCodeFor, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './cli/errors.js';
export { collectVersions, packageVersion, NCLAB_PACKAGES } from './cli/versions.js';
export { findDatasets } from './io/datasets.js';
export type { DatasetStatus } from './io/datasets.js';
