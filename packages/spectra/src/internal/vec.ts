/**
 * Gram–Schmidt helpers of the Krylov algorithms (internal); the level-1 kernels (`dot`, `axpy`,
 * `scale`, `norm`) are `@nclab/backend`'s.
 */
import { axpy, dot, norm } from '@nclab/backend';

/**
 * Orthogonalises `v` in place against the orthonormal `basis` with two passes of classical
 * Gram–Schmidt ("twice is enough"). Returns the norm of what remains.
 */
export function orthogonalize(v: Float64Array, basis: ReadonlyArray<Float64Array>): number {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) axpy(-dot(q, v), q, v);
  }
  return norm(v);
}

/** Linear combination Σ_j coef[j] basis[j] as a new vector of length n. */
export function combine(basis: ReadonlyArray<Float64Array>, coef: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < basis.length; j++) if (coef[j] !== 0) axpy(coef[j], basis[j], out);
  return out;
}
