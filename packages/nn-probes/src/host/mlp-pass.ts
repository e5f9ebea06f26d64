/**
 * MLP forward and backward passes on the backend's host contract: every product is one `sgemm` into a
 * preallocated `out` buffer (BLAS on the native path, the WebAssembly kernel on the portable one), and
 * bias, activation, loss and masking are fused element-wise passes over those buffers. One workspace
 * serves every batch up to its size (smaller batches use prefix views), so a training epoch allocates
 * nothing per minibatch.
 */
import { InvalidArgumentError, reluInPlace, reluMaskInPlace, sgemm, type Matrix32 } from '@nclab/backend';
import { layerActivation, layerShape } from '../mlp.js';
import type { Activation, LossName, MlpParams, MlpSpec } from '../types.js';

/** Buffers of {@link forwardHost} / {@link backwardHost} for batches of up to `capacity` rows. */
export interface MlpWorkspace {
  readonly spec: MlpSpec;
  /** Largest batch the buffers hold. */
  readonly capacity: number;
  /** `acts[l]`: the input of layer l, `[B, in_l]` (`acts[0]` is the batch X; `acts[depth + 1]` the output `[B, K]`). */
  readonly acts: Float32Array[];
  /** Two `[B, max width]` buffers for the backward deltas (ping-pong). */
  readonly deltas: [Float32Array, Float32Array];
  /** `∂L/∂out`, `[B, K]`. */
  readonly dOut: Float32Array;
  /** `gradW[l]`: `∂L/∂W_l`, `[out, in]` (PyTorch layout, as the parameters); empty when allocated without weight gradients. */
  readonly gradW: Float32Array[];
  /** `gradB[l]`: `∂L/∂b_l`, `[out]` (empty when the network has no biases). */
  readonly gradB: Float32Array[];
}

/**
 * Allocates the workspace of an architecture for batches of up to `capacity` rows.
 * @param weightGradients - allocate `gradW` (default true); false for a workspace whose backward
 *   passes take a fused SGD step (`backwardHost`'s `sgd`) and never write weight gradients: one
 *   parameter-sized buffer (and its fresh pages) less.
 * @returns the workspace (about capacity·(d₀ + depth·width + 2K + 2·width) + #params floats).
 * @example
 * const ws = mlpWorkspace(params.spec, 128);
 */
export function mlpWorkspace(spec: MlpSpec, capacity: number, weightGradients = true): MlpWorkspace {
  const L = spec.depth;
  const acts: Float32Array[] = [new Float32Array(capacity * spec.inputDim)];
  const gradW: Float32Array[] = [];
  const gradB: Float32Array[] = [];
  for (let l = 0; l <= L; l++) {
    const [out, inp] = layerShape(spec, l);
    acts.push(new Float32Array(capacity * out));
    gradW.push(new Float32Array(weightGradients ? out * inp : 0));
    gradB.push(new Float32Array(spec.bias ? out : 0));
  }
  const w = Math.max(spec.width, spec.firstWidth ?? spec.width, spec.numClasses);
  return { spec, capacity, acts, deltas: [new Float32Array(capacity * w), new Float32Array(capacity * w)], dOut: new Float32Array(capacity * spec.numClasses), gradW, gradB };
}

function m32(rows: number, cols: number, data: Float32Array): Matrix32 {
  return { rows, cols, data: data.length === rows * cols ? data : data.subarray(0, rows * cols) };
}

/**
 * z ← σ(z + b) in place over `[rows, out]` (fused passes), the activation step every host pass shares
 * (training, layer features, the chain-rule AGOP). NaN and ±Inf pass through (relu(−Inf) = 0; relu
 * keeps NaN). With `derivative` and tanh, also derivative ← σ'(z) = 1 − σ(z)² (relu's derivative is read
 * from σ(z) by {@link maskDerivative}; identity's is 1).
 * @example
 * biasActivate(z, 128, 256, layer.bias, 'relu');
 */
export function biasActivate(z: Float32Array, rows: number, out: number, bias: Float32Array | null, act: Activation, derivative?: Float32Array | null): void {
  const n = rows * out;
  if (bias) {
    for (let i = 0, r = 0; r < rows; r++) for (let j = 0; j < out; j++, i++) z[i] += bias[j];
  }
  if (act === 'relu') reluInPlace(z, n);
  else if (act === 'tanh') {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(z[i]);
      z[i] = t;
      if (derivative) derivative[i] = 1 - t * t;
    }
  }
}

