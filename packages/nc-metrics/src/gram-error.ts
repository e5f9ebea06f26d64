/**
 * The quantity whose exponential decay Theorem 4.3 of Beaglehole et al. (2024) predicts across Deep
 * RFM layers, and a log-linear fit of that rate.
 *
 * ```math
 * e_l = \big\|\tilde X_l^\top \tilde X_l - y y^\top\big\|_F, \qquad (y y^\top)_{ij} = [y_i = y_j]
 * ```
 *
 * The paper stores samples as columns (X̃ is d×N); here rows are samples, so X̃ᵀX̃ is F Fᵀ for the
 * `[N, d]` feature matrix F. y is the `[N, K]` one-hot label matrix, so yyᵀ is the collapsed Gram
 * I_K ⊗ 1_n1_nᵀ (after sorting by class): the fixed point of the Deep RFM iteration (Lemma B.2).
 * The theorem leaves the norm unnamed; the Frobenius norm is used, computed without forming F Fᵀ − yyᵀ
 * (‖FᵀF‖_F is ‖FFᵀ‖_F; the smaller of the two Grams is formed):
 *
 * ```math
 * e^2 = \|F^\top F\|_F^2 - 2 \textstyle\sum_k \|s_k\|^2 + \sum_k n_k^2, \qquad s_k = \sum_{y_i = k} f_i
 * ```
 *
 * The theorem's Deep RFM neither normalises the data nor centres it; Deep RFM as run normalises rows,
 * so `normalize: true` measures unit-norm rows (whose Gram has the fixed point's unit diagonal).
 * @see Beaglehole et al., "Average gradient outer product as a mechanism for deep neural collapse", 2024,
 *   Theorem 4.3 and Lemma B.2.
 */
import { assertMatrix, InvalidArgumentError, productArray, syrk, unitRows, validateLabels, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';

/** Options of {@link gramError}. */
export interface GramErrorOptions {
  /** Scale every row of F to unit norm first (zero rows stay zero). Default false (the theorem's X̃). */
  readonly normalize?: boolean;
  /** Float64 path of the Gram product (default: backend's global path). */
  readonly linalg?: LinalgRequest;
}

/** Result of {@link gramError}. */
export interface GramErrorResult {
  /** ‖F Fᵀ − yyᵀ‖_F. */
  readonly gramError: number;
  /** gramError / ‖yyᵀ‖_F, with ‖yyᵀ‖_F = √(Σ_k n_k²). */
  readonly relativeGramError: number;
}

/**
 * The Gram error of Theorem 4.3 for one layer's features.
 * @param features - `[N, d]` rows f_i (the layer's X̃ with samples as rows).
 * @param labels - `[N]` integer labels.
 * @param options - row normalisation.
 * @returns the Frobenius error and its relative form.
 * @throws {InvalidArgumentError} for a bad matrix, non-finite entries or bad labels.
 * @example
 * gramError(fromRows([[1, 0], [1, 0], [0, 1]]), [0, 0, 1]); // { gramError: 0, relativeGramError: 0 }
 */
export function gramError(features: AnyMatrix, labels: ArrayLike<number>, options: GramErrorOptions = {}): GramErrorResult {
  assertMatrix('features', features, { minRows: 1, minCols: 1 });
  const { rows: N, cols: d } = features;
  const lab = validateLabels('labels', labels, N).labels;
  let f: Float64Array;
  if (options.normalize === true) {
    f = productArray(Float64Array, N * d, { linalg: options.linalg }); // the syrk below reads it in place
    unitRows(features.data, N, d, f);
  } else {
    f = productArray(Float64Array, N * d, { linalg: options.linalg });
    f.set(features.data);
  }
  const F: Matrix = { rows: N, cols: d, data: f };
  // ‖FᵀF‖_F = ‖FFᵀ‖_F (both Σσ_i⁴): the smaller Gram, as a symmetric rank-k product (half a GEMM)
  const ftf = syrk(F, { trans: d <= N, linalg: options.linalg }); // [min(N, d), min(N, d)]
  let gram2 = 0;
  for (let p = 0; p < ftf.data.length; p++) gram2 += ftf.data[p] ** 2;
  const K = lab.reduce((m, v) => Math.max(m, v + 1), 0);
  const sums = new Float64Array(K * d);
  const counts = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    counts[lab[i]]++;
    for (let j = 0; j < d; j++) sums[lab[i] * d + j] += f[i * d + j];
  }
  let cross = 0;
  for (let p = 0; p < sums.length; p++) cross += sums[p] ** 2;
  let target2 = 0;
  for (let k = 0; k < K; k++) target2 += counts[k] ** 2;
  const e = Math.sqrt(Math.max(0, gram2 - 2 * cross + target2));
  return { gramError: e, relativeGramError: e / Math.sqrt(target2) };
}

