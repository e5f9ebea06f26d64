/**
 * Kernel ridge regression in float64 with a reported fallback for singular interpolation systems.
 */
import { InvalidArgumentError, NumericalError, NclabError, choleskyInPlace, choleskySolve, forEachLowerTileRow, gemm, solveSpdMixed, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix, checkSameCols } from './checks.js';
import { checkMetric, type Metric } from './distances.js';
import { kernelFromData } from './kernel-matrix.js';
import { solveKernelBudgeted } from './krr-budget.js';
import { resolveKernel, type KernelName, type KernelSpec, type ResolvedKernel } from './kernels.js';

/** Options of {@link fitKernelRidge}. */
export interface KernelRidgeOptions {
  /** The kernel (name or spec). */
  readonly kernel: KernelName | KernelSpec;
  /** Ridge μ ≥ 0; 0 interpolates. Default 0. */
  readonly ridge?: number;
  /** Optional Mahalanobis matrix M (full `[d, d]` or diagonal). */
  readonly metric?: Metric;
  /**
   * What to do when K + μI is numerically singular (Cholesky fails or a pivot² falls below N·ε·max K_ii):
   * `'fallback'` (default) adds the smallest ridge from the grid s·10^k (k = −13…0, s = mean K_ii) that
   * passes and reports it in `fallback`; `'throw'` raises a `NumericalError`.
   */
  readonly onSingular?: 'fallback' | 'throw';
  /**
   * Memory budget in bytes for the kernel matrix. When N²·8 exceeds it, the system is solved by
   * Nyström-preconditioned conjugate gradients on kernel row blocks of at most this size
   * ({@link solveKernelBudgeted}; needs ridge > 0). Default: no limit (direct Cholesky on the full K).
   */
  readonly budgetBytes?: number;
  /** Float64 path of the kernel products and the solve (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  readonly linalg?: LinalgRequest;
}

/** The stabilising ridge added when the requested system was singular. */
export interface RidgeFallback {
  /** Why: the Cholesky failure or the pivot test. */
  readonly reason: string;
  /** The ridge added on top of the requested one. */
  readonly ridgeAdded: number;
}

/** A fitted kernel predictor f(x) = Σ_j α_j k(x, x_j). */
export interface KernelModel {
  readonly kernel: ResolvedKernel;
  readonly metric?: Metric;
  /** Training points (centres) `[N, d]`, float64. */
  readonly centers: Matrix;
  /** Coefficients α `[N, K]`. */
  readonly alpha: Matrix;
  /** The requested ridge μ. */
  readonly ridge: number;
  /** The ridge actually used (μ plus any fallback). */
  readonly ridgeUsed: number;
  /** Present when the system was singular and a ridge was added. */
  readonly fallback?: RidgeFallback;
  /** Present when the budgeted iterative solve was used: CG iterations, final relative residual, landmarks. */
  readonly iterative?: { readonly iterations: number; readonly residual: number; readonly landmarks: number };
}

/** Result of {@link solveKernelSystem}. */
export interface KernelSolve {
  readonly alpha: Matrix;
  readonly ridgeUsed: number;
  readonly fallback?: RidgeFallback;
  /** Present when the mixed-precision solve was used: float64 refinement steps and final relative residual. */
  readonly refinement?: { readonly iterations: number; readonly residual: number };
  /** Present when `precision: 'mixed'` was asked for and did not converge: why (the float64 solve then answered). */
  readonly refinementFailure?: string;
}

const EPS = 2.220446049250313e-16;

/**
 * Factors A + shift·I over A's lower triangle (`choleskyInPlace`: no N×N copy; the strict upper
 * triangle keeps A's entries), and says why the factor is unusable, or null when it is usable.
 */
function factorOver(a: Matrix, shift: number, linalg?: LinalgRequest): string | null {
  const maxDiag = shiftedMaxDiagonal(a, shift);
  try {
    choleskyInPlace(a, { linalg, shift });
  } catch (e) {
    if (e instanceof NclabError) return `Cholesky failed (${e.message})`;
    throw e;
  }
  return pivotProblem(a, maxDiag);
}

/** Puts K back after {@link factorOver}: the lower triangle from the untouched upper one, the diagonal from `diag`. */
function restoreKernel(k: Matrix, diag: Float64Array): void {
  const n = k.rows;
  const d = k.data;
  forEachLowerTileRow(n, (i, j0, j1) => {
    for (let j = j0; j < j1; j++) d[i * n + j] = d[j * n + i];
  });
  for (let i = 0; i < n; i++) d[i * n + i] = diag[i];
}

/** max_i (A_ii + shift). */
function shiftedMaxDiagonal(a: Matrix, shift: number): number {
  const n = a.rows;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a.data[i * n + i] + shift);
  return maxDiag;
}

