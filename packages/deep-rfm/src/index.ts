/** @nclab/deep-rfm: Deep Recursive Feature Machines and deep neural collapse (Beaglehole et al. 2024). */
export const PACKAGE_NAME = '@nclab/deep-rfm';
export const VERSION = '0.1.0';
