/**
 * NC2: how close K vectors (centred class means, or classifier rows) are to a simplex equiangular
 * tight frame (ETF) or an orthogonal frame. Every function takes the vectors as the rows of a
 * `[K, d]` matrix and computes in float64.
 */
import { InvalidArgumentError, assertMatrix, norm } from '@nclab/backend/host';
import type { AnyMatrix, Matrix } from '@nclab/backend/host';
import { NON_EMPTY } from './inputs.js';

/** Gram matrix V Vᵀ, `[K, K]`, float64. @internal */
export function gramOf(v: AnyMatrix): Matrix {
  const { rows: K, cols: d, data } = v;
  const G = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = a; c < K; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[a * d + j] * data[c * d + j];
      G[a * K + c] = s;
      G[c * K + a] = s;
    }
  }
  return { rows: K, cols: K, data: G };
}

function checkVectors(name: string, v: unknown): asserts v is AnyMatrix {
  assertMatrix(name, v, NON_EMPTY);
  if (v.rows < 2) throw new InvalidArgumentError(name, 'of shape [K, d] with K >= 2', `[${v.rows}, ${v.cols}]`);
}

/** Cosines between rows (a zero row gets cosine 0 with everything). @internal */
function cosines(v: AnyMatrix): Float64Array {
  const G = gramOf(v).data;
  const K = v.rows;
  const C = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      const den = Math.sqrt(G[a * K + a] * G[c * K + c]);
      C[a * K + c] = den > 0 ? G[a * K + c] / den : 0;
    }
  }
  return C;
}

/**
 * ETF error of unit-normalised vectors: the Frobenius distance between their Gram and the simplex ETF Gram.
 *
 * ```math
 * \mathrm{NC2}_{\mathrm{ETF}} = \big\| \hat H \hat H^\top - \Sigma_{\mathrm{ETF}} \big\|_F,\quad
 * \hat h_k = \tilde\mu_k / \|\tilde\mu_k\|,\quad \Sigma_{\mathrm{ETF}} = \tfrac{K}{K-1}\big(I_K - \tfrac{1}{K}\mathbf 1\mathbf 1^\top\big)
 * ```
 * (diagonal 1, off-diagonal −1/(K−1)). Zero iff the vectors form a simplex ETF (any norms). A zero vector
 * is left at zero (its row then contributes its full target).
 * @param vectors - `[K, d]`, typically class means centred on the global mean.
 * @returns the error, ≥ 0 (0 at collapse).
 * @throws {InvalidArgumentError} when `vectors` is not a `[K, d]` matrix with K ≥ 2.
 * @example
 * etfError(fromRows([[1, 0], [-0.5, Math.sqrt(3) / 2], [-0.5, -Math.sqrt(3) / 2]])); // returns ≈ 0
 * @see Beaglehole et al. 2024, "Average gradient outer product as a mechanism for deep neural collapse" (DNC2).
 */
export function etfError(vectors: AnyMatrix): number {
  checkVectors('vectors', vectors);
  const K = vectors.rows;
  const C = cosines(vectors);
  const off = -1 / (K - 1);
  let s = 0;
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      const self = a === c ? (C[a * K + a] === 0 ? 0 : 1) : C[a * K + c];
      const e = self - (a === c ? 1 : off);
      s += e * e;
    }
  }
  return Math.sqrt(s);
}

/**
 * Mean squared entry of the same difference as {@link etfError} (Beaglehole et al.'s code):
 * `mean((Ĥ Ĥᵀ − Σ_ETF)²)` over the K² entries, i.e. `etfError² / K²`.
 * @param vectors - `[K, d]` centred class means.
 * @returns the mean squared error, ≥ 0.
 * @throws {InvalidArgumentError} when `vectors` is not a `[K, d]` matrix with K ≥ 2.
 * @example
 * etfMeanSquaredError(fromRows([[1, 0], [-1, 0]])); // returns 0
 */
export function etfMeanSquaredError(vectors: AnyMatrix): number {
  const e = etfError(vectors);
  return (e * e) / (vectors.rows * vectors.rows);
}

/**
 * ETF error of the Frobenius-normalised Gram (Kothapalli; Tirer & Bruna; rhubarbwu; Zhu et al. on W).
 *
 * ```math
 * \Big\| \frac{G}{\|G\|_F} - \frac{I_K - \mathbf 1\mathbf 1^\top/K}{\sqrt{K-1}} \Big\|_F,\qquad G = V V^\top
 * ```
 * Zero iff the vectors form a simplex ETF with equal norms.
 * @param vectors - `[K, d]` (centred means, or classifier rows).
 * @returns the error in [0, 2].
 * @throws {InvalidArgumentError} when `vectors` is not `[K, d]` with K ≥ 2, or is all zeros.
 * @example
 * normalisedGramEtfError(fromRows([[1, 0], [-1, 0]])); // returns 0
 * @see Tirer & Bruna 2022, eq. (27); Zhu et al. 2021 (`compute_ETF`).
 */
export function normalisedGramEtfError(vectors: AnyMatrix): number {
  const K = vectors?.rows;
  const scale = 1 / Math.sqrt(K - 1);
  return normalisedGramError(vectors, (a, c) => ((a === c ? 1 : 0) - 1 / K) * scale);
}

