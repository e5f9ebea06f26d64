/**
 * The benchmark model: a one-hidden-layer softplus MLP (784 → hidden → 10) with its parameters
 * drawn from a seed, on an MNIST subset; shared by the bench and described exactly in its peer.
 */
import { createRng, type Matrix32 } from '@nclab/backend';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { parameterLayout, type DifferentiableModel } from '../src/index.js';

/** Parameters θ = [W1 (784×H), b1 (H), W2 (H×10), b2 (10)], W ~ N(0, 1/fan_in), b = 0. */
export function mlpParams(d: number, hidden: number, K: number, seed: number): Float64Array {
  const layout = mlpLayout(d, hidden, K);
  const rng = createRng(seed);
  const p = new Float64Array(layout.size);
  const w1 = layout.blocks[0];
  for (let i = 0; i < w1.size; i++) p[w1.offset + i] = rng.normal() / Math.sqrt(d);
  const w2 = layout.blocks[2];
  for (let i = 0; i < w2.size; i++) p[w2.offset + i] = rng.normal() / Math.sqrt(hidden);
  return p;
}

export function mlpLayout(d: number, hidden: number, K: number) {
  return parameterLayout([
    { name: 'layer1.weight', shape: [d, hidden] },
    { name: 'layer1.bias', shape: [hidden] },
    { name: 'layer2.weight', shape: [hidden, K] },
    { name: 'layer2.bias', shape: [K] },
  ]);
}

/** z = softplus(X W1 + b1) W2 + b2, logits [B, 10]. */
export function mlpModel(tfX: () => Tensor2D, x: Matrix32, hidden: number, K: number, params: Float64Array): DifferentiableModel {
  const layout = mlpLayout(x.cols, hidden, K);
  return {
    layout,
    params,
    numSamples: x.rows,
    forward(tf, p, start, end) {
      const xs = start === 0 && end === x.rows ? tfX() : tf.slice(tfX(), [start, 0], [end - start, x.cols]);
      const h = tf.softplus(tf.add(tf.matMul(xs, p[0] as Tensor2D), p[1]));
      return tf.add(tf.matMul(h, p[2] as Tensor2D), p[3]) as Tensor2D;
    },
  };
}
