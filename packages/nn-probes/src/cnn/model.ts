/**
 * VGG-style CNNs on tfjs: seeded creation, the forward pass (NHWC), the unfolding of a feature map into
 * k×k patches, and host ↔ tfjs transfer. A conv layer is the channel-mixing matrix W `[C_out, C_in·k·k]`
 * applied to every patch: conv(A, W)[n, y, x, :] = W · patch(A)[n, y, x, :].
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { InvalidArgumentError, assertInteger, assertPositive, createRng, getTf, type Tf } from '@nclab/backend';
import type { LayerParams } from '../types.js';
import type { CnnParams, CnnSpec } from './types.js';

type Tensor4D = TfCore.Tensor4D;
type Tensor2D = TfCore.Tensor2D;

/** Checks a spec and returns it. @throws {InvalidArgumentError} on a bad shape, an even kernel or a pool that does not divide. @returns the spec. @example validateCnnSpec(spec) */
export function validateCnnSpec(spec: CnnSpec): CnnSpec {
  const [H, W, C] = spec.inputShape;
  [H, W, C].forEach((v, i) => assertInteger(`inputShape[${i}]`, v, 1));
  assertInteger('numClasses', spec.numClasses, 2);
  let h = H;
  let w = W;
  spec.blocks.forEach((b, i) => {
    assertInteger(`blocks[${i}].channels`, b.channels, 1);
    assertInteger(`blocks[${i}].kernel`, b.kernel, 1);
    if (b.kernel % 2 !== 1) throw new InvalidArgumentError(`blocks[${i}].kernel`, "an odd kernel size ('same' padding)", b.kernel);
    assertInteger(`blocks[${i}].pool`, b.pool, 1);
    if (h < b.pool || w < b.pool) throw new InvalidArgumentError(`blocks[${i}].pool`, `at most the map size ${h}×${w}`, b.pool);
    h = Math.floor(h / b.pool);
    w = Math.floor(w / b.pool);
  });
  spec.hidden.forEach((v, i) => assertInteger(`hidden[${i}]`, v, 1));
  if (!['relu', 'tanh', 'identity'].includes(spec.activation)) throw new InvalidArgumentError('activation', "'relu', 'tanh' or 'identity'", spec.activation);
  return spec;
}

/**
 * The feature-map shapes: `maps[b]` is the input `[H, W, C]` of conv block b (`maps[blocks.length]` the
 * map that is flattened into the head), and `flat` its size.
 * @returns the shapes.
 * @example
 * cnnShapes(spec).flat; // 7·7·32 for two 2×2-pooled blocks of 32 channels on MNIST
 */
export function cnnShapes(spec: CnnSpec): { maps: [number, number, number][]; flat: number } {
  let [h, w, c] = spec.inputShape;
  const maps: [number, number, number][] = [[h, w, c]];
  for (const b of spec.blocks) {
    h = Math.floor(h / b.pool);
    w = Math.floor(w / b.pool);
    c = b.channels;
    maps.push([h, w, c]);
  }
  return { maps, flat: h * w * c };
}

/** Options of {@link createCnn}. */
export interface CreateCnnOptions extends Omit<CnnSpec, 'activation'> {
  activation?: CnnSpec['activation'];
  /** Xavier-uniform gain of the conv and hidden FC layers (fan_in = C_in·k², fan_out = C_out·k², PyTorch's rule). Default 1. */
  initScale?: number;
  seed?: number;
}

/**
 * A seeded CNN: Xavier-uniform conv and hidden layers with gain `initScale`, PyTorch-default head
 * U(±1/√fan_in), no biases. Same seed, same weights.
 * @returns host parameters.
 * @throws {InvalidArgumentError} on a bad spec or scale.
 * @example
 * createCnn({ inputShape: [28, 28, 1], blocks: [{ channels: 16, kernel: 3, pool: 2 }], hidden: [64], numClasses: 10, seed: 0 });
 */
export function createCnn(options: CreateCnnOptions): CnnParams {
  const initScale = options.initScale ?? 1;
  assertPositive('initScale', initScale);
  const spec = validateCnnSpec({ inputShape: options.inputShape, blocks: options.blocks, hidden: options.hidden, numClasses: options.numClasses, activation: options.activation ?? 'relu' });
  const rng = createRng(options.seed ?? 0);
  const conv: LayerParams[] = [];
  let cin = spec.inputShape[2];
  for (const b of spec.blocks) {
    const k2 = b.kernel * b.kernel;
    const bound = initScale * Math.sqrt(6 / (cin * k2 + b.channels * k2));
    conv.push({ outDim: b.channels, inDim: cin * k2, weight: rng.fork().uniformArray(b.channels * cin * k2, -bound, bound, Float32Array) as Float32Array, bias: null });
    cin = b.channels;
  }
  const fc: LayerParams[] = [];
  let inDim = cnnShapes(spec).flat;
  const outs = [...spec.hidden, spec.numClasses];
  outs.forEach((outDim, i) => {
    const head = i === outs.length - 1;
    const bound = head ? 1 / Math.sqrt(inDim) : initScale * Math.sqrt(6 / (inDim + outDim));
    fc.push({ outDim, inDim, weight: rng.fork().uniformArray(outDim * inDim, -bound, bound, Float32Array) as Float32Array, bias: null });
    inDim = outDim;
  });
  return { spec, conv, fc };
}

