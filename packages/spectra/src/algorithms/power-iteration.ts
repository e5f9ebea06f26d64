import { axpy, createRng, dot, norm, scale } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from '../operators/linear-operator.js';
import { randomUnit } from '../internal/random.js';
import { assertK, assertSteps } from './options.js';

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Number of eigenpairs (largest magnitude first), found one at a time with deflation. */
  k: number;
  /** Maximum products per eigenpair. Default 200. */
  maxIter?: number;
  /** Stop when |λ_t − λ_{t−1}| ≤ tol·|λ_t|. Default 1e-8. */
  tol?: number;
  /** Seed of the start vectors. Default 0. */
  seed?: number;
}

/** Result of {@link powerIteration}. */
export interface PowerIterationResult {
  /** Eigenvalue estimates (Rayleigh quotients), in the order found (decreasing magnitude). */
  readonly values: Float64Array;
  /** Unit eigenvector estimates. */
  readonly vectors: readonly Float64Array[];
  /** Iterations spent on each eigenpair. */
  readonly iterations: Int32Array;
  /** Residual norms ‖A v − λ v‖ of the deflated operator, per pair. */
  readonly residuals: Float64Array;
  /** Whether each pair met the tolerance. */
  readonly converged: readonly boolean[];
}

/**
 * Power iteration with Hotelling deflation for the k eigenpairs of largest magnitude.
 *
 * ```math
 * v_{t+1} = B v_t / ‖B v_t‖,  λ = v_tᵀ B v_t,  B = A − Σ_{j<i} λ_j u_j u_jᵀ
 * ```
 *
 * Slow when |λ_{i+1}/λ_i| is close to 1 (and for degenerate outliers the individual vectors are
 * arbitrary within the eigenspace); prefer {@link lanczos}. Kept as the simple reference method.
 *
 * @param op - symmetric operator of size n.
 * @param options - see {@link PowerIterationOptions}.
 * @returns eigenvalues, vectors and per-pair diagnostics.
 * @throws {InvalidArgumentError} when k is not in 1..n or `maxIter` < 1.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await powerIteration(denseOperator(fromRows([[3, 0], [0, 1]])), { k: 1 })).values; // ≈ [3]
 */
export async function powerIteration(op: LinearOperator, options: PowerIterationOptions): Promise<PowerIterationResult> {
  assertOperator('op', op);
  const n = op.size;
  assertK(options.k, n);
  const maxIter = options.maxIter ?? 200;
  assertSteps('maxIter', maxIter);
  const tol = options.tol ?? 1e-8;
  const rng = createRng(options.seed ?? 0);
  const values: number[] = [];
  const vectors: Float64Array[] = [];
  const iterations = new Int32Array(options.k);
  const residuals = new Float64Array(options.k);
  const converged: boolean[] = [];
  const deflated = async (v: Float64Array, ctx: string): Promise<Float64Array> => {
    const w = await applyOperator(op, v, ctx);
    for (let j = 0; j < vectors.length; j++) axpy(-values[j] * dot(vectors[j], v), vectors[j], w);
    return w;
  };
  for (let i = 0; i < options.k; i++) {
    let v: Float64Array = randomUnit(rng, n);
    let lambda = 0;
    let ok = false;
    let w: Float64Array = new Float64Array(n);
    let t = 0;
    for (t = 1; t <= maxIter; t++) {
      w = await deflated(v, `powerIteration pair ${i + 1} step ${t}`);
      const next = dot(v, w);
      const r = Math.sqrt(Math.max(0, dot(w, w) - next * next));
      residuals[i] = r;
      const wn = norm(w);
      if (wn === 0) { lambda = 0; ok = true; break; }
      const change = Math.abs(next - lambda);
      lambda = next;
      if (t > 1 && change <= tol * Math.abs(lambda)) { ok = true; break; }
      scale(1 / wn, w);
      v = w;
    }
    iterations[i] = Math.min(t, maxIter);
    values.push(lambda);
    vectors.push(v);
    converged.push(ok);
  }
  return Object.freeze({ values: Float64Array.from(values), vectors, iterations, residuals, converged });
}
