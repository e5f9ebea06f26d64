/** @nclab/ufm: Unconstrained features models: solvers and closed-form optima. */
export const PACKAGE_NAME = '@nclab/ufm';
export const VERSION = '0.1.0';
