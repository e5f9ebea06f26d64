import { InvalidArgumentError, getEngineInfo, getTf, gemm, initEngine, validateLabels, type Matrix, type Tf } from '@nclab/backend';
import { computeMetrics, nc1Fisher, type NcMetricsResult } from '@nclab/nc-metrics';
import { unfoldPatches } from './cnn/model.js';
import { mlpFromWeights } from './mlp.js';
import { networkAgops } from './network-agop.js';
import { rightShare } from './layer-nc.js';
import { nfaCorrelations, type NfaCorrelations } from './nfa.js';
import { layerBalance, layerSpectrum, type LayerSpectrum } from './spectra.js';
import type { Activation, LayerParams } from './types.js';

/** A row-major matrix in memory (any numeric array type); files are read by the caller (nclab's probe-import job reads `.npy`). */
export type MatrixSource = { rows: number; cols: number; data: ArrayLike<number> };

/**
 * Features with their per-sample shape: `sampleShape` `[C, H, W]` (PyTorch NCHW, rows flattened
 * row-major to `[N, C·H·W]`) marks the input of a conv layer.
 */
export type FeatureSource = MatrixSource & { sampleShape?: readonly number[] };

/**
 * A weight: `[out, in]`, or a conv layer's `[C_out, C_in, k, k]` filters reshaped row-major to the
 * channel-mixing matrix `[C_out, C_in·k·k]` with `kernel: k` (stride 1, 'same' zero padding, odd k).
 */
export type WeightSource = MatrixSource & { kernel?: number };

/** Options of {@link probeImported}. */
export interface ProbeImportedOptions {
  /**
   * Feature matrices `[N, d_i]`, one per capture point, in network order (e.g. the input of each
   * linear layer), as host matrices (the nclab probe-import job reads them from `.npy` files).
   */
  layers: FeatureSource[];
  /** Class labels `[N]` (integers, or floats holding integers). */
  labels: ArrayLike<number>;
  /**
   * Optional weights, PyTorch layout `[out, in]`: `weights[i]` is the linear map applied to
   * `layers[i]` (so `weights[i].cols` must equal `layers[i].cols`). Enables the sub-layer NC1 (after
   * S Vᵀ and after the activation), spectra, balancedness and, with `nfa`, NFA correlations. A conv
   * weight (`kernel` set) acts on `layers[i]` of `sampleShape` `[C_in, H, W]` through its k×k patches
   * (stride 1, 'same' zero padding): the three points are the unfolded patches, W·patch and σ(W·patch)
   * at every position, flattened per sample (as `probe cnn`); no balancedness or NFA for it.
   */
  weights?: WeightSource[];
  /** Non-linearity after each weight (for the `output` point and the NFA network). Default `'relu'`. */
  activation?: Activation;
  /**
   * Compute NFA correlations, treating `weights` as a bias-free MLP whose input is `layers[0]` (hidden
   * layers `weights[0..L−1]`, head `weights[L]`). Only meaningful when that is exactly the network the
   * features came from. Default false.
   */
  nfa?: boolean;
  /**
   * Also the Fisher NC1 tr(Σ_W⁺ Σ_B) and the linear-probe NC1 at each point (and, with weights, after
   * S Vᵀ and after the activation): the metric-dependence set of reviewer B. Needs a d×d scatter and
   * eigendecomposition per point. Default false.
   */
  metricDependence?: boolean;
}

