/**
 * Gaussian mixtures whose class means form a chosen frame, with isotropic within-class noise,
 * so the neural-collapse statistics have closed forms.
 */
import { InvalidArgumentError, assertFinite, assertInteger, assertMatrix64, assertPositive, createRng, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { checkDtype, type Dataset, type FloatDtype } from '../dataset.js';
import { orthogonalFrame, simplexEtf } from './frames.js';
import { blockLabels } from './labels.js';

/** Options of {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /** K ≥ 2 classes. */
  numClasses: number;
  /** n ≥ 1 samples per class (N = K·n, class-blocked). */
  perClass: number;
  /** d, the feature dimension (default: K − 1 for `'etf'`, K for `'orthogonal'`, the columns of a given matrix). */
  dim?: number;
  /** Class means: `'etf'` (default) simplex ETF, `'orthogonal'` frame, or an explicit `[K, d]` matrix. */
  means?: 'etf' | 'orthogonal' | Matrix;
  /** r, the norm of each preset mean (default 1; ignored for an explicit matrix). */
  radius?: number;
  /** s ≥ 0, the within-class standard deviation per coordinate: x = μ_k + s·z, z ~ N(0, I_d). */
  noise: number;
  /** Orientation of a preset frame (default `'canonical'`); see {@link simplexEtf}. */
  basis?: 'canonical' | 'random';
  /** Seed of the noise and of a random basis (default 0). */
  seed?: number;
  /** Precision of `x` (default `'float64'`; samples are drawn in float64 either way). */
  dtype?: FloatDtype;
}

/**
 * Population neural-collapse statistics of a mixture, with
 * Σ_W = E[(x − μ_y)(x − μ_y)ᵀ] = s² I_d and Σ_B = (1/K) Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ, μ_G = (1/K) Σ_k μ_k.
 */
export interface MixtureTheory {
  /** tr Σ_W = s² d. */
  traceWithin: number;
  /** tr Σ_B = (1/K) Σ_k ‖μ_k − μ_G‖² (r² for the ETF, r²(K−1)/K for the orthogonal frame). */
  traceBetween: number;
  /** NC1 as a trace ratio, tr Σ_W / tr Σ_B (ETF: s² d / r²; orthogonal: s² d K / (r² (K−1))). */
  traceRatio: number;
  /**
   * NC1 in Papyan's convention tr(Σ_W Σ_B^†) / K, for the preset frames only
   * (ETF: s² (K−1)² / (K r²); orthogonal: s² (K−1) / r²); `null` for explicit means.
   */
  nc1Pinv: number | null;
}

/** A synthetic dataset: samples, labels, the true means and the closed-form statistics. */
export interface SyntheticDataset<M extends Matrix | Matrix32 = Matrix | Matrix32> extends Dataset<M> {
  /** The true class means `[K, d]` (float64). */
  readonly means: Matrix;
  /** Population statistics; empirical values converge to them as n grows. */
  readonly theory: MixtureTheory;
}

/**
 * Samples K·n points x_{k,j} = μ_k + s·z_{k,j} (z ~ N(0, I_d), seeded), class-blocked: rows k·n … k·n + n − 1 belong to class k.
 * ```math
 * NC1_{trace} = tr Σ_W / tr Σ_B = s² d / r²   (simplex ETF of radius r)
 * ```
 * The empirical trace ratio (class means estimated from the sample) is biased by O(1/n):
 * E tr Σ̂_W = s² d (n−1)/n and E tr Σ̂_B = tr Σ_B + s² d (K−1)/(K n).
 * @param options - see {@link GaussianMixtureOptions}.
 * @returns `{ x: [K·n, d], labels, numClasses, means: [K, d], theory }`.
 * @throws {InvalidArgumentError} on K < 2, n < 1, s < 0 or non-finite, d too small for the frame, or explicit
 *   means whose row count differs from K or that hold a non-finite value.
 * @see Papyan, Han, Donoho (2020), PNAS (NC1, simplex ETF).
 * @example
 * const ds = gaussianMixture({ numClasses: 4, perClass: 100, dim: 6, radius: 2, noise: 0.3, seed: 1 });
 * ds.theory.traceRatio; // returns 0.135 (= 0.3² · 6 / 2²)
 */
