import type * as TfCore from '@tensorflow/tfjs-core';
import { InvalidArgumentError, allocFloat32, assertInteger, gemm, getTf, matmul, reluMaskInPlace, symmetrize, type Matrix, type Matrix32, type Tf } from '@nclab/backend';
import { biasActivate } from './host/mlp-pass.js';
import { forward, toTfNetwork, type Tensor2D } from './network.js';
import { layerActivation, layerShape } from './mlp.js';
import type { MlpParams } from './types.js';

/** Options of {@link networkAgops}. */
export interface NetworkAgopOptions {
  /** Rows per Jacobian pass (memory ≈ rows · Σ_l d_l · 4 bytes per class). Default 512. */
  chunkSize?: number;
  /** Also return the centered AGOPs (gradients minus their mean over the samples). Default true. */
  centered?: boolean;
  /** Also return the AGOP of the head with respect to its input (layer index `depth`). Default false. */
  includeHead?: boolean;
  /**
   * `'chain'` (default): one forward pass, then the input Jacobians of all K outputs at once by the
   * chain rule, J_l = W_head D_{L−1} W_{L−1} ⋯ D_l W_l with D_m = diag σ'(z_m), as float32 products on
   * the host BLAS (`matmul` of `@nclab/backend`); AGOP_l = W_lᵀ (Σ P_lᵀP_l / N) W_l with P_l the
   * pre-activation gradients, accumulated in float64. `'autodiff'`: reverse-mode autodiff on the tfjs
   * engine, one backward pass per output. Both give the same matrix (tests check it); the chain rule
   * is several times faster.
   */
  method?: 'chain' | 'autodiff';
}

/** Per-layer AGOPs of a network, float64 `[d_l, d_l]` each. */
export interface NetworkAgops {
  /** `agop[l]`: AGOP of the sub-network from layer l's input to the output. */
  agop: Matrix[];
  /** `centered[l]`: the same with per-output gradients centered over the samples (when requested). */
  centered: Matrix[] | null;
  /** Number of samples averaged over. */
  n: number;
}

/**
 * The average gradient outer product of every sub-network f_l (layers l..L and the head) with respect
 * to its own input h_l = Φ(X_l), evaluated at the training points, by reverse-mode autodiff.
 *
 * ```math
 * AGOP_l = (1/N) Σ_i Σ_c ∇_{h_l} f_c(x_i) ∇_{h_l} f_c(x_i)ᵀ                          [d_l, d_l]
 * centered: (1/N) Σ_i Σ_c (g_ic − ḡ_c)(g_ic − ḡ_c)ᵀ,   ḡ_c = (1/N) Σ_i g_ic
 * ```
 * Method `'chain'` (default) is described at {@link NetworkAgopOptions.method}. Method `'autodiff'`:
 * one backward pass per output c gives the gradients for all layers at once: zero tensors are added
 * to every layer input and the network is differentiated with respect to them (samples do not
 * interact in an MLP, so the gradient of Σ_i f_c(x_i) with respect to row i is ∇f_c(x_i)). Products
 * GᵀG run in float32 on the engine per chunk and are accumulated in float64 on the host.
 *
 * @param params - the network (host parameters).
 * @param x - `[N, d₀]` inputs, row-major float32.
 * @param n - N.
 * @returns per-layer AGOPs, `agop[0]` is `[d₀, d₀]`.
 * @throws {InvalidArgumentError} when `x` does not have `n · d₀` entries or `chunkSize` < 1.
 * @example
 * const { agop } = await networkAgops(net, x, 100);
 * agop[0].rows; // returns 784
 * @see Radhakrishnan et al. 2024, "Mechanism for feature learning in neural networks and backpropagation-free machine learning models" (Science).
 */
export async function networkAgops(params: MlpParams, x: Float32Array, n: number, options: NetworkAgopOptions = {}): Promise<NetworkAgops> {
  const method = options.method ?? 'chain';
  if (method !== 'chain' && method !== 'autodiff') throw new InvalidArgumentError('method', "'chain' or 'autodiff'", method);
  assertInteger('n', n, 1);
  const d0 = params.spec.inputDim;
  if (x.length !== n * d0) throw new InvalidArgumentError('x', `of length n·d₀ = ${n * d0}`, x.length);
  const chunk = options.chunkSize ?? 512;
  assertInteger('chunkSize', chunk, 1);
  const settings: AgopSettings = { chunk, wantCentred: options.centered ?? true, includeHead: options.includeHead ?? false };
  return method === 'chain' ? chainAgops(params, x, n, settings) : autodiffAgops(params, x, n, settings);
}

/** Options resolved and validated once by {@link networkAgops}. */
interface AgopSettings {
  readonly chunk: number;
  readonly wantCentred: boolean;
  readonly includeHead: boolean;
}

