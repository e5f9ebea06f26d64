/**
 * Cheap single-metric entry points for other packages (deep-rfm, ufm, nn-probes, spectra): class
 * means, NC1 trace ratio, NC1 pinv, and the explicit d×d covariances when a caller really needs them.
 */
import { InvalidArgumentError, assertMatrix, validateLabels } from '@nclab/backend/host';
import type { AnyMatrix, LinalgRequest, Matrix } from '@nclab/backend/host';
import { ClassMeanAccumulator } from './class-means.js';
import type { ClassMeans } from './class-means.js';
import { NON_EMPTY } from './inputs.js';
import { DegenerateClassMeansError } from './errors.js';
import { betweenClassEigen, centreMeans, globalMean, recentreProjectedScatter, traceWithinPinvBetween } from './nc1.js';
import type { GlobalMeanMode } from './nc1.js';
import { ResidualAccumulator } from './residuals.js';

/** Options shared by the shortcuts. */
export interface ShortcutOptions {
  /** K; default max label + 1. */
  numClasses?: number;
  /** Drop classes without samples instead of throwing. Default false. */
  dropEmptyClasses?: boolean;
  /** Global mean used for Σ_B. Default 'classMeanAverage'. */
  globalMean?: GlobalMeanMode;
  /** Float64 path of the products and eigendecompositions (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  linalg?: LinalgRequest;
  /**
   * {@link classMeans} of these same features and labels, when the caller already has them (several
   * metrics of one feature matrix then make one pass for the means instead of one each). Checked
   * against the features' shape; the other options are then the ones the means were made with.
   */
  means?: ClassMeans;
}

/**
 * Class counts and class means (float64) of a feature matrix.
 * @param features - `[N, d]` rows.
 * @param labels - `[N]` integer labels.
 * @param options - numClasses, dropEmptyClasses.
 * @returns counts, means `[K, d]` and the class-id mapping.
 * @throws {InvalidArgumentError} on NaN/Inf, bad labels, an empty class (unless dropped) or K < 2.
 * @example
 * classMeans(fromRows([[0, 0], [2, 0], [0, 4]]), [0, 0, 1]).means; // rows [1, 0] and [0, 4]
 */
export function classMeans(features: AnyMatrix, labels: ArrayLike<number>, options: ShortcutOptions = {}): ClassMeans {
  assertMatrix('features', features, NON_EMPTY);
  const numClasses = options.numClasses ?? validateLabels('labels', labels, features.rows).numClasses;
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new InvalidArgumentError('labels', 'K >= 2 classes', numClasses);
  return new ClassMeanAccumulator({ numClasses, dim: features.cols }).update(features, labels).finalize({ dropEmptyClasses: options.dropEmptyClasses });
}

/** `options.means` checked against the features, or the class means computed here. */
function meansOf(features: AnyMatrix, labels: ArrayLike<number>, options: ShortcutOptions): ClassMeans {
  const m = options.means;
  if (m === undefined) return classMeans(features, labels, options);
  if (m.n !== features.rows || m.d !== features.cols || labels.length !== features.rows) {
    throw new InvalidArgumentError('means', `the class means of these ${features.rows}×${features.cols} features and ${features.rows} labels`, `means of ${m.n}×${m.d} (labels: ${labels.length})`);
  }
  return m;
}

function mappedLabels(means: ClassMeans, labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = means.labelToClass[labels[i]];
  return out;
}

/**
 * NC1 as the trace ratio tr Σ_W / tr Σ_B (Σ_W divided by N, Σ_B by K), in O(N·d).
 *
 * ```math
 * \frac{\operatorname{tr}\Sigma_W}{\operatorname{tr}\Sigma_B} = \frac{\frac1N\sum_i \|x_i - \mu_{y_i}\|^2}{\frac1K \sum_k \|\mu_k - \mu_G\|^2}
 * ```
 * Invariant to rotations and scaling of the features. (Beaglehole et al.'s code divides Σ_W by K·N:
 * divide this by K to compare.)
 * @param features - `[N, d]` rows.
 * @param labels - `[N]` integer labels.
 * @param options - numClasses, dropEmptyClasses, globalMean, precomputed means.
 * @returns the ratio, ≥ 0.
 * @throws {InvalidArgumentError} as {@link classMeans}, when all class means are equal, or for `means` of other features.
 * @example
 * nc1TraceRatio(features, labels); // 0.135 for an ETF of norm 2 with 0.3²·I noise in d = 6
 * @see Tirer, Huang & Niles-Weed 2023; Beaglehole et al. 2024.
 */
