/**
 * `@nclab/agop/egop`: the expected gradient outer product (EGOP) of any differentiable tfjs function, via
 * autodiff on the tensor engine of `@nclab/backend`. A subpath entry so that `@nclab/agop` itself never
 * loads TensorFlow.js (`@tensorflow/tfjs-core` is an optional peer: install it with a tfjs backend to use
 * this entry, e.g. `npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm`).
 */
import { InvalidArgumentError, getTf, syrk, type AnyMatrix, type Matrix } from '@nclab/backend';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { checkMatrix } from './checks.js';

/** Options of {@link egop}. */
export interface EgopOptions {
  /** Rows per autodiff batch. Default 256. */
  readonly batchSize?: number;
  /** Centre each output's gradients over the points first. Default false. */
  readonly centered?: boolean;
  /** `'none'` (default): the mean; `'max'`: divided by the largest entry. */
  readonly normalize?: 'none' | 'max';
}

/** Result of {@link egop}. */
export interface EgopResult {
  /** The `[d, d]` EGOP in float64 (gradients themselves come from the engine in float32). */
  readonly egop: Matrix;
  /** Number of outputs K of the function. */
  readonly outputs: number;
  /** Number of points n. */
  readonly points: number;
  /** The divisor of `normalize: 'max'` (1 otherwise). */
  readonly scale: number;
}

/**
 * EGOP of a function f: R^d → R^K applied row-wise (no interaction between rows, e.g. no batch norm in
 * training mode), with per-sample Jacobians from reverse-mode autodiff:
 *
 * ```math
 * \mathrm{EGOP}(f, X) = \frac{1}{n} \sum_{i=1}^n \sum_{c=1}^K \nabla f_c(x_i)\, \nabla f_c(x_i)^\top
 * ```
 *
 * Needs an initialised engine (`await initEngine()` from `@nclab/backend`).
 * @param fn - maps a `[b, d]` tensor to `[b, K]`.
 * @param x - points `[n, d]`.
 * @param options - batch size, centring, normalisation.
 * @returns the EGOP `[d, d]` accumulated in float64.
 * @throws {InvalidArgumentError} for NaN input, a bad batch size, or a function whose output is not `[b, K]`.
 * @example
 * import { getTf, initEngine } from '@nclab/backend';
 * import { egop } from '@nclab/agop/egop';
 * await initEngine();
 * const tf = getTf();
 * const w = tf.tensor2d([[1, 0], [0, 2]]);
 * const { egop: g } = await egop((t) => tf.matMul(t, w), x); // returns W Wᵀ = diag(1, 4)
 */
export async function egop(fn: (x: Tensor2D) => Tensor2D, x: AnyMatrix, options: EgopOptions = {}): Promise<EgopResult> {
  checkMatrix('x', x);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize', 'a positive integer', batchSize);
  const tf = getTf();
  const n = x.rows;
  const d = x.cols;
  const sum = new Float64Array(d * d);
  let K = -1;
  let means: Float64Array | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const b = end - start;
    const xb = tf.tensor2d(Float32Array.from(x.data.subarray(start * d, end * d)), [b, d]);
    try {
      if (K < 0) {
        const out = tf.tidy(() => fn(xb));
        const shape = out.shape;
        out.dispose();
        if (shape.length !== 2 || shape[0] !== b) throw new InvalidArgumentError('fn', `a function returning [${b}, K] for a [${b}, ${d}] input`, `[${shape.join(', ')}]`);
        K = shape[1];
        means = new Float64Array(K * d);
      }
      for (let c = 0; c < K; c++) {
        const grad = tf.tidy(() => tf.grad((t) => tf.sum(tf.slice(fn(t as Tensor2D), [0, c], [b, 1])))(xb));
        const g32 = grad.dataSync() as Float32Array;
        grad.dispose();
        const g: Matrix = { rows: b, cols: d, data: Float64Array.from(g32) };
        const s = syrk(g, { trans: true });
        for (let i = 0; i < sum.length; i++) sum[i] += s.data[i];
        if (options.centered) for (let r = 0; r < b; r++) for (let k = 0; k < d; k++) (means as Float64Array)[c * d + k] += g.data[r * d + k];
      }
    } finally {
      xb.dispose();
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= n;
  if (options.centered && means) {
    for (let c = 0; c < K; c++) {
      for (let r = 0; r < d; r++) {
        const mr = means[c * d + r] / n;
        for (let s = 0; s < d; s++) sum[r * d + s] -= mr * (means[c * d + s] / n);
      }
    }
  }
  let scale = 1;
  if (options.normalize === 'max') {
    let mx = 0;
    for (let i = 0; i < sum.length; i++) mx = Math.max(mx, sum[i]);
    if (mx > 0) {
      scale = mx;
      for (let i = 0; i < sum.length; i++) sum[i] /= mx;
    }
  }
  return { egop: { rows: d, cols: d, data: sum }, outputs: K, points: n, scale };
}