/** Result of {@link fitExponentialRate}. */
export interface ExponentialRateFit {
  /** Per-layer contraction factor q with e_l ≈ C·q^l (q = exp(slope); q < 1 means decay). */
  readonly rate: number;
  /** Slope of the least-squares line through (l, ln e_l). */
  readonly logSlope: number;
  /** Intercept ln C of that line. */
  readonly logIntercept: number;
  /** Coefficient of determination of the log-linear fit (1 for an exact geometric sequence). */
  readonly r2: number;
  /** Number of points used (the positive values). */
  readonly points: number;
}

/**
 * Least-squares fit of an exponential rate e_l ≈ C·q^l over layers, in log space:
 *
 * ```math
 * \min_{a,b} \textstyle\sum_l (\ln e_l - a - b\,l)^2,\qquad q = e^{b},\qquad
 * R^2 = 1 - \frac{\sum_l (\ln e_l - a - b l)^2}{\sum_l (\ln e_l - \overline{\ln e})^2}
 * ```
 *
 * Non-positive values (exact collapse, where the logarithm is −∞) are skipped. A constant sequence has
 * zero total variance: R² is then reported as 1 (the line fits exactly).
 * @param errors - e_l per layer (e.g. {@link gramError} of each Deep RFM layer).
 * @param layers - the layer index of each value; default 1, 2, ….
 * @returns the rate q, the line's slope and intercept, and R².
 * @throws {InvalidArgumentError} when fewer than two positive values remain, values are not finite, or
 *   `layers` has the wrong length or all-equal entries.
 * @example
 * fitExponentialRate([8, 4, 2, 1]); // { rate: 0.5, r2: 1, ... }
 */
export function fitExponentialRate(errors: ArrayLike<number>, layers?: ArrayLike<number>): ExponentialRateFit {
  if (errors == null || typeof errors.length !== 'number') throw new InvalidArgumentError('errors', 'an array of numbers', errors);
  if (layers !== undefined && layers.length !== errors.length) throw new InvalidArgumentError('layers', `of length ${errors.length}`, layers.length);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    const l = layers === undefined ? i + 1 : layers[i];
    if (!Number.isFinite(e) || !Number.isFinite(l)) throw new InvalidArgumentError('errors', 'finite numbers', e, `at index ${i}`);
    if (e > 0) {
      xs.push(l);
      ys.push(Math.log(e));
    }
  }
  const m = xs.length;
  if (m < 2) throw new InvalidArgumentError('errors', 'at least two positive values', m);
  const mx = xs.reduce((a, b) => a + b, 0) / m;
  const my = ys.reduce((a, b) => a + b, 0) / m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new InvalidArgumentError('layers', 'at least two distinct layer indices', layers);
  const b = sxy / sxx;
  const a = my - b * mx;
  let sse = 0;
  for (let i = 0; i < m; i++) sse += (ys[i] - a - b * xs[i]) ** 2;
  const r2 = syy > 0 ? 1 - sse / syy : 1;
  return { rate: Math.exp(b), logSlope: b, logIntercept: a, r2, points: m };
}
