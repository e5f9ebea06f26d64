/**
 * @nclab/deep-rfm: Deep Recursive Feature Machines (Beaglehole et al. 2024) and their deep neural
 * collapse, with the per-layer NC1/NC2 table at X, M^{1/2}X and Φ(M^{1/2}X).
 */
export const PACKAGE_NAME = '@nclab/deep-rfm';
export const VERSION = '0.1.0';

export type { LabelledData, DeepRfmOptions, DeepRfmProgress, DeepRfmState, PhaseTimings, DeepRfmLayer, DeepRfmGram, DeepRfmResult, LinalgChoice, SqrtMethod, AgopPrecisionChoice } from './deep-rfm.js';
export { deepRfm, LINALG_CHOICES, SQRT_METHODS, AGOP_PRECISIONS } from './deep-rfm.js';
export type { FeatureMapKind, FeatureMapOptions, FeatureMap } from './feature-maps.js';
export { FEATURE_MAP_KINDS, sampleFeatureMap, applyFeatureMap, arcCosineExpectation } from './feature-maps.js';
export type { NormalizeMode } from './normalize.js';
export { NORMALIZE_MODES, normalizeRows } from './normalize.js';
export type { CollapseMetrics, GramSample } from './metrics.js';
export { collapseMetrics, centredGram } from './metrics.js';
