/**
 * Class-mean geometries with known neural-collapse statistics: the simplex ETF and the orthogonal frame.
 */
import { InvalidArgumentError, assertInteger, assertPositive, createRng, randomOrthonormalRows, type Matrix } from '@nclab/backend/host';

/** Options of {@link simplexEtf} and {@link orthogonalFrame}. */
export interface FrameOptions {
  /** d, the ambient dimension (default: K − 1 for the ETF, K for the orthogonal frame). */
  dim?: number;
  /** r, the norm of every mean (default 1). */
  radius?: number;
  /**
   * `'canonical'` (default): the frame lives in the first coordinates (ETF: Helmert coordinates;
   * orthogonal: r·e_k); `'random'`: rotated by a seeded random orthonormal basis of R^d.
   */
  basis?: 'canonical' | 'random';
  /** Seed of the `'random'` basis (default 0). */
  seed?: number;
}

/**
 * Orthonormal columns spanning the complement of 1 in R^K (the Helmert basis), `[K, K−1]`:
 * column j−1 (j = 1..K−1) is (1, …, 1, −j, 0, …, 0) / √(j(j+1)) with j ones.
 */
function helmert(K: number): Float64Array {
  const u = new Float64Array(K * (K - 1));
  for (let j = 1; j < K; j++) {
    const c = 1 / Math.sqrt(j * (j + 1));
    for (let i = 0; i < j; i++) u[i * (K - 1) + (j - 1)] = c;
    u[j * (K - 1) + (j - 1)] = -j * c;
  }
  return u;
}

/** `coords` `[K, m]` placed into R^d: zero-padded (canonical) or times a random orthonormal `[m, d]`. */
function embed(coords: Float64Array, K: number, m: number, d: number, basis: 'canonical' | 'random', seed: number): Matrix {
  const out = new Float64Array(K * d);
  if (basis === 'canonical') {
    for (let i = 0; i < K; i++) for (let j = 0; j < m; j++) out[i * d + j] = coords[i * m + j];
  } else {
    const q = randomOrthonormalRows(createRng(seed), m, d).data;
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < m; j++) {
        const c = coords[i * m + j];
        if (c === 0) continue;
        for (let t = 0; t < d; t++) out[i * d + t] += c * q[j * d + t];
      }
    }
  }
  return { rows: K, cols: d, data: out };
}

function checkCommon(K: number, o: FrameOptions, minDim: number): { d: number; r: number; basis: 'canonical' | 'random'; seed: number } {
  assertInteger('numClasses', K, 2);
  const d = o.dim ?? minDim;
  assertInteger('dim', d, minDim);
  const r = o.radius ?? 1;
  assertPositive('radius', r);
  const basis = o.basis ?? 'canonical';
  if (basis !== 'canonical' && basis !== 'random') throw new InvalidArgumentError('basis', "'canonical' or 'random'", basis);
  return { d, r, basis, seed: o.seed ?? 0 };
}

/**
 * The K rows of a simplex equiangular tight frame of radius r in R^d (d ≥ K − 1):
 * ‖μ_k‖ = r, Σ_k μ_k = 0 and ⟨μ_i, μ_j⟩ = −r²/(K − 1) for i ≠ j, i.e.
 * ```math
 * M Mᵀ = r² · K/(K−1) · (I_K − 1 1ᵀ / K)
 * ```
 * @param numClasses - K ≥ 2.
 * @param options - `dim` (default K − 1), `radius` (default 1), `basis`, `seed`.
 * @returns `Matrix` `[K, d]` (float64), one mean per row.
 * @throws {InvalidArgumentError} when K < 2, d < K − 1 or r ≤ 0.
 * @see Papyan, Han, Donoho (2020), Prevalence of neural collapse during the terminal phase of deep learning training, PNAS.
 * @example
 * simplexEtf(3, { dim: 2 }); // three unit vectors at 120° in the plane
 */
export function simplexEtf(numClasses: number, options: FrameOptions = {}): Matrix {
  const K = numClasses;
  const { d, r, basis, seed } = checkCommon(K, options, K - 1);
  const u = helmert(K);
  const s = r * Math.sqrt(K / (K - 1));
  for (let i = 0; i < u.length; i++) u[i] *= s;
  return embed(u, K, K - 1, d, basis, seed);
}

/**
 * K orthogonal means of norm r in R^d (d ≥ K): M Mᵀ = r² I_K. Unlike the ETF they are not centred:
 * their mean has norm r/√K.
 * @param numClasses - K ≥ 2.
 * @param options - `dim` (default K), `radius` (default 1), `basis`, `seed`.
 * @returns `Matrix` `[K, d]` (float64).
 * @throws {InvalidArgumentError} when K < 2, d < K or r ≤ 0.
 * @example
 * orthogonalFrame(2, { radius: 3 }); // [[3, 0], [0, 3]]
 */
export function orthogonalFrame(numClasses: number, options: FrameOptions = {}): Matrix {
  const K = numClasses;
  const { d, r, basis, seed } = checkCommon(K, options, K);
  const c = new Float64Array(K * K);
  for (let i = 0; i < K; i++) c[i * K + i] = r;
  return embed(c, K, K, d, basis, seed);
}