export function gaussianMixture(options: GaussianMixtureOptions & { dtype: 'float32' }): SyntheticDataset<Matrix32>;
export function gaussianMixture(options: GaussianMixtureOptions & { dtype?: 'float64' }): SyntheticDataset<Matrix>;
export function gaussianMixture(options: GaussianMixtureOptions): SyntheticDataset;
export function gaussianMixture(options: GaussianMixtureOptions): SyntheticDataset {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'an object', options);
  const { numClasses: K, perClass: n, noise: s, seed = 0, dtype = 'float64' } = options;
  assertInteger('numClasses', K, 2);
  assertInteger('perClass', n, 1);
  assertPositive('noise', s, true);
  checkDtype(dtype);
  const preset = options.means ?? 'etf';
  let mu: Matrix;
  if (preset === 'etf' || preset === 'orthogonal') {
    const frame = { dim: options.dim, radius: options.radius, basis: options.basis, seed };
    mu = preset === 'etf' ? simplexEtf(K, frame) : orthogonalFrame(K, frame);
  } else if (typeof preset === 'object' && preset !== null) {
    assertMatrix64('means', preset, { finite: false });
    if (preset.rows !== K) throw new InvalidArgumentError('means', `a matrix with K = ${K} rows`, `[${preset.rows}, ${preset.cols}]`);
    if (options.dim !== undefined && options.dim !== preset.cols) throw new InvalidArgumentError('dim', `equal to means.cols = ${preset.cols}`, options.dim);
    assertFinite('means', preset.data, preset.cols);
    mu = { rows: K, cols: preset.cols, data: new Float64Array(preset.data) };
  } else {
    throw new InvalidArgumentError('means', "'etf', 'orthogonal' or a float64 Matrix [K, d]", preset);
  }
  const d = mu.cols;
  const N = K * n;
  // The noise stream is forked from the seed so it does not depend on whether a random basis was drawn.
  const rng = createRng(seed).fork();
  const x = dtype === 'float32' ? new Float32Array(N * d) : new Float64Array(N * d);
  for (let k = 0; k < K; k++) {
    const m = mu.data.subarray(k * d, (k + 1) * d);
    for (let j = 0; j < n; j++) {
      const o = (k * n + j) * d;
      for (let t = 0; t < d; t++) x[o + t] = m[t] + s * rng.normal();
    }
  }
  const theory = mixtureTheory(mu, s, typeof preset === 'string' ? preset : null);
  return { x: { rows: N, cols: d, data: x } as Matrix | Matrix32, labels: blockLabels(K, n), numClasses: K, means: mu, theory };
}

function mixtureTheory(mu: Matrix, s: number, preset: 'etf' | 'orthogonal' | null): MixtureTheory {
  const { rows: K, cols: d } = mu;
  const g = new Float64Array(d);
  for (let k = 0; k < K; k++) for (let t = 0; t < d; t++) g[t] += mu.data[k * d + t] / K;
  let tb = 0;
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < d; t++) {
      const c = mu.data[k * d + t] - g[t];
      tb += c * c;
    }
  }
  tb /= K;
  const tw = s * s * d;
  let nc1Pinv: number | null = null;
  if (preset !== null) {
    // Σ_B has K − 1 equal non-zero eigenvalues λ = tb / (K − 1), so tr(Σ_W Σ_B^†) / K = s² (K − 1) / (λ K).
    const lambda = tb / (K - 1);
    nc1Pinv = (s * s * (K - 1)) / (lambda * K);
  }
  return { traceWithin: tw, traceBetween: tb, traceRatio: tb > 0 ? tw / tb : Number.POSITIVE_INFINITY, nc1Pinv };
}