/** Per capture point of {@link probeImported}. */
export interface ImportedLayer extends Partial<NfaCorrelations> {
  /** 1-based index into `layers`. */
  layer: number;
  /** The checkpoint's epoch, when the caller probes several checkpoints of one run (nclab `probe import --checkpoints`). */
  epoch?: number;
  /** Feature dimension d_i (for a conv layer: of the unfolded patches, H·W·C_in·k²). */
  dim: number;
  /** Conv layers only: the kernel size k (the `input` point is then the unfolded patches). */
  kernel?: number;
  /** NC1 = tr Σ_W / tr Σ_B of `layers[i]`. */
  nc1Input: number;
  /** With weights: NC1 of W_i x (= NC1 of S_i V_iᵀ x). */
  nc1Right?: number;
  /** With weights: NC1 of σ(W_i x). */
  nc1Output?: number;
  nc1RightShare?: number | null;
  /** With `metricDependence`: Fisher NC1 (larger = more separated) and linear-probe NC1 at the point, after S Vᵀ and after σ (the last two with weights), and their S Vᵀ shares. */
  nc1FisherInput?: number;
  nc1FisherRight?: number;
  nc1FisherOutput?: number;
  nc1FisherRightShare?: number | null;
  nc1ProbeInput?: number;
  nc1ProbeRight?: number;
  nc1ProbeOutput?: number;
  nc1ProbeRightShare?: number | null;
  /** With `metricDependence`: Papyan's pinv NC1 at the three points and its S Vᵀ share. */
  nc1PinvInput?: number;
  nc1PinvRight?: number;
  nc1PinvOutput?: number;
  nc1PinvRightShare?: number | null;
  /** tr Σ_W and tr Σ_B of `layers[i]`. */
  traceWithin: number;
  traceBetween: number;
  /** With weights. */
  spectrum?: LayerSpectrum;
  balancedness?: number;
  /** The full `@nclab/nc-metrics` suite of `layers[i]` (NC1 variants, NC2, NCC). */
  metrics: NcMetricsResult;
}

/** What {@link probeImported} returns. */
export interface ImportedResult {
  n: number;
  numClasses: number;
  layers: ImportedLayer[];
  convention: string;
}

function loadMatrix(name: string, src: MatrixSource): Matrix {
  if (!src || !Number.isInteger(src.rows) || !Number.isInteger(src.cols) || src.data?.length !== src.rows * src.cols) {
    throw new InvalidArgumentError(name, 'a matrix { rows, cols, data } with rows·cols entries', src);
  }
  return { rows: src.rows, cols: src.cols, data: new Float64Array(src.data) };
}

function loadLabels(src: ArrayLike<number> | undefined): ArrayLike<number> {
  if (src === undefined || src === null || typeof src === 'string') throw new InvalidArgumentError('labels', 'an array of class labels (activations need labels)', src);
  return src;
}

function stats(x: Matrix, labels: Int32Array, K: number, md = false): { nc1: number; trW: number; trB: number; metrics: NcMetricsResult; fisher: number | null; probe: number | null } {
  const metrics = computeMetrics(x, labels, { numClasses: K, linearProbe: md });
  const fisher = md ? nc1Fisher(x, labels, { numClasses: K }).nc1Fisher : null;
  return { nc1: metrics.nc1TraceRatio, trW: metrics.traceWithin, trB: metrics.traceBetween, metrics, fisher, probe: md ? metrics.nc1LinearProbe : null };
}

function applyLayer(x: Matrix, w: Matrix, activation: Activation | null): Matrix {
  const z = gemm(x, w, { transB: true }); // X Wᵀ, [N, out], float64
  if (activation === 'relu') for (let i = 0; i < z.data.length; i++) z.data[i] = Math.max(0, z.data[i]);
  else if (activation === 'tanh') for (let i = 0; i < z.data.length; i++) z.data[i] = Math.tanh(z.data[i]);
  return z;
}

/**
 * A conv layer on imported NCHW features: the unfolded patches `[N, H·W·C_in·k²]` (`unfoldPatches`, stride
 * 1, 'same' zero padding) and their products with the channel-mixing matrix `[N, H·W·C_out]`.
 */
async function convPoints(x: Matrix, shape: readonly number[], w: Matrix, k: number): Promise<{ patches: Matrix; pre: Matrix }> {
  if (!getEngineInfo()) await initEngine(); // keep an engine the caller chose
  const tf = getTf() as Tf;
  const [c, h, wd] = shape;
  const n = x.rows;
  const p = tf.tidy(() => unfoldPatches(tf.transpose(tf.tensor4d(new Float32Array(x.data), [n, c, h, wd]), [0, 2, 3, 1]), k));
  const data = Float64Array.from(await p.data());
  p.dispose();
  const m = c * k * k;
  const flat = { rows: n * h * wd, cols: m, data };
  const pre = gemm(flat, w, { transB: true }); // [N·H·W, C_out]
  return { patches: { rows: n, cols: h * wd * m, data }, pre: { rows: n, cols: h * wd * w.rows, data: pre.data } };
}

