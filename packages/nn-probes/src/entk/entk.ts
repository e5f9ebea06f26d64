/**
 * The empirical NTK of a bias-free MLP on a subsample, and one Deep RFM-style step with it as the
 * predictor kernel (reviewer C of Beaglehole et al. 2024; issue 20 item 3).
 *
 * With h_l(x) the input of layer l (h_0 = x, layer L the head) and δ_{l,c}(x) = ∂f_c/∂z_l the gradient of
 * output c with respect to layer l's pre-activation (δ_{L,c} = e_c), ∂f_c/∂W_l = δ_{l,c} h_lᵀ, so
 * ```math
 * \Theta(x, x') = \sum_c \langle \nabla_\theta f_c(x), \nabla_\theta f_c(x')\rangle
 *              = \sum_{l=0}^{L} \big(h_l(x)\cdot h_l(x')\big)\,S_l(x, x'),\qquad S_l(x, x') = \sum_c \delta_{l,c}(x)\cdot\delta_{l,c}(x')
 * ```
 * (the trace of the K×K matrix-valued eNTK; biases add Σ_l S_l when present). The eNTK predictor of the
 * subsample's one-hot labels Y is f̂(x) = Σ_i α_i Θ(x, x_i), α = (Θ + μI)⁻¹Y. For ReLU (and identity)
 * networks δ is piecewise constant in x, so a.e. ∇_{h_l} f̂_k = Σ_{m ≥ l} (∂h_m/∂h_l)ᵀ H_mᵀ(α_{:,k} ⊙ s_m(x))
 * with s_m(x)_i = S_m(x, x_i): one backward sweep per output k. Its AGOP per layer, (1/n) Σ_x Σ_k ∇f̂_k ∇f̂_kᵀ,
 * is the Deep RFM step "AGOP of the kernel predictor" with the eNTK as kernel.
 */
import { InvalidArgumentError, assertInteger, gemm, psdPower, solveSpd, type Matrix } from '@nclab/backend';
import { layerActivation } from '../mlp.js';
import { networkAgops } from '../network-agop.js';
import { agopRoot, correlationOrNull, featureMatrix, rowSpaceBasis } from '../nfa.js';
import type { MlpParams } from '../types.js';
import { balancedSubsample, takeRows } from './subsample.js';

const mat = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });

/** Host float64 forward: layer inputs H_l `[n, d_l]` (l = 0..L, H_L the head's input) and pre-activations Z_l (l < L). */
function hostForward(p: MlpParams, x: Float32Array, n: number): { H: Matrix[]; Z: Matrix[] } {
  const H: Matrix[] = [mat(n, p.spec.inputDim, Float64Array.from(x))];
  const Z: Matrix[] = [];
  for (let l = 0; l < p.spec.depth; l++) {
    const w = p.layers[l];
    const z = gemm(H[l], mat(w.outDim, w.inDim, new Float64Array(w.weight)), { transB: true });
    if (w.bias) for (let i = 0; i < n; i++) for (let o = 0; o < w.outDim; o++) z.data[i * w.outDim + o] += w.bias[o];
    Z.push(z);
    const act = layerActivation(p.spec, l);
    H.push(mat(n, w.outDim, z.data.map((v) => (act === 'relu' ? Math.max(0, v) : act === 'tanh' ? Math.tanh(v) : v))));
  }
  return { H, Z };
}

function derivative(p: MlpParams, z: Matrix, l: number): Float64Array {
  const act = layerActivation(p.spec, l);
  return z.data.map((v) => (act === 'relu' ? (v > 0 ? 1 : 0) : act === 'tanh' ? 1 - Math.tanh(v) ** 2 : 1));
}