async function autodiffAgops(params: MlpParams, x: Float32Array, n: number, settings: AgopSettings): Promise<NetworkAgops> {
  const tf = getTf() as Tf;
  const { spec } = params;
  const d0 = spec.inputDim;
  const { chunk, wantCentred } = settings;
  const layerCount = settings.includeHead ? spec.depth + 1 : spec.depth;
  const dims = Array.from({ length: layerCount }, (_, l) => layerShape(spec, l)[1]);
  const K = spec.numClasses;
  const sums = dims.map((d) => new Float64Array(d * d));
  // Per layer and class: Σ_i g_ic, for the centred AGOP.
  const gradSums = wantCentred ? dims.map((d) => new Float64Array(K * d)) : null;
  const net = toTfNetwork(params);
  try {
    for (let s = 0; s < n; s += chunk) {
      const e = Math.min(n, s + chunk);
      const rows = e - s;
      const xb = tf.tensor2d(x.subarray(s * d0, e * d0), [rows, d0]);
      const perturb = dims.slice(1).map((d) => tf.zeros([rows, d]) as Tensor2D);
      const f = (...inputs: TfCore.Tensor[]): TfCore.Tensor =>
        forward(net, inputs[0] as Tensor2D, inputs.slice(1) as Tensor2D[], undefined, true);
      const gradsFn = tf.grads(f);
      for (let c = 0; c < K; c++) {
        const dy = tf.tidy(() => tf.cast(tf.oneHot(tf.fill([rows], c, 'int32') as TfCore.Tensor1D, K), 'float32'));
        const grads = gradsFn([xb, ...perturb], dy);
        dy.dispose();
        for (let l = 0; l < layerCount; l++) {
          const g = grads[l] as Tensor2D;
          const gram = tf.tidy(() => tf.matMul(tf.transpose(g), g));
          const gd = await gram.data();
          gram.dispose();
          const acc = sums[l];
          for (let i = 0; i < acc.length; i++) acc[i] += gd[i];
          if (gradSums) {
            const colSum = tf.sum(g, 0);
            const cs = await colSum.data();
            colSum.dispose();
            const d = dims[l];
            const gs = gradSums[l];
            for (let j = 0; j < d; j++) gs[c * d + j] += cs[j];
          }
        }
        tf.dispose(grads);
      }
      xb.dispose();
      tf.dispose(perturb);
    }
  } finally {
    net.dispose();
  }
  const agop = sums.map((acc, l) => {
    const d = dims[l];
    const data = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) data[i * d + j] = 0.5 * (acc[i * d + j] + acc[j * d + i]) / n;
    return { rows: d, cols: d, data };
  });
  let centred: Matrix[] | null = null;
  if (gradSums) {
    centred = agop.map((m, l) => {
      const d = dims[l];
      const out = new Float64Array(m.data);
      const gs = gradSums[l];
      for (let c = 0; c < K; c++) {
        for (let i = 0; i < d; i++) {
          const gi = gs[c * d + i] / n;
          if (gi === 0) continue;
          for (let j = 0; j < d; j++) out[i * d + j] -= gi * (gs[c * d + j] / n);
        }
      }
      return { rows: d, cols: d, data: out };
    });
  }
  return { agop, centered: centred, n };
}

