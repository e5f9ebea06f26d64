/**
 * `@nclab/backend/host`: the tfjs-free part of the backend — float64/float32 host linear algebra
 * (native, CUDA or portable), host matrices, seeded RNG, validation, typed errors, files and runtime helpers.
 * Importing it loads no `@tensorflow/*` module, so float64 packages (nc-metrics, agop, ufm, datasets,
 * deep-rfm) work without TensorFlow.js installed. The tensor engine (`initEngine`, `matmul`, `toTensor`…)
 * lives only in the full entry `@nclab/backend`, which re-exports everything here.
 */
export { NclabError, InvalidArgumentError, NumericalError, EngineUnavailableError, describeValue } from './errors/errors.js';
export { allFinite, assertFinite, assertPositive, assertInteger, assertShape, validateLabels } from './errors/validate.js';
export type { MatrixCheckOptions } from './errors/validate.js';
export { assertMatrix, assertMatrix64, assertMatrix32, asFloat64, asFloat32, assertSquare } from './errors/validate.js';
export type { Matrix, Matrix32, AnyMatrix } from './host/matrix.js';
export { matrix, fromRows, toRows, eye, transpose, toFloat64, toFloat32 } from './host/matrix.js';
export { forEachLowerTileRow, mapSymmetric } from './host/symmetric.js';
export { symmetrize } from './host/symmetrize.js';
export { dot, axpy, scale, norm, sumSq, unitRows } from './host/vector.js';
export { reluInPlace, reluMaskInPlace } from './host/relu.js';
export { expFast } from './host/exp.js';
export type { RadialMap, RadialSpec, ExactSqDistance } from './host/radial.js';
export { radialFromGram } from './host/radial.js';
export type { LabelledData } from './host/labelled.js';
export type { Rng } from './random/rng.js';
export { createRng } from './random/rng.js';
export { randomOrthonormalRows } from './random/orthonormal.js';
export type { LinalgPath, LinalgRequest, LinalgOptions, LinalgImpl, GemmOptions, SyrkOptions, EighResult, SvdResult } from './linalg/types.js';
export { gemm, sgemm, syrk, ssyrk, cholesky, choleskyInPlace, choleskySolve, scholeskyInPlace, scholeskySolve, solve, eigh, svd, singularValues } from './linalg/api.js';
export type { CholeskyOptions } from './linalg/api.js';
export type { PinvOptions, PsdPowerOptions, SolveSpdResult } from './linalg/derived.js';
export { pinv, numericalRank, rankOfSingularValues, psdPower, psdSqrt, solveSpd, topEigh } from './linalg/derived.js';
export type { SolveSpdMixedOptions, SolveSpdMixedResult } from './linalg/refine.js';
export { factorWorkspace, solveSpdMixed } from './linalg/refine.js';
export { productArray } from './linalg/arrays.js';
export type { KernelArena } from './linalg/portable/kernel-arena.js';
export { createKernelArena, ARENA_SCRATCH_BYTES } from './linalg/portable/kernel-arena.js';
export type { LinalgInfo } from './linalg/path.js';
export { getLinalgInfo, setLinalgPath, getLinalgImpl, resolveLinalg, LINALG_REQUESTS } from './linalg/path.js';
export { setLinalgQuiet } from './runtime/quiet.js';
export { CudaUnavailableError, cudaReport, cudaKernelBlock, getCudaDevice, setCudaTf32, cudaTf32 } from './linalg/cuda/index.js';
export type { CudaReport, CudaLibraryReport, CudaDevice, DeviceMatrix, DeviceDtype, DeviceGemmOptions, DeviceKernelBlockOptions, KernelBlockKind } from './linalg/cuda/index.js';
export { closeWorkerPool } from './runtime/pools.js';
export { tempPathFor, writeFileAtomic, writeFileAtomicSync, writeJsonAtomic, jsonReplacer, toJson } from './files/index.js';
export type { CheckpointArray, CheckpointDtype, CheckpointState } from './files/index.js';
export { CHECKPOINT_VERSION, CHECKPOINT_DTYPES, configDifferences, saveCheckpoint, loadCheckpoint } from './files/index.js';
export { trackTemp, untrackTemp, trackedTemps, onExitCleanup, runCleanupNow, tempOwner, removeLeftoverTemps } from './files/index.js';
export type { LockOwner, OutputLock, FileIdentity } from './files/index.js';
export { LOCK_FILE, OutputLockedError, acquireOutputLock, lockIsStale, pidAlive } from './files/index.js';
export { assertNoSymlinkBelow, assertOutputFile, ensureDir, canonicalJson, fileIdentity, specHash } from './files/index.js';
export { allocFloat64, allocFloat32, hugePageAdvice, HUGE_PAGE_MIN_BYTES } from './runtime/huge-pages.js';
export { tuneAllocator, MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES } from './runtime/allocator.js';
export type { AllocationNeed } from './runtime/memory.js';
export { MAX_ARRAY_BYTES, InsufficientMemoryError, assertMemoryFor, availableMemory, formatBytes } from './runtime/memory.js';
/** Unsigned LEB128 encoding of a non-negative integer (WebAssembly's integer format), for modules assembled at run time. */
export { uleb as uleb128 } from './linalg/portable/wasm-asm.js';
