import { eigh } from '@nclab/backend';
import type { LinearOperator } from '../operators/linear-operator.js';
import { operatorToDense } from '../operators/dense.js';

/** Result of {@link denseEigh}. */
export interface DenseEighResult {
  /** All n eigenvalues, descending. */
  readonly values: Float64Array;
  /** The matching unit eigenvectors (length n each), or empty when `returnVectors` is false. */
  readonly vectors: readonly Float64Array[];
  /** Relative asymmetry ‖A − Aᵀ‖_F/‖A‖_F of the materialised operator (it is symmetrised before eigh). */
  readonly asymmetry: number;
}

/**
 * Exact eigendecomposition of a small operator: n products build the dense matrix, then the
 * float64 symmetric `eigh` of `@nclab/backend` (LAPACK `dsyevd` on the native path).
 *
 * ```math
 * A = V diag(λ) Vᵀ,   A_{:, j} = A e_j
 * ```
 *
 * @param op - symmetric operator with n ≤ `maxSize`.
 * @param options - `maxSize` (default 4096), `returnVectors` (default true).
 * @returns eigenvalues (descending), eigenvectors and the asymmetry diagnostic.
 * @throws {InvalidArgumentError} when n > `maxSize`.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await denseEigh(denseOperator(fromRows([[2, 1], [1, 2]])))).values; // returns [3, 1]
 */
export async function denseEigh(op: LinearOperator, options: { maxSize?: number; returnVectors?: boolean } = {}): Promise<DenseEighResult> {
  const { matrix: a, asymmetry } = await operatorToDense(op, { maxSize: options.maxSize ?? 4096, symmetrize: true });
  const n = a.rows;
  const res = eigh(a);
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const src = n - 1 - j;
    values[j] = res.values[src];
    if (options.returnVectors ?? true) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = res.vectors.data[i * n + src];
      vectors.push(v);
    }
  }
  return Object.freeze({ values, vectors, asymmetry });
}