/** The eNTK Gram and its per-layer parts. */
export interface EntkGram {
  /** Θ `[n, n]` (trace over the K outputs). */
  gram: Matrix;
  /** Per layer l = 0..L: H_l H_lᵀ and S_l = Σ_c Δ_{l,c} Δ_{l,c}ᵀ, `[n, n]`. */
  inputGrams: Matrix[];
  deltaGrams: Matrix[];
  /** Layer inputs H_l and pre-activation derivatives σ'(Z_l) (for the predictor's gradients). */
  H: Matrix[];
  dsigma: Float64Array[];
}

/**
 * The empirical NTK Gram Θ of a bias-free (or biased) MLP on the rows of `x` (see the module comment), float64 on the host.
 * @param params - the network.
 * @param x - `[n, d₀]` inputs.
 * @param n - number of rows.
 * @returns Θ and its parts.
 * @throws {InvalidArgumentError} when `x` does not fit.
 * @example
 * entkGram(net, xSub, 100).gram; // [100, 100]
 */
export function entkGram(params: MlpParams, x: Float32Array, n: number): EntkGram {
  assertInteger('n', n, 1);
  if (x.length !== n * params.spec.inputDim) throw new InvalidArgumentError('x', `of length n·d₀ = ${n * params.spec.inputDim}`, x.length);
  const { depth: L, numClasses: K } = params.spec;
  const { H, Z } = hostForward(params, x, n);
  const dsigma = Z.map((z, l) => derivative(params, z, l));
  const S: Float64Array[] = Array.from({ length: L + 1 }, () => new Float64Array(n * n));
  S[L].fill(K);
  for (let c = 0; c < K; c++) {
    // δ for the head's input: row i = W_head[c, :]; then down through σ' and W_l
    const head = params.layers[L];
    let g = mat(n, head.inDim, new Float64Array(n * head.inDim));
    for (let i = 0; i < n; i++) for (let j = 0; j < head.inDim; j++) g.data[i * head.inDim + j] = head.weight[c * head.inDim + j];
    for (let l = L - 1; l >= 0; l--) {
      const w = params.layers[l];
      const delta = mat(n, w.outDim, g.data.map((v, t) => v * dsigma[l][t]));
      const dd = gemm(delta, delta, { transB: true }).data;
      for (let t = 0; t < n * n; t++) S[l][t] += dd[t];
      if (l > 0) g = gemm(delta, mat(w.outDim, w.inDim, new Float64Array(w.weight)));
    }
  }
  const inputGrams = H.map((h) => gemm(h, h, { transB: true }));
  const gram = new Float64Array(n * n);
  for (let l = 0; l <= L; l++) {
    const hasBias = params.layers[l].bias !== null;
    for (let t = 0; t < n * n; t++) gram[t] += S[l][t] * (inputGrams[l].data[t] + (hasBias ? 1 : 0));
  }
  return { gram: mat(n, n, gram), inputGrams, deltaGrams: S.map((s) => mat(n, n, s)), H, dsigma };
}

/** Alignment and block statistics of a Gram with the class structure. */
export interface KernelClassStats {
  /** ⟨Θ, yyᵀ⟩_F / (‖Θ‖_F ‖yyᵀ‖_F), y the one-hot label matrix (Cristianini et al. 2001). */
  alignment: number;
  /** The same after centring both Grams, HΘH with H = I − 11ᵀ/n (Cortes et al. 2012). */
  centredAlignment: number;
  /** Means of the cosine-normalised Gram Θ_ij/√(Θ_ii Θ_jj) over within-class pairs i ≠ j and across-class pairs. */
  withinMean: number;
  acrossMean: number;
  /** Standard deviations of the same entries. */
  withinStd: number;
  acrossStd: number;
}

/**
 * Alignment of a Gram with the ideal class kernel yyᵀ and its within-/across-class block statistics.
 * @returns the statistics.
 * @example
 * kernelClassStats(entkGram(net, x, n).gram, labels, 10).alignment;
 */
