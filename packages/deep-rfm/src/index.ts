/**
 * @nclab/deep-rfm: Deep Recursive Feature Machines (Beaglehole et al. 2024) and their deep neural
 * collapse, with the per-layer NC1/NC2 table at X, M^{1/2}X and Φ(M^{1/2}X).
 */
export const PACKAGE_NAME = '@nclab/deep-rfm';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export type { DeepRfmOptions, DeepRfmProgress, DeepRfmState, PhaseTimings, DeepRfmLayer, DeepRfmGram, DeepRfmResult, SqrtMethod, AgopPrecisionChoice } from './deep-rfm.js';
export { deepRfm, SQRT_METHODS, AGOP_PRECISIONS } from './deep-rfm.js';
export type { FeatureMapKind, FeatureMapOptions, FeatureMap } from './feature-maps.js';
export { FEATURE_MAP_KINDS, sampleFeatureMap, applyFeatureMap, arcCosineExpectation } from './feature-maps.js';
export type { NormalizeMode } from './normalize.js';
export { NORMALIZE_MODES, normalizeRows } from './normalize.js';
export type { CollapseMetrics, GramSample } from './metrics.js';
export { collapseMetrics, centredGram } from './metrics.js';
export type { FinalSolveResult, LayerPrecision, LayerSolver, LayerSolveResult, SolveLayerOptions } from './layer-solve.js';
export { LAYER_PRECISIONS, MIXED_FROM_N, chooseLayerRoute, refinedFromN, refinedLayerBytes, solveFinal, solveLayer, float64LayerBytes, mixedLayerBytes } from './layer-solve.js';
