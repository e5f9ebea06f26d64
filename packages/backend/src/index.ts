/**
 * @nclab/backend: the shared tensor backend every nclab package computes through.
 * See API-CONTRACT.md for the full surface.
 */
export { NclabError, InvalidArgumentError, NumericalError, EngineUnavailableError, describeValue } from './errors/errors.js';
export { assertFinite, assertPositive, assertInteger, assertShape, validateLabels } from './errors/validate.js';
export type { Matrix, Matrix32, AnyMatrix } from './host/matrix.js';
export { matrix, fromRows, toRows, eye, transpose, toFloat64, toFloat32 } from './host/matrix.js';
export { forEachLowerTileRow, mapSymmetric } from './host/symmetric.js';
export type { Rng } from './random/rng.js';
export { createRng } from './random/rng.js';
export type { LinalgPath, LinalgImpl, GemmOptions, EighResult, SvdResult } from './linalg/types.js';
export { gemm, sgemm, syrk, ssyrk, cholesky, choleskySolve, solve, eigh, svd } from './linalg/api.js';
export type { PinvOptions, PsdPowerOptions, SolveSpdResult } from './linalg/derived.js';
export { pinv, numericalRank, psdPower, psdSqrt, solveSpd, topEigh } from './linalg/derived.js';
export type { SolveSpdMixedOptions, SolveSpdMixedResult } from './linalg/refine.js';
export { solveSpdMixed } from './linalg/refine.js';
export type { LinalgInfo } from './linalg/path.js';
export { getLinalgInfo, setLinalgPath, getLinalgImpl } from './linalg/path.js';
export type { EngineName, EngineInfo, InitEngineOptions } from './engine/engine.js';
export { initEngine, getEngineInfo, getTf } from './engine/engine.js';
export { toTensor, fromTensor, tidy, dispose } from './engine/tensor.js';
export type { MatmulOptions } from './ops/matmul.js';
export { matmul, gram } from './ops/matmul.js';
export type { PairwiseOptions } from './ops/pairwise.js';
export { pairwiseSqDistances } from './ops/pairwise.js';
export { rowSqNorms } from './ops/norms.js';
export { mapRowChunks, DEFAULT_BUDGET_BYTES } from './ops/chunks.js';
export { closeWorkerPool } from './ops/pool.js';
export { tempPathFor, writeFileAtomic, writeJsonAtomic, jsonReplacer, toJson } from './files/index.js';
export type { CheckpointArray, CheckpointDtype, CheckpointState } from './files/index.js';
export { CHECKPOINT_VERSION, CHECKPOINT_DTYPES, configDifferences, saveCheckpoint, loadCheckpoint } from './files/index.js';
