import type * as TfCore from '@tensorflow/tfjs-core';
import { getTf } from '@nclab/backend';
import { oneHot } from '@nclab/agop';
import type { LossName } from './types.js';
import type { Tf } from '@nclab/backend';
import type { Tensor2D } from './network.js';

/**
 * The target matrix a loss trains against, float32 `[N, K]`: ±1 one-hot for `mse` (the paper's MSE
 * coding), 0/1 one-hot for `ce`; built by `oneHot` of `@nclab/agop` (the one one-hot of nclab).
 * @param labels - `[N]` integers in [0, K).
 * @returns `[N, K]` float32.
 * @throws {InvalidArgumentError} for labels outside [0, K).
 * @example
 * lossTargets('mse', Int32Array.of(0), 2); // returns Float32Array [1, -1]
 */
export function lossTargets(loss: LossName, labels: Int32Array, numClasses: number): Float32Array {
  return Float32Array.from(oneHot(labels, numClasses, loss === 'mse' ? -1 : 0).data);
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
