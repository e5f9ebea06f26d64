/** @nclab/spectra: Hessian, Gauss-Newton and Fisher spectra with bulk/outlier analysis. */
export const PACKAGE_NAME = '@nclab/spectra';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

// operators
export type { LinearOperator } from './operators/linear-operator.js';
export { lambdaOperator, applyOperator, assertOperator } from './operators/linear-operator.js';
export type { OperatorToDenseOptions } from './operators/dense.js';
export { denseOperator, operatorToDense } from './operators/dense.js';
export { shiftOperator, sumOperator, deflateOperator } from './operators/compose.js';
export type { ParameterBlock, ParameterLayout, ParameterFilter } from './operators/parameters.js';
export { parameterLayout, selectBlocks, restrictOperator } from './operators/parameters.js';
export { outerProductOperator, outerProductSpectrum } from './operators/low-rank.js';
export type { HostActivation, MlpHessianOptions } from './operators/mlp-host.js';
export { mlpHessianOperator, mlpParameterLayout } from './operators/mlp-host.js';
export {
  linearRegressionHessian,
  logisticRegressionHessian,
  softmaxCrossEntropyHessian,
  softmaxCrossEntropyLoss,
  outputLossHessian,
} from './operators/analytic.js';
export type { DifferentiableModel, AutodiffOperatorOptions, ParameterOperator } from './operators/autodiff.js';
export {
  hessianOperator,
  gaussNewtonOperator,
  perSampleGradients,
  empiricalFisherOperator,
  gradientCovarianceOperator,
  lossGradient,
  checkHessianOperator,
} from './operators/autodiff.js';

// algorithms
export type { Which } from './algorithms/options.js';
export type { LanczosOptions, LanczosResult } from './algorithms/lanczos.js';
export { lanczos } from './algorithms/lanczos.js';
export type { PowerIterationOptions, PowerIterationResult } from './algorithms/power-iteration.js';
export { powerIteration } from './algorithms/power-iteration.js';
export type { SubspaceIterationOptions, SubspaceIterationResult } from './algorithms/subspace-iteration.js';
export { subspaceIteration } from './algorithms/subspace-iteration.js';
export type { SpectralDensityOptions, SpectralDensityResult, QuadratureRun } from './algorithms/slq.js';
export { spectralDensity } from './algorithms/slq.js';
export type { TraceOptions, TraceResult } from './algorithms/trace.js';
export { hutchinsonTrace, hutchPlusPlusTrace } from './algorithms/trace.js';
export type { DenseEighResult } from './algorithms/dense-eigh.js';
export { denseEigh } from './algorithms/dense-eigh.js';

// analysis
export type { OutlierOptions, OutlierResult } from './analysis/outliers.js';
export { detectOutliers, compareOutlierCount, clusterEigenvalues } from './analysis/outliers.js';
export { orthonormalBasis, subspaceFraction, principalAngleCosines, eigenvectorCosine } from './analysis/subspaces.js';
export type { GaussNewtonTerm, GaussNewtonDecomposition } from './analysis/papyan.js';
export { gaussNewtonDecomposition } from './analysis/papyan.js';
export type { WeightSpectrum } from './analysis/weight-spectrum.js';
export { weightSpectrum } from './analysis/weight-spectrum.js';

// deep UFM reproduction
export type { DeepUfmPoint, DeepUfmForward } from './ufm/deep-ufm-point.js';
export { deepUfmForward } from './ufm/deep-ufm-point.js';
export type { DeepUfmLayerGradients } from './ufm/layer-operators.js';
export {
  deepUfmLayerHessian,
  deepUfmExtendedGradients,
  deepUfmLayerGradients,
  deepLinearUfmLayerSpectrum,
} from './ufm/layer-operators.js';
export type { DeepUfmLayerSpectra, DeepUfmLayerSpectraOptions } from './ufm/layer-spectra.js';
export { deepUfmLayerSpectra } from './ufm/layer-spectra.js';
