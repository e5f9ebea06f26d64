/**
 * @nclab/nc-metrics: every neural collapse metric in use (NC1–NC4, CDNV, ETF and orthogonal-frame
 * errors, structure probes), each with its convention explicit, paper presets, streaming and per layer.
 */
/** The npm package name. */
export const PACKAGE_NAME = '@nclab/nc-metrics';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export { DegenerateClassMeansError } from './errors.js';
export { computeMetrics, computeMetricsStreaming, metricsFromStatistics, residualOptionsFor } from './metrics.js';
export type { Batch, ComputeMetricsOptions, NcMetricsResult, PresetResult } from './metrics.js';
export { computeLayerMetrics } from './layers.js';
export type { LayerFeatures, LayerMetrics } from './layers.js';
export { formatMetricsTable, formatLayerTable } from './format.js';
export type { FormatTableOptions } from './format.js';
export { ClassMeanAccumulator } from './class-means.js';
export type { ClassMeans } from './class-means.js';
export { ResidualAccumulator, centreOnClassAverage } from './residuals.js';
export type { ResidualOptions, ResidualStatistics } from './residuals.js';
export { classMeans, nc1TraceRatio, nc1Pinv, withinClassCovariance, betweenClassCovariance } from './shortcuts.js';
export type { ShortcutOptions } from './shortcuts.js';
export { globalMean, centreMeans, betweenClassEigen, traceWithinPinvBetween, recentreProjectedScatter, cdnv, linearProbeNc1 } from './nc1.js';
export type { GlobalMeanMode, BetweenClassEigen } from './nc1.js';
export {
  etfError,
  etfMeanSquaredError,
  normalisedGramEtfError,
  orthogonalFrameError,
  equinorm,
  equiangularity,
  maxAngleDeviation,
} from './nc2.js';
export { selfDualityError, classifierMeansEtfError } from './nc3.js';
export { spectrumSummary, balancedness } from './structure.js';
export type { SpectrumSummary, BalancednessEntry } from './structure.js';
export { PRESETS, PRESET_NAMES, getPreset, CANONICAL_CONVENTION } from './presets.js';
export type { PresetName, PresetSpec } from './presets.js';
export type { Nc1FisherOptions, Nc1FisherResult } from './fisher.js';
export { nc1Fisher, nc1FisherFromStatistics } from './fisher.js';
export type { GramErrorOptions, GramErrorResult, ExponentialRateFit } from './gram-error.js';
export { gramError, fitExponentialRate } from './gram-error.js';
