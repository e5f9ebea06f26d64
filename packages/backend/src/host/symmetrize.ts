import type { AnyMatrix } from './matrix.js';

/**
 * Replaces a square matrix by its symmetric part, in place:
 * ```math
 * A ← (A + Aᵀ) / 2
 * ```
 * Each off-diagonal pair is averaged once, so the result is exactly symmetric (rounding asymmetries
 * of a product such as M S M are removed); the diagonal is untouched.
 * @param m - `[d, d]`, float64 or float32.
 * @returns `m` itself.
 * @example
 * symmetrize(fromRows([[1, 2], [4, 3]])); // [[1, 3], [3, 3]]
 */
export function symmetrize<M extends AnyMatrix>(m: M): M {
  const d = m.rows;
  const a = m.data;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (a[i * d + j] + a[j * d + i]);
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return m;
}
