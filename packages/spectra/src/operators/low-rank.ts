import { InvalidArgumentError, axpy, dot } from '@nclab/backend';
import type { LinearOperator } from './linear-operator.js';
import { symmetricEigen } from '../internal/symmetric-eigen.js';

/**
 * The PSD operator G = Σ_r w_r f_r f_rᵀ from explicit factor rows (per-sample gradients for an
 * empirical Fisher, extended gradients for a Gauss–Newton term, class-mean gradients, …).
 *
 * ```math
 * G v = Σ_r w_r f_r (f_rᵀ v)
 * ```
 *
 * @param rows - R vectors f_r of one length P.
 * @param weights - w_r ≥ 0 (a number: every row). Default 1.
 * @param label - optional description.
 * @returns the operator of size P.
 * @throws {InvalidArgumentError} when `rows` is empty, lengths differ, or a weight is negative.
 * @example
 * const fisher = outerProductOperator(perSampleGrads, 1 / perSampleGrads.length); // (1/N) Σ g gᵀ
 */
export function outerProductOperator(rows: ReadonlyArray<Float64Array>, weights: number | ArrayLike<number> = 1, label = 'outer'): LinearOperator {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidArgumentError('rows', 'a non-empty array of vectors', rows);
  const P = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== P) throw new InvalidArgumentError(`rows[${i}]`, `of length ${P}`, r.length);
  });
  const w = resolveWeights(weights, rows.length);
  return {
    size: P,
    label,
    matvec(v) {
      const out = new Float64Array(P);
      for (let r = 0; r < rows.length; r++) if (w[r] !== 0) axpy(w[r] * dot(rows[r], v), rows[r], out);
      return out;
    },
  };
}

/**
 * Non-zero spectrum of G = Σ_r w_r f_r f_rᵀ through the small R×R Gram matrix (Papyan's trick):
 * G = FᵀWF and W^{1/2}FFᵀW^{1/2} share their non-zero eigenvalues.
 *
 * ```math
 * eig(G) \ {0} = eig(M) \ {0},   M_{rs} = √(w_r w_s) f_rᵀ f_s
 * ```
 *
 * @param rows - R factor vectors (R up to a few hundred: the R×R Gram is eigendecomposed by the backend's `eigh`).
 * @param weights - w_r ≥ 0. Default 1.
 * @returns min(R, P) eigenvalues, descending (from the Gram matrix, or from G itself when P < R; the rest of G's spectrum is 0).
 * @throws {InvalidArgumentError} when `rows` is empty, lengths differ, or a weight is negative.
 * @example
 * outerProductSpectrum([new Float64Array([3, 4])]); // returns [25]
 */
export function outerProductSpectrum(rows: ReadonlyArray<Float64Array>, weights: number | ArrayLike<number> = 1): number[] {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidArgumentError('rows', 'a non-empty array of vectors', rows);
  const R = rows.length;
  const w = resolveWeights(weights, R);
  const P = rows[0].length;
  if (P < R) {
    // the P×P matrix itself is smaller than the Gram
    const g = new Float64Array(P * P);
    rows.forEach((f, r) => {
      if (f.length !== P) throw new InvalidArgumentError(`rows[${r}]`, `of length ${P}`, f.length);
      for (let a = 0; a < P; a++) {
        const fa = w[r] * f[a];
        if (fa !== 0) for (let b = 0; b < P; b++) g[a * P + b] += fa * f[b];
      }
    });
    return Array.from(symmetricEigen(g, P).values).reverse();
  }
  const m = new Float64Array(R * R);
  for (let r = 0; r < R; r++) {
    if (rows[r].length !== rows[0].length) throw new InvalidArgumentError(`rows[${r}]`, `of length ${rows[0].length}`, rows[r].length);
    for (let s = 0; s <= r; s++) {
      const x = Math.sqrt(w[r] * w[s]) * dot(rows[r], rows[s]);
      m[r * R + s] = x;
      m[s * R + r] = x;
    }
  }
  return Array.from(symmetricEigen(m, R).values).reverse();
}

function resolveWeights(weights: number | ArrayLike<number>, R: number): Float64Array {
  const w = typeof weights === 'number' ? new Float64Array(R).fill(weights) : Float64Array.from(weights);
  if (w.length !== R) throw new InvalidArgumentError('weights', `a number or ${R} numbers`, w.length);
  w.forEach((x, i) => {
    if (!(x >= 0 && Number.isFinite(x))) throw new InvalidArgumentError('weights', 'non-negative finite numbers', x, `at index ${i}`);
  });
  return w;
}