/** Why the factor `l` is unusable (a non-finite pivot, or min pivot² ≤ N·ε·max K_ii), or null. */
function pivotProblem(l: Matrix, maxDiag: number): string | null {
  const n = l.rows;
  let minPivot = Infinity;
  for (let i = 0; i < n; i++) {
    const p = l.data[i * n + i];
    if (!Number.isFinite(p)) return 'Cholesky produced a non-finite pivot';
    minPivot = Math.min(minPivot, p * p);
  }
  if (minPivot <= n * EPS * maxDiag) return `smallest pivot² ${minPivot.toExponential(2)} ≤ N·ε·max K_ii = ${(n * EPS * maxDiag).toExponential(2)}`;
  return null;
}

/**
 * The float64 solve of (K + μI) α = Y with the factor written over K (`choleskyInPlace`: no N×N copy,
 * so a kernel that nothing needs afterwards costs no second N² array): the first attempt of
 * {@link solveKernelSystem}, without its ridge fallback.
 * @param k - symmetric kernel matrix `[N, N]`; its lower triangle and diagonal are overwritten.
 * @param y - targets `[N, K]`. @param ridge - μ ≥ 0. @param linalg - float64 path (default: global).
 * @returns α and the ridge used (μ), or null when K + μI is numerically singular (the factorisation
 *   fails, or min pivot² ≤ N·ε·max K_ii, or α is not finite); K is then spent: rebuild it and call
 *   {@link solveKernelSystem}, which adds the smallest stabilising ridge.
 * @example
 * const s = solveKernelSystemInPlace(kernelMatrix(x, undefined, { kernel }), y, 1e-3)
 *   ?? solveKernelSystem(kernelMatrix(x, undefined, { kernel }), y, 1e-3);
 */
export function solveKernelSystemInPlace(k: Matrix, y: Matrix, ridge: number, linalg?: LinalgRequest): KernelSolve | null {
  if (factorOver(k, ridge, linalg) !== null) return null;
  const alpha = choleskySolve(k, y, { linalg });
  for (let i = 0; i < alpha.data.length; i++) if (!Number.isFinite(alpha.data[i])) return null;
  return { alpha, ridgeUsed: ridge };
}

/**
 * Solves (K + μI) α = Y by Cholesky in float64, adding the smallest stabilising ridge when asked.
 * The factor is written over K's lower triangle and K is restored bit for bit before the function
 * returns or throws (its upper triangle is left alone, its diagonal kept aside): no N×N copy.
 * With `precision: 'mixed'` it first tries a float32 factor with float64 iterative refinement to a
 * relative residual of 1e-13 (`solveSpdMixed`: K is read, not written; one N×N float32 array), and
 * falls back to the float64 solve when that does not converge (ill-conditioned or singular), saying
 * why in `refinementFailure`. On the 2-core reference machine (N = 5,000 Laplace kernel, ridge 1e-3,
 * 3 refinement steps) the float32 factor takes 0.82 s against 1.5–1.8 s for float64 on the portable
 * path, and 0.22 s against 0.5 s with OpenBLAS (its Haswell kernels).
 * @param k - symmetric kernel matrix `[N, N]` (modified during the call, restored on return: do not share it with concurrent work).
 * @param y - targets `[N, K]`.
 * @param ridge - μ ≥ 0.
 * @param onSingular - `'fallback'` or `'throw'`.
 * @param precision - `'float64'` (default) or `'mixed'`.
 * @param linalg - float64 path of the factorisations (default: backend's global path).
 * @param workspace - mixed only: storage for the float32 factor (≥ N² entries, e.g. backend's
 *   `factorWorkspace(N)` reused across the solves of a run); default a new array per call.
 * @returns α `[N, K]`, the ridge used, and the fallback if one was needed.
 * @throws {NumericalError} when singular and `onSingular` is `'throw'`, or when no ridge up to s stabilises it.
 */
