import { InvalidArgumentError, assertFinite, assertMatrix32, sgemm, validateLabels, type Matrix32 } from '@nclab/backend';
import { parameterLayout, type ParameterLayout } from './parameters.js';
import type { ParameterOperator } from './autodiff.js';

/** Element-wise non-linearities of {@link mlpHessianOperator} (twice differentiable, or piecewise linear). */
export type HostActivation = 'softplus' | 'relu' | 'tanh' | 'identity';

/** Options of {@link mlpHessianOperator}. */
export interface MlpHessianOptions {
  /** Inputs X `[N, d₀]`, float32. */
  x: Matrix32;
  /** Layer widths `[d₀, d₁, …, d_L]` (d_L = K outputs); L weight matrices. */
  sizes: readonly number[];
  /**
   * θ, flat: per layer `layer{l}.weight` `[d_{l−1}, d_l]` (row-major, the `X W` convention) then, with
   * `bias`, `layer{l}.bias` `[d_l]` (l = 1…L); the layout is the operator's `layout`.
   */
  params: Float64Array;
  /** Hidden non-linearity (the output layer is linear). */
  activation: HostActivation;
  /** Per-sample loss: `'mse'` ℓ = ½‖f − y‖² or `'cross-entropy'` ℓ = −log softmax(f)_y; the loss is Σ ℓ_i / N. */
  loss: 'mse' | 'cross-entropy';
  /** Labels, length N (one-hot targets for MSE). */
  targets: ArrayLike<number>;
  /** Whether every layer has a bias. Default true. */
  bias?: boolean;
  /** `'hessian'` (default) or `'gauss-newton'` (Jᵀ H_ℓ J / N). */
  kind?: 'hessian' | 'gauss-newton';
}

/**
 * The layout of {@link mlpHessianOperator}'s parameters: `layer{l}.weight` `[d_{l−1}, d_l]` then
 * `layer{l}.bias` `[d_l]` per layer.
 * @returns the layout.
 * @example
 * mlpParameterLayout([784, 1200, 10]).size; // returns 954010
 */
export function mlpParameterLayout(sizes: readonly number[], bias = true): ParameterLayout {
  const blocks: { name: string; shape: number[] }[] = [];
  for (let l = 1; l < sizes.length; l++) {
    blocks.push({ name: `layer${l}.weight`, shape: [sizes[l - 1], sizes[l]] });
    if (bias) blocks.push({ name: `layer${l}.bias`, shape: [sizes[l]] });
  }
  return parameterLayout(blocks);
}

function derivatives(act: HostActivation, a: Float32Array, h: Float32Array, s1: Float32Array, s2: Float32Array): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const z = a[i];
    if (act === 'softplus') {
      const s = 1 / (1 + Math.exp(-z));
      h[i] = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      s1[i] = s;
      s2[i] = s * (1 - s);
    } else if (act === 'relu') {
      h[i] = z > 0 ? z : 0;
      s1[i] = z > 0 ? 1 : 0;
      s2[i] = 0;
    } else if (act === 'tanh') {
      const t = Math.tanh(z);
      h[i] = t;
      s1[i] = 1 - t * t;
      s2[i] = -2 * t * (1 - t * t);
    } else {
      h[i] = z;
      s1[i] = 1;
      s2[i] = 0;
    }
  }
}

/** c ← c + b (row-broadcast bias) over `[rows, cols]`. */
function addRow(c: Float32Array, b: Float32Array, rows: number, cols: number): void {
  for (let i = 0, r = 0; r < rows; r++) for (let j = 0; j < cols; j++, i++) c[i] += b[j];
}

/**
 * The loss Hessian (or Gauss–Newton matrix) of a fully connected network as an operator, computed on
 * the host by Pearlmutter's R-operator: one forward pass at θ when the operator is built, then per
 * product an R-forward and an R-backward pass, each product one `sgemm` into a preallocated buffer
 * (BLAS on the native path), element-wise work in fused passes. No tfjs engine; float32 arithmetic,
 * float64 result.
 *
 * ```math
 * A_l = H_{l−1} W_l + b_l,  H_l = σ(A_l),  f = A_L;   R{A_l} = R{H_{l−1}} W_l + H_{l−1} V_l + c_l,  R{H_l} = σ'(A_l) ⊙ R{A_l}
 * R{∂f} = H_ℓ R{f} / N;  R{∂W_l} = R{H_{l−1}}ᵀ ∂A_l + H_{l−1}ᵀ R{∂A_l};  R{∂A_{l−1}} = (R{∂A_l} W_lᵀ + ∂A_l V_lᵀ) ⊙ σ' + ∂H_{l−1} ⊙ σ'' ⊙ R{A_{l−1}}
 * ```
 * The Gauss–Newton form drops the terms with ∂A, ∂H (first-order loss derivatives), leaving Jᵀ H_ℓ J / N.
 * Agrees with `hessianOperator` / `gaussNewtonOperator` on the same model to float32 rounding.
 *
 * @param options - see {@link MlpHessianOptions}.
 * @returns a {@link ParameterOperator} on all parameters (layout {@link mlpParameterLayout}); `dispose` frees nothing (host arrays).
 * @throws {InvalidArgumentError} on mismatched sizes, non-finite inputs, labels outside [0, K), an unknown activation or loss.
 * @example
 * const h = mlpHessianOperator({ x, sizes: [784, 1200, 10], params, activation: 'softplus', loss: 'cross-entropy', targets: labels });
 * const top = await lanczos(h, { k: 5 });
 * @see Pearlmutter (1994), "Fast exact multiplication by the Hessian"; Schraudolph (2002).
 */
