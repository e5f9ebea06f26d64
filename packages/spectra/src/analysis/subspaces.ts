import { InvalidArgumentError, dot, scale } from '@nclab/backend';
import { orthogonalize } from '../internal/vec.js';
import { symmetricEigen } from '../internal/symmetric-eigen.js';
import { applyOperator, type LinearOperator } from '../operators/linear-operator.js';

/**
 * An orthonormal basis of span{vectors} (Gram–Schmidt twice; dependent vectors dropped).
 *
 * @param vectors - vectors of one length n.
 * @param rtol - a vector is dependent when its remainder is below rtol·(its norm). Default 1e-10.
 * @returns orthonormal vectors spanning the same space.
 * @throws {InvalidArgumentError} when the lengths differ.
 * @example
 * orthonormalBasis([a, b, a]).length; // returns 2 for independent a, b
 */
export function orthonormalBasis(vectors: ReadonlyArray<Float64Array>, rtol = 1e-10): Float64Array[] {
  const out: Float64Array[] = [];
  const n = vectors.length > 0 ? vectors[0].length : 0;
  vectors.forEach((v, i) => {
    if (v.length !== n) throw new InvalidArgumentError(`vectors[${i}]`, `of length ${n}`, v.length);
    const w = Float64Array.from(v);
    const before = Math.sqrt(dot(w, w));
    const r = orthogonalize(w, out);
    if (before > 0 && r > rtol * before) {
      scale(1 / r, w);
      out.push(w);
    }
  });
  return out;
}

/**
 * Fraction of a vector inside a subspace (the Gur-Ari et al. overlap of a gradient with the top
 * Hessian eigenspace, taken on the whole subspace because the outliers are degenerate).
 *
 * ```math
 * overlap(g, U) = ‖P_U g‖² / ‖g‖²,   P_U = orthogonal projector on span(U)
 * ```
 *
 * @param v - the vector (length n, non-zero).
 * @param basis - vectors spanning the subspace (orthonormalised internally).
 * @returns the squared-norm fraction in [0, 1].
 * @throws {InvalidArgumentError} when `v` is zero or lengths differ.
 * @example
 * subspaceFraction(new Float64Array([1, 1]), [new Float64Array([1, 0])]); // returns 0.5
 * @see Gur-Ari, Roberts & Dyer (2018) https://arxiv.org/abs/1812.04754
 */
export function subspaceFraction(v: Float64Array, basis: ReadonlyArray<Float64Array>): number {
  const q = orthonormalBasis(basis);
  q.forEach((u, i) => {
    if (u.length !== v.length) throw new InvalidArgumentError(`basis[${i}]`, `of length ${v.length}`, u.length);
  });
  const total = dot(v, v);
  if (!(total > 0)) throw new InvalidArgumentError('v', 'a non-zero finite vector', 'zero vector');
  let inside = 0;
  for (const u of q) inside += dot(u, v) ** 2;
  return Math.min(1, inside / total);
}

/**
 * Cosines of the principal angles between two subspaces (singular values of Q_Aᵀ Q_B), descending.
 * All ones ⇔ the smaller subspace lies inside the larger.
 *
 * ```math
 * cos θ_i = σ_i(Q_Aᵀ Q_B)
 * ```
 *
 * @param a - vectors spanning subspace A.
 * @param b - vectors spanning subspace B (same length as those of A).
 * @returns min(dim A, dim B) cosines in [0, 1], descending.
 * @throws {InvalidArgumentError} when the vector lengths differ.
 * @example
 * principalAngleCosines([e1, e2], [e2]); // returns [1]
 */
export function principalAngleCosines(a: ReadonlyArray<Float64Array>, b: ReadonlyArray<Float64Array>): number[] {
  const qa = orthonormalBasis(a);
  const qb = orthonormalBasis(b);
  if (qa.length === 0 || qb.length === 0) return [];
  if (qa[0].length !== qb[0].length) throw new InvalidArgumentError('b', `vectors of length ${qa[0].length}`, qb[0].length);
  const [small, large] = qa.length <= qb.length ? [qa, qb] : [qb, qa];
  const k = small.length;
  // M = S L (k × m); cosines² = eig(M Mᵀ).
  const m = small.map((s) => large.map((l) => dot(s, l)));
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) g[i * k + j] = m[i].reduce((acc, x, t) => acc + x * m[j][t], 0);
  const { values } = symmetricEigen(g, k);
  return Array.from(values).reverse().map((x) => Math.min(1, Math.sqrt(Math.max(0, x))));
}

/**
 * Eigenvector-ness of a vector: the cosine between v and A v (the paper's ρ; 1 iff v is an
 * eigenvector with a non-zero eigenvalue).
 *
 * ```math
 * ρ(v) = |vᵀ A v| / (‖v‖ ‖A v‖)
 * ```
 *
 * @param op - symmetric operator of size n.
 * @param v - non-zero vector of length n.
 * @returns ρ(v) in [0, 1] (0 when A v = 0).
 * @throws {InvalidArgumentError} when `v` is zero or has the wrong length.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * await eigenvectorCosine(denseOperator(eye(3)), new Float64Array([1, 2, 3])); // returns 1
 * @see Garrod & Keating (2024), Fig. 4 and Table 1 https://arxiv.org/abs/2404.06106
 */
export async function eigenvectorCosine(op: LinearOperator, v: Float64Array): Promise<number> {
  const nv = Math.sqrt(dot(v, v));
  if (!(nv > 0)) throw new InvalidArgumentError('v', 'a non-zero finite vector', 'zero vector');
  const av = await applyOperator(op, v, 'eigenvectorCosine');
  const na = Math.sqrt(dot(av, av));
  return na === 0 ? 0 : Math.min(1, Math.abs(dot(v, av)) / (nv * na));
}