export function nc1TraceRatio(features: AnyMatrix, labels: ArrayLike<number>, options: ShortcutOptions = {}): number {
  const means = meansOf(features, labels, options);
  const { K, d, n } = means;
  const lab = mappedLabels(means, labels);
  const M = means.means.data;
  const x = features.data;
  let within = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const mo = lab[i] * d;
    for (let j = 0; j < d; j++) {
      const v = x[xo + j] - M[mo + j];
      within += v * v;
    }
  }
  const centred = centreMeans(means.means, globalMean(means.means, means.counts, options.globalMean ?? 'classMeanAverage'));
  let between = 0;
  for (let i = 0; i < centred.data.length; i++) between += centred.data[i] ** 2;
  if (between === 0) throw new DegenerateClassMeansError();
  return within / n / (between / K);
}

/**
 * Papyan's NC1, tr(Σ_W Σ_B^†)/K with Σ_B^† from the top K−1 eigenpairs, in O(N·d·K) (no d×d matrix).
 *
 * ```math
 * \mathrm{NC1} = \frac1K \sum_{j=1}^{K-1} \frac{v_j^\top \Sigma_W v_j}{\lambda_j}
 * ```
 * @param features - `[N, d]` rows.
 * @param labels - `[N]` integer labels.
 * @param options - numClasses, dropEmptyClasses, globalMean, precomputed means.
 * @returns NC1 ≥ 0.
 * @throws {InvalidArgumentError} as {@link classMeans}, when all class means are equal, or for `means` of other features.
 * @example
 * nc1Pinv(features, labels); // 0.050625 for an ETF of norm 2 with 0.3²·I noise (K = 4)
 * @see Papyan, Han & Donoho 2020, PNAS.
 */
export function nc1Pinv(features: AnyMatrix, labels: ArrayLike<number>, options: ShortcutOptions = {}): number {
  const means = meansOf(features, labels, options);
  const res = new ResidualAccumulator(means, { linalg: options.linalg }).update(features, labels).finalize();
  const mode = options.globalMean ?? 'classMeanAverage';
  const centred = centreMeans(means.means, globalMean(means.means, means.counts, mode));
  const weights = Float64Array.from(means.counts, (c) => (mode === 'classMeanAverage' ? 1 / means.K : c / means.n));
  const T = mode === 'classMeanAverage' ? res.projectedScatter : recentreProjectedScatter(res.projectedScatter, weights);
  const eigen = betweenClassEigen(centred, { linalg: options.linalg });
  if (eigen.rank === 0) throw new DegenerateClassMeansError();
  return traceWithinPinvBetween(eigen, T, means.n) / means.K;
}

/**
 * The explicit within-class covariance Σ_W = (1/N) Σ_i (x_i − μ_{y_i})(x_i − μ_{y_i})ᵀ, `[d, d]`, float64.
 * Costs O(N·d²): the metric suite never needs it; use it to inspect Σ_W itself.
 * @param features - `[N, d]` rows.
 * @param labels - `[N]` integer labels.
 * @param options - numClasses, dropEmptyClasses.
 * @returns Σ_W, `[d, d]`.
 * @throws {InvalidArgumentError} as {@link classMeans}.
 * @example
 * withinClassCovariance(fromRows([[1, 0], [3, 0], [0, 1], [0, 1]]), [0, 0, 1, 1]); // diag(0.5, 0)
 */
export function withinClassCovariance(features: AnyMatrix, labels: ArrayLike<number>, options: ShortcutOptions = {}): Matrix {
  const means = classMeans(features, labels, options);
  const res = new ResidualAccumulator(means, { fullScatter: true, linalg: options.linalg }).update(features, labels).finalize();
  const S = res.scatter!;
  return { rows: S.rows, cols: S.cols, data: Float64Array.from(S.data, (v) => v / means.n) };
}

/**
 * The explicit between-class covariance Σ_B = (1/K) Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ, `[d, d]`, float64.
 * @param means - class means `[K, d]`.
 * @param counts - samples per class `[K]` (used by 'sampleWeighted').
 * @param options.globalMean - default 'classMeanAverage'.
 * @returns Σ_B, `[d, d]` (rank ≤ K − 1).
 * @throws {InvalidArgumentError} when `counts` does not have K entries.
 * @example
 * betweenClassCovariance(fromRows([[2, 0], [0, 1]]), [2, 2]); // vvᵀ with v = (1, −0.5)
 */
export function betweenClassCovariance(means: Matrix, counts: ArrayLike<number>, options: { globalMean?: GlobalMeanMode } = {}): Matrix {
  const { rows: K, cols: d } = means;
  const c = centreMeans(means, globalMean(means, counts, options.globalMean ?? 'classMeanAverage'));
  const out = new Float64Array(d * d);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < d; a++) {
      const va = c.data[k * d + a] / K;
      if (va === 0) continue;
      for (let b = 0; b < d; b++) out[a * d + b] += va * c.data[k * d + b];
    }
  }
  return { rows: d, cols: d, data: out };
}
