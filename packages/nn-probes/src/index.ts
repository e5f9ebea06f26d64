/** @nclab/nn-probes: Train MLPs, capture layers, sub-layer NC1 and Neural Feature Ansatz probes. */
export const PACKAGE_NAME = '@nclab/nn-probes';
export const VERSION = '0.1.0';
