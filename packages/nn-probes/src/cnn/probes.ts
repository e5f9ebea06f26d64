/**
 * The §5 probes of a CNN, layer by layer. A conv layer is the channel-mixing matrix W `[C_out, C_in·k·k]`
 * applied to every k×k patch, so its three sub-layer points are: the unfolded input patches
 * (`input`, `[N, H·W·C_in·k²]`), the pre-activation W·patch = U (S Vᵀ patch) (`right`; U has orthonormal
 * columns, so every trace/distance NC metric equals that of S Vᵀ patch), and σ(W·patch) before pooling
 * (`output`), all flattened per sample. Fully connected layers have the MLP's three points. The NFA
 * compares WᵀW with the AGOP over patches (Beaglehole et al. 2023, convolutional NFA): with G the
 * gradients of the outputs with respect to the layer's pre-activation at every position,
 * AGOP = (1/N) Σ_{i, c, p} (Wᵀ g_{icp})(Wᵀ g_{icp})ᵀ = Wᵀ [(1/N) Σ g gᵀ] W (for an FC layer: one position).
 */
import { getTf, gemm, type Matrix, type Matrix32, type Tf } from '@nclab/backend';
import type { ComputeMetricsOptions } from '@nclab/nc-metrics';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { FeatureKind } from '../layer-features.js';
import { ncKey, rightShare, streamedNc, type NetworkNc } from '../layer-nc.js';
import { nfaCorrelations, type NfaCorrelations } from '../nfa.js';
import { balancedSubsample, takeRows } from '../entk/subsample.js';
import { metricDependenceFields, type SubLayerNc } from '../probes.js';
import { layerSpectrum } from '../spectra.js';
import type { LayerParams } from '../types.js';
import { act, cnnForward, cnnShapes, toTfCnn, unfoldPatches, type CnnTrace, type TfCnn } from './model.js';
import type { CnnParams, ImageSet } from './types.js';

/** Layers of a CNN in order: conv blocks 0..B−1, then hidden FC layers B..B+F−1; the logits are layer B+F. */
export const cnnLayerCount = (p: CnnParams): number => p.conv.length + p.fc.length - 1;

/** The channel-mixing matrix (conv) or weight (FC) of layer l. @returns the host layer. @example cnnLayer(p, 0) */
export function cnnLayer(p: CnnParams, l: number): LayerParams {
  return l < p.conv.length ? p.conv[l] : p.fc[l - p.conv.length];
}

async function emit(visit: (l: number, kind: FeatureKind, rows: Matrix32, start: number) => void, l: number, kind: FeatureKind, t: TfCore.Tensor, start: number): Promise<void> {
  const rows = t.shape[0];
  visit(l, kind, { rows, cols: t.size / rows, data: (await t.data()) as Float32Array }, start);
}

/**
 * Runs the CNN over `x` in chunks and visits every layer's `input`, `right` and `output` features
 * (flattened per sample; see the module comment) and the logits (layer = {@link cnnLayerCount}).
 * @returns when every chunk was visited.
 * @example
 * await streamCnnFeatures(params, data, (l, kind, rows) => console.log(l, kind, rows.cols));
 */
export async function streamCnnFeatures(
  params: CnnParams,
  data: Pick<ImageSet, 'x' | 'n' | 'shape'>,
  visit: (l: number, kind: FeatureKind, rows: Matrix32, start: number) => void,
  chunkSize = 100,
): Promise<void> {
  const tf = getTf() as Tf;
  const [H, W, C] = data.shape;
  const net = toTfCnn(params);
  const nb = params.conv.length;
  const L = cnnLayerCount(params);
  try {
    for (let s = 0; s < data.n; s += chunkSize) {
      const e = Math.min(data.n, s + chunkSize);
      const kept = tf.tidy(() => {
        const trace: CnnTrace = { convInputs: [], convPre: [], convOut: [], fcInputs: [], fcPre: [] };
        const logits = cnnForward(net, tf.tensor4d(data.x.subarray(s * H * W * C, e * H * W * C), [e - s, H, W, C]), trace);
        const patches = trace.convInputs.map((a, b) => unfoldPatches(a, params.spec.blocks[b].kernel));
        const fcOut = trace.fcPre.map((z) => act(z, params.spec.activation));
        return { logits, patches, pre: trace.convPre, out: trace.convOut, fcIn: trace.fcInputs, fcPre: trace.fcPre, fcOut };
      });
      for (let b = 0; b < nb; b++) {
        await emit(visit, b, 'input', kept.patches[b], s);
        await emit(visit, b, 'right', kept.pre[b], s);
        await emit(visit, b, 'output', kept.out[b], s);
      }
      for (let i = 0; i < L - nb; i++) {
        await emit(visit, nb + i, 'input', kept.fcIn[i], s);
        await emit(visit, nb + i, 'right', kept.fcPre[i], s);
        await emit(visit, nb + i, 'output', kept.fcOut[i], s);
      }
      await emit(visit, L, 'logits', kept.logits, s);
      tf.dispose([kept.logits, ...kept.patches, ...kept.pre, ...kept.out, ...kept.fcIn, ...kept.fcPre, ...kept.fcOut]);
    }
  } finally {
    net.dispose();
  }
}

