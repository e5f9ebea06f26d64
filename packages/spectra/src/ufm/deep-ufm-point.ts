import { InvalidArgumentError, validateLabels, type Matrix } from '@nclab/backend';
import { mul } from '../internal/small.js';

/**
 * A parameter point of a deep UFM (linear or ReLU), e.g. the closed-form optimum from
 * `deepLinearUfmOptimum` of `@nclab/ufm`, or the end of a training run.
 *
 * ```math
 * f(H_1) = W_L σ(W_{L−1} ⋯ σ(W_1 H_1)),   σ = id (linear) or ReLU
 * ```
 */
export interface DeepUfmPoint {
  /** W_1 … W_L; W_l of shape [d_{l+1}, d_l], W_L of shape [K, d_L]. */
  readonly weights: readonly Matrix[];
  /** Free features H_1 of shape [d_1, N] (one column per sample). */
  readonly h: Matrix;
  /** Class of each column of H_1, in [0, K). */
  readonly labels: ArrayLike<number>;
  /** σ between layers. Default `'linear'`. */
  readonly activation?: 'linear' | 'relu';
}

/** The forward pass of a {@link DeepUfmPoint} (internal to the spectra analysis). */
export interface DeepUfmForward {
  readonly K: number;
  readonly N: number;
  readonly L: number;
  readonly labels: Int32Array;
  /** Layer inputs H_1 … H_L and output H_{L+1} (index l−1 holds H_l), each [d_l, N]. */
  readonly inputs: Matrix[];
  /** Pre-activations Z_l = W_l H_l, l = 1 … L (index l−1). */
  readonly pre: Matrix[];
  readonly relu: boolean;
}

/**
 * Validates a point and runs its forward pass.
 * @throws {InvalidArgumentError} on inconsistent shapes or labels.
 */
export function deepUfmForward(point: DeepUfmPoint): DeepUfmForward {
  if (point == null || !Array.isArray(point.weights) || point.weights.length === 0) {
    throw new InvalidArgumentError('point.weights', 'a non-empty array of matrices W_1 … W_L', point?.weights);
  }
  const act = point.activation ?? 'linear';
  if (act !== 'linear' && act !== 'relu') throw new InvalidArgumentError('point.activation', `'linear' or 'relu'`, act);
  const L = point.weights.length;
  const K = point.weights[L - 1].rows;
  const N = point.h.cols;
  if (point.h.rows !== point.weights[0].cols) {
    throw new InvalidArgumentError('point.h', `of shape [d_1 = ${point.weights[0].cols}, N]`, `[${point.h.rows}, ${point.h.cols}]`);
  }
  for (let l = 1; l < L; l++) {
    if (point.weights[l].cols !== point.weights[l - 1].rows) {
      throw new InvalidArgumentError(`point.weights[${l}]`, `with ${point.weights[l - 1].rows} columns (rows of W_${l})`, `[${point.weights[l].rows}, ${point.weights[l].cols}]`);
    }
  }
  const { labels } = validateLabels('point.labels', point.labels, N, K);
  const inputs: Matrix[] = [point.h];
  const pre: Matrix[] = [];
  for (let l = 0; l < L; l++) {
    const z = mul(point.weights[l], inputs[l]);
    pre.push(z);
    if (act === 'relu' && l < L - 1) inputs.push({ rows: z.rows, cols: z.cols, data: z.data.map((x) => (x > 0 ? x : 0)) });
    else inputs.push(z);
  }
  return { K, N, L, labels, inputs, pre, relu: act === 'relu' };
}

/** Checks a 1-based layer index. */
export function assertLayer(layer: number, L: number): void {
  if (!Number.isInteger(layer) || layer < 1 || layer > L) throw new InvalidArgumentError('layer', `an integer in 1..L = ${L}`, layer);
}

/**
 * Per-sample Jacobians of the output with respect to the output of layer `layer` (before the
 * next σ): J_i = W_L D^{L−1}_i W_{L−1} ⋯ W_{l+1} D^l_i  ([K, d_{l+1}]); for the linear model J_i = A_l.
 * Returned as N row-major K×d_{l+1} arrays.
 */
export function outputJacobians(point: DeepUfmPoint, fw: DeepUfmForward, layer: number): Float64Array[] {
  const { K, N, L } = fw;
  const out: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    // J starts as I_K at the output (layer L) and is pushed back one layer at a time.
    let cols = K;
    let J = new Float64Array(K * K);
    for (let k = 0; k < K; k++) J[k * K + k] = 1;
    for (let m = L; m > layer; m--) {
      // J ← J W_m D_{m−1}: W_m is [d_{m+1}, d_m]; m is 1-based.
      const W = point.weights[m - 1];
      const next = new Float64Array(K * W.cols);
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < cols; r++) {
          const x = J[k * cols + r];
          if (x === 0) continue;
          for (let s = 0; s < W.cols; s++) next[k * W.cols + s] += x * W.data[r * W.cols + s];
        }
      }
      if (fw.relu) {
        const z = fw.pre[m - 2]; // pre-activation of layer m−1, whose ReLU output feeds W_m
        for (let s = 0; s < W.cols; s++) {
          if (!(z.data[s * N + i] > 0)) for (let k = 0; k < K; k++) next[k * W.cols + s] = 0;
        }
      }
      J = next;
      cols = W.cols;
    }
    out.push(J);
  }
  return out;
}
