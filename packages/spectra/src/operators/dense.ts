import { InvalidArgumentError, assertMatrix, assertSquare, gemm, symmetrize, type AnyMatrix, type Matrix } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from './linear-operator.js';

/**
 * A {@link LinearOperator} backed by an explicit square matrix (row-major, float64 products; a float64
 * matrix multiplies through the backend's `gemm`, i.e. BLAS on the native path).
 *
 * ```math
 * (A v)_i = Σ_j A_{ij} v_j
 * ```
 *
 * @param a - square matrix [n, n] (float32 or float64; the data are used, not copied).
 * @param label - optional description.
 * @returns the operator of size n.
 * @throws {InvalidArgumentError} when `a` is not square, empty, or has a non-finite entry.
 * @example
 * const op = denseOperator(fromRows([[2, 0], [0, 3]]));
 * await applyOperator(op, new Float64Array([1, 1])); // returns [2, 3]
 */
export function denseOperator(a: AnyMatrix, label = 'dense'): LinearOperator {
  assertMatrix('a', a, { minRows: 1 });
  assertSquare('a', a);
  const n = a.rows;
  const data = a.data;
  if (data instanceof Float64Array) {
    // float64: one BLAS-2 product per call (the backend's gemm with an n×1 right-hand side)
    const m: Matrix = { rows: n, cols: n, data };
    return {
      size: n,
      label,
      matvec: (v: Float64Array, out?: Float64Array): Float64Array => gemm(m, { rows: n, cols: 1, data: v }, { out: out ?? new Float64Array(n) }).data,
    };
  }
  return {
    size: n,
    label,
    matvec(v: Float64Array): Float64Array {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += data[row + j] * v[j];
        out[i] = s;
      }
      return out;
    },
  };
}

/** Options of {@link operatorToDense}. */
export interface OperatorToDenseOptions {
  /** Largest n accepted (n products and n² floats). Default 4096. */
  maxSize?: number;
  /** Replace A by (A + Aᵀ)/2 and report the asymmetry. Default true. */
  symmetrize?: boolean;
}

/**
 * Materialises an operator as a dense matrix by applying it to the n unit vectors.
 *
 * ```math
 * A_{:, j} = A e_j,   asymmetry = ‖A − Aᵀ‖_F / ‖A‖_F
 * ```
 *
 * @param op - operator of size n ≤ `maxSize`.
 * @param options - see {@link OperatorToDenseOptions}.
 * @returns the matrix [n, n] and its relative asymmetry before symmetrisation.
 * @throws {InvalidArgumentError} when n exceeds `maxSize`.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await operatorToDense(denseOperator(eye(3)))).matrix; // the 3×3 identity
 */
export async function operatorToDense(
  op: LinearOperator,
  options: OperatorToDenseOptions = {},
): Promise<{ matrix: Matrix; asymmetry: number }> {
  assertOperator('op', op);
  const n = op.size;
  const maxSize = options.maxSize ?? 4096;
  if (n > maxSize) throw new InvalidArgumentError('op.size', `at most maxSize = ${maxSize} for a dense matrix`, n);
  const data = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = await applyOperator(op, e, `operatorToDense column ${j}`);
    for (let i = 0; i < n; i++) data[i * n + j] = col[i];
  }
  let diff = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      total += data[i * n + j] ** 2;
      if (j > i) diff += 2 * (data[i * n + j] - data[j * n + i]) ** 2;
    }
  }
  const asymmetry = total > 0 ? Math.sqrt(diff / total) : 0;
  const matrix: Matrix = { rows: n, cols: n, data };
  if (options.symmetrize ?? true) symmetrize(matrix);
  return { matrix, asymmetry };
}