/** Options of {@link cnnNc}. */
export interface CnnNcOptions {
  /** Fisher and linear-probe NC1 at the points of dimension ≤ `maxScatterDim` (a d×d scatter each). Default false. */
  metricDependence?: boolean;
  /** Default 2048. */
  maxScatterDim?: number;
  chunkSize?: number;
}

/**
 * The NC metric suite of every feature set of a CNN (two streamed passes, `streamedNc`); the last hidden
 * layer's output gets the head as classifier (NC3, NC4).
 * @returns statistics keyed `ncKey(layer, kind)`.
 * @example
 * (await cnnNc(params, data)).get(ncKey(0, 'right'))!.nc1;
 */
export async function cnnNc(params: CnnParams, data: Pick<ImageSet, 'x' | 'n' | 'shape' | 'labels'>, options: CnnNcOptions = {}): Promise<NetworkNc> {
  const K = params.spec.numClasses;
  const L = cnnLayerCount(params);
  const head = params.fc[params.fc.length - 1];
  const maxDim = options.maxScatterDim ?? 2048;
  const optionsFor = (key: string, dim: number): ComputeMetricsOptions => {
    const o: ComputeMetricsOptions = { numClasses: K };
    if (L > 0 && key === ncKey(L - 1, 'output') && L > params.conv.length) o.classifier = { rows: head.outDim, cols: head.inDim, data: head.weight };
    if (options.metricDependence && !key.endsWith(':logits') && dim <= maxDim) o.linearProbe = true;
    return o;
  };
  return streamedNc((visit) => streamCnnFeatures(params, data, (l, kind, rows, start) => visit(ncKey(l, kind), rows, start), options.chunkSize), data.labels, K, optionsFor, options.metricDependence === true);
}

/**
 * The AGOP of every layer with respect to its input (patches for conv layers; see the module comment),
 * averaged over the N samples and summed over the K outputs and the positions, float64.
 * @returns one `[in, in]` matrix per layer (in = C_in·k² for conv layers).
 * @example
 * const agops = await cnnAgops(params, data);
 */
export async function cnnAgops(params: CnnParams, data: Pick<ImageSet, 'x' | 'n' | 'shape'>, chunkSize = 100): Promise<Matrix[]> {
  const tf = getTf() as Tf;
  const [H, W, C] = data.shape;
  const K = params.spec.numClasses;
  const nb = params.conv.length;
  const L = cnnLayerCount(params);
  const net: TfCnn = toTfCnn(params);
  const grams = Array.from({ length: L }, (_, l) => new Float64Array(cnnLayer(params, l).outDim ** 2));
  const { maps } = cnnShapes(params.spec);
  try {
    for (let s = 0; s < data.n; s += chunkSize) {
      const e = Math.min(data.n, s + chunkSize);
      const B = e - s;
      const x = tf.tensor4d(data.x.subarray(s * H * W * C, e * H * W * C), [B, H, W, C]);
      // zero perturbations of every pre-activation: one backward pass per class gives every layer's gradient
      const zeros = Array.from({ length: L }, (_, l) => (l < nb ? tf.zeros([B, maps[l][0], maps[l][1], params.spec.blocks[l].channels]) : tf.zeros([B, cnnLayer(params, l).outDim])));
      for (let c = 0; c < K; c++) {
        const gs = tf.tidy(() => {
          const grads = tf.grads((...e: TfCore.Tensor[]) => tf.sum(tf.slice(cnnForward(net, x, undefined, undefined, e), [0, c], [-1, 1])))(zeros);
          return grads.map((g, l) => {
            const flat = tf.reshape(g, [-1, cnnLayer(params, l).outDim]) as TfCore.Tensor2D;
            return tf.matMul(flat, flat, true, false);
          });
        });
        for (let l = 0; l < L; l++) {
          const v = await gs[l].data();
          for (let i = 0; i < v.length; i++) grams[l][i] += v[i];
        }
        tf.dispose(gs);
      }
      tf.dispose([x, ...zeros]);
    }
  } finally {
    net.dispose();
  }
  return grams.map((gram, l) => {
    const w = cnnLayer(params, l);
    const G: Matrix = { rows: w.outDim, cols: w.outDim, data: gram.map((v) => v / data.n) };
    const Wm: Matrix = { rows: w.outDim, cols: w.inDim, data: new Float64Array(w.weight) };
    return gemm(Wm, gemm(G, Wm), { transA: true });
  });
}