/** A deep copy. @returns new host buffers. @example cloneCnn(params) */
export function cloneCnn(p: CnnParams): CnnParams {
  const copy = (l: LayerParams): LayerParams => ({ ...l, weight: l.weight.slice(), bias: l.bias ? l.bias.slice() : null });
  return { spec: p.spec, conv: p.conv.map(copy), fc: p.fc.map(copy) };
}

/** The tfjs variables of a CNN: conv filters `[k, k, C_in, C_out]` and FC weights transposed `[in, out]`. */
export interface TfCnn {
  readonly spec: CnnSpec;
  readonly filters: TfCore.Variable<TfCore.Rank.R4>[];
  readonly weights: TfCore.Variable<TfCore.Rank.R2>[];
  dispose(): void;
}

/**
 * The tfjs filter `[k, k, C_in, C_out]` of a channel-mixing matrix `[C_out, C_in·k·k]` (columns (c, ky, kx)).
 * @returns a float32 array in filter layout.
 * @example
 * filterLayout(conv[0], 3, 1);
 */
export function filterLayout(layer: LayerParams, k: number, cin: number): Float32Array {
  const cout = layer.outDim;
  const f = new Float32Array(k * k * cin * cout);
  for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
    f[((ky * k + kx) * cin + c) * cout + o] = layer.weight[o * cin * k * k + c * k * k + ky * k + kx];
  }
  return f;
}

/** The inverse of {@link filterLayout}. @returns the `[C_out, C_in·k·k]` matrix data. @example matrixLayout(f, 3, 1, 16) */
export function matrixLayout(f: ArrayLike<number>, k: number, cin: number, cout: number): Float32Array {
  const w = new Float32Array(cout * cin * k * k);
  for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
    w[o * cin * k * k + c * k * k + ky * k + kx] = f[((ky * k + kx) * cin + c) * cout + o];
  }
  return w;
}

function fcTransposed(l: LayerParams): Float32Array {
  const t = new Float32Array(l.inDim * l.outDim);
  for (let o = 0; o < l.outDim; o++) for (let i = 0; i < l.inDim; i++) t[i * l.outDim + o] = l.weight[o * l.inDim + i];
  return t;
}

/** Uploads host parameters into new tfjs variables. @returns the variables. @example const net = toTfCnn(params); net.dispose(); */
export function toTfCnn(p: CnnParams): TfCnn {
  const tf = getTf() as Tf;
  const { maps } = cnnShapes(p.spec);
  const filters = p.conv.map((l, b) => {
    const k = p.spec.blocks[b].kernel;
    return tf.variable(tf.tensor4d(filterLayout(l, k, maps[b][2]), [k, k, maps[b][2], l.outDim]), true, `cnn_conv_${b}_${Math.random().toString(36).slice(2)}`);
  });
  const weights = p.fc.map((l, i) => tf.variable(tf.tensor2d(fcTransposed(l), [l.inDim, l.outDim]), true, `cnn_fc_${i}_${Math.random().toString(36).slice(2)}`));
  return { spec: p.spec, filters, weights, dispose: () => tf.dispose([...filters, ...weights]) };
}

/** Downloads the variables into host parameters. @returns new host parameters. @example await fromTfCnn(net) */
export async function fromTfCnn(net: TfCnn): Promise<CnnParams> {
  const { maps } = cnnShapes(net.spec);
  const conv: LayerParams[] = [];
  for (let b = 0; b < net.filters.length; b++) {
    const { kernel: k, channels } = net.spec.blocks[b];
    conv.push({ outDim: channels, inDim: maps[b][2] * k * k, weight: matrixLayout(await net.filters[b].data(), k, maps[b][2], channels), bias: null });
  }
  const fc: LayerParams[] = [];
  for (const v of net.weights) {
    const [inDim, outDim] = v.shape;
    const t = await v.data();
    const w = new Float32Array(outDim * inDim);
    for (let o = 0; o < outDim; o++) for (let i = 0; i < inDim; i++) w[o * inDim + i] = t[i * outDim + o];
    fc.push({ outDim, inDim, weight: w, bias: null });
  }
  return { spec: net.spec, conv, fc };
}

