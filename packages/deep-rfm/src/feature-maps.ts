/**
 * Random feature maps Φ(z) of Deep RFM: random ReLU features, random Fourier features, and a random
 * linear map (the no-collapse control).
 */
import { InvalidArgumentError, assertInteger, gemm, type LinalgRequest, type Matrix, type Rng } from '@nclab/backend/host';

/** The random feature maps: random ReLU, random Fourier (cosine) features, random linear map. */
export const FEATURE_MAP_KINDS = ['relu', 'rff', 'linear'] as const;
/** Which random feature map (one of {@link FEATURE_MAP_KINDS}). */
export type FeatureMapKind = (typeof FEATURE_MAP_KINDS)[number];

/** Options of {@link sampleFeatureMap}. */
export interface FeatureMapOptions {
  readonly kind: FeatureMapKind;
  /** Number of features D ≥ 1. */
  readonly width: number;
  /** ReLU only: add a bias uniform on [−1, 1). Default false (no bias). */
  readonly bias?: boolean;
  /** Standard deviation of the entries of W for `relu` and `linear`. Default 1 (standard Gaussian, as in the paper). */
  readonly weightStd?: number;
  /** RFF only: the kernel approximated, `'laplace'` exp(−‖x−y‖/σ) or `'gaussian'` exp(−‖x−y‖²/(2σ²)). Default `'laplace'`. */
  readonly rffKernel?: 'laplace' | 'gaussian';
  /** RFF only: its bandwidth σ > 0. Default 1. */
  readonly rffBandwidth?: number;
}

/** A sampled feature map: Φ(z) = σ(W z + b). */
export interface FeatureMap {
  readonly kind: FeatureMapKind;
  /** `[D, d]`. */
  readonly w: Matrix;
  /** `[D]` or undefined. */
  readonly b?: Float64Array;
  /** Output scale (√(2/D) for RFF, 1 otherwise). */
  readonly scale: number;
}

/**
 * Samples a random feature map for inputs of dimension `d`:
 * - `relu`: σ(Wz + b), W_ij ~ N(0, s²) (s = `weightStd`, default 1), optional b ~ U[−1, 1);
 * - `rff`: √(2/D) cos(Wz + b), b ~ U[0, 2π), rows of W ~ N(0, I/σ²) (Gaussian kernel) or
 *   multivariate Cauchy g/(σ|u|), g ~ N(0, I), u ~ N(0, 1) (Laplace kernel exp(−‖x−y‖₂/σ));
 * - `linear`: Wz with W_ij ~ N(0, s²).
 * @param d - input dimension.
 * @param options - kind, width and parameters.
 * @param rng - the seeded generator (consumed).
 * @returns the map.
 * @throws {InvalidArgumentError} for width < 1, an unknown kind, or a non-positive bandwidth.
 */
export function sampleFeatureMap(d: number, options: FeatureMapOptions, rng: Rng): FeatureMap {
  const { kind, width } = options;
  assertInteger('width', width, 1);
  if (kind !== 'relu' && kind !== 'rff' && kind !== 'linear') throw new InvalidArgumentError('featureMap', "'relu', 'rff' or 'linear'", kind);
  const w = new Float64Array(width * d);
  if (kind === 'rff') {
    const sigma = options.rffBandwidth ?? 1;
    if (!(sigma > 0) || !Number.isFinite(sigma)) throw new InvalidArgumentError('rffBandwidth', 'a positive finite number', sigma);
    const laplace = (options.rffKernel ?? 'laplace') === 'laplace';
    for (let r = 0; r < width; r++) {
      let s = 1 / sigma;
      if (laplace) {
        let u = 0;
        while (u === 0) u = rng.normal();
        s /= Math.abs(u);
      }
      for (let k = 0; k < d; k++) w[r * d + k] = s * rng.normal();
    }
    const b = new Float64Array(width);
    for (let r = 0; r < width; r++) b[r] = 2 * Math.PI * rng.uniform();
    return { kind, w: { rows: width, cols: d, data: w }, b, scale: Math.sqrt(2 / width) };
  }
  const std = options.weightStd ?? 1;
  if (!(std > 0) || !Number.isFinite(std)) throw new InvalidArgumentError('weightStd', 'a positive finite number', std);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  let b: Float64Array | undefined;
  if (kind === 'relu' && options.bias) {
    b = new Float64Array(width);
    for (let r = 0; r < width; r++) b[r] = 2 * rng.uniform() - 1;
  }
  return { kind, w: { rows: width, cols: d, data: w }, b, scale: 1 };
}

/**
 * Applies a feature map to the rows of `z` `[n, d]`.
 * @param linalg - float64 path of the product Z Wᵀ (default: backend's global path).
 * @returns `[n, D]`.
 * @throws {InvalidArgumentError} when `z` has the wrong number of columns.
 */
export function applyFeatureMap(map: FeatureMap, z: Matrix, linalg?: LinalgRequest): Matrix {
  if (z.cols !== map.w.cols) throw new InvalidArgumentError('z', `a matrix with ${map.w.cols} columns`, `[${z.rows}, ${z.cols}]`);
  const out = gemm(z, map.w, { transB: true, linalg });
  const D = map.w.rows;
  const o = out.data;
  for (let i = 0; i < z.rows; i++) {
    const row = i * D;
    for (let r = 0; r < D; r++) {
      let v = o[row + r] + (map.b ? map.b[r] : 0);
      if (map.kind === 'relu') v = v > 0 ? v : 0;
      else if (map.kind === 'rff') v = map.scale * Math.cos(v);
      o[row + r] = v;
    }
  }
  return out;
}

/**
 * Proposition A.1 (the degree-1 arc-cosine kernel, Cho & Saul 2009): for unit x, y with xᵀy = r and
 * W with N(0, 2/D) entries,
 *
 * ```math
 * \mathbb E[\sigma(Wx)^\top \sigma(Wy)] = \frac{(1-r^2)^{3/2}}{\pi} + \frac{r^2\sqrt{1-r^2}}{\pi} + \frac r2 + \frac r\pi \arctan\frac{r}{\sqrt{1-r^2}}
 * = \frac{\sqrt{1-r^2} + (\pi - \arccos r)\, r}{\pi}
 * ```
 * @param r - cosine in [−1, 1].
 * @returns the expectation.
 * @throws {InvalidArgumentError} for r outside [−1, 1].
 * @example
 * arcCosineExpectation(1); // returns 1
 * arcCosineExpectation(0); // returns 1/π
 */
export function arcCosineExpectation(r: number): number {
  if (!(r >= -1 && r <= 1)) throw new InvalidArgumentError('r', 'a cosine in [-1, 1]', r);
  const s = Math.sqrt(Math.max(0, 1 - r * r));
  const atan = s === 0 ? Math.sign(r) * (Math.PI / 2) : Math.atan(r / s);
  return (Math.pow(1 - r * r, 1.5) + r * r * s) / Math.PI + r / 2 + (r / Math.PI) * atan;
}
