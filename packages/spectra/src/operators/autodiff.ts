import { InvalidArgumentError, assertFinite, createRng, getTf, validateLabels, type AnyMatrix, type Tf } from '@nclab/backend';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { LinearOperator } from './linear-operator.js';
import { outerProductOperator } from './low-rank.js';
import { parameterLayout, selectBlocks, type ParameterBlock, type ParameterFilter, type ParameterLayout } from './parameters.js';


/**
 * A model whose loss can be differentiated by tfjs: parameters as a flat float64 vector with a
 * layout, and a forward pass over a range of samples.
 */
export interface DifferentiableModel {
  /** Parameter blocks, in the order `forward` receives them. */
  readonly layout: ParameterLayout;
  /** The point θ at which operators are taken (length `layout.size`). */
  readonly params: Float64Array;
  /** Number of samples N. */
  readonly numSamples: number;
  /**
   * Outputs f(x_i; θ) for samples start ≤ i < end, shape [end − start, K]. `params[b]` is block b
   * reshaped to its shape. Must use only ops that tfjs can differentiate twice: matMul, add, sub,
   * mul, div, square, log, expm1, softplus, relu, slice, reshape, transpose, sum are fine. Ops whose
   * gradient reuses their own output (exp, tanh, sigmoid, sqrt, pow) or that use customGrad
   * (softmax, logSoftmax) give a wrong or failing double backward in tfjs 4.22; write
   * `exp(x)` as `expm1(x) + 1` and prefer softplus/relu activations. `checkHessianOperator`
   * compares an operator with finite differences of the gradient.
   */
  forward(tf: Tf, params: Tensor[], start: number, end: number): Tensor2D;
}

/** What every autodiff operator needs. */
export interface AutodiffOperatorOptions {
  model: DifferentiableModel;
  /** Per-sample loss: `'mse'` ℓ = ½‖f − y‖² or `'cross-entropy'` ℓ = −log softmax(f)_y. */
  loss: 'mse' | 'cross-entropy';
  /** Targets: labels (length N; one-hot for MSE) or a target matrix [N, K] (MSE only). */
  targets: ArrayLike<number> | AnyMatrix;
  /** Which parameter blocks the operator acts on (others are held fixed). Default all. */
  filter?: ParameterFilter;
  /** Samples per forward/backward chunk (memory bound); products are summed over chunks. Default N. */
  chunkSize?: number;
}

/** An autodiff operator with the layout of the parameters it acts on. */
export interface ParameterOperator extends LinearOperator {
  /** Layout of the selected blocks (the operator's coordinates). */
  readonly layout: ParameterLayout;
  /** The selected blocks of the model's layout. */
  readonly blocks: readonly ParameterBlock[];
  /** Frees the engine tensors the operator holds (θ and the targets); the operator is unusable afterwards. */
  dispose(): void;
}

interface Prepared {
  tf: Tf;
  N: number;
  K: number;
  selected: ParameterBlock[];
  selectedIdx: number[];
  sub: ParameterLayout;
  chunk: number;
  targetsTensor: Tensor2D;
  paramTensors: Tensor[];
}

