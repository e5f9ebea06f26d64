import { type ClassLayout, type ParamLayout, paramLayout } from './layout.js';
import { createKernelArena, resolveLinalg, type KernelArena, type LinalgRequest } from '@nclab/backend/host';
import { mulNN, selectProducts, type Products, type ProductsKind } from './internal/dense.js';
import { blockViewCache, carveWorkspace, type BlockViews } from './internal/workspace.js';

/** The loss on the output Z + b1ᵀ. */
export type UfmLoss = 'mse' | 'ce';
/** The activation σ between consecutive weight layers (none after W_L). */
export type UfmActivation = 'linear' | 'relu';
/** How the model treats the bias b ∈ R^K of the last layer. */
/**
 * Bias modes of the classifier: `none` (no bias), `free` (an unregularised bias b) and `regularized`
 * (b with the penalty λ_b‖b‖²/2).
 */
export const UFM_BIASES = ['none', 'free', 'regularized'] as const;

/** One of {@link UFM_BIASES}. */
export type UfmBias = (typeof UFM_BIASES)[number];

/**
 * A fully scaled objective over the factors (W_1, …, W_L, H_1, b):
 *
 * ```math
 * f = c_data · loss(W_L σ(W_{L−1} ⋯ σ(W_1 H_1)) + b 1ᵀ, Y) + Σ_l c_l ‖W_l‖_F² + c_H ‖H_1‖_F² + c_b ‖b‖²
 * ```
 *
 * with loss = ‖·‖_F² (mse) or Σ_i CE(z_i, y_i) (ce). Each model fixes the coefficients from its
 * paper's scaling (see `objectiveSpec` in models.ts).
 */
export interface ObjectiveSpec {
  readonly classes: ClassLayout;
  /** Input widths [d_1, …, d_L] of W_1 … W_L. */
  readonly dims: readonly number[];
  readonly loss: UfmLoss;
  readonly activation: UfmActivation;
  readonly bias: UfmBias;
  readonly dataCoef: number;
  /** c_l for W_1 … W_L. */
  readonly weightCoefs: readonly number[];
  readonly featureCoef: number;
  /** c_b (0 unless bias is 'regularized'). */
  readonly biasCoef: number;
}

/** Objective and gradient over the flat parameter vector: writes ∇f into `grad`, returns f. */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

/**
 * An {@link ObjectiveFn} that also reports ‖∇f‖₂² of its latest call, summed in the pass that
 * finishes the gradient (the penalty pass), so `minimize` makes no extra pass over ∇f for its
 * stopping test. `makeObjective` returns one.
 */
export type ObjectiveFnWithNorm = ObjectiveFn & {
  /** ‖∇f‖₂² of the latest call (NaN before the first). */
  readonly gradSumSq: () => number;
  /**
   * Portable and native paths (where WebAssembly SIMD runs): an iterate and a gradient buffer inside
   * the objective's kernel arena (see `createKernelArena` in @nclab/backend), where the penalty pass
   * runs as SIMD and the portable products use them in place; gradient descent runs on them. One
   * pair per objective: a solve overwrites it.
   */
  readonly gdBuffers?: GdBuffers;
};

/** Gradient-descent buffers in an objective's kernel arena (see {@link ObjectiveFnWithNorm}). */
export interface GdBuffers {
  readonly x: Float64Array;
  readonly g: Float64Array;
  /** y ← y + α x: WebAssembly SIMD on arena arrays, the same bits as the backend's `axpy`. */
  readonly axpy: (alpha: number, x: Float64Array, y: Float64Array) => void;
}

/** The running ‖∇f‖² of one objective (mutated per call; no allocation). */
interface NormAccumulator {
  sumSq: number;
}

function withNorm(fn: ObjectiveFn, acc: NormAccumulator, gdBuffers: GdBuffers | undefined): ObjectiveFnWithNorm {
  return Object.assign(fn, gdBuffers ? { gradSumSq: () => acc.sumSq, gdBuffers } : { gradSumSq: () => acc.sumSq });
}

/**
 * The flat layout of a spec.
 * @param spec - the objective spec.
 * @returns where W_1 … W_L, H_1 and b sit in the flat vector.
 */
export function specLayout(spec: ObjectiveSpec): ParamLayout {
  return paramLayout(spec.dims, spec.classes.K, spec.classes.N, spec.bias !== 'none');
}