/**
 * g ← g ⊙ σ'(z) over the first n entries, with σ' read from the activation's output h = σ(z)
 * (relu: 1 where h > 0 or h is NaN, else 0, via the backend's `reluMaskInPlace`; tanh: 1 − h²).
 */
export function maskDerivative(g: Float32Array, h: Float32Array, n: number, act: Activation): void {
  if (act === 'relu') {
    reluMaskInPlace(g, h, n); // branch-free on the bits, SIMD where available
  } else if (act === 'tanh') {
    for (let i = 0; i < n; i++) g[i] *= 1 - h[i] * h[i];
  }
}

/**
 * Forward pass of `rows ≤ capacity` samples already copied into `ws.acts[0]`:
 * ```math
 * H_{l+1} = σ_l(H_l W_lᵀ + b_l)  (one sgemm with transB, then one fused pass),   out = H_L W_Lᵀ + b_L
 * ```
 * σ_l is {@link layerActivation} (identity for linear layers and the head). A diverged network (a
 * non-finite weight or activation, which `sgemm` reports) gives an all-NaN output, so the loss is NaN
 * as on the tfjs route.
 * @returns the output view `[rows, K]` (inside the workspace; overwritten by the next pass).
 * @example
 * ws.acts[0].set(x.subarray(0, 128 * 784));
 * const out = forwardHost(params, ws, 128);
 */
export function forwardHost(params: MlpParams, ws: MlpWorkspace, rows: number): Float32Array {
  return forwardLayers(params, rows, ws.acts[0], (l) => ws.acts[l + 1]);
}

/** Buffers of {@link forwardRows}: two `[capacity, max width]` activations, written in turn. */
export interface ForwardWorkspace {
  /** Largest chunk the buffers hold. */
  readonly capacity: number;
  readonly buffers: readonly [Float32Array, Float32Array];
}

/**
 * Allocates the buffers of {@link forwardRows} for chunks of up to `capacity` rows:
 * 2·capacity·max(width, K) floats (2 MiB for 1,024 rows of width 256), whatever the depth.
 * @example
 * const fws = forwardWorkspace(params.spec, 1024);
 */
export function forwardWorkspace(spec: MlpSpec, capacity: number): ForwardWorkspace {
  const w = Math.max(spec.width, spec.firstWidth ?? spec.width, spec.numClasses);
  return { capacity, buffers: [new Float32Array(capacity * w), new Float32Array(capacity * w)] };
}

/**
 * The forward pass of {@link forwardHost} for inference: the rows `x` `[rows, d₀]` are read where they
 * are (no copy), and the layers write the two buffers of `fws` in turn (nothing kept for a backward
 * pass), so one large chunk costs two activations of memory, not depth + 2.
 * @param x - `[rows, d₀]` float32 inputs, rows ≤ `fws.capacity`.
 * @returns the output view `[rows, K]` (inside `fws`; overwritten by the next pass).
 * @example
 * const out = forwardRows(params, test.x.subarray(0, 1024 * 784), 1024, forwardWorkspace(params.spec, 1024));
 */
export function forwardRows(params: MlpParams, x: Float32Array, rows: number, fws: ForwardWorkspace): Float32Array {
  return forwardLayers(params, rows, x, (l) => fws.buffers[l % 2]);
}

/** The layers of a forward pass from `input` `[rows, d₀]`, layer l writing into `target(l)`. */
function forwardLayers(params: MlpParams, rows: number, input: Float32Array, target: (l: number) => Float32Array): Float32Array {
  const spec = params.spec;
  let h = input;
  for (let l = 0; l <= spec.depth; l++) {
    const p = params.layers[l];
    const z = target(l).subarray(0, rows * p.outDim);
    try {
      sgemm(m32(rows, p.inDim, h), m32(p.outDim, p.inDim, p.weight), { transB: true, out: z });
    } catch (e) {
      // sgemm names a non-finite operand (it checks C's edges, and scans only then): `b` is W_l
      // (weights overflowed in an update), `a` past layer 0 an activation that overflowed: both a
      // diverged network. `a` at layer 0 is the caller's data: a real error.
      if (e instanceof InvalidArgumentError && (e.argument === 'b' || (e.argument === 'a' && l > 0))) return target(spec.depth).subarray(0, rows * spec.numClasses).fill(Number.NaN);
      throw e;
    }
    biasActivate(z, rows, p.outDim, p.bias, layerActivation(spec, l));
    h = z;
  }
  return h;
}

