import type * as TfCore from '@tensorflow/tfjs-core';
import { getTf, type Tf } from '@nclab/backend';
import { layerActivation } from './mlp.js';
import type { MlpParams, MlpSpec } from './types.js';

/** A 2-D tfjs tensor. */
export type Tensor2D = TfCore.Tensor2D;

/**
 * A network living on the tfjs engine. Weights are stored transposed, `[in, out]`, so the forward
 * product `X · Wᵀ` is a plain `matMul(X, V)` on the engine's fast path (tfjs-wasm falls 10× off it
 * whenever a transpose flag is set; see /work/shared/performance-notes.md).
 */
export interface TfNetwork {
  readonly spec: MlpSpec;
  /** `weights[l]` holds W_lᵀ, shape `[in, out]`. */
  readonly weights: TfCore.Variable[];
  /** `biases[l]` has shape `[out]`, or null for bias-free layers. */
  readonly biases: (TfCore.Variable | null)[];
  /** Releases every engine tensor of the network. */
  dispose(): void;
}

let networkCounter = 0;

/**
 * `X · V` with a gradient that transposes explicitly (no `matMul` transpose flags), so both the forward
 * and the backward pass stay on the fast path of every tfjs engine.
 * ```math
 * ∂L/∂X = (∂L/∂Y) Vᵀ,   ∂L/∂V = Xᵀ (∂L/∂Y)
 * ```
 * @returns `[N, out]`.
 * @example
 * const y = linear(x, v); // x [N, in], v [in, out]
 */
export function linear(x: Tensor2D, v: Tensor2D): Tensor2D {
  const tf = getTf() as Tf;
  const op = tf.customGrad(((a: TfCore.Tensor, b: TfCore.Tensor, save: TfCore.GradSaveFunc) => {
    save([a, b]);
    return {
      value: tf.matMul(a as Tensor2D, b as Tensor2D),
      gradFunc: (dy: TfCore.Tensor, saved: TfCore.Tensor[]) => [
        tf.matMul(dy as Tensor2D, tf.transpose(saved[1] as Tensor2D)),
        tf.matMul(tf.transpose(saved[0] as Tensor2D), dy as Tensor2D),
      ],
    };
  }) as unknown as Parameters<Tf["customGrad"]>[0]);
  return op(x, v) as Tensor2D;
}

/**
 * `X · V` for a fixed V: the gradient flows to X only (`(∂L/∂Y) Vᵀ`, explicit transpose), so
 * input-Jacobian passes (AGOPs) do not pay for weight gradients.
 * @returns `[N, out]`.
 * @example
 * const y = linearFixed(x, v);
 */
export function linearFixed(x: Tensor2D, v: Tensor2D): Tensor2D {
  const tf = getTf() as Tf;
  const op = tf.customGrad(((a: TfCore.Tensor) => ({
    value: tf.matMul(a as Tensor2D, v),
    gradFunc: (dy: TfCore.Tensor) => tf.matMul(dy as Tensor2D, tf.transpose(v)),
  })) as unknown as Parameters<Tf['customGrad']>[0]);
  return op(x) as Tensor2D;
}

/** Applies the hidden non-linearity.
 * @returns σ(z), same shape.
 * @example
 * activate(z, 'relu'); */
export function activate(z: Tensor2D, activation: MlpSpec['activation']): Tensor2D {
  const tf = getTf() as Tf;
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  return z;
}

/** Moves host parameters onto the engine as trainable variables (weights transposed to `[in, out]`).
 * @returns the network; call `dispose()` when done.
 * @example
 * const net = toTfNetwork(params);
 * net.dispose(); */