function activate(z: Matrix, activation: Activation): Matrix {
  const out = { rows: z.rows, cols: z.cols, data: new Float64Array(z.data) };
  if (activation === 'relu') for (let i = 0; i < out.data.length; i++) out.data[i] = Math.max(0, out.data[i]);
  else if (activation === 'tanh') for (let i = 0; i < out.data.length; i++) out.data[i] = Math.tanh(out.data[i]);
  return out;
}

function asLayer(w: Matrix): LayerParams {
  return { outDim: w.rows, inDim: w.cols, weight: new Float32Array(w.data), bias: null };
}

/**
 * Runs the §5 analyses on activations (and optionally weights) saved from another framework, with no
 * training: NC1 of every capture point, and with weights the sub-layer NC1 (after S Vᵀ, after the
 * activation), the share owed to S Vᵀ, weight spectra, balancedness and (opt-in) NFA correlations.
 * Statistics are float64. NC1 convention: tr Σ_W / tr Σ_B, Σ_W with 1/N, Σ_B with 1/K.
 * @returns one entry per capture point.
 * @throws {InvalidArgumentError} when no layer is given, labels are missing or of the wrong length,
 *   layers have different N, a weight does not fit its layer (`weights[i].cols ≠ layers[i].cols`), or
 *   `nfa` is asked for without weights.
 * @example
 * const r = await probeImported({ layers: [h0, h1], labels: y, weights: [w0, w1] }); // matrices { rows, cols, data }
 * r.layers[0].nc1Right; // NC1 after S Vᵀ of the first layer
 */
