import { InvalidArgumentError, gemm, validateLabels, type Matrix } from '@nclab/backend';
import { computeMetrics, nc1Fisher, type NcMetricsResult } from '@nclab/nc-metrics';
import { mlpFromWeights } from './mlp.js';
import { networkAgops } from './network-agop.js';
import { rightShare } from './layer-nc.js';
import { nfaCorrelations, type NfaCorrelations } from './nfa.js';
import { layerBalance, layerSpectrum, type LayerSpectrum } from './spectra.js';
import type { Activation, LayerParams } from './types.js';

/** A row-major matrix in memory (any numeric array type); files are read by the caller (nclab's probe-import job reads `.npy`). */
export type MatrixSource = { rows: number; cols: number; data: ArrayLike<number> };

/** Options of {@link probeImported}. */
export interface ProbeImportedOptions {
  /**
   * Feature matrices `[N, d_i]`, one per capture point, in network order (e.g. the input of each
   * linear layer), as host matrices (the nclab probe-import job reads them from `.npy` files).
   */
  layers: MatrixSource[];
  /** Class labels `[N]` (integers, or floats holding integers). */
  labels: ArrayLike<number>;
  /**
   * Optional weights, PyTorch layout `[out, in]`: `weights[i]` is the linear map applied to
   * `layers[i]` (so `weights[i].cols` must equal `layers[i].cols`). Enables the sub-layer NC1 (after
   * S Vᵀ and after the activation), spectra, balancedness and, with `nfa`, NFA correlations.
   */
  weights?: MatrixSource[];
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
  /** Feature dimension d_i. */
  dim: number;
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
  return { rows: src.rows, cols: src.cols, data: Float64Array.from(src.data) };
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

function asLayer(w: Matrix): LayerParams {
  return { outDim: w.rows, inDim: w.cols, weight: Float32Array.from(w.data), bias: null };
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
  if (weights) {
    weights.forEach((w, i) => {
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
  const out: ImportedLayer[] = layers.map((x, i) => {
    const s = stats(x, labels, numClasses, md);
    const entry: ImportedLayer = { layer: i + 1, dim: x.cols, nc1Input: s.nc1, traceWithin: s.trW, traceBetween: s.trB, metrics: s.metrics };
    if (md) Object.assign(entry, { nc1FisherInput: s.fisher, nc1ProbeInput: s.probe, nc1PinvInput: s.metrics.nc1Pinv });
    const w = weights && i < weights.length ? weights[i] : null;
    if (w) {
      const pre = stats(applyLayer(x, w, null), labels, numClasses, md);
      const post = stats(applyLayer(x, w, activation), labels, numClasses, md);
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
      if (weights && i + 1 < weights.length) entry.balancedness = layerBalance(asLayer(w), asLayer(weights[i + 1]), i).relative;
      if (agops && i < agops.length) Object.assign(entry, nfaCorrelations(asLayer(w), null, agops[i], centered ? centered[i] : null));
    }
    return entry;
  });
  return { n, numClasses, layers: out, convention: 'NC1 = tr(Sigma_W)/tr(Sigma_B), Sigma_W with 1/N, Sigma_B with 1/K; weights in PyTorch layout [out, in]' };
}