async function chainAgops(params: MlpParams, x: Float32Array, n: number, settings: AgopSettings): Promise<NetworkAgops> {
  const { spec } = params;
  const d0 = spec.inputDim;
  const { chunk, wantCentred } = settings;
  const { depth, numClasses: K } = spec;
  const W: Matrix32[] = params.layers.map((p) => ({ rows: p.outDim, cols: p.inDim, data: p.weight }));
  const head = params.layers[depth];
  // widths[l]: the output width of hidden layer l (the first may differ: `firstWidth`)
  const widths = params.layers.slice(0, depth).map((p) => p.outDim);
  // S_l = Σ_i Σ_c p_ic p_icᵀ (pre-activation gradients of layer l), and Σ_i p_ic per class.
  const grams = widths.map((w) => new Float64Array(w * w));
  const colSums = widths.map((w) => new Float64Array(K * w));
  // Buffers allocated once and reused by every chunk and layer: the fresh pages of per-chunk arrays
  // (several MB a layer) cost a fault each, ~12 µs on the project's machine, more than the arithmetic.
  const maxWidth = Math.max(...widths);
  const rowsMax = Math.min(n, chunk);
  let g = allocFloat32(K * rowsMax * maxWidth); // gradients with respect to a layer's output, [K·B, width]
  let gNext = allocFloat32(K * rowsMax * maxWidth);
  const gram = new Float32Array(maxWidth * maxWidth);
  // Per-class column sums as one product: E [K, K·B] with E[c, c·B + i] = 1, times P [K·B, width]
  const classSum = new Float32Array(K * maxWidth);
  const indicators = new Map<number, Matrix32>();
  const indicator = (B: number): Matrix32 => {
    let e = indicators.get(B);
    if (!e) {
      e = { rows: K, cols: K * B, data: new Float32Array(K * K * B) };
      for (let c = 0; c < K; c++) e.data.fill(1, c * K * B + c * B, c * K * B + (c + 1) * B);
      indicators.set(B, e);
    }
    return e;
  };
  const outBlock = allocFloat32(rowsMax * widths.reduce((a, b) => a + b, 0));
  let offset = 0;
  const outs = widths.map((w) => outBlock.subarray(offset, (offset += rowsMax * w))); // per layer: z, then σ(z) in place
  const acts = widths.map((_, l) => layerActivation(spec, l));
  const derivs = widths.map((w, l) => (acts[l] === 'tanh' ? new Float32Array(rowsMax * w) : null));
  for (let s = 0; s < n; s += chunk) {
    const B = Math.min(n, s + chunk) - s;
    let h: Matrix32 = { rows: B, cols: d0, data: x.subarray(s * d0, (s + B) * d0) };
    for (let l = 0; l < depth; l++) {
      const width = widths[l];
      const z = (await matmul(h, W[l], { transB: true, out: outs[l] })).data;
      biasActivate(z, B, width, params.layers[l].bias, acts[l], derivs[l]);
      h = { rows: B, cols: width, data: z };
    }
    // Gradient of output c with respect to the head input: row c of W_head, for every sample.
    const top = widths[depth - 1];
    for (let c = 0; c < K; c++) {
      // row c of W_head in the block's first row, then doubled until the block's B rows hold it
      const start = c * B * top;
      g.set(head.weight.subarray(c * top, (c + 1) * top), start);
      for (let filled = 1; filled < B; filled *= 2) g.copyWithin(start + filled * top, start, start + Math.min(filled, B - filled) * top);
    }
    for (let l = depth - 1; l >= 0; l--) {
      const width = widths[l];
      const size = B * width;
      // P_l = G ⊙ σ'(z_l), each class block in place: the relu mask reads σ(z) (kept where > 0), tanh
      // multiplies by its derivative, identity leaves G as it is
      const d = derivs[l];
      if (acts[l] !== 'identity') {
        for (let c = 0; c < K; c++) {
          const block = g.subarray(c * size, (c + 1) * size);
          if (d === null) reluMaskInPlace(block, outs[l], size);
          else for (let i = 0; i < size; i++) block[i] *= d[i];
        }
      }
      const P: Matrix32 = { rows: K * B, cols: width, data: g.subarray(0, K * size) };
      // float32 sums over the chunk's B rows (as the Gram's), accumulated over chunks in float64
      const sums = (await matmul(indicator(B), P, { out: classSum })).data;
      const cs = colSums[l];
      for (let i = 0; i < K * width; i++) cs[i] += sums[i];
      const pp = (await matmul(P, P, { transA: true, out: gram })).data;
      // the lower triangle (PᵀP is symmetric; the final S is mirrored from it)
      const acc = grams[l];
      for (let i = 0; i < width; i++) for (let j = 0, o = i * width; j <= i; j++) acc[o + j] += pp[o + j];
      if (l > 0) {
        await matmul(P, W[l], { out: gNext });
        [g, gNext] = [gNext, g];
      }
    }
  }
  const layerCount = settings.includeHead ? depth + 1 : depth;
  const agop: Matrix[] = [];
  const centred: Matrix[] | null = wantCentred ? [] : null;
  for (let l = 0; l < layerCount; l++) {
    const w = params.layers[l];
    const w64: Matrix = { rows: w.outDim, cols: w.inDim, data: new Float64Array(w.weight) };
    if (l === depth) {
      // The head is linear: its input gradients are the rows of W_head at every sample.
      const a = gemm(w64, w64, { transA: true });
      agop.push(a);
      centred?.push({ rows: a.rows, cols: a.cols, data: new Float64Array(a.data.length) });
      continue;
    }
    const width = widths[l];
    const S: Matrix = { rows: width, cols: width, data: new Float64Array(width * width) };
    const gr = grams[l];
    for (let i = 0; i < width; i++) {
      for (let j = 0; j <= i; j++) {
        const v = gr[i * width + j] / n;
        S.data[i * width + j] = v;
        S.data[j * width + i] = v;
      }
    }
    const a = gemm(w64, gemm(S, w64), { transA: true }); // W_lᵀ S W_l
    symmetrize(a);
    agop.push(a);
    if (centred) {
      const mean: Matrix = { rows: K, cols: width, data: Float64Array.from(colSums[l], (v) => v / n) };
      const gbar = gemm(mean, w64); // [K, in]: mean input gradient of each output
      const c = gemm(gbar, gbar, { transA: true });
      // AGOP − ḡᵀḡ into the product's own (already written) storage: no fresh d² array to fault in
      const out = c.data;
      for (let i = 0; i < out.length; i++) out[i] = a.data[i] - out[i];
      const cm = { rows: a.rows, cols: a.cols, data: out };
      symmetrize(cm);
      centred.push(cm);
    }
  }
  return { agop, centered: centred, n };
}

