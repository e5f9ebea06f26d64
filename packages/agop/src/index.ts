/**
 * @nclab/agop: kernels, kernel ridge regression, exact kernel gradients, the AGOP, Neural Feature Ansatz
 * correlations and Recursive Feature Machines, all accumulated in float64. Loads no TensorFlow.js module;
 * the EGOP by autodiff (tfjs engine) is the subpath entry `@nclab/agop/egop`.
 */
export const PACKAGE_NAME = '@nclab/agop';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export type { KernelName, KernelSpec, ResolvedKernel } from './kernels.js';
export { KERNEL_NAMES, resolveKernel, radialValue, radialGradientWeight, radialGradientWeightFromValue, SELF_PAIR_EPS } from './kernels.js';
export { arccos0Profile, arccos1Profile, arccos0Slope, clampCosine } from './kernels/arccos.js';
export { ntkProfile } from './kernels/ntk.js';
export { isDotProductKernel, dotKernelMatrix, dotRawGradients, ANGLE_EPS } from './kernels/dot-product.js';
export type { Metric } from './distances.js';
export { sqDistances, checkMetric, applyMetric } from './distances.js';
export type { KernelMatrixOptions } from './kernel-matrix.js';
export { kernelMatrix } from './kernel-matrix.js';
export type { MedianBandwidthOptions } from './bandwidth.js';
export { medianBandwidth } from './bandwidth.js';
export { oneHot, argmaxRows, accuracy, meanSquaredError } from './targets.js';
export { resolvePrecision } from './checks.js';
export type { KernelRidgeOptions, KernelModel, RidgeFallback, KernelSolve } from './krr.js';
export { fitKernelRidge, predictKernel, solveKernelSystem, solveKernelSystemInPlace } from './krr.js';
export type { KernelSolveMixedOptions, KernelSolveMixed } from './krr-mixed.js';
export { solveKernelMixed, mixedSolveBytes } from './krr-mixed.js';
export type { BlockedAgopOptions, BlockedAgopResult } from './agop-blocked.js';
export { kernelAgopBlocked, agopFlops } from './agop-blocked.js';
export { kernelRowsInto, rowSqNorms, blockRows, isRadialKernel } from './kernel-rows.js';
export type { BudgetedSolveOptions, BudgetedSolve } from './krr-budget.js';
export { solveKernelBudgeted } from './krr-budget.js';
export { kernelGradients } from './gradients.js';
export type { AgopOptions, AgopResult } from './agop.js';
export { kernelAgop } from './agop.js';
export type { NfaOptions } from './nfa.js';
export { matrixCorrelation, nfaCorrelation } from './nfa.js';
export type { RfmData, RfmOptions, RfmStep, RfmModel } from './rfm.js';
export { fitRfm, predictRfm } from './rfm.js';