export function kernelClassStats(gram: Matrix, labels: ArrayLike<number>, K: number): KernelClassStats {
  const n = gram.rows;
  const g = gram.data;
  let gy = 0;
  let gg = 0;
  let yy = 0;
  const rowMean = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const same = labels[i] === labels[j] ? 1 : 0;
    gy += g[i * n + j] * same;
    gg += g[i * n + j] ** 2;
    yy += same;
    rowMean[i] += g[i * n + j] / n;
    total += g[i * n + j] / (n * n);
  }
  // centred: HΘH and HYYᵀH (YYᵀ's row means: count of the row's class / n)
  const counts = new Array(K).fill(0);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  let cgy = 0;
  let cgg = 0;
  let cyy = 0;
  const yTotal = counts.reduce((s, c) => s + c * c, 0) / (n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const cg = g[i * n + j] - rowMean[i] - rowMean[j] + total;
    const cy = (labels[i] === labels[j] ? 1 : 0) - counts[labels[i]] / n - counts[labels[j]] / n + yTotal;
    cgy += cg * cy;
    cgg += cg * cg;
    cyy += cy * cy;
  }
  const w: number[] = [];
  const a: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (i === j) continue;
    const v = g[i * n + j] / Math.sqrt(g[i * n + i] * g[j * n + j]);
    (labels[i] === labels[j] ? w : a).push(v);
  }
  const mean = (v: number[]): number => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN);
  const std = (v: number[]): number => {
    const m = mean(v);
    return v.length ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length) : NaN;
  };
  return {
    alignment: gy / Math.sqrt(gg * yy),
    centredAlignment: cgy / Math.sqrt(cgg * cyy),
    withinMean: mean(w),
    acrossMean: mean(a),
    withinStd: std(w),
    acrossStd: std(a),
  };
}

/**
 * The AGOP, per layer input h_l, of the eNTK kernel-ridge predictor f̂ = Θ(·, X)(Θ + μI)⁻¹Y fitted to the
 * subsample's one-hot labels and evaluated on the subsample (see the module comment). ReLU or identity
 * networks only (for tanh the eNTK's own input derivative has a second-order term left out here).
 * @param params - the network.
 * @param e - its eNTK Gram on the subsample (from {@link entkGram}).
 * @param labels - the subsample's labels.
 * @param ridge - μ relative to the mean diagonal of Θ.
 * @returns `agop[l]` `[d_l, d_l]` for l = 0..depth−1 (the hidden layers' inputs), and α.
 * @throws {InvalidArgumentError} for a tanh network.
 * @example
 * entkPredictorAgops(net, entkGram(net, x, n), labels, 1e-3).agop[0];
 */
export function entkPredictorAgops(params: MlpParams, e: EntkGram, labels: ArrayLike<number>, ridge: number): { agop: Matrix[]; alpha: Matrix } {
  if (params.spec.activation === 'tanh') throw new InvalidArgumentError('activation', "'relu' or 'identity' (piecewise-linear) for the eNTK predictor's AGOP", params.spec.activation);
  const { depth: L, numClasses: K } = params.spec;
  const n = e.gram.rows;
  let diag = 0;
  for (let i = 0; i < n; i++) diag += e.gram.data[i * n + i] / n;
  const A = mat(n, n, e.gram.data.slice());
  for (let i = 0; i < n; i++) A.data[i * n + i] += ridge * diag;
  const Y = mat(n, K, new Float64Array(n * K));
  for (let i = 0; i < n; i++) Y.data[i * K + labels[i]] = 1;
  const alpha = solveSpd(A, Y).x;
  const agop = Array.from({ length: L }, (_, l) => mat(e.H[l].cols, e.H[l].cols, new Float64Array(e.H[l].cols ** 2)));
  for (let k = 0; k < K; k++) {
    // R_m = (S_m ⊙ α_{:,k}ᵀ) H_m: row x = Σ_i S_m(x, i) α_ik h_{m,i}
    const R = (m: number): Matrix => {
      const s = e.deltaGrams[m].data;
      const w = mat(n, n, new Float64Array(n * n));
      for (let x = 0; x < n; x++) for (let i = 0; i < n; i++) w.data[x * n + i] = s[x * n + i] * alpha.data[i * K + k];
      return gemm(w, e.H[m]);
    };
    let G = R(L);
    for (let l = L - 1; l >= 0; l--) {
      const wl = params.layers[l];
      const back = gemm(mat(n, wl.outDim, G.data.map((v, t) => v * e.dsigma[l][t])), mat(wl.outDim, wl.inDim, new Float64Array(wl.weight)));
      const r = R(l);
      G = mat(n, wl.inDim, back.data.map((v, t) => v + r.data[t]));
      const outer = gemm(G, G, { transA: true });
      for (let t = 0; t < outer.data.length; t++) agop[l].data[t] += outer.data[t] / n;
    }
  }
  return { agop, alpha };
}