function prepare(o: AutodiffOperatorOptions): Prepared {
  const tf = getTf();
  const m = o.model;
  if (m == null || typeof m.forward !== 'function' || m.layout == null) {
    throw new InvalidArgumentError('model', 'a DifferentiableModel { layout, params, numSamples, forward }', m);
  }
  if (!(m.params instanceof Float64Array) || m.params.length !== m.layout.size) {
    throw new InvalidArgumentError('model.params', `a Float64Array of length layout.size = ${m.layout.size}`, m.params?.length);
  }
  assertFinite('model.params', m.params);
  const N = m.numSamples;
  if (!Number.isInteger(N) || N < 1) throw new InvalidArgumentError('model.numSamples', 'a positive integer', N);
  if (o.loss !== 'mse' && o.loss !== 'cross-entropy') throw new InvalidArgumentError('loss', `'mse' or 'cross-entropy'`, o.loss);
  const chunk = o.chunkSize ?? N;
  if (!Number.isInteger(chunk) || chunk < 1) throw new InvalidArgumentError('chunkSize', 'a positive integer', chunk);
  const selected = selectBlocks(m.layout, o.filter);
  const selectedIdx = selected.map((b) => m.layout.blocks.indexOf(b));
  const sub = parameterLayout(selected.map((b) => ({ name: b.name, shape: b.shape })));
  // Probe the output width with one sample.
  const K = tf.tidy(() => {
    const probe = m.forward(tf, m.layout.blocks.map((b) => tf.tensor(Float32Array.from(m.params.subarray(b.offset, b.offset + b.size)), [...b.shape], 'float32')), 0, 1);
    return probe.shape[1];
  });
  let targets: Float32Array;
  const t = o.targets as AnyMatrix;
  if (t != null && typeof t === 'object' && 'rows' in t && 'data' in t) {
    if (o.loss === 'cross-entropy') throw new InvalidArgumentError('targets', 'labels for cross-entropy', 'a matrix');
    if (t.rows !== N || t.cols !== K) throw new InvalidArgumentError('targets', `of shape [N = ${N}, K = ${K}]`, `[${t.rows}, ${t.cols}]`);
    assertFinite('targets', t.data, t.cols);
    targets = new Float32Array(t.data);
  } else {
    const { labels } = validateLabels('targets', o.targets as ArrayLike<number>, N, K);
    targets = new Float32Array(N * K);
    labels.forEach((c, i) => { targets[i * K + c] = 1; });
  }
  const targetsTensor = tf.tensor2d(targets, [N, K], 'float32');
  const paramTensors = m.layout.blocks.map((b) => tf.tensor(Float32Array.from(m.params.subarray(b.offset, b.offset + b.size)), [...b.shape], 'float32'));
  return { tf, N, K, selected, selectedIdx, sub, chunk, targetsTensor, paramTensors };
}

/**
 * Σ_{i in chunk} ℓ_i / N as a scalar tensor. For cross-entropy, `shift` holds per-row constants
 * (the row maxima of the logits, computed outside the differentiated function) for a stable
 * log-sum-exp: log softmax(f) = f − s − log Σ exp(f − s) holds for any constant s.
 */
function chunkLoss(p: Prepared, loss: 'mse' | 'cross-entropy', f: Tensor2D, start: number, end: number, shift: Tensor | null): Tensor {
  const { tf, N, K } = p;
  const y = tf.slice(p.targetsTensor, [start, 0], [end - start, K]);
  if (loss === 'mse') return tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(f, y)))), N);
  // log softmax written with plain ops: tfjs's logSoftmax/softmax use customGrad, whose gradients
  // are not themselves differentiable (a double backward through them is silently wrong), and
  // tf.max's gradient needs Equal, which has none.
  const shifted = shift ? tf.sub(f, shift) : f;
  // exp(x) as expm1(x) + 1: Exp's gradient reuses its output, which nested tfjs gradients treat as a
  // constant (the second derivative would silently lose the diag(p) term); Expm1's uses its input.
  const logProb = tf.sub(shifted, tf.log(tf.sum(tf.add(tf.expm1(shifted), 1), 1, true)));
  return tf.div(tf.neg(tf.sum(tf.mul(y, logProb))), N);
}

/** Row maxima of the logits at θ, as constants (null for MSE). */
function logitShift(p: Prepared, o: AutodiffOperatorOptions, start: number, end: number): Tensor | null {
  if (o.loss !== 'cross-entropy') return null;
  return p.tf.max(o.model.forward(p.tf, p.paramTensors, start, end), 1, true);
}

function withSelected(p: Prepared, selected: Tensor[]): Tensor[] {
  const all = [...p.paramTensors];
  p.selectedIdx.forEach((b, j) => { all[b] = selected[j]; });
  return all;
}

function splitVector(p: Prepared, v: Float64Array): Tensor[] {
  return p.sub.blocks.map((b) => p.tf.tensor(Float32Array.from(v.subarray(b.offset, b.offset + b.size)), [...b.shape], 'float32'));
}

async function gather(p: Prepared, parts: Tensor[], out: Float64Array): Promise<void> {
  for (let j = 0; j < parts.length; j++) {
    const data = await parts[j].data();
    const off = p.sub.blocks[j].offset;
    for (let i = 0; i < data.length; i++) out[off + i] += data[i];
    parts[j].dispose();
  }
}

