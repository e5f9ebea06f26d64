import { InvalidArgumentError, axpy, createRng, dot, scale } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from '../operators/linear-operator.js';
import { krylovBlock } from '../internal/krylov-block.js';
import { randomUnit } from '../internal/random.js';
import { tridiagonalEigen } from '../internal/tridiagonal.js';
import { assertK, assertSteps, assertWhich, orderBy, type Which } from './options.js';

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Number of eigenpairs wanted (1 ≤ k ≤ n). */
  k: number;
  /** Which end: `'LA'` largest (default), `'SA'` smallest, `'LM'` largest magnitude. */
  which?: Which;
  /** Maximum Lanczos steps (= matvecs). Default min(n, max(3k, k + 30)). */
  maxIter?: number;
  /**
   * Converged when the Ritz residual ≤ tol · max|θ|. Default 1e-8. 0 runs all `maxIter` steps with no
   * convergence checks in between (a fixed-step run; each check is a tridiagonal eigensolve).
   */
  tol?: number;
  /** Seed of the random start vector (and of restarts). Default 0. */
  seed?: number;
  /** Return the Ritz vectors (n floats each). Default true. */
  returnVectors?: boolean;
  /** Start vector (length n, non-zero; normalised internally). Default: a seeded random unit vector. */
  startVector?: Float64Array;
}

/** Result of {@link lanczos}: Ritz pairs with their diagnostics. */
export interface LanczosResult {
  /** The k Ritz values in the order `which` asks (LA: descending). */
  readonly values: Float64Array;
  /** The matching unit Ritz vectors (empty when `returnVectors` is false). */
  readonly vectors: readonly Float64Array[];
  /** Ritz residual bounds ‖A y − θ y‖ = |β_m s_{m,i}| per returned pair. */
  readonly residuals: Float64Array;
  /** Whether every returned pair met the tolerance. */
  readonly converged: boolean;
  /** Lanczos steps taken (= operator products). */
  readonly iterations: number;
  /** Times the Krylov space was exhausted and a fresh orthogonal start vector was drawn. */
  readonly restarts: number;
  /** All Ritz values of the final tridiagonal matrix, ascending (for diagnostics). */
  readonly ritzValues: Float64Array;
}

/**
 * Lanczos with full re-orthogonalisation for the extreme eigenpairs of a symmetric operator.
 *
 * ```math
 * A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ,   T_m s_i = θ_i s_i,   y_i = Q_m s_i,   ‖A y_i − θ_i y_i‖ = |β_m s_{m,i}|
 * ```
 *
 * Every new Lanczos vector is orthogonalised twice against all previous ones (no ghost
 * eigenvalues; memory m·n floats, one contiguous block allocated up front, so each pass is two
 * BLAS-2 products `c = Q w`, `w −= Qᵀ c` through the backend's `gemm`).
 * When the Krylov space is exhausted (β ≈ 0, e.g. a low-rank
 * Hessian whose outliers are degenerate), the run continues from a fresh random vector orthogonal
 * to the basis, so repeated eigenvalues are found with their multiplicity. Convergence is checked
 * every few steps on the k wanted Ritz pairs.
 *
 * @param op - symmetric operator of size n.
 * @param options - see {@link LanczosOptions}.
 * @returns Ritz values, vectors, residual bounds, iteration counts.
 * @throws {InvalidArgumentError} when k is not in 1..n, `maxIter` < 1 or `which` is unknown.
 * @throws {NumericalError} when a product is non-finite (the message gives the step).
 * @example
 * const op = denseOperator(fromRows([[2, 1], [1, 2]]));
 * (await lanczos(op, { k: 1 })).values; // returns Float64Array [3]
 * @see Golub & Van Loan, Matrix Computations, §10.1; Papyan (2019) https://arxiv.org/abs/1901.08244
 */