/** Writes host parameters into existing variables. @returns nothing. @example assignTfCnn(net, params) */
export function assignTfCnn(net: TfCnn, p: CnnParams): void {
  const tf = getTf() as Tf;
  const { maps } = cnnShapes(p.spec);
  p.conv.forEach((l, b) => {
    const k = p.spec.blocks[b].kernel;
    net.filters[b].assign(tf.tensor4d(filterLayout(l, k, maps[b][2]), [k, k, maps[b][2], l.outDim]));
  });
  p.fc.forEach((l, i) => net.weights[i].assign(tf.tensor2d(fcTransposed(l), [l.inDim, l.outDim])));
}

/** The element-wise non-linearity. @returns σ(z). @example act(z, 'relu') */
export function act<T extends TfCore.Tensor>(z: T, activation: CnnSpec['activation']): T {
  const tf = getTf() as Tf;
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  return z;
}

/**
 * Unfolds a feature map into its k×k patches ('same' zero padding, stride 1):
 * patches[n, y, x, c·k² + ky·k + kx] = A[n, y + ky − ⌊k/2⌋, x + kx − ⌊k/2⌋, c] (0 outside the map), so that
 * conv(A, W) = patches · Wᵀ with W the `[C_out, C_in·k·k]` matrix (PyTorch's `W.reshape(C_out, -1)` and
 * `F.unfold` order). Implemented as a convolution with a one-hot filter (on the wasm engine faster than k²
 * slices and a concat; every sum has one non-zero term, so the values are exact).
 * @param a - `[N, H, W, C]`.
 * @param k - odd kernel size.
 * @returns `[N, H, W, C·k²]`.
 * @example
 * unfoldPatches(x, 3); // [N, 28, 28, 9] for MNIST
 */
export function unfoldPatches(a: Tensor4D, k: number): Tensor4D {
  const tf = getTf() as Tf;
  const c = a.shape[3];
  const f = new Float32Array(k * k * c * c * k * k);
  const m = c * k * k;
  for (let ch = 0; ch < c; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) f[((ky * k + kx) * c + ch) * m + ch * k * k + ky * k + kx] = 1;
  return tf.tidy(() => tf.conv2d(a, tf.tensor4d(f, [k, k, c, m]), 1, 'same'));
}

/**
 * The k×k patches of `a` `[B, H, W, C]` as rows `[B·H·W, k²·C]`, columns in the filter order (ky, kx, c):
 * for C = 1 the one-hot convolution of {@link unfoldPatches} (the orders coincide), otherwise k² slices of
 * the zero-padded map and a concat (on the wasm engine the one-hot filter's C²k⁴ products cost more).
 */
function patchRows(a: Tensor4D, k: number): Tensor2D {
  const tf = getTf() as Tf;
  const [B, H, W, cin] = a.shape;
  if (cin === 1) return tf.reshape(unfoldPatches(a, k), [B * H * W, k * k]) as Tensor2D;
  const r = (k - 1) / 2;
  const padded = r > 0 ? tf.pad(a, [[0, 0], [r, r], [r, r], [0, 0]]) : a;
  const shifts: TfCore.Tensor4D[] = [];
  for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) shifts.push(tf.slice(padded, [0, ky, kx, 0], [B, H, W, cin]));
  return tf.reshape(shifts.length === 1 ? shifts[0] : tf.concat(shifts, 3), [B * H * W, k * k * cin]) as Tensor2D;
}

/**
 * A 'same' convolution (stride 1, odd k), `tf.conv2d(a, F, 1, 'same')`, with an explicit gradient:
 * ```math
 * ∂L/∂a = conv2dTranspose(∂L/∂z, F),   ∂L/∂F = (colsᵀ · ∂L/∂z).reshape(k, k, C_in, C_out)
 * ```
 * with cols `[B·H·W, k²·C_in]` the k×k patches in (ky, kx, c) column order (im2col). Every kernel this needs
 * (Conv2D, Conv2DBackpropInput, pad, slice, concat, matMul) exists on every tfjs engine; the wasm engine
 * has no Conv2DBackpropFilter, which is why tfjs' own gradient cannot be used. With `fixedFilter` the
 * gradient flows to `a` only (input-Jacobian passes such as the AGOP skip the im2col product).
 * @param a - `[B, H, W, C_in]`.
 * @param filter - `[k, k, C_in, C_out]`.
 * @returns `[B, H, W, C_out]`.
 * @example
 * convSame(x, filter); // = tf.conv2d(x, filter, 1, 'same')
 */