function operatorOf(p: Prepared, label: string, chunkProduct: (v: Tensor[], start: number, end: number) => Tensor[]): ParameterOperator {
  let disposed = false;
  return {
    size: p.sub.size,
    layout: p.sub,
    blocks: p.selected,
    label,
    dispose() {
      if (!disposed) p.tf.dispose([...p.paramTensors, p.targetsTensor]);
      disposed = true;
    },
    async matvec(v: Float64Array): Promise<Float64Array> {
      if (disposed) throw new InvalidArgumentError('op', `an operator that has not been disposed (${label})`, 'disposed');
      const out = new Float64Array(p.sub.size);
      for (let start = 0; start < p.N; start += p.chunk) {
        const end = Math.min(p.N, start + p.chunk);
        const parts = p.tf.tidy(() => chunkProduct(splitVector(p, v), start, end));
        await gather(p, parts, out);
      }
      return out;
    },
  };
}

/**
 * The loss Hessian as an operator, by double backward (Pearlmutter's R-operator through tfjs
 * autodiff): H v = ∇_θ ⟨∇_θ L(θ), v⟩, summed over sample chunks.
 *
 * ```math
 * L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i),   H v = Σ_chunks ∇_θ ( ∇_θ L_chunk(θ) · v )
 * ```
 *
 * Products run in float32 on the tfjs engine and are accumulated over chunks in float64; expect
 * relative errors around 1e-6. With `filter`, only the selected blocks are differentiated (a
 * per-layer Hessian), the others are held fixed.
 *
 * @param options - model, loss, targets, filter, chunkSize (see {@link AutodiffOperatorOptions}).
 * @returns the operator on the selected parameters, with their layout.
 * @throws {InvalidArgumentError} on an invalid model, targets, loss, filter or chunk size.
 * @example
 * const h = hessianOperator({ model, loss: 'cross-entropy', targets: labels, filter: ['layer2.weight'] });
 * const top = await lanczos(h, { k: 10 });
 * @see Pearlmutter (1994); Yao et al., PyHessian (2020) https://arxiv.org/abs/1912.07145
 */
export function hessianOperator(options: AutodiffOperatorOptions): ParameterOperator {
  const p = prepare(options);
  const { tf } = p;
  return operatorOf(p, 'hessian', (v, start, end) => {
    const shift = logitShift(p, options, start, end);
    const gradDotV = (...sel: Tensor[]): Tensor => {
      const g = tf.grads((...s2: Tensor[]) => chunkLoss(p, options.loss, options.model.forward(tf, withSelected(p, s2), start, end), start, end, shift))(sel);
      return tf.addN(g.map((gi, j) => tf.sum(tf.mul(gi, v[j]))));
    };
    return tf.grads(gradDotV)(p.selectedIdx.map((b) => p.paramTensors[b]));
  });
}

/**
 * The generalised Gauss–Newton matrix as an operator: G v = (1/N) Σ_i J_iᵀ H_ℓ(f_i) J_i v.
 *
 * ```math
 * G = (1/N) Σ_i J_iᵀ H_ℓ J_i,  J_i = ∂f(x_i)/∂θ,  H_ℓ = I (MSE, ℓ = ½‖f−y‖²) or diag(p_i) − p_i p_iᵀ (softmax CE)
 * ```
 *
 * J v comes from differentiating u ↦ (Jᵀu)·v with respect to u (two backward passes), then H_ℓ is
 * applied in closed form and Jᵀ(·) is one more backward pass. G is positive semi-definite; for
 * models linear in θ, or at zero residual, G equals the Hessian.
 *
 * @param options - see {@link AutodiffOperatorOptions} (`targets` are used only for validation).
 * @returns the operator on the selected parameters.
 * @throws {InvalidArgumentError} as {@link hessianOperator}.
 * @example
 * const g = gaussNewtonOperator({ model, loss: 'mse', targets: labels });
 * @see Schraudolph (2002); Papyan (2020) https://arxiv.org/abs/2008.11865
 */