export function mlpHessianOperator(options: MlpHessianOptions): ParameterOperator {
  const { x, sizes, params, activation, loss } = options;
  const bias = options.bias ?? true;
  const kind = options.kind ?? 'hessian';
  assertMatrix32('x', x);
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) throw new InvalidArgumentError('sizes', 'at least two positive integer widths', sizes);
  if (sizes[0] !== x.cols) throw new InvalidArgumentError('sizes[0]', `the input dimension ${x.cols}`, sizes[0]);
  if (!['softplus', 'relu', 'tanh', 'identity'].includes(activation)) throw new InvalidArgumentError('activation', "'softplus', 'relu', 'tanh' or 'identity'", activation);
  if (loss !== 'mse' && loss !== 'cross-entropy') throw new InvalidArgumentError('loss', "'mse' or 'cross-entropy'", loss);
  if (kind !== 'hessian' && kind !== 'gauss-newton') throw new InvalidArgumentError('kind', "'hessian' or 'gauss-newton'", kind);
  const layout = mlpParameterLayout(sizes, bias);
  if (!(params instanceof Float64Array) || params.length !== layout.size) throw new InvalidArgumentError('params', `a Float64Array of length ${layout.size}`, params?.length);
  assertFinite('params', params);
  const N = x.rows;
  const L = sizes.length - 1;
  const K = sizes[L];
  const { labels } = validateLabels('targets', options.targets, N, K);
  const blockOf = (name: string) => layout.blocks.find((b) => b.name === name)!;
  const W: Float32Array[] = [];
  const B: Float32Array[] = [];
  for (let l = 1; l <= L; l++) {
    const w = blockOf(`layer${l}.weight`);
    W[l] = Float32Array.from(params.subarray(w.offset, w.offset + w.size));
    if (bias) {
      const b = blockOf(`layer${l}.bias`);
      B[l] = Float32Array.from(params.subarray(b.offset, b.offset + b.size));
    }
  }
  const buf = (n: number) => new Float32Array(n);
  const m = (rows: number, cols: number, data: Float32Array): Matrix32 => ({ rows, cols, data });
  // forward at θ: A_l, H_l, σ'(A_l), σ''(A_l)
  const H: Float32Array[] = [x.data];
  const A: Float32Array[] = [];
  const S1: Float32Array[] = [];
  const S2: Float32Array[] = [];
  for (let l = 1; l <= L; l++) {
    A[l] = buf(N * sizes[l]);
    sgemm(m(N, sizes[l - 1], H[l - 1]), m(sizes[l - 1], sizes[l], W[l]), { out: A[l] });
    if (bias) addRow(A[l], B[l], N, sizes[l]);
    if (l < L) {
      H[l] = buf(N * sizes[l]);
      S1[l] = buf(N * sizes[l]);
      S2[l] = buf(N * sizes[l]);
      derivatives(activation, A[l], H[l], S1[l], S2[l]);
    }
  }
  // loss derivative at θ: dA_L = ∂(Σℓ/N)/∂f, and P for cross-entropy
  const f = A[L];
  const P = buf(N * K);
  const dA: Float32Array[] = [];
  const dH: Float32Array[] = [];
  dA[L] = buf(N * K);
  for (let i = 0; i < N; i++) {
    const o = i * K;
    if (loss === 'cross-entropy') {
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, f[o + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(f[o + c] - max);
      for (let c = 0; c < K; c++) P[o + c] = Math.exp(f[o + c] - max) / sum;
    }
    for (let c = 0; c < K; c++) {
      const y = labels[i] === c ? 1 : 0;
      dA[L][o + c] = ((loss === 'cross-entropy' ? P[o + c] : f[o + c]) - y) / N;
    }
  }
  for (let l = L; l > 1; l--) {
    dH[l - 1] = buf(N * sizes[l - 1]);
    sgemm(m(N, sizes[l], dA[l]), m(sizes[l - 1], sizes[l], W[l]), { transB: true, out: dH[l - 1] });
    dA[l - 1] = buf(N * sizes[l - 1]);
    for (let i = 0; i < dA[l - 1].length; i++) dA[l - 1][i] = dH[l - 1][i] * S1[l - 1][i];
  }
  if (kind === 'gauss-newton') dA.length = 0; // not needed by the Gauss–Newton products
  // product workspaces
  const V: Float32Array[] = [];
  const C: Float32Array[] = [];
  const RA: Float32Array[] = [];
  const RH: Float32Array[] = [];
  const RdA: Float32Array[] = [];
  const gW: Float32Array[] = [];
  for (let l = 1; l <= L; l++) {
    V[l] = buf(sizes[l - 1] * sizes[l]);
    C[l] = buf(bias ? sizes[l] : 0);
    RA[l] = buf(N * sizes[l]);
    RdA[l] = buf(N * sizes[l]);
    gW[l] = buf(sizes[l - 1] * sizes[l]);
    if (l < L) RH[l] = buf(N * sizes[l]);
  }
  const tmpN = buf(N * Math.max(...sizes.slice(1)));

  function matvec(v: Float64Array, into?: Float64Array): Float64Array {
    for (let l = 1; l <= L; l++) {
      const w = blockOf(`layer${l}.weight`);
      for (let i = 0; i < w.size; i++) V[l][i] = v[w.offset + i];
      if (bias) {
        const b = blockOf(`layer${l}.bias`);
        for (let i = 0; i < b.size; i++) C[l][i] = v[b.offset + i];
      }
    }
    // R-forward
    for (let l = 1; l <= L; l++) {
      const n = N * sizes[l];
      sgemm(m(N, sizes[l - 1], H[l - 1]), m(sizes[l - 1], sizes[l], V[l]), { out: RA[l] });
      if (l > 1) sgemm(m(N, sizes[l - 1], RH[l - 1]), m(sizes[l - 1], sizes[l], W[l]), { out: RA[l], beta: 1 });
      if (bias) addRow(RA[l], C[l], N, sizes[l]);
      if (l < L) for (let i = 0; i < n; i++) RH[l][i] = S1[l][i] * RA[l][i];
    }
    // R{∂f} = H_ℓ R{f} / N
    const Rf = RA[L];
    const Rd = RdA[L];
    for (let i = 0; i < N; i++) {
      const o = i * K;
      if (loss === 'mse') {
        for (let c = 0; c < K; c++) Rd[o + c] = Rf[o + c] / N;
      } else {
        let pr = 0;
        for (let c = 0; c < K; c++) pr += P[o + c] * Rf[o + c];
        for (let c = 0; c < K; c++) Rd[o + c] = (P[o + c] * (Rf[o + c] - pr)) / N;
      }
    }
    // R-backward
    // every entry is written below: weights copied, biases zeroed then summed
    const out = into ?? new Float64Array(layout.size);
    for (let l = L; l >= 1; l--) {
      const din = sizes[l - 1];
      const dout = sizes[l];
      sgemm(m(N, din, H[l - 1]), m(N, dout, RdA[l]), { transA: true, out: gW[l] });
      if (kind === 'hessian' && l > 1) sgemm(m(N, din, RH[l - 1]), m(N, dout, dA[l]), { transA: true, out: gW[l], beta: 1 });
      const w = blockOf(`layer${l}.weight`);
      for (let i = 0; i < w.size; i++) out[w.offset + i] = gW[l][i];
      if (bias) {
        const b = blockOf(`layer${l}.bias`);
        const r = RdA[l];
        out.fill(0, b.offset, b.offset + b.size);
        for (let i = 0, row = 0; row < N; row++) for (let j = 0; j < dout; j++, i++) out[b.offset + j] += r[i];
      }
      if (l === 1) break;
      // R{∂H_{l−1}} = R{∂A_l} W_lᵀ (+ ∂A_l V_lᵀ), then R{∂A_{l−1}}
      const n = N * din;
      const next = RdA[l - 1];
      sgemm(m(N, dout, RdA[l]), m(din, dout, W[l]), { transB: true, out: next });
      if (kind === 'hessian') {
        const t = tmpN.subarray(0, n);
        sgemm(m(N, dout, dA[l]), m(din, dout, V[l]), { transB: true, out: t });
        const s1 = S1[l - 1];
        const s2 = S2[l - 1];
        const dh = dH[l - 1];
        const ra = RA[l - 1];
        for (let i = 0; i < n; i++) next[i] = (next[i] + t[i]) * s1[i] + dh[i] * s2[i] * ra[i];
      } else {
        const s1 = S1[l - 1];
        for (let i = 0; i < n; i++) next[i] *= s1[i];
      }
    }
    return out;
  }

  return { size: layout.size, label: `${kind}[mlp host]`, layout, blocks: layout.blocks, matvec, dispose() {} };
}