/** One row of a CNN probe: one layer (conv block or hidden FC layer) at one checkpoint. */
/** The sub-layer points are the input patches (conv) or input (FC), after S Vᵀ, after U and σ; Fisher and probe NC1 are null unless `metricDependence` and the dimension is ≤ the scatter cap. */
export interface CnnLayerCheckpoint extends NfaCorrelations, SubLayerNc {
  epoch: number;
  /** 1-based over conv blocks then hidden FC layers. */
  layer: number;
  kind: 'conv' | 'fc';
  trainLoss: number | null;
  /** Feature dimension at the three points (per sample, flattened). */
  dimInput: number;
  dimRight: number;
  dimOutput: number;
  nc2Output: number;
  nccAccuracyOutput: number;
  /** Rank and stable rank of the channel-mixing matrix / weight. */
  rank: number;
  stableRank: number;
  nc1InputTest?: number;
  nc1RightTest?: number;
  nc1OutputTest?: number;
}

/** Options of {@link probeCnnNetwork}. */
export interface ProbeCnnNetworkOptions extends CnnNcOptions {
  /** AGOPs and NFA correlations. Default true. */
  nfa?: boolean;
  /**
   * The AGOP averages over a seeded class-balanced subsample of this many training samples (it costs K
   * backward passes per sample). Default 200; 0 or ≥ N: all samples.
   */
  agopSamples?: number;
  /** Seed of the AGOP subsample. Default 0. */
  agopSeed?: number;
  test?: Pick<ImageSet, 'x' | 'n' | 'shape' | 'labels'>;
}

/**
 * Every probe of one checkpoint of a CNN: sub-layer NC1 per layer (three metrics, optionally four),
 * NC2 and NCC of the outputs, ranks, NFA correlations (WᵀW vs the patch AGOP; init-subtracted with `initial`).
 * @returns the rows and the logits' NC1.
 * @example
 * const { rows } = await probeCnnNetwork(params, initial, train, { epoch: 10, trainLoss: 0.1 });
 */
export async function probeCnnNetwork(
  params: CnnParams,
  initial: CnnParams | null,
  data: Pick<ImageSet, 'x' | 'n' | 'shape' | 'labels'>,
  meta: { epoch: number; trainLoss: number | null },
  options: ProbeCnnNetworkOptions = {},
): Promise<{ rows: CnnLayerCheckpoint[]; nc1Logits: number }> {
  const nc = await cnnNc(params, data, options);
  const ncTest = options.test ? await cnnNc(params, options.test, { ...options, metricDependence: false }) : null;
  let agops: Matrix[] | null = null;
  if (options.nfa ?? true) {
    const m = options.agopSamples ?? 200;
    const sub = m > 0 && m < data.n ? balancedSubsample(data.labels, m, params.spec.numClasses, options.agopSeed ?? 0) : null;
    const d = data.shape[0] * data.shape[1] * data.shape[2];
    agops = await cnnAgops(params, sub ? { x: takeRows(data.x, d, sub), n: sub.length, shape: data.shape } : data, options.chunkSize);
  }
  const L = cnnLayerCount(params);
  const rows: CnnLayerCheckpoint[] = [];
  for (let l = 0; l < L; l++) {
    const [inp, right, out] = (['input', 'right', 'output'] as const).map((k) => nc.get(ncKey(l, k))!);
    const w = cnnLayer(params, l);
    const spec = layerSpectrum(w);
    const nfa: NfaCorrelations = agops
      ? nfaCorrelations(w, initial ? cnnLayer(initial, l) : null, agops[l], null)
      : { nfaCorr: null, nfaCorrSqrt: null, nfaCorrSqrtDelta: null, nfaCorrSqrtCentered: null, nfaCorrSqrtDeltaCentered: null };
    rows.push({
      epoch: meta.epoch,
      layer: l + 1,
      kind: l < params.conv.length ? 'conv' : 'fc',
      trainLoss: meta.trainLoss,
      dimInput: inp.means.d,
      dimRight: right.means.d,
      dimOutput: out.means.d,
      nc1Input: inp.nc1,
      nc1Right: right.nc1,
      nc1Output: out.nc1,
      nc1RightShare: rightShare(inp.nc1, right.nc1, out.nc1),
      nc1PinvInput: inp.metrics.nc1Pinv,
      nc1PinvRight: right.metrics.nc1Pinv,
      nc1PinvOutput: out.metrics.nc1Pinv,
      nc1PinvRightShare: rightShare(inp.metrics.nc1Pinv, right.metrics.nc1Pinv, out.metrics.nc1Pinv),
      ...metricDependenceFields(inp, right, out, options.metricDependence === true),
      nc2Output: out.metrics.nc2Etf,
      nccAccuracyOutput: out.metrics.nccAccuracy,
      rank: spec.rank,
      stableRank: spec.stableRank,
      ...nfa,
      ...(ncTest ? { nc1InputTest: ncTest.get(ncKey(l, 'input'))!.nc1, nc1RightTest: ncTest.get(ncKey(l, 'right'))!.nc1, nc1OutputTest: ncTest.get(ncKey(l, 'output'))!.nc1 } : {}),
    });
  }
  return { rows, nc1Logits: nc.get(ncKey(L, 'logits'))!.nc1 };
}
