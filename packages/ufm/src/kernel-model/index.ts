/**
 * The unconstrained kernel model of Beaglehole et al. (2024), Theorem 4.4: the relaxed problem solved
 * numerically over PSD unit-diagonal kernel matrices, its closed form, and the Mahalanobis construction
 * that realises the collapsed Gram with a Laplace or Gaussian kernel.
 */
export { classIndicators, collapsedGram, gramDistance, kernelModelObjective } from './objective.js';
export type { KernelModelOptions, KernelModelResult, KernelModelStart } from './solve.js';
export { solveKernelModel } from './solve.js';
export type { RealizableKernel, RealizeOptions, RealizedScale } from './realize.js';
export { realizeCollapsedGram } from './realize.js';