export function gaussNewtonOperator(options: AutodiffOperatorOptions): ParameterOperator {
  const p = prepare(options);
  const { tf, K, N } = p;
  return operatorOf(p, 'gauss-newton', (v, start, end) => {
    const sel = p.selectedIdx.map((b) => p.paramTensors[b]);
    const fwd = (s: Tensor[]): Tensor2D => options.model.forward(tf, withSelected(p, s), start, end);
    const f = fwd(sel);
    // J v = ∇_u ⟨Jᵀ u, v⟩ at any u (linear in u).
    const u0 = tf.zeros([end - start, K]);
    const jv = tf.grad((u: Tensor) => {
      const jtu = tf.grads((...s: Tensor[]) => tf.sum(tf.mul(fwd(s), u)))(sel);
      return tf.addN(jtu.map((gi, j) => tf.sum(tf.mul(gi, v[j]))));
    })(u0) as Tensor2D;
    let m: Tensor2D;
    if (options.loss === 'mse') m = jv;
    else {
      const prob = tf.softmax(f);
      m = tf.sub(tf.mul(prob, jv), tf.mul(prob, tf.sum(tf.mul(prob, jv), 1, true)));
    }
    const w = tf.div(m, N);
    return tf.grads((...s: Tensor[]) => tf.sum(tf.mul(fwd(s), w)))(sel);
  });
}

/**
 * Per-sample loss gradients g_i = ∇_θ ℓ(f(x_i; θ), y_i) of the selected blocks (one backward pass
 * per sample; memory N·P floats, so for small models or a subsample).
 *
 * @param options - see {@link AutodiffOperatorOptions} (`chunkSize` is ignored).
 * @returns N gradients (float64 copies of float32 results) and the layout of their coordinates.
 * @throws {InvalidArgumentError} as {@link hessianOperator}.
 * @example
 * const { gradients } = await perSampleGradients({ model, loss: 'cross-entropy', targets: labels });
 * const fisher = empiricalFisherOperator(gradients);
 */
export async function perSampleGradients(options: AutodiffOperatorOptions): Promise<{ gradients: Float64Array[]; layout: ParameterLayout }> {
  const p = prepare({ ...options, chunkSize: 1 });
  const { tf, N } = p;
  const gradients: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    const parts = tf.tidy(() =>
      tf.grads((...s: Tensor[]) => tf.mul(chunkLoss(p, options.loss, options.model.forward(tf, withSelected(p, s), i, i + 1), i, i + 1, logitShift(p, options, i, i + 1)), N))(
        p.selectedIdx.map((b) => p.paramTensors[b]),
      ),
    );
    const g = new Float64Array(p.sub.size);
    await gather(p, parts, g);
    gradients.push(g);
  }
  tf.dispose([...p.paramTensors, p.targetsTensor]);
  return { gradients, layout: p.sub };
}

/**
 * The empirical Fisher (uncentred second moment of per-sample gradients) as an operator.
 *
 * ```math
 * F = (1/N) Σ_i g_i g_iᵀ,   F v = (1/N) Gᵀ (G v)
 * ```
 *
 * @param gradients - per-sample gradients g_i (e.g. from {@link perSampleGradients}), one length P.
 * @returns the operator of size P.
 * @throws {InvalidArgumentError} on an empty list or unequal lengths.
 * @example
 * const f = empiricalFisherOperator(gradients);
 * @see Kunstner, Hennig & Balles (2019) https://arxiv.org/abs/1905.12558
 */
export function empiricalFisherOperator(gradients: ReadonlyArray<Float64Array>): LinearOperator {
  if (!Array.isArray(gradients) || gradients.length === 0) throw new InvalidArgumentError('gradients', 'a non-empty array of vectors', gradients);
  return outerProductOperator(gradients, 1 / gradients.length, 'empirical-fisher');
}

/**
 * The gradient covariance (centred second moment of per-sample gradients, Jastrzębski et al.).
 *
 * ```math
 * C = (1/N) Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ,   ḡ = (1/N) Σ_i g_i
 * ```
 *
 * @param gradients - per-sample gradients, one length P, at least 2.
 * @returns the operator of size P.
 * @throws {InvalidArgumentError} on fewer than 2 gradients or unequal lengths.
 * @example
 * const c = gradientCovarianceOperator(deepUfmLayerGradients(opt, 2).perSample);
 * @see Jastrzębski et al. (2020) https://arxiv.org/abs/2002.09572
 */
