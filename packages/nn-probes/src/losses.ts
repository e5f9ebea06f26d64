import type * as TfCore from '@tensorflow/tfjs-core';
import { getTf } from '@nclab/backend';
import type { LossName } from './types.js';
import type { Tf, Tensor2D } from './network.js';

/**
 * ±1 one-hot targets `[N, K]`: +1 in the label's column, −1 elsewhere (the paper's MSE coding).
 * @param labels - `[N]` integers in [0, K).
 * @returns `[N, K]` float32.
 * @example
 * signedOneHot(Int32Array.of(1), 3); // returns Float32Array [-1, 1, -1]
 */
export function signedOneHot(labels: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses).fill(-1);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return out;
}

/** Plain one-hot targets `[N, K]` (1 in the label's column, 0 elsewhere), for cross-entropy.
 * @returns `[N, K]` float32.
 * @example
 * oneHot(Int32Array.of(1), 3); // returns Float32Array [0, 1, 0] */
export function oneHot(labels: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return out;
}

/** The target matrix a loss trains against: ±1 one-hot for `mse`, one-hot for `ce`.
 * @returns `[N, K]` float32.
 * @example
 * lossTargets('mse', Int32Array.of(0), 2); // returns Float32Array [1, -1] */
export function lossTargets(loss: LossName, labels: Int32Array, numClasses: number): Float32Array {
  return loss === 'mse' ? signedOneHot(labels, numClasses) : oneHot(labels, numClasses);
}

/**
 * The mean loss of a batch (a scalar tensor).
 * ```math
 * mse:  (1 / (N·K)) Σ_i Σ_c (f_c(x_i) − y_ic)²          (PyTorch MSELoss, reduction 'mean'; y ∈ {±1})
 * ce:   (1 / N) Σ_i [ log Σ_c exp f_c(x_i) − f_{y_i}(x_i) ]   (softmax cross-entropy, targets one-hot)
 * ```
 * @param output - `[N, K]` network outputs.
 * @param targets - `[N, K]` from {@link lossTargets}.
 * @returns a scalar tensor (the caller disposes it).
 * @example
 * const l = batchLoss('mse', out, targets); // (1/(N·K)) Σ (out − y)²
 */
export function batchLoss(loss: LossName, output: Tensor2D, targets: Tensor2D): TfCore.Scalar {
  const tf = getTf() as Tf;
  return tf.tidy(() => {
    if (loss === 'mse') return tf.mean(tf.squaredDifference(output, targets)) as TfCore.Scalar;
    const lse = tf.logSumExp(output, 1);
    const picked = tf.sum(tf.mul(output, targets), 1);
    return tf.mean(tf.sub(lse, picked)) as TfCore.Scalar;
  });
}
