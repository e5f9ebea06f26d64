/**
 * nclab: the neural collapse research toolkit in one import. Re-exports the public API of every
 * `@nclab/*` package, and adds pipelines (data in → typed result → report directory), the report
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

// Name clashes, resolved: the first package keeps the plain name, the other gets a prefix.
export { balancedness } from '@nclab/nc-metrics';
export { balancedness as probeBalancedness } from '@nclab/nn-probes';
export { matrixCorrelation, oneHot } from '@nclab/agop';
export { oneHot as probeOneHot } from '@nclab/nn-probes';
export { weightSpectrum } from '@nclab/spectra';
export type { WeightSpectrum, Tf } from '@nclab/spectra';
export { weightSpectrum as probeWeightSpectrum } from '@nclab/nn-probes';
export type { WeightSpectrum as ProbeWeightSpectrum, Tf as ProbeTf, LabelledData as ProbeLabelledData } from '@nclab/nn-probes';
export type { LayerMetrics } from '@nclab/nc-metrics';
export type { LayerMetrics as UfmLayerMetrics } from '@nclab/ufm';
export type { LabelledData } from '@nclab/deep-rfm';

// pipelines: reports of each package's pipeline result
export { deepRfmReport, defaultGramLayers, DEEP_RFM_POINTS } from './pipelines/deep-rfm.js';
export type { DeepRfmReportOptions } from './pipelines/deep-rfm.js';
export { metricsReport } from './pipelines/metrics.js';
export type { MetricsReportOptions } from './pipelines/metrics.js';
export { ufmReport } from './pipelines/ufm.js';
export type { UfmReportOptions } from './pipelines/ufm.js';
export { spectraReport, densityJson } from './pipelines/spectra.js';
export type { SpectraReportOptions } from './pipelines/spectra.js';
export { probeReport, importedProbeReport } from './pipelines/probe.js';
export type { ProbeReportOptions } from './pipelines/probe.js';
export { analyseFeatures, deepRfmPipeline, ufmPipeline, spectraPipeline, probePipeline } from './pipelines/run.js';
export type { PipelineRun } from './pipelines/run.js';
export { loadMatrixFile, loadLabelsFile } from './io/load.js';

// reports
export { writeFileAtomic, writeJsonAtomic, toJson, jsonReplacer } from './report/atomic.js';
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