/**
 * Orthogonal-frame error (bias-free settings, Tirer & Bruna NC2_OF): uncentred vectors against I/√K.
 *
 * ```math
 * \Big\| \frac{G}{\|G\|_F} - \frac{I_K}{\sqrt K} \Big\|_F,\qquad G = \bar H^\top \bar H \text{ (uncentred means)}
 * ```
 * @param vectors - `[K, d]` uncentred class means (or classifier rows).
 * @returns the error in [0, 2]; 0 iff the vectors are orthogonal with equal norms.
 * @throws {InvalidArgumentError} when `vectors` is not `[K, d]` with K ≥ 2, or is all zeros.
 * @example
 * orthogonalFrameError(fromRows([[2, 0], [0, 2]])); // returns 0
 * @see Tirer & Bruna 2022, "Extended unconstrained features model for exploring deep neural collapse".
 */
export function orthogonalFrameError(vectors: AnyMatrix): number {
  const diagonal = 1 / Math.sqrt(vectors?.rows);
  return normalisedGramError(vectors, (a, c) => (a === c ? diagonal : 0));
}

/** ‖G/‖G‖_F − T‖_F for G = V Vᵀ and a unit-Frobenius target T given entrywise. */
function normalisedGramError(vectors: AnyMatrix, target: (a: number, c: number) => number): number {
  checkVectors('vectors', vectors);
  const K = vectors.rows;
  const G = gramOf(vectors).data;
  const norm = frobenius(G);
  if (norm === 0) throw new InvalidArgumentError('vectors', 'not all zero (the Gram cannot be normalised)', 'all-zero rows');
  let s = 0;
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      const e = G[a * K + c] / norm - target(a, c);
      s += e * e;
    }
  }
  return Math.sqrt(s);
}

/**
 * Equinorm: coefficient of variation of the vector norms, std/mean with the unbiased (K−1) std (Papyan et al.).
 *
 * ```math
 * \mathrm{std}_k(\|v_k\|) / \mathrm{mean}_k(\|v_k\|)
 * ```
 * @param vectors - `[K, d]` centred class means or classifier rows.
 * @returns the CoV, ≥ 0 (0 when all norms are equal).
 * @throws {InvalidArgumentError} when `vectors` is not `[K, d]` with K ≥ 2, or all norms are 0.
 * @example
 * equinorm(fromRows([[1, 0], [0, 3]])); // returns std([1, 3]) / 2 = 1.4142 / 2 = 0.7071
 * @see Papyan, Han & Donoho 2020, PNAS (Fig. 2).
 */
export function equinorm(vectors: AnyMatrix): number {
  checkVectors('vectors', vectors);
  const K = vectors.rows;
  const G = gramOf(vectors).data;
  const norms = Array.from({ length: K }, (_, k) => Math.sqrt(G[k * K + k]));
  const mean = norms.reduce((a, b) => a + b, 0) / K;
  if (mean === 0) throw new InvalidArgumentError('vectors', 'not all zero (equinorm divides by the mean norm)', 'all-zero rows');
  const variance = norms.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (K - 1);
  return Math.sqrt(variance) / mean;
}

/**
 * Equiangularity: mean over ordered pairs k ≠ k' of |cos(v_k, v_k') + 1/(K−1)| (Papyan's "coherence").
 * @param vectors - `[K, d]` centred class means or classifier rows.
 * @returns the mean deviation, ≥ 0 (0 when every angle is the ETF angle arccos(−1/(K−1))).
 * @throws {InvalidArgumentError} when `vectors` is not `[K, d]` with K ≥ 2.
 * @example
 * equiangularity(fromRows([[1, 0], [-1, 0]])); // returns 0
 * @see Papyan, Han & Donoho 2020, PNAS.
 */
export function equiangularity(vectors: AnyMatrix): number {
  checkVectors('vectors', vectors);
  const K = vectors.rows;
  const C = cosines(vectors);
  let s = 0;
  for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) if (a !== c) s += Math.abs(C[a * K + c] + 1 / (K - 1));
  return s / (K * (K - 1));
}

/**
 * Largest deviation of a pairwise angle from the simplex ETF angle, in degrees.
 *
 * ```math
 * \max_{k \ne k'} \big| \arccos\cos(v_k, v_{k'}) - \arccos(-1/(K-1)) \big|
 * ```
 * @param vectors - `[K, d]` centred class means or classifier rows.
 * @returns degrees in [0, 180].
 * @throws {InvalidArgumentError} when `vectors` is not `[K, d]` with K ≥ 2.
 * @example
 * maxAngleDeviation(fromRows([[1, 0], [0, 1], [-1, 0]])); // returns 60 (90° vs 120°)
 */
export function maxAngleDeviation(vectors: AnyMatrix): number {
  checkVectors('vectors', vectors);
  const K = vectors.rows;
  const C = cosines(vectors);
  const target = Math.acos(-1 / (K - 1));
  let m = 0;
  for (let a = 0; a < K; a++) {
    for (let c = a + 1; c < K; c++) {
      const angle = Math.acos(Math.min(1, Math.max(-1, C[a * K + c])));
      m = Math.max(m, Math.abs(angle - target));
    }
  }
  return (m * 180) / Math.PI;
}

/** Frobenius norm of a flat array (backend `norm` of its entries). @internal */
export const frobenius: (a: ArrayLike<number>) => number = norm;
