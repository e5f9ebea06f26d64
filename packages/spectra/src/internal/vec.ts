/** Small float64 vector kernels used by the algorithms (internal). */

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y ← y + alpha x (in place). */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** x ← alpha x (in place). */
export function scale(alpha: number, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] *= alpha;
}

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
