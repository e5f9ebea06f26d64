/** @nclab/ufm: unconstrained features models, their solvers and their closed-form optima. */
export const PACKAGE_NAME = '@nclab/ufm';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export { deepLinearGlobalThreshold, deepLinearLocalThreshold, deepLinearPhi, deepLinearLargestRoot, deepLinearUfmTheory, deepLinearUfmOptimum } from './theory/deep-linear.js';
export type { DeepLinearRegime, DeepLinearUfmConfig, DeepLinearUfmConstants, DeepLinearUfmOptimumOptions, DeepLinearUfmOptimum } from './theory/deep-linear.js';
export { mseUfmTheory } from './theory/mse.js';
export type { MseUfmTheoryConfig, MseUfmTheory } from './theory/mse.js';
export { extendedLinearUfmTheory } from './theory/extended.js';
export type { ExtendedLinearTheoryConfig, ExtendedLinearTheory } from './theory/extended.js';
export { ceUfmTheory } from './theory/ce.js';
export type { CeUfmTheoryConfig, CeUfmTheory } from './theory/ce.js';
export { theory, dncReferencePoint } from './theory/index.js';
export type { UfmTheory } from './theory/index.js';
export { UFM_MODELS, DEEP_UFM_MODELS, isLinearModel, resolveModelConfig, objectiveSpec, deepScaledLambdas } from './models.js';
export type { UfmModel, DeepUfmModel, UfmModelConfig, ResolvedModelConfig, ModelObjective } from './models.js';
export { UFM_BIASES, specLayout, makeObjective, forwardFeatures } from './objective.js';
export type { UfmLoss, UfmActivation, UfmBias, ObjectiveSpec, ObjectiveFn, ObjectiveFnWithNorm } from './objective.js';
export { classLayout, paramLayout, blockView, unpackParams, packParams } from './layout.js';
export type { ClassLayout, Block, ParamLayout, UfmParams } from './layout.js';
export { initParams } from './init.js';
export { SOLVER_METHODS, resolveSolverOptions, minimize } from './solvers/minimize.js';
export type { SolverMethod, SolverOptions, StopReason, HistoryPoint, MinimizeResult, ResolvedSolverOptions } from './solvers/minimize.js';
export { UfmDivergenceError } from './errors.js';
export { compareWithTheory } from './compare.js';
export type { TheoryCheck, TheoryComparison } from './compare.js';
export { layerMetrics, preActivationMetrics, sqSingularValues, lowRankReport } from './metrics.js';
export type { UfmLayerMetrics, ClassMeanSpectrum, LowRankReport } from './metrics.js';
export { solveUfm } from './solve-ufm.js';
export type { SolveUfmConfig, RestartSummary, SolveUfmResult } from './solve-ufm.js';
export type { ProductsKind } from './internal/dense.js';
export * from './kernel-model/index.js';
export type { ClassifyCriticalOptions, CriticalPointClass } from './theory/classify-critical.js';
export { classifyCriticalPoint, classifyUfmSolution } from './theory/classify-critical.js';