export async function lanczos(op: LinearOperator, options: LanczosOptions): Promise<LanczosResult> {
  assertOperator('op', op);
  const n = op.size;
  const k = options.k;
  assertK(k, n);
  const which = options.which ?? 'LA';
  assertWhich(which);
  if (options.maxIter !== undefined) {
    assertSteps('maxIter', options.maxIter);
    if (options.maxIter < k) throw new InvalidArgumentError('maxIter', `an integer ≥ k = ${k}`, options.maxIter);
  }
  const maxIter = Math.min(n, options.maxIter ?? Math.max(3 * k, k + 30));
  const tol = options.tol ?? 1e-8;
  const rng = createRng(options.seed ?? 0);
  const alpha: number[] = [];
  const beta: number[] = [];
  let q: Float64Array;
  if (options.startVector !== undefined) {
    const s0 = options.startVector;
    if (!(s0 instanceof Float64Array) || s0.length !== n) throw new InvalidArgumentError('startVector', `a Float64Array of length n = ${n}`, s0);
    const nrm = Math.sqrt(dot(s0, s0));
    if (!(nrm > 0 && Number.isFinite(nrm))) throw new InvalidArgumentError('startVector', 'a non-zero finite vector', 'zero or non-finite');
    q = s0.map((x) => x / nrm);
  } else {
    q = randomUnit(rng, n);
  }
  // One contiguous [maxIter, n] basis: re-orthogonalisation is BLAS-2 over it, no per-step allocation.
  const Q = krylovBlock(n, maxIter);
  // the product's buffer, reused every step (its contents are copied into Q before the next product)
  const product = new Float64Array(n);
  let restarts = 0;
  let scaleEstimate = 0;
  let lastBeta = 0;
  let result: { values: Float64Array; vectors: Float64Array } | null = null;
  let checkNext = false;
  for (let j = 0; j < maxIter; j++) {
    q = Q.push(q);
    const w = await applyOperator(op, q, `lanczos step ${j + 1}`, product);
    const a = dot(q, w);
    alpha.push(a);
    axpy(-a, q, w);
    if (j > 0) axpy(-beta[j - 1], Q.row(j - 1), w);
    let b = Q.orthogonalize(w);
    scaleEstimate = Math.max(scaleEstimate, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
    const exhausted = b <= 1e-10 * Math.max(scaleEstimate, Number.MIN_VALUE);
    lastBeta = exhausted ? 0 : b;
    const done = j + 1 === maxIter || j + 1 === n;
    // At an exhaustion point every Ritz value is exact but larger eigenvalues may hide in the
    // unexplored complement: check one step into the next block instead.
    if (done || (tol > 0 && !exhausted && j + 1 >= k && (checkNext || (j + 1 - k) % 5 === 0))) {
      result = tridiagonalEigen(alpha, beta, alpha.length - 1); // last row of S: the residual bounds
      if (done || wanted(result.values, result.vectors, j + 1, lastBeta, k, which, tol).converged) break;
    }
    checkNext = exhausted;
    if (exhausted) {
      // Krylov space invariant: continue from a random vector orthogonal to the basis.
      const fresh = randomUnit(rng, n);
      const r = Q.orthogonalize(fresh);
      if (r < 1e-8) break;
      scale(1 / r, fresh);
      q = fresh;
      b = 0;
      restarts++;
    } else {
      scale(1 / b, w);
      q = w;
    }
    beta.push(b);
  }
  const returnVectors = options.returnVectors ?? true;
  if (result === null || result.values.length !== alpha.length || returnVectors) {
    result = tridiagonalEigen(alpha, beta.slice(0, alpha.length - 1), returnVectors ? 0 : alpha.length - 1);
  }
  const m = alpha.length;
  const sel = wanted(result.values, result.vectors, m, lastBeta, k, which, tol);
  const values = new Float64Array(sel.indices.map((i) => result!.values[i]));
  const vectors: Float64Array[] = [];
  if (returnVectors) {
    for (const i of sel.indices) {
      const coef = new Float64Array(m);
      for (let r = 0; r < m; r++) coef[r] = result.vectors[r * m + i];
      vectors.push(Q.combine(coef));
    }
  }
  Q.release();
  return Object.freeze({
    values,
    vectors,
    residuals: sel.residuals,
    converged: sel.converged,
    iterations: m,
    restarts,
    ritzValues: result.values,
  });
}

function wanted(
  values: Float64Array,
  vectors: Float64Array,
  m: number,
  lastBeta: number,
  k: number,
  which: Which,
  tol: number,
): { indices: number[]; residuals: Float64Array; converged: boolean } {
  const indices = orderBy(values, which).slice(0, Math.min(k, m));
  let maxAbs = 0;
  for (let i = 0; i < m; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  const residuals = new Float64Array(indices.map((i) => Math.abs(lastBeta * vectors[(m - 1) * m + i])));
  const converged = indices.length === k && residuals.every((r) => r <= tol * Math.max(maxAbs, Number.MIN_VALUE));
  return { indices, residuals, converged };
}
