import { ClassMeanAccumulator, type ClassMeans } from '@nclab/nc-metrics';
import type { Matrix32 } from '@nclab/backend';
import { streamLayerFeatures, type FeatureKind, type StreamFeaturesOptions } from './layer-features.js';
import type { MlpParams } from './types.js';

/** Trace-ratio statistics of one feature set. */
export interface FeatureNc {
  /** tr Σ_W = (1/N) Σ_i ‖x_i − μ_{y_i}‖². */
  trace_within: number;
  /** tr Σ_B = (1/K) Σ_c ‖μ_c − μ_G‖², μ_G the global mean. */
  trace_between: number;
  /** tr Σ_W / tr Σ_B: the NC1 metric of Beaglehole et al. 2024 (their Σ_W has 1/N, Σ_B has 1/K). */
  nc1: number;
  /** Pass-1 class means (for NC2 and friends). */
  means: ClassMeans;
}

/** NC statistics of every feature set of a network, keyed `${layer}:${kind}`. */
export type NetworkNc = Map<string, FeatureNc>;

/** The key of a feature set in a {@link NetworkNc}. */
export const ncKey = (layer: number, kind: FeatureKind): string => `${layer}:${kind}`;

/**
 * Streams a network's features twice over the data (pass 1: class means in
 * `@nclab/nc-metrics`'s `ClassMeanAccumulator`; pass 2: squared residual norms to those means, float64)
 * and returns the within- and between-class traces of every feature set: each hidden layer's input,
 * after S Vᵀ, after U and the activation, and the logits. Memory is O(chunk · width + K · width) per
 * feature set, independent of N.
 * ```math
 * NC1 = tr Σ_W / tr Σ_B,  Σ_W = (1/N) Σ_i (x_i − μ_{y_i})(x_i − μ_{y_i})ᵀ,  Σ_B = (1/K) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ
 * ```
 * @param labels - `[N]` in [0, K).
 * @see Beaglehole et al. 2024, §3 (DNC1) and §5 (Figure 2).
 */
export async function networkNc(
  params: MlpParams,
  x: Float32Array,
  labels: Int32Array,
  options: StreamFeaturesOptions = {},
): Promise<NetworkNc> {
  const n = labels.length;
  const K = params.spec.numClasses;
  const accs = new Map<string, ClassMeanAccumulator>();
  await streamLayerFeatures(
    params,
    x,
    n,
    (layer, kind, rows, start) => {
      const key = ncKey(layer, kind);
      let acc = accs.get(key);
      if (!acc) accs.set(key, (acc = new ClassMeanAccumulator({ numClasses: K, dim: rows.cols })));
      acc.update(rows, labels.subarray(start, start + rows.rows));
    },
    options,
  );
  const means = new Map<string, ClassMeans>();
  for (const [key, acc] of accs) means.set(key, acc.finalize());
  const within = new Map<string, number>();
  await streamLayerFeatures(
    params,
    x,
    n,
    (layer, kind, rows: Matrix32, start) => {
      const key = ncKey(layer, kind);
      const m = means.get(key)!;
      const d = rows.cols;
      let ss = within.get(key) ?? 0;
      for (let i = 0; i < rows.rows; i++) {
        const c = m.labelToClass[labels[start + i]];
        const mo = c * d;
        const xo = i * d;
        for (let j = 0; j < d; j++) {
          const r = rows.data[xo + j] - m.means.data[mo + j];
          ss += r * r;
        }
      }
      within.set(key, ss);
    },
    options,
  );
  const out: NetworkNc = new Map();
  for (const [key, m] of means) {
    const trW = (within.get(key) ?? 0) / m.n;
    const trB = traceBetween(m);
    out.set(key, { trace_within: trW, trace_between: trB, nc1: trW / trB, means: m });
  }
  return out;
}

/** tr Σ_B = (1/K) Σ_c ‖μ_c − μ_G‖² with μ_G = Σ_c n_c μ_c / N, in float64. */
export function traceBetween(m: ClassMeans): number {
  const { K, d } = m;
  const g = new Float64Array(d);
  for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) g[j] += (m.counts[c] * m.means.data[c * d + j]) / m.n;
  let s = 0;
  for (let c = 0; c < K; c++) {
    for (let j = 0; j < d; j++) {
      const r = m.means.data[c * d + j] - g[j];
      s += r * r;
    }
  }
  return s / K;
}

/**
 * The share of a layer's NC1 reduction owed to S Vᵀ, on a log scale:
 * ```math
 * share = log(NC1_input / NC1_right) / log(NC1_input / NC1_output)
 * ```
 * 1: all of the reduction happens at S Vᵀ (U and the activation change nothing); 0: none of it; values
 * outside [0, 1] mean the other step increases NC1. Null when NC1 does not change across the layer.
 */
export function rightShare(nc1Input: number, nc1Right: number, nc1Output: number): number | null {
  const total = Math.log(nc1Input / nc1Output);
  if (!Number.isFinite(total) || Math.abs(total) < 1e-12) return null;
  const v = Math.log(nc1Input / nc1Right) / total;
  return Number.isFinite(v) ? v : null;
}
