/** @nclab/nc-metrics: Neural collapse metrics (NC1-NC4, CDNV, ETF errors) with explicit conventions, streaming and per-layer. */
export const PACKAGE_NAME = '@nclab/nc-metrics';
export const VERSION = '0.1.0';