/** Options of {@link entkProbe}. */
export interface EntkProbeOptions {
  /** Subsample size n (class-balanced, seeded). */
  samples: number;
  seed?: number;
  /** Ridge μ relative to the mean diagonal of Θ. Default 1e-3. */
  ridge?: number;
  /** Also the eNTK predictor's AGOP and its comparison with the network's AGOP and the NFA. Default true. */
  predictor?: boolean;
}

/** What {@link entkProbe} measures at one checkpoint. */
export interface EntkProbe extends KernelClassStats {
  samples: number;
  /** Per hidden layer l (1-based in `layer`): corr(AGOP_eNTK-predictor, AGOP_network) and the NFA of W_l against each. */
  layers: { layer: number; agopCorr: number | null; nfaCorrSqrtEntk: number | null; nfaCorrSqrtNetwork: number | null }[];
}

/** One row of `ProbeResult.entk`: {@link entkProbe} at a probe epoch. */
export interface EntkCheckpoint extends EntkProbe {
  epoch: number;
}

/**
 * eNTK probes of an MLP at one checkpoint: Gram on a seeded class-balanced subsample, its alignment
 * with yyᵀ and block statistics, and (with `predictor`) the Deep RFM-style step with the eNTK as the
 * predictor kernel: the AGOP of the eNTK predictor per layer, its correlation with the network's own
 * AGOP on the same samples, and corr(W_lᵀW_l, AGOP^½) for both.
 * @returns the statistics.
 * @throws {InvalidArgumentError} for bad sizes or a tanh network with `predictor`.
 * @example
 * await entkProbe(net, train.x, train.labels, { samples: 100 });
 */
export async function entkProbe(params: MlpParams, x: Float32Array, labels: Int32Array, options: EntkProbeOptions): Promise<EntkProbe> {
  const K = params.spec.numClasses;
  const idx = balancedSubsample(labels, Math.min(options.samples, labels.length), K, options.seed ?? 0);
  const xs = takeRows(x, params.spec.inputDim, idx);
  const ys = Int32Array.from(idx, (i) => labels[i]);
  const e = entkGram(params, xs, idx.length);
  const stats = kernelClassStats(e.gram, ys, K);
  const layers: EntkProbe['layers'] = [];
  if (options.predictor ?? true) {
    const { agop } = entkPredictorAgops(params, e, ys, options.ridge ?? 1e-3);
    const net = await networkAgops(params, xs, idx.length, { centered: false });
    for (let l = 0; l < params.spec.depth; l++) {
      const wtw = featureMatrix(params.layers[l]);
      // the network's AGOP lies in the layer's row space; the eNTK predictor's need not
      const basis = rowSpaceBasis(params.layers[l]);
      layers.push({
        layer: l + 1,
        agopCorr: correlationOrNull(agop[l], net.agop[l]),
        nfaCorrSqrtEntk: correlationOrNull(wtw, psdPower(agop[l], 0.5)),
        nfaCorrSqrtNetwork: correlationOrNull(wtw, agopRoot(net.agop[l], basis)),
      });
    }
  }
  return { samples: idx.length, ...stats, layers };
}