export function solveKernelSystem(
  k: Matrix, y: Matrix, ridge: number, onSingular: 'fallback' | 'throw' = 'fallback', precision: 'float64' | 'mixed' = 'float64', linalg?: LinalgRequest, workspace?: Float32Array,
): KernelSolve {
  if (precision !== 'float64' && precision !== 'mixed') throw new InvalidArgumentError('precision', "'float64' or 'mixed'", precision);
  if (precision === 'mixed') {
    try {
      const { x, iterations, residual } = solveSpdMixed(k, y, { shift: ridge, linalg, workspace });
      return { alpha: finiteOrThrow(x), ridgeUsed: ridge, refinement: { iterations, residual } };
    } catch (e) {
      if (!(e instanceof NclabError)) throw e;
      // not converged (ill-conditioned or singular): the float64 path decides, with its fallback
      return { ...solveKernelSystem(k, y, ridge, onSingular, 'float64', linalg), refinementFailure: e.message };
    }
  }
  // K + μI is factored over K's own lower triangle and K is put back bit for bit before returning (its
  // upper triangle is untouched, the diagonal kept aside): no N×N copy (200 MB and its page faults at
  // N = 5,000; 0.4–0.8 s of a portable Deep RFM layer)
  const n = k.rows;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = k.data[i * n + i];
  try {
    const first = factorOver(k, ridge, linalg);
    if (first === null) return { alpha: finiteOrThrow(choleskySolve(k, y, { linalg })), ridgeUsed: ridge };
    if (onSingular === 'throw') {
      throw new NumericalError('kernel ridge regression', `K + ${ridge}·I is numerically singular: ${first}. Use a positive ridge or onSingular: 'fallback'.`);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += diag[i];
    s = s / n > 0 ? s / n : 1;
    for (let e = -13; e <= 0; e++) {
      const added = s * 10 ** e;
      restoreKernel(k, diag);
      if (factorOver(k, ridge + added, linalg) === null) {
        return { alpha: finiteOrThrow(choleskySolve(k, y, { linalg })), ridgeUsed: ridge + added, fallback: { reason: first, ridgeAdded: added } };
      }
    }
    throw new NumericalError('kernel ridge regression', `K + μI stays singular with every ridge up to ${s}: ${first}`);
  } finally {
    restoreKernel(k, diag);
  }
}

function finiteOrThrow(alpha: Matrix): Matrix {
  for (let i = 0; i < alpha.data.length; i++) {
    if (!Number.isFinite(alpha.data[i])) throw new NumericalError('kernel ridge regression', 'the solution has non-finite entries');
  }
  return alpha;
}

/**
 * Fits kernel ridge regression:
 *
 * ```math
 * \alpha = (K(X, X) + \mu I)^{-1} Y, \qquad f(x) = \sum_j \alpha_j\, k(x, x_j)
 * ```
 *
 * μ = 0 interpolates; a singular system falls back to the smallest stabilising ridge (reported in
 * `fallback`) unless `onSingular: 'throw'`.
 * @param x - training inputs `[N, d]`.
 * @param y - targets `[N, K]` (see {@link oneHot} for labels).
 * @param options - kernel, ridge, metric, singular policy, memory budget, float64 path.
 * @returns the fitted {@link KernelModel}.
 * @throws {InvalidArgumentError} for NaN data, a row mismatch between x and y, a negative ridge, a bad kernel or metric.
 * @throws {NumericalError} for a singular system with `onSingular: 'throw'`.
 * @example
 * const model = fitKernelRidge(x, oneHot(labels), { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 1e-3 });
 * const scores = predictKernel(model, xTest); // [M, K]
 */
export function fitKernelRidge(x: AnyMatrix, y: AnyMatrix, options: KernelRidgeOptions): KernelModel {
  const kernel = resolveKernel(options.kernel);
  const ridge = options.ridge ?? 0;
  if (typeof ridge !== 'number' || !Number.isFinite(ridge) || ridge < 0) throw new InvalidArgumentError('ridge', 'a non-negative finite number', ridge);
  checkMatrix('x', x);
  checkMatrix('y', y);
  if (y.rows !== x.rows) throw new InvalidArgumentError('y', `a matrix with N = ${x.rows} rows (one target row per sample of x)`, `[${y.rows}, ${y.cols}]`);
  checkMetric(options.metric, x.cols);
  const centers = asFloat64(x);
  const budget = options.budgetBytes;
  if (budget !== undefined && !(budget > 0)) throw new InvalidArgumentError('budgetBytes', 'a positive number of bytes', budget);
  if (budget !== undefined && centers.rows * centers.rows * 8 > budget) {
    if (ridge === 0) {
      throw new InvalidArgumentError('ridge', `a positive ridge: the ${centers.rows}×${centers.rows} kernel exceeds budgetBytes, and the iterative solve needs μ > 0`, ridge);
    }
    const it = solveKernelBudgeted(centers, kernel, asFloat64(y), ridge, { budgetBytes: budget, metric: options.metric, linalg: options.linalg });
    return { kernel, metric: options.metric, centers, alpha: it.alpha, ridge, ridgeUsed: ridge, iterative: { iterations: it.iterations, residual: it.residual, landmarks: it.landmarks } };
  }
  const { k } = kernelFromData(kernel, centers, centers, options.metric, options.linalg);
  const solved = solveKernelSystem(k, asFloat64(y), ridge, options.onSingular ?? 'fallback', 'float64', options.linalg);
  return { kernel, metric: options.metric, centers, alpha: solved.alpha, ridge, ridgeUsed: solved.ridgeUsed, fallback: solved.fallback };
}

/**
 * Evaluates a fitted predictor: f(Z) = K(Z, X) α.
 * @param model - from {@link fitKernelRidge}.
 * @param z - points `[M, d]`.
 * @param linalg - float64 path of the products (default: backend's global path).
 * @returns predictions `[M, K]`.
 * @throws {InvalidArgumentError} for NaN or a feature-dimension mismatch.
 */
export function predictKernel(model: KernelModel, z: AnyMatrix, linalg?: LinalgRequest): Matrix {
  checkMatrix('z', z);
  checkSameCols('z', z, model.centers.cols);
  const { k } = kernelFromData(model.kernel, asFloat64(z), model.centers, model.metric, linalg);
  return gemm(k, model.alpha, { linalg });
}
