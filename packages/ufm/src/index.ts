/** @nclab/ufm: Unconstrained features models: solvers and closed-form optima. */
export const PACKAGE_NAME = '@nclab/ufm';
export const VERSION = '0.1.0';
export * from './theory/deep-linear.js';
export * from './models.js';
export * from './objective.js';
export * from './layout.js';
export * from './solvers/minimize.js';
export * from './errors.js';
export * from './theory/mse.js';
export * from './theory/extended.js';
export * from './theory/ce.js';
export * from './theory/index.js';
export * from './compare.js';
export * from './metrics.js';
export * from './solve-ufm.js';
export { initParams } from './init.js';
export * from './cli.js';