export function gradientCovarianceOperator(gradients: ReadonlyArray<Float64Array>): LinearOperator {
  if (!Array.isArray(gradients) || gradients.length < 2) throw new InvalidArgumentError('gradients', 'an array of at least 2 vectors', gradients?.length);
  const P = gradients[0].length;
  const mean = new Float64Array(P);
  gradients.forEach((g, i) => {
    if (g.length !== P) throw new InvalidArgumentError(`gradients[${i}]`, `of length ${P}`, g.length);
    for (let j = 0; j < P; j++) mean[j] += g[j] / gradients.length;
  });
  const centred = gradients.map((g) => g.map((x: number, j: number) => x - mean[j]));
  return outerProductOperator(centred, 1 / gradients.length, 'gradient-covariance');
}

/**
 * The gradient ∇_θ L of the mean loss over the selected blocks (first-order tfjs autodiff, summed
 * over chunks in float64).
 *
 * @param options - see {@link AutodiffOperatorOptions}.
 * @returns the gradient (length = selected parameters).
 * @throws {InvalidArgumentError} as {@link hessianOperator}.
 * @example
 * const g = await lossGradient({ model, loss: 'mse', targets: labels });
 */
export async function lossGradient(options: AutodiffOperatorOptions): Promise<Float64Array> {
  const p = prepare(options);
  const { tf } = p;
  const out = new Float64Array(p.sub.size);
  for (let start = 0; start < p.N; start += p.chunk) {
    const end = Math.min(p.N, start + p.chunk);
    const parts = tf.tidy(() => {
      const shift = logitShift(p, options, start, end);
      return tf.grads((...s: Tensor[]) => chunkLoss(p, options.loss, options.model.forward(tf, withSelected(p, s), start, end), start, end, shift))(
        p.selectedIdx.map((b) => p.paramTensors[b]),
      );
    });
    await gather(p, parts, out);
  }
  tf.dispose([...p.paramTensors, p.targetsTensor]);
  return out;
}

/**
 * Checks a double-backward Hessian operator against central finite differences of the gradient
 * along a random direction (tfjs's second derivatives are wrong for some ops; see
 * {@link DifferentiableModel}).
 *
 * ```math
 * err = ‖H v − (∇L(θ + εv) − ∇L(θ − εv))/(2ε)‖ / ‖H v‖
 * ```
 *
 * In float32 expect err ≈ 1e-3 for a smooth model at ε = 1e-2; an error of order 1 means the
 * forward pass uses an op whose second derivative tfjs gets wrong.
 *
 * @param options - the operator's options.
 * @param check - `eps` (default 1e-2, relative to ‖θ‖/√P) and `seed` (default 0).
 * @returns the relative error.
 * @throws {InvalidArgumentError} as {@link hessianOperator}.
 * @example
 * (await checkHessianOperator({ model, loss: 'cross-entropy', targets })).relativeError; // ≈ 1e-3
 */
export async function checkHessianOperator(
  options: AutodiffOperatorOptions,
  check: { eps?: number; seed?: number } = {},
): Promise<{ relativeError: number }> {
  const op = hessianOperator(options);
  const rng = createRng(check.seed ?? 0);
  const v = Float64Array.from(rng.normalArray(op.size));
  const vn = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  for (let i = 0; i < v.length; i++) v[i] /= vn;
  const theta = options.model.params;
  const scale = Math.max(1e-3, Math.sqrt(theta.reduce((a, x) => a + x * x, 0) / theta.length));
  const eps = (check.eps ?? 1e-2) * scale;
  const shifted = (sign: number): Float64Array => {
    const t = Float64Array.from(theta);
    for (const [j, b] of op.blocks.entries()) {
      const off = op.layout.blocks[j].offset;
      for (let i = 0; i < b.size; i++) t[b.offset + i] += sign * eps * v[off + i];
    }
    return t;
  };
  const gp = await lossGradient({ ...options, model: { ...options.model, params: shifted(1) } });
  const gm = await lossGradient({ ...options, model: { ...options.model, params: shifted(-1) } });
  const hv = await op.matvec(v);
  op.dispose();
  let num = 0;
  let den = 0;
  for (let i = 0; i < hv.length; i++) {
    num += (hv[i] - (gp[i] - gm[i]) / (2 * eps)) ** 2;
    den += hv[i] ** 2;
  }
  return { relativeError: Math.sqrt(num / Math.max(den, Number.MIN_VALUE)) };
}