export function convSame(a: Tensor4D, filter: TfCore.Tensor4D, fixedFilter = false): Tensor4D {
  const tf = getTf() as Tf;
  const [k, , , cout] = filter.shape;
  const dx = (dy: TfCore.Tensor, x: TfCore.Tensor, f: TfCore.Tensor): TfCore.Tensor =>
    tf.conv2dTranspose(dy as Tensor4D, f as TfCore.Tensor4D, x.shape as [number, number, number, number], 1, 'same');
  if (fixedFilter) {
    const op = tf.customGrad(((x: TfCore.Tensor, save: TfCore.GradSaveFunc) => {
      save([x]);
      return { value: tf.conv2d(x as Tensor4D, filter, 1, 'same'), gradFunc: (dy: TfCore.Tensor, saved: TfCore.Tensor[]) => dx(dy, saved[0], filter) };
    }) as unknown as Parameters<Tf['customGrad']>[0]);
    return op(a) as Tensor4D;
  }
  const op = tf.customGrad(((x: TfCore.Tensor, f: TfCore.Tensor, save: TfCore.GradSaveFunc) => {
    save([x, f]);
    return {
      value: tf.conv2d(x as Tensor4D, f as TfCore.Tensor4D, 1, 'same'),
      gradFunc: (dy: TfCore.Tensor, saved: TfCore.Tensor[]) => {
        const [xs, fs] = saved as [Tensor4D, TfCore.Tensor4D];
        const rows = xs.shape[0] * xs.shape[1] * xs.shape[2];
        const cols = patchRows(xs, k);
        const dF = tf.matMul(tf.transpose(cols), tf.reshape(dy, [rows, cout]) as Tensor2D); // [(ky, kx, c), C_out]
        return [dx(dy, xs, fs), tf.reshape(dF, fs.shape)];
      },
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return op(a, filter) as Tensor4D;
}

/** What {@link cnnForward} can keep: per conv block its input map, pre-activation and activation; per FC layer its input and pre-activation. */
export interface CnnTrace {
  convInputs: Tensor4D[];
  convPre: Tensor4D[];
  convOut: Tensor4D[];
  fcInputs: Tensor2D[];
  fcPre: Tensor2D[];
}

/**
 * The forward pass on a batch `[B, H, W, C]`: per block conv ('same', stride 1) → σ → max pool; flatten;
 * hidden FC layers with σ; linear head. With `trace`, the intermediates are pushed there (and kept by
 * an enclosing tidy). With `from`, the pass starts at a given pre-activation (for gradients with respect
 * to it): `{ conv: b, z }` starts at block b's pre-activation, `{ fc: i, z }` at FC layer i's. With
 * `perturb` (one tensor per conv block and hidden FC layer, shaped like its pre-activation), each is added
 * to that pre-activation: the gradient with respect to `perturb[l]` at 0 is the gradient with respect to
 * layer l's pre-activation, for every layer in one backward pass (the conv filters are then held fixed: no
 * filter gradients are formed).
 * @returns the logits `[B, K]`.
 * @example
 * const logits = cnnForward(net, x);
 */
export function cnnForward(net: TfCnn, x: Tensor4D | null, trace?: CnnTrace, from?: { conv?: number; fc?: number; z: TfCore.Tensor }, perturb?: TfCore.Tensor[]): Tensor2D {
  const tf = getTf() as Tf;
  const { spec } = net;
  const nb = spec.blocks.length;
  let a = x as Tensor4D;
  const startConv = from?.conv ?? (from?.fc !== undefined ? nb : 0);
  for (let b = startConv; b < nb; b++) {
    let z: Tensor4D;
    if (from?.conv === b) z = from.z as Tensor4D;
    else {
      trace?.convInputs.push(a);
      z = convSame(a, net.filters[b], perturb !== undefined);
      if (perturb) z = tf.add(z, perturb[b]);
    }
    trace?.convPre.push(z);
    const r = act(z, spec.activation);
    trace?.convOut.push(r);
    const p = spec.blocks[b].pool;
    a = p > 1 ? tf.maxPool(r, p, p, 'valid') : r;
  }
  let h: Tensor2D | null = from?.fc !== undefined ? null : (tf.reshape(a, [a.shape[0], -1]) as Tensor2D);
  const L = net.weights.length;
  for (let i = from?.fc ?? 0; i < L; i++) {
    let z: Tensor2D;
    if (from?.fc === i) z = from.z as Tensor2D;
    else {
      trace?.fcInputs.push(h!);
      z = tf.matMul(h!, net.weights[i]);
      if (perturb && i < L - 1) z = tf.add(z, perturb[nb + i]) as Tensor2D;
    }
    if (i === L - 1) return z;
    trace?.fcPre.push(z);
    h = act(z, spec.activation);
  }
  throw new InvalidArgumentError('net', 'a network with a head', L);
}
