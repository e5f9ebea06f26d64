/**
 * @nclab/backend: the shared tensor backend every nclab package computes through.
 * See API-CONTRACT.md for the full surface.
 */
export { NclabError, InvalidArgumentError, NumericalError, EngineUnavailableError, describeValue } from './errors/errors.js';
export { assertFinite, assertPositive, assertInteger, assertShape, validateLabels } from './errors/validate.js';
export type { Matrix, Matrix32, AnyMatrix } from './host/matrix.js';
export { matrix, fromRows, toRows, eye, transpose, toFloat64, toFloat32 } from './host/matrix.js';
export type { Rng } from './random/rng.js';
export { createRng } from './random/rng.js';
export type { LinalgPath, LinalgImpl, GemmOptions, EighResult, SvdResult } from './linalg/types.js';
