/**
 * nclab: the neural collapse research toolkit in one import. Re-exports the public API of every
 * `@nclab/*` package, and adds the jobs (data in → typed result → report directory), the report
 * writer (result.json, SVG/PNG plots via Vega-Lite, self-contained report.html) and the CLI entry.
 */
export const PACKAGE_NAME = 'nclab';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

// ---------------------------------------------------------------------------------------------
// Every package's public API. Where two packages export the same name, the explicit exports below
// pick one and re-export the other under a prefixed name (ES `export *` would drop both silently).
// ---------------------------------------------------------------------------------------------
export * from '@nclab/backend';
export * from '@nclab/datasets';
export * from '@nclab/nc-metrics';
export * from '@nclab/agop';
export * from '@nclab/deep-rfm';
export * from '@nclab/ufm';
export * from '@nclab/spectra';
export * from '@nclab/nn-probes';

// jobs: one home per job (data → library → result → report); the CLI, `nclab run`/`sweep` and runJob call the same code
export { runJob, analyseFeatures, JOBS } from './jobs/index.js';
export type { JobName, JobTypes } from './jobs/index.js';
export { defineJob, SILENT_ENV } from './jobs/job.js';
export type { Job, JobEnv, JobRun } from './jobs/job.js';
export { toJsonKeys, jsonKey, LEGACY_JSON_KEYS } from './jobs/json-keys.js';
export { runDeepRfm } from './jobs/deep-rfm/job.js';
export type { DeepRfmJobOptions, DeepRfmJobResult } from './jobs/deep-rfm/job.js';
export type { DeepRfmDataset, DeepRfmFiles } from './jobs/deep-rfm/data.js';
export { deepRfmReport, defaultGramLayers, DEEP_RFM_POINTS } from './jobs/deep-rfm/report.js';
export type { DeepRfmReportOptions } from './jobs/deep-rfm/report.js';
export { runMetrics } from './jobs/metrics/job.js';
export type { MetricsJobOptions, MetricsInput, MetricsFiles } from './jobs/metrics/job.js';
export { metricsReport } from './jobs/metrics/report.js';
export type { MetricsReportOptions } from './jobs/metrics/report.js';
export { runUfm } from './jobs/ufm/job.js';
export { ufmConfigFromFlags } from './jobs/ufm/config.js';
export { ufmResultToJson } from './jobs/ufm/json.js';
export { UFM_CLI_OPTIONS } from './jobs/ufm/flags.js';
export { ufmReport } from './jobs/ufm/report.js';
export type { UfmReportOptions } from './jobs/ufm/report.js';
export { runSpectraUfm } from './jobs/spectra-ufm/job.js';
export { deepUfmSpectra } from './jobs/spectra-ufm/deep-ufm-spectra.js';
export type { DeepUfmSpectraConfig, DeepUfmSpectraResult } from './jobs/spectra-ufm/deep-ufm-spectra.js';
export { deepUfmSpectraJson } from './jobs/spectra-ufm/json.js';
export { runSpectraDensity } from './jobs/spectra-density/job.js';
export { spectraReport, densityJson } from './jobs/spectra-ufm/report.js';
export type { SpectraReportOptions } from './jobs/spectra-ufm/report.js';
export { runProbeMlp } from './jobs/probe-mlp/job.js';
export type { ProbeMlpJobOptions } from './jobs/probe-mlp/job.js';
export { runProbeImport } from './jobs/probe-import/job.js';
export type { ProbeImportJobOptions, MatrixOrFile } from './jobs/probe-import/data.js';
export { probeReport, importedProbeReport } from './jobs/probe-mlp/report.js';
export type { ProbeReportOptions } from './jobs/probe-mlp/report.js';
export { loadMatrixFile, loadLabelsFile } from './io/load.js';

// reports (atomic writes and the JSON layout come from @nclab/backend)
export { renderSvg } from './report/render.js';
export { svgToPng } from './report/png.js';
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
