/**
 * NC3: self-duality, the alignment of the classifier rows with the class means.
 */
import { InvalidArgumentError, assertMatrix } from '@nclab/backend/host';
import type { AnyMatrix } from '@nclab/backend/host';
import { frobenius } from './nc2.js';
import { NON_EMPTY } from './inputs.js';

function checkPair(classifier: unknown, means: unknown): asserts classifier is AnyMatrix {
  assertMatrix('classifier', classifier, NON_EMPTY);
  assertMatrix('means', means, NON_EMPTY);
  const m = means as AnyMatrix;
  if (classifier.rows !== m.rows || classifier.cols !== m.cols) {
    throw new InvalidArgumentError('classifier', `of the same shape as means [${m.rows}, ${m.cols}]`, `[${classifier.rows}, ${classifier.cols}]`);
  }
}

/**
 * Self-duality error between the classifier and the class means, both scaled to unit Frobenius norm.
 *
 * ```math
 * \mathrm{NC3} = \Big\| \frac{W}{\|W\|_F} - \frac{M}{\|M\|_F} \Big\|_F
 * ```
 * Pass centred means M̃ (Papyan et al.) or uncentred means H̄ᵀ (Tirer & Bruna: the variant that reaches 0
 * in bias-free MSE settings, where the centred one plateaus at √(2 − 2√((K−1)/K))).
 * @param classifier - W, `[K, d]`.
 * @param means - class means as rows, `[K, d]` (centred or not, the caller's choice).
 * @param options.squared - return the squared norm (Papyan et al.'s code). Default false.
 * @returns the error in [0, 2] (its square with `squared`).
 * @throws {InvalidArgumentError} on mismatched shapes or an all-zero argument.
 * @example
 * selfDualityError(fromRows([[1, 0], [0, 1]]), fromRows([[3, 0], [0, 3]])); // returns 0
 * @see Papyan, Han & Donoho 2020; Tirer & Bruna 2022 (NC3, uncentred).
 */
export function selfDualityError(classifier: AnyMatrix, means: AnyMatrix, options: { squared?: boolean } = {}): number {
  checkPair(classifier, means);
  const nw = frobenius(classifier.data);
  const nm = frobenius(means.data);
  if (nw === 0) throw new InvalidArgumentError('classifier', 'not all zero', 'all-zero matrix');
  if (nm === 0) throw new InvalidArgumentError('means', 'not all zero', 'all-zero matrix');
  let s = 0;
  for (let i = 0; i < classifier.data.length; i++) {
    const e = classifier.data[i] / nw - means.data[i] / nm;
    s += e * e;
  }
  return options.squared ? s : Math.sqrt(s);
}

/**
 * Zhu et al.'s W–H relation: the classifier applied to the centred means, against the normalised ETF.
 *
 * ```math
 * \Big\| \frac{W \tilde M^\top}{\|W \tilde M^\top\|_F} - \frac{I_K - \mathbf 1\mathbf 1^\top/K}{\sqrt{K-1}} \Big\|_F
 * ```
 * @param classifier - W, `[K, d]`.
 * @param centredMeans - M̃, `[K, d]`, class means minus the global mean.
 * @returns the error in [0, 2].
 * @throws {InvalidArgumentError} on mismatched shapes or a zero product.
 * @example
 * classifierMeansEtfError(M, M); // returns 0 when M's rows form a simplex ETF
 * @see Zhu et al. 2021, "A geometric analysis of neural collapse with unconstrained features" (`compute_W_H_relation`).
 */
export function classifierMeansEtfError(classifier: AnyMatrix, centredMeans: AnyMatrix): number {
  checkPair(classifier, centredMeans);
  const { rows: K, cols: d } = classifier;
  const P = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += classifier.data[a * d + j] * centredMeans.data[c * d + j];
      P[a * K + c] = s;
    }
  }
  const norm = frobenius(P);
  if (norm === 0) throw new InvalidArgumentError('classifier', 'not orthogonal to every centred mean (W M̃ᵀ = 0)', 'zero product');
  const scale = 1 / Math.sqrt(K - 1);
  let s = 0;
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      const e = P[a * K + c] / norm - ((a === c ? 1 : 0) - 1 / K) * scale;
      s += e * e;
    }
  }
  return Math.sqrt(s);
}
