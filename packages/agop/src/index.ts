/** @nclab/agop: Kernels, kernel ridge regression, AGOP, Neural Feature Ansatz and Recursive Feature Machines. */
export const PACKAGE_NAME = '@nclab/agop';
export const VERSION = '0.1.0';
