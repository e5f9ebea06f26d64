/** @nclab/spectra: Hessian, Gauss-Newton and Fisher spectra with bulk/outlier analysis. */
export const PACKAGE_NAME = '@nclab/spectra';
export const VERSION = '0.1.0';