export function toTfNetwork(params: MlpParams): TfNetwork {
  const tf = getTf() as Tf;
  const id = networkCounter++;
  const weights: TfCore.Variable[] = [];
  const biases: (TfCore.Variable | null)[] = [];
  params.layers.forEach((p, l) => {
    const w = tf.tidy(() => tf.transpose(tf.tensor2d(p.weight, [p.outDim, p.inDim], 'float32')));
    weights.push(tf.variable(w, true, `nnprobes_${id}_w${l}`));
    w.dispose();
    if (p.bias) {
      const b = tf.tensor1d(p.bias, 'float32');
      biases.push(tf.variable(b, true, `nnprobes_${id}_b${l}`));
      b.dispose();
    } else {
      biases.push(null);
    }
  });
  return {
    spec: params.spec,
    weights,
    biases,
    dispose() {
      for (const w of weights) w.dispose();
      for (const b of biases) b?.dispose();
    },
  };
}

/** Reads the network back to the host in PyTorch layout (`weight` `[out, in]`).
 * @returns host parameters.
 * @example
 * const params = await fromTfNetwork(net); */
export async function fromTfNetwork(net: TfNetwork): Promise<MlpParams> {
  const tf = getTf() as Tf;
  const layers = [];
  for (let l = 0; l < net.weights.length; l++) {
    const [inDim, outDim] = net.weights[l].shape as [number, number];
    const wt = tf.transpose(net.weights[l]);
    const weight = (await wt.data()) as Float32Array;
    wt.dispose();
    const b = net.biases[l];
    const bias = b ? ((await b.data()) as Float32Array).slice() : null;
    layers.push({ outDim, inDim, weight: Float32Array.from(weight), bias });
  }
  return { spec: net.spec, layers };
}

/** Overwrites the network's variables with host parameters of the same architecture.
 * @example
 * assignTfNetwork(net, lastGoodParams); */
export function assignTfNetwork(net: TfNetwork, params: MlpParams): void {
  const tf = getTf() as Tf;
  params.layers.forEach((p, l) => {
    tf.tidy(() => {
      net.weights[l].assign(tf.transpose(tf.tensor2d(p.weight, [p.outDim, p.inDim], 'float32')));
      if (p.bias && net.biases[l]) net.biases[l]!.assign(tf.tensor1d(p.bias, 'float32'));
    });
  });
}

/** What {@link forward} can record along the way. */
export interface ForwardTrace {
  /** `inputs[l]`: the input of hidden layer l, Φ(X_l) (`inputs[0]` is X itself), `[N, d_l]`. */
  inputs: Tensor2D[];
  /** `pre[l]`: the pre-activation W_l Φ(X_l) (+ b_l), `[N, width]`. */
  pre: Tensor2D[];
}

/**
 * The network's output `[N, K]` for a batch `x` `[N, d₀]`.
 * @param perturb - optional zero tensors `[N, d_l]` added to each hidden layer's input (l ≥ 1), so that
 *   gradients with respect to them are the gradients with respect to those inputs (for AGOPs).
 * @param trace - when given, receives the per-layer inputs and pre-activations (not disposed here).
 * @param fixedWeights - treat the weights as constants (gradients reach only `x` and `perturb`).
 * @returns the output `[N, K]`.
 * @example
 * const logits = forward(net, x);
 */
export function forward(net: TfNetwork, x: Tensor2D, perturb?: Tensor2D[], trace?: ForwardTrace, fixedWeights = false): Tensor2D {
  const tf = getTf() as Tf;
  const { depth } = net.spec;
  let h = x;
  for (let l = 0; l <= depth; l++) {
    if (perturb && l >= 1 && perturb[l - 1]) h = tf.add(h, perturb[l - 1]) as Tensor2D;
    if (trace && l < depth) trace.inputs.push(h);
    let z = (fixedWeights ? linearFixed : linear)(h, net.weights[l] as unknown as Tensor2D);
    const b = net.biases[l];
    if (b) z = tf.add(z, b) as Tensor2D;
    if (l === depth) return z;
    if (trace) trace.pre.push(z);
    h = activate(z, layerActivation(net.spec, l));
  }
  throw new Error('unreachable');
}