export async function probeImported(options: ProbeImportedOptions): Promise<ImportedResult> {
  const { layers: layerSrc, weights: weightSrc } = options;
  if (!Array.isArray(layerSrc) || layerSrc.length === 0) throw new InvalidArgumentError('layers', 'a non-empty list of feature matrices', layerSrc);
  const rawLabels = loadLabels(options.labels);
  const layers = layerSrc.map((s, i) => loadMatrix(`layers[${i}]`, s));
  const n = layers[0].rows;
  layers.forEach((x, i) => {
    if (x.rows !== n) throw new InvalidArgumentError(`layers[${i}]`, `N = ${n} rows like layers[0]`, x.rows);
  });
  const { labels, numClasses } = validateLabels('labels', rawLabels, n);
  if (numClasses < 2) throw new InvalidArgumentError('labels', 'at least 2 classes', numClasses);
  const weights = weightSrc ? weightSrc.map((s, i) => loadMatrix(`weights[${i}]`, s)) : null;
  const kernels = (weightSrc ?? []).map((s, i) => {
    const k = s.kernel;
    if (k === undefined) return null;
    if (!(Number.isInteger(k) && k >= 1 && k % 2 === 1)) throw new InvalidArgumentError(`weights[${i}]`, 'an odd kernel size k ≥ 1 (stride 1, same padding)', k);
    const shape = i < layerSrc.length ? layerSrc[i].sampleShape : undefined;
    if (!shape || shape.length !== 3 || shape[0] * k * k !== s.cols || shape[0] * shape[1] * shape[2] !== layers[i].cols) {
      throw new InvalidArgumentError(`layers[${i}]`, `features [N, C_in, H, W] with C_in·${k}·${k} = ${s.cols} for the conv weights[${i}]`, shape ? `[N, ${shape.join(', ')}]` : `[${layers[i]?.rows}, ${layers[i]?.cols}]`);
    }
    return k;
  });
  if (options.nfa && kernels.some((k) => k !== null)) throw new InvalidArgumentError('nfa', 'false with conv weights (the NFA of imported networks is for bias-free MLPs)', true);
  if (weights) {
    weights.forEach((w, i) => {
      if (kernels[i] !== null && kernels[i] !== undefined) return; // checked above
      if (i > 0 && kernels[i - 1] !== null && kernels[i - 1] !== undefined) {
        if (i < layers.length && w.cols !== layers[i].cols) throw new InvalidArgumentError(`weights[${i}]`, `of shape [*, ${layers[i].cols}] to act on layers[${i}] [${n}, ${layers[i].cols}]`, `[${w.rows}, ${w.cols}]`);
        return;
      }
      if (i < layers.length && w.cols !== layers[i].cols) {
        throw new InvalidArgumentError(`weights[${i}]`, `of shape [*, ${layers[i].cols}] to act on layers[${i}] [${n}, ${layers[i].cols}]`, `[${w.rows}, ${w.cols}]`);
      }
      if (i > 0 && w.cols !== weights[i - 1].rows) {
        throw new InvalidArgumentError(`weights[${i}]`, `of shape [*, ${weights[i - 1].rows}] to follow weights[${i - 1}]`, `[${w.rows}, ${w.cols}]`);
      }
    });
  }
  if (options.nfa && !weights) throw new InvalidArgumentError('weights', 'given when nfa is true', weights);
  const activation = options.activation ?? 'relu';
  let agops: Matrix[] | null = null;
  let centered: Matrix[] | null = null;
  if (options.nfa && weights) {
    const net = mlpFromWeights(weights, activation);
    const res = await networkAgops(net, Float32Array.from(layers[0].data), n);
    agops = res.agop;
    centered = res.centered;
  }
  const md = options.metricDependence === true;
  const out: ImportedLayer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const w = weights && i < weights.length ? weights[i] : null;
    const k = kernels[i] ?? null;
    const conv = w && k !== null ? await convPoints(layers[i], layerSrc[i].sampleShape!, w, k) : null;
    const x = conv ? conv.patches : layers[i];
    const s = stats(x, labels, numClasses, md);
    const entry: ImportedLayer = { layer: i + 1, dim: x.cols, nc1Input: s.nc1, traceWithin: s.trW, traceBetween: s.trB, metrics: s.metrics };
    if (md) Object.assign(entry, { nc1FisherInput: s.fisher, nc1ProbeInput: s.probe, nc1PinvInput: s.metrics.nc1Pinv });
    if (conv) entry.kernel = k!;
    if (w) {
      const pre = stats(conv ? conv.pre : applyLayer(x, w, null), labels, numClasses, md);
      const post = stats(conv ? activate(conv.pre, activation) : applyLayer(x, w, activation), labels, numClasses, md);
      entry.nc1Right = pre.nc1;
      entry.nc1Output = post.nc1;
      entry.nc1RightShare = rightShare(entry.nc1Input, entry.nc1Right, entry.nc1Output);
      if (md) {
        Object.assign(entry, {
          nc1FisherRight: pre.fisher, nc1FisherOutput: post.fisher, nc1FisherRightShare: rightShare(s.fisher!, pre.fisher!, post.fisher!),
          nc1ProbeRight: pre.probe, nc1ProbeOutput: post.probe, nc1ProbeRightShare: rightShare(s.probe!, pre.probe!, post.probe!),
          nc1PinvRight: pre.metrics.nc1Pinv, nc1PinvOutput: post.metrics.nc1Pinv, nc1PinvRightShare: rightShare(s.metrics.nc1Pinv, pre.metrics.nc1Pinv, post.metrics.nc1Pinv),
        });
      }
      entry.spectrum = layerSpectrum(asLayer(w));
      if (!conv && weights && i + 1 < weights.length && (kernels[i + 1] ?? null) === null && weights[i + 1].cols === w.rows) entry.balancedness = layerBalance(asLayer(w), asLayer(weights[i + 1]), i).relative;
      if (agops && i < agops.length) Object.assign(entry, nfaCorrelations(asLayer(w), null, agops[i], centered ? centered[i] : null));
    }
    out.push(entry);
  }
  return { n, numClasses, layers: out, convention: 'NC1 = tr(Sigma_W)/tr(Sigma_B), Sigma_W with 1/N, Sigma_B with 1/K; weights in PyTorch layout [out, in]' };
}
