import {
  ClassMeanAccumulator, ResidualAccumulator, metricsFromStatistics, nc1FisherFromStatistics, residualOptionsFor,
  type ClassMeans, type ComputeMetricsOptions, type NcMetricsResult,
} from '@nclab/nc-metrics';
import type { Matrix32 } from '@nclab/backend';
import { streamLayerFeatures, type FeatureKind, type StreamFeaturesOptions } from './layer-features.js';
import type { MlpParams } from './types.js';

/** NC statistics of one feature set. */
export interface FeatureNc {
  /** tr Σ_W / tr Σ_B (Σ_W with 1/N, Σ_B with 1/K): the NC1 metric of Beaglehole et al. 2024. */
  nc1: number;
  /** The full `@nclab/nc-metrics` suite of this feature set (NC1 variants, NC2, NCC; NC3/NC4 with a classifier). */
  metrics: NcMetricsResult;
  /** Pass-1 class means. */
  means: ClassMeans;
  /**
   * Fisher NC1 tr(Σ_W⁺ Σ_B) (`@nclab/nc-metrics` nc1FisherFromStatistics; larger = more separated) and
   * the rank of Σ_W kept; null unless `metricDependence` (or, for the logits, never).
   */
  nc1Fisher: number | null;
  nc1FisherRank: number | null;
}

/** NC statistics of every feature set of a network, keyed `${layer}:${kind}`. */
export type NetworkNc = Map<string, FeatureNc>;

/** The key of a feature set in a {@link NetworkNc}. */
export const ncKey = (layer: number, kind: FeatureKind): string => `${layer}:${kind}`;

/** Options of {@link networkNc}. */
export interface NetworkNcOptions extends StreamFeaturesOptions {
  /** Also compute the linear-probe NC1 of each layer output (needs a width×width scatter). Default false. */
  linearProbe?: boolean;
  /**
   * The metric-dependence set (reviewer B): the Fisher NC1 and the linear-probe NC1 at every sub-layer
   * point (input, right, output), beside the trace ratio and the pinv form that are always there. Each
   * point then accumulates its full d×d within-class scatter (O(N·d²)) and pays one d×d eigendecomposition
   * per metric. Default false.
   */
  metricDependence?: boolean;
}

/**
 * Streams a network's features twice over the data into `@nclab/nc-metrics` accumulators (pass 1:
 * `ClassMeanAccumulator`; pass 2: `ResidualAccumulator`) and returns the NC metric suite of every
 * feature set: each hidden layer's input, after S Vᵀ, after U and the activation, and the logits.
 * The last hidden layer's output gets the head as classifier (NC3, NC4). Memory is
 * O(chunk · width + K · width) per feature set, independent of N.
 * ```math
 * NC1 = tr Σ_W / tr Σ_B,  Σ_W = (1/N) Σ_i (x_i − μ_{y_i})(x_i − μ_{y_i})ᵀ,  Σ_B = (1/K) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ
 * ```
 * @param labels - `[N]` in [0, K).
 * @see Beaglehole et al. 2024, §3 (DNC1) and §5 (Figure 2).
 * @returns a map from `ncKey(layer, kind)` to the feature set's NC1 and full metric suite.
 * @throws {InvalidArgumentError} when `x` or `labels` do not fit the network.
 * @example
 * const nc = await networkNc(net, x, labels);
 * nc.get(ncKey(0, 'right'))!.nc1; // NC1 after S Vᵀ of the first layer
 */
export async function networkNc(
  params: MlpParams,
  x: Float32Array,
  labels: Int32Array,
  options: NetworkNcOptions = {},
): Promise<NetworkNc> {
  const n = labels.length;
  const { depth, numClasses: K } = params.spec;
  const head = params.layers[depth];
  const optionsFor = (key: string): ComputeMetricsOptions => {
    const o: ComputeMetricsOptions = { numClasses: K };
    if (key === ncKey(depth - 1, 'output')) {
      o.classifier = { rows: head.outDim, cols: head.inDim, data: head.weight };
      if (head.bias) o.bias = head.bias;
    }
    if (options.linearProbe && key.endsWith(':output')) o.linearProbe = true;
    if (options.metricDependence && !key.endsWith(':logits')) o.linearProbe = true;
    return o;
  };
  return streamedNc((visit) => streamLayerFeatures(params, x, n, (layer, kind, rows, start) => visit(ncKey(layer, kind), rows, start), options), labels, K, optionsFor, options.metricDependence === true);
}