/**
 * Builds f and its analytic gradient in float64 for a spec. Linear chains use the product
 * P = W_L⋯W_1 so that every product is K-thin (cost O(K·N·d_1 + L·K·d²) per call); ReLU chains
 * back-propagate through the stored pre-activations. `products`: 'auto' (default) runs the large
 * products through @nclab/backend's `gemm` (OpenBLAS on its native path), 'js' keeps them in JS loops.
 *
 * @param spec - the scaled objective (from `objectiveSpec(config).spec`).
 * @param options - `products`: 'auto' | 'blas' | 'js'; `linalg`: the float64 path of the large
 *   products (`'auto' | 'native' | 'portable'`, default backend's global path).
 * @returns `(x, grad) => f`, writing ∇f into `grad` (one workspace reused between calls: not re-entrant),
 *   with `gradSumSq()` = ‖∇f‖² of the latest call.
 * @example
 * const { spec, layout } = objectiveSpec({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1, lambdaH: 0.1 });
 * makeObjective(spec)(new Float64Array(layout.size), new Float64Array(layout.size)); // returns 0.5 (W = H = 0)
 */
export function makeObjective(spec: ObjectiveSpec, options: { products?: ProductsKind; linalg?: LinalgRequest } = {}): ObjectiveFnWithNorm {
  const k = selectProducts(options.products, options.linalg);
  const acc: NormAccumulator = { sumSq: NaN };
  const lengths = spec.activation === 'linear' ? linearWorkspace(spec) : reluWorkspace(spec);
  const size = specLayout(spec).size;
  // the arena on both host paths: OpenBLAS reads its arrays as any others, and the penalty pass and
  // the update run as SIMD passes there too (the CUDA path keeps plain arrays)
  const path = (options.products ?? 'auto') === 'js' ? null : resolveLinalg(options.linalg).path;
  const arena = path === 'portable' || path === 'native' ? createKernelArena(8 * (lengths.reduce((s, n) => s + n, 0) + 2 * size), { scratchBytes: path === 'portable' ? scratchBytes(spec) : 0 }) : null;
  const fn = spec.activation === 'linear' ? linearObjective(spec, k, acc, lengths, arena) : reluObjective(spec, k, acc, lengths, arena);
  return withNorm(fn, acc, arena ? { x: arena.alloc(size), g: arena.alloc(size), axpy: arena.axpy } : undefined);
}

/**
 * Scratch of an objective's kernel arena: room for the K-row products' operands that are copied
 * rather than used in place (K padded to 4 rows: Z and its transposed factor), at least 256 KiB.
 */
function scratchBytes(spec: ObjectiveSpec): number {
  const { K, N } = spec.classes;
  const wide = Math.max(N, ...spec.dims);
  const k4 = Math.ceil(K / 4) * 4;
  return Math.max(1 << 18, 8 * (2 * k4 * wide + wide * wide));
}

/** The output loss: writes dLoss/dZ (scaled by c_data) into dz, returns c_data · loss. Z is K×N, in place of the logits. */
function outputLoss(spec: ObjectiveSpec, z: Float64Array, dz: Float64Array): number {
  const { K, N, labels } = spec.classes;
  const c = spec.dataCoef;
  if (spec.loss === 'mse') {
    let s = 0;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < N; j++) {
        const r = z[k * N + j] - (labels[j] === k ? 1 : 0);
        s += r * r;
        dz[k * N + j] = 2 * c * r;
      }
    }
    return c * s;
  }
  let s = 0;
  for (let j = 0; j < N; j++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (z[k * N + j] > mx) mx = z[k * N + j];
    let se = 0;
    for (let k = 0; k < K; k++) se += Math.exp(z[k * N + j] - mx);
    const lse = mx + Math.log(se);
    s += lse - z[labels[j] * N + j];
    for (let k = 0; k < K; k++) dz[k * N + j] = c * (Math.exp(z[k * N + j] - lse) - (labels[j] === k ? 1 : 0));
  }
  return c * s;
}

/** Adds b to every column of Z (K×N). */
function addBias(spec: ObjectiveSpec, x: Float64Array, z: Float64Array, offset: number): void {
  const { K, N } = spec.classes;
  for (let k = 0; k < K; k++) {
    const bk = x[offset + k];
    for (let j = 0; j < N; j++) z[k * N + j] += bk;
  }
}

/** Writes ∂f/∂b = dZ 1 + 2 c_b b, adds its squares to `acc`, and returns c_b‖b‖². */
function biasGradient(spec: ObjectiveSpec, x: Float64Array, grad: Float64Array, dz: Float64Array, offset: number, acc: NormAccumulator): number {
  const { K, N } = spec.classes;
  let reg = 0;
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += dz[k * N + j];
    const bk = x[offset + k];
    const gk = s + 2 * spec.biasCoef * bk;
    grad[offset + k] = gk;
    acc.sumSq += gk * gk;
    reg += spec.biasCoef * bk * bk;
  }
  return reg;
}

/**
 * Adds the penalty gradients 2c·v to `grad`, adds the squares of the finished gradient to `acc`, and
 * returns Σ c‖block‖² over W_1 … W_L and H_1: one pass per block, no closure or array made per call.
 */