/**
 * The mean batch loss of `out` `[rows, K]` against `targets` `[rows, K]` (from `lossTargets`), and
 * `∂L/∂out` into `ws.dOut` (same conventions as `batchLoss`):
 * ```math
 * mse: L = (1/(B·K)) Σ (o − y)²,  ∂L/∂o = 2(o − y)/(B·K);   ce: L = (1/B) Σ_i (lse(o_i) − o_i·y_i),  ∂L/∂o = (softmax(o) − y)/B
 * ```
 * @returns the loss: float64 accumulation, the sum rounded to float32 (so a sum beyond the float32
 *   range is +Inf and stops training as the tfjs route's float32 loss does).
 */
export function lossAndGradient(loss: LossName, out: Float32Array, targets: Float32Array, rows: number, K: number, dOut?: Float32Array): number {
  let total = 0;
  if (loss === 'mse') {
    const c = 2 / (rows * K);
    for (let i = 0; i < rows * K; i++) {
      const d = out[i] - targets[i];
      total += d * d;
      if (dOut) dOut[i] = c * d;
    }
    return Math.fround(total) / (rows * K); // a sum past the float32 range is Inf, as on the tfjs route
  }
  for (let r = 0; r < rows; r++) {
    const o = r * K;
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, out[o + c]);
    let sum = 0;
    for (let c = 0; c < K; c++) sum += Math.exp(out[o + c] - max);
    const lse = max + Math.log(sum);
    let picked = 0;
    for (let c = 0; c < K; c++) {
      picked += out[o + c] * targets[o + c];
      if (dOut) dOut[o + c] = (Math.exp(out[o + c] - lse) - targets[o + c]) / rows;
    }
    total += lse - picked;
  }
  return Math.fround(total) / rows;
}

/** A plain SGD step (no momentum) fused into the backward pass: W ← (1 − η·λ)·W − η·∂L/∂W. */
export interface FusedSgd {
  /** η. */
  readonly lr: number;
  /** λ (coupled weight decay, PyTorch's `weight_decay`). */
  readonly weightDecay: number;
}

/**
 * Backward pass after {@link forwardHost} on the same workspace and rows, from `ws.dOut`:
 * ```math
 * ∂L/∂W_l = Δ_lᵀ H_l,   ∂L/∂b_l = 1ᵀΔ_l,   Δ_{l−1} = (Δ_l W_l) ⊙ σ'_{l−1}
 * ```
 * Two sgemm products per layer (one for layer 0), into `ws.gradW` / `ws.deltas`. With `sgd`, the
 * weight-gradient product updates the weight in place instead (BLAS `beta`, after Δ_{l−1} has read
 * W_l): W_l ← (1 − η·λ)·W_l − η·Δ_lᵀH_l, the SGD rule of `createHostOptimizer` without its separate
 * pass over every weight (`ws.gradW` is left untouched; bias gradients still go to `ws.gradB`).
 * @example
 * backwardHost(params, ws, 128); // ws.gradW[l] holds ∂L/∂W_l
 * backwardHost(params, ws, 128, { lr: 0.05, weightDecay: 0 }); // the weights took their SGD step
 */
export function backwardHost(params: MlpParams, ws: MlpWorkspace, rows: number, sgd?: FusedSgd): void {
  const spec = params.spec;
  let delta = ws.dOut;
  for (let l = spec.depth; l >= 0; l--) {
    const p = params.layers[l];
    const d = m32(rows, p.outDim, delta);
    if (p.bias) {
      const gb = ws.gradB[l];
      gb.fill(0);
      for (let i = 0, r = 0; r < rows; r++) for (let j = 0; j < p.outDim; j++, i++) gb[j] += delta[i];
    }
    let next: Float32Array | null = null;
    if (l > 0) {
      next = ws.deltas[l % 2].subarray(0, rows * p.inDim);
      sgemm(d, m32(p.outDim, p.inDim, p.weight), { out: next });
      maskDerivative(next, ws.acts[l], rows * p.inDim, layerActivation(spec, l - 1));
    }
    const h = m32(rows, p.inDim, ws.acts[l]);
    if (sgd) sgemm(d, h, { transA: true, out: p.weight, alpha: -sgd.lr, beta: 1 - sgd.lr * sgd.weightDecay });
    else sgemm(d, h, { transA: true, out: ws.gradW[l] });
    if (next === null) break;
    delta = next;
  }
}