/** Streams every feature set of a network once: `visit(key, rows [B, d], start)` per chunk and set. */
export type FeatureStream = (visit: (key: string, rows: Matrix32, start: number) => void) => Promise<void>;

/**
 * The two-pass accumulation behind {@link networkNc}, for any network that can stream its feature sets:
 * pass 1 (`ClassMeanAccumulator`) and pass 2 (`ResidualAccumulator`) per key, then the metric suite
 * (and with `fisher` the Fisher NC1 from the full scatter, which needs `linearProbe` in that key's options).
 * @param stream - runs the network over the data, visiting each chunk of each feature set (called twice).
 * @param labels - `[N]` in [0, K).
 * @param K - number of classes.
 * @param optionsFor - the metric options of a key of feature dimension `dim` (classifier, linear probe).
 * @param fisher - also the Fisher NC1 where the full scatter was accumulated.
 * @returns the statistics per key.
 * @throws {InvalidArgumentError} from the accumulators (shapes, labels, non-finite features).
 * @example
 * await streamedNc((visit) => streamCnnFeatures(net, x, n, visit), labels, 10, () => ({ numClasses: 10 }), false);
 */
export async function streamedNc(
  stream: FeatureStream,
  labels: Int32Array,
  K: number,
  optionsFor: (key: string, dim: number) => ComputeMetricsOptions,
  fisher: boolean,
): Promise<NetworkNc> {
  const pass1 = new Map<string, ClassMeanAccumulator>();
  await stream((key, rows, start) => {
    let acc = pass1.get(key);
    if (!acc) pass1.set(key, (acc = new ClassMeanAccumulator({ numClasses: K, dim: rows.cols })));
    acc.update(rows, labels.subarray(start, start + rows.rows));
  });
  const means = new Map<string, ClassMeans>();
  const pass2 = new Map<string, ResidualAccumulator>();
  for (const [key, acc] of pass1) {
    const m = acc.finalize();
    means.set(key, m);
    pass2.set(key, new ResidualAccumulator(m, residualOptionsFor(m, optionsFor(key, m.d))));
  }
  await stream((key, rows, start) => {
    pass2.get(key)!.update(rows, labels.subarray(start, start + rows.rows));
  });
  const out: NetworkNc = new Map();
  for (const [key, m] of means) {
    const stats = pass2.get(key)!.finalize();
    const metrics = metricsFromStatistics(m, stats, optionsFor(key, m.d));
    const f = fisher && stats.scatter ? nc1FisherFromStatistics(m, stats) : null;
    out.set(key, { nc1: metrics.nc1TraceRatio, metrics, means: m, nc1Fisher: f?.nc1Fisher ?? null, nc1FisherRank: f?.nc1FisherRank ?? null });
  }
  return out;
}

/**
 * The share of a layer's NC1 reduction owed to S Vᵀ, on a log scale:
 * ```math
 * share = log(NC1_input / NC1_right) / log(NC1_input / NC1_output)
 * ```
 * 1: all of the reduction happens at S Vᵀ (U and the activation change nothing); 0: none of it; values
 * outside [0, 1] mean the other step increases NC1. Null when NC1 does not change across the layer.
 * @returns the share, or null.
 * @example
 * rightShare(1, 0.1, 0.01); // returns 0.5
 */
export function rightShare(nc1Input: number, nc1Right: number, nc1Output: number): number | null {
  const total = Math.log(nc1Input / nc1Output);
  if (!Number.isFinite(total) || Math.abs(total) < 1e-12) return null;
  const v = Math.log(nc1Input / nc1Right) / total;
  return Number.isFinite(v) ? v : null;
}