function regularise(spec: ObjectiveSpec, xv: BlockViews, gv: BlockViews, acc: NormAccumulator, arena: KernelArena | null): number {
  let f = 0;
  let gg = 0;
  const L = xv.weights.length;
  for (let l = 0; l <= L; l++) {
    const v = l < L ? xv.weights[l] : xv.h;
    const g = l < L ? gv.weights[l] : gv.h;
    const c = l < L ? spec.weightCoefs[l] : spec.featureCoef;
    const c2 = 2 * c;
    if (arena && arena.holds(v) && arena.holds(g)) {
      // three SIMD passes in the arena: g += 2c·v (the loop's bits), then ‖v‖², ‖g‖²
      arena.axpy(c2, v, g);
      f += c * arena.dot(v, v);
      gg += arena.dot(g, g);
      continue;
    }
    // four partial sums of each: one sum's add latency bound the loop to an entry per 4 cycles
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const len = v.length;
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const v0 = v[i], v1 = v[i + 1], v2 = v[i + 2], v3 = v[i + 3];
      const g0 = g[i] + c2 * v0, g1 = g[i + 1] + c2 * v1, g2 = g[i + 2] + c2 * v2, g3 = g[i + 3] + c2 * v3;
      g[i] = g0;
      g[i + 1] = g1;
      g[i + 2] = g2;
      g[i + 3] = g3;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
      t0 += g0 * g0;
      t1 += g1 * g1;
      t2 += g2 * g2;
      t3 += g3 * g3;
    }
    for (; i < len; i++) {
      const vi = v[i];
      const gi = g[i] + c2 * vi;
      g[i] = gi;
      s0 += vi * vi;
      t0 += gi * gi;
    }
    f += c * (s0 + s1 + (s2 + s3));
    gg += t0 + t1 + (t2 + t3);
  }
  acc.sumSq += gg;
  return f;
}

/**
 * The linear chain's workspace: a[l] = A_l = W_L ⋯ W_{l+1} (K × d_{l+1}, l < L−1; A_{L−1} = I_K is
 * never materialised), P = A_0 W_1 (K × d_1), c[l] = C_l (K × d_l), Z and dZ (K × N).
 */
function linearWorkspace(spec: ObjectiveSpec): number[] {
  const { K, N } = spec.classes;
  const L = spec.dims.length;
  const aLen = spec.dims.map((_, l) => (l + 1 < L ? K * spec.dims[l + 1] : 0));
  return [...aLen, K * spec.dims[0], ...spec.dims.map((d) => K * d), K * N, K * N];
}

function linearObjective(spec: ObjectiveSpec, k: Products, acc: NormAccumulator, lengths: number[], arena: KernelArena | null): ObjectiveFn {
  const layout = specLayout(spec);
  const { K, N } = spec.classes;
  const L = spec.dims.length;
  const d1 = spec.dims[0];
  const W = layout.weights;
  const ws = carveWorkspace(lengths, arena?.alloc);
  const a = ws.slice(0, L);
  const p = ws[L];
  const c = ws.slice(L + 1, 2 * L + 1);
  const z = ws[2 * L + 1];
  const dz = ws[2 * L + 2];
  const views = blockViewCache(layout);
  return (x, grad) => {
    const xv = views(x);
    const gv = views(grad);
    const w = xv.weights;
    // Prefix products from the top: A_{L-1} = W_L, A_{l-1} = A_l W_l; P = A_0 W_1.
    if (L === 1) {
      p.set(w[0]);
    } else {
      // A_{L−2} = W_L itself: read it in place rather than copy.
      const top = (l: number): Float64Array => (l === L - 2 ? w[L - 1] : a[l]);
      for (let l = L - 2; l >= 1; l--) k.nn(top(l), w[l], a[l - 1], K, W[l].rows, W[l].cols);
      k.nn(top(0), w[0], p, K, W[0].rows, d1);
    }
    const h = xv.h;
    k.nn(p, h, z, K, d1, N);
    if (layout.bias) addBias(spec, x, z, layout.bias.offset);
    let f = outputLoss(spec, z, dz);
    acc.sumSq = 0;
    if (layout.bias) f += biasGradient(spec, x, grad, dz, layout.bias.offset, acc);
    // ∇H = Pᵀ dZ ; G = dZ Hᵀ (K × d_1) = C_1.
    k.tn(p, dz, gv.h, d1, K, N);
    k.nt(dz, h, c[0], K, N, d1);
    // C_{l+1} = C_l W_lᵀ (K × d_{l+1})
    for (let l = 1; l < L; l++) k.nt(c[l - 1], w[l - 1], c[l], K, W[l - 1].cols, W[l - 1].rows);
    for (let l = 0; l < L; l++) {
      if (l === L - 1) gv.weights[l].set(c[l]);
      else k.tn(l === L - 2 ? w[L - 1] : a[l], c[l], gv.weights[l], W[l].rows, K, W[l].cols); // A_lᵀ C_l
    }
    f += regularise(spec, xv, gv, acc, arena);
    return f;
  };
}

