import { assertInteger } from '../errors/validate.js';
import type { Matrix } from '../host/matrix.js';
import type { Rng } from './rng.js';

/**
 * k random orthonormal rows of R^d, `[k, d]` (k ≤ d): k·d standard normals drawn row by row from
 * `rng`, then Gram–Schmidt applied twice to each row ("twice is enough") and the row normalised.
 * The rows are the first k rows of a Haar-distributed orthogonal matrix (up to signs):
 * ```math
 * Q Qᵀ = I_k
 * ```
 * @param rng - the generator (consumes exactly k·d normals).
 * @param k - number of rows, 0 ≤ k ≤ d.
 * @param d - dimension d ≥ 1.
 * @throws {InvalidArgumentError} when k or d is not an integer or k > d.
 * @example
 * randomOrthonormalRows(createRng(0), 2, 5); // 2 × 5, rows orthonormal
 */
export function randomOrthonormalRows(rng: Rng, k: number, d: number): Matrix {
  assertInteger('d', d, 1);
  assertInteger('k', k, 0, d);
  const q = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) q[i] = rng.normal();
  for (let i = 0; i < k; i++) {
    const qi = q.subarray(i * d, (i + 1) * d);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const qj = q.subarray(j * d, (j + 1) * d);
        let s = 0;
        for (let t = 0; t < d; t++) s += qi[t] * qj[t];
        for (let t = 0; t < d; t++) qi[t] -= s * qj[t];
      }
    }
    let nrm = 0;
    for (let t = 0; t < d; t++) nrm += qi[t] * qi[t];
    nrm = Math.sqrt(nrm);
    for (let t = 0; t < d; t++) qi[t] /= nrm;
  }
  return { rows: k, cols: d, data: q };
}
