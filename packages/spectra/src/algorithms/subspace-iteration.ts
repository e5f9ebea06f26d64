import { axpy, createRng, dot, scale } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from '../operators/linear-operator.js';
import { combine, orthogonalize } from '../internal/vec.js';
import { gaussian } from '../internal/random.js';
import { symmetricEigen } from '../internal/symmetric-eigen.js';
import { assertK, assertSteps } from './options.js';

/** Options of {@link subspaceIteration}. */
export interface SubspaceIterationOptions {
  /** Block size: the number C of top eigenpairs (e.g. the number of classes). */
  k: number;
  /** Maximum block products. Default 100. */
  maxIter?: number;
  /** Converged when every residual ≤ tol·max|θ|. Default 1e-6. */
  tol?: number;
  /** Seed of the random start block. Default 0. */
  seed?: number;
}

/** Result of {@link subspaceIteration}. */
export interface SubspaceIterationResult {
  /** Ritz values, descending by magnitude. */
  readonly values: Float64Array;
  /** Unit Ritz vectors. */
  readonly vectors: readonly Float64Array[];
  /** Residual norms ‖A y − θ y‖. */
  readonly residuals: Float64Array;
  /** Block iterations performed (each costs k products). */
  readonly iterations: number;
  /** Whether all residuals met the tolerance. */
  readonly converged: boolean;
}

/**
 * Subspace (block power) iteration with Rayleigh–Ritz for the top-k (by magnitude) eigenpairs,
 * the method Papyan used for the C class outliers.
 *
 * ```math
 * Z = A Q_t,  Q_{t+1} R = Z (QR),  T = Q_{t+1}ᵀ A Q_{t+1} = S Θ Sᵀ,  Y = Q_{t+1} S
 * ```
 *
 * Converges at rate |λ_{k+1}/λ_k| per block step; handles degenerate eigenvalues within the block.
 *
 * @param op - symmetric operator of size n.
 * @param options - see {@link SubspaceIterationOptions}.
 * @returns Ritz values and vectors with residuals.
 * @throws {InvalidArgumentError} when k is not in 1..n or `maxIter` < 1.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await subspaceIteration(denseOperator(fromRows([[3, 0, 0], [0, 2, 0], [0, 0, 0.1]])), { k: 2 })).values; // ≈ [3, 2]
 */
export async function subspaceIteration(op: LinearOperator, options: SubspaceIterationOptions): Promise<SubspaceIterationResult> {
  assertOperator('op', op);
  const n = op.size;
  const k = options.k;
  assertK(k, n);
  const maxIter = options.maxIter ?? 100;
  assertSteps('maxIter', maxIter);
  const tol = options.tol ?? 1e-6;
  const rng = createRng(options.seed ?? 0);
  let Q = orthonormalize(Array.from({ length: k }, () => gaussian(rng, n)), rng, n);
  let values = new Float64Array(k);
  let vectors: Float64Array[] = Q;
  let residuals = new Float64Array(k).fill(Infinity);
  let iterations = 0;
  let converged = false;
  for (let t = 1; t <= maxIter; t++) {
    iterations = t;
    const Z: Float64Array[] = [];
    for (let j = 0; j < k; j++) Z.push(await applyOperator(op, Q[j], `subspaceIteration step ${t}`));
    // Rayleigh–Ritz on span(Q): T = Qᵀ A Q; rotate to Ritz vectors, compute residuals from Z.
    const T = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) T[a * k + b] = dot(Q[a], Z[b]);
    const eig = symmetricEigen(T, k);
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => Math.abs(eig.values[b]) - Math.abs(eig.values[a]));
    values = new Float64Array(order.map((i) => eig.values[i]));
    vectors = [];
    const AY: Float64Array[] = [];
    for (const i of order) {
      const coef = new Float64Array(k);
      for (let r = 0; r < k; r++) coef[r] = eig.vectors[r * k + i];
      vectors.push(combine(Q, coef, n));
      AY.push(combine(Z, coef, n));
    }
    let maxAbs = 0;
    for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
    residuals = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      const r = Float64Array.from(AY[i]);
      axpy(-values[i], vectors[i], r);
      residuals[i] = Math.sqrt(dot(r, r));
    }
    if (residuals.every((r) => r <= tol * Math.max(maxAbs, Number.MIN_VALUE))) {
      converged = true;
      break;
    }
    Q = orthonormalize(AY, rng, n);
  }
  return Object.freeze({ values, vectors, residuals, iterations, converged });
}

/** Gram–Schmidt (twice) on a block; a dependent column is replaced by a random orthogonal one. */
function orthonormalize(block: Float64Array[], rng: ReturnType<typeof createRng>, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (const col of block) {
    let v: Float64Array = Float64Array.from(col);
    const before = Math.sqrt(dot(v, v));
    let r = orthogonalize(v, out);
    if (r <= 1e-12 * Math.max(before, Number.MIN_VALUE) || r === 0) {
      v = gaussian(rng, n);
      r = orthogonalize(v, out);
    }
    scale(1 / r, v);
    out.push(v);
  }
  return out;
}