/**
 * The ReLU chain's workspace: feats[l] = input of W_{l+1} (d_{l+1} × N, l ≥ 1), pre[l] its
 * pre-activation, back[l] the delta of feats[l] (l ≥ 1), Z and dZ (K × N).
 */
function reluWorkspace(spec: ObjectiveSpec): number[] {
  const { K, N } = spec.classes;
  const rest = spec.dims.slice(1).map((d) => d * N);
  return [...rest, ...rest, ...rest, K * N, K * N];
}

function reluObjective(spec: ObjectiveSpec, k: Products, acc: NormAccumulator, lengths: number[], arena: KernelArena | null): ObjectiveFn {
  const layout = specLayout(spec);
  const { K, N } = spec.classes;
  const L = spec.dims.length;
  const W = layout.weights;
  const ws = carveWorkspace(lengths, arena?.alloc);
  const feats = ws.slice(0, L - 1);
  const pre = ws.slice(L - 1, 2 * (L - 1));
  const back = ws.slice(2 * (L - 1), 3 * (L - 1));
  const z = ws[3 * (L - 1)];
  const dz = ws[3 * (L - 1) + 1];
  const views = blockViewCache(layout);
  return (x, grad) => {
    const xv = views(x);
    const gv = views(grad);
    const h = xv.h;
    let input: Float64Array = h;
    for (let l = 0; l < L - 1; l++) {
      const pl = pre[l];
      k.nn(xv.weights[l], input, pl, W[l].rows, W[l].cols, N);
      const out = feats[l];
      for (let i = 0; i < pl.length; i++) out[i] = pl[i] > 0 ? pl[i] : 0;
      input = out;
    }
    k.nn(xv.weights[L - 1], input, z, K, W[L - 1].cols, N);
    if (layout.bias) addBias(spec, x, z, layout.bias.offset);
    let f = outputLoss(spec, z, dz);
    acc.sumSq = 0;
    if (layout.bias) f += biasGradient(spec, x, grad, dz, layout.bias.offset, acc);
    // Backward: delta of the output of W_l is `up` (rows_l × N).
    let up: Float64Array = dz;
    for (let l = L - 1; l >= 0; l--) {
      const inp = l === 0 ? h : feats[l - 1];
      k.nt(up, inp, gv.weights[l], W[l].rows, N, W[l].cols);
      const down = l === 0 ? gv.h : back[l - 1];
      k.tn(xv.weights[l], up, down, W[l].cols, W[l].rows, N);
      if (l > 0) {
        const pl = pre[l - 1];
        for (let i = 0; i < pl.length; i++) if (!(pl[i] > 0)) down[i] = 0;
      }
      up = down;
    }
    f += regularise(spec, xv, gv, acc, arena);
    return f;
  };
}

/**
 * The features entering each weight layer and the output, for a flat parameter vector:
 * `inputs[l]` is the input of W_{l+1} (H_1 first, then σ(W_1 H_1), …), `preActivations[l]` is
 * W_{l+1} ⋯ before σ (ReLU chains only, l < L−1), `output` is W_L(⋯) + b1ᵀ (K × N).
 * All are row-major [rows, N] float64 arrays.
 * @param spec - the objective spec; @param x - flat parameters.
 * @returns the features of every layer, the ReLU pre-activations and the output.
 */
export function forwardFeatures(spec: ObjectiveSpec, x: Float64Array): {
  inputs: Float64Array[];
  preActivations: Float64Array[];
  output: Float64Array;
} {
  const layout = specLayout(spec);
  const { K, N } = spec.classes;
  const L = spec.dims.length;
  const W = layout.weights;
  const inputs: Float64Array[] = [x.slice(layout.h.offset, layout.h.offset + spec.dims[0] * N)];
  const preActivations: Float64Array[] = [];
  for (let l = 0; l < L - 1; l++) {
    const pl = new Float64Array(W[l].rows * N);
    mulNN(x.subarray(W[l].offset), inputs[l], pl, W[l].rows, W[l].cols, N);
    if (spec.activation === 'relu') {
      preActivations.push(pl);
      inputs.push(pl.map((v) => (v > 0 ? v : 0)));
    } else {
      inputs.push(pl);
    }
  }
  const output = new Float64Array(K * N);
  mulNN(x.subarray(W[L - 1].offset), inputs[L - 1], output, K, W[L - 1].cols, N);
  if (layout.bias) {
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) output[k * N + j] += x[layout.bias.offset + k];
  }
  return { inputs, preActivations, output };
}
