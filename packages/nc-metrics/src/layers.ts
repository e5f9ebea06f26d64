/**
 * Per-layer (deep) neural collapse: the metric suite on the features of several layers or sub-layers
 * against the same labels, one row per layer.
 */
import { InvalidArgumentError } from '@nclab/backend/host';
import { DegenerateClassMeansError } from './errors.js';
import type { AnyMatrix } from '@nclab/backend/host';
import { computeMetrics } from './metrics.js';
import type { ComputeMetricsOptions, NcMetricsResult } from './metrics.js';

/** Features of one layer (or sub-layer, e.g. `W2 (SVᵀx)`), with its own classifier if any. */
export interface LayerFeatures {
  /** Display name, e.g. `layer 3` or `after ReLU`. */
  readonly name: string;
  /** `[N, d_l]` rows, in the same sample order as the labels. */
  readonly features: AnyMatrix;
  /** Optional classifier `[K, d_l]` read at this layer (e.g. the last layer's weights). */
  readonly classifier?: AnyMatrix;
  /** Optional bias `[K]`. */
  readonly bias?: ArrayLike<number>;
}

/** One row of the per-layer table. */
export type LayerMetrics = NcMetricsResult & { readonly layer: string };

/**
 * Runs {@link computeMetrics} on every layer with the same labels and options.
 * @param layers - the layers, in network order (at least one).
 * @param labels - `[N]` labels shared by all layers.
 * @param options - as {@link computeMetrics} (classifier/bias come per layer).
 * @returns one result per layer (with `layer`), and the warnings of all layers prefixed by layer name.
 * @throws {InvalidArgumentError} when `layers` is empty, names repeat, row counts differ, or any layer's input is invalid.
 * @example
 * const { layers: rows } = computeLayerMetrics([{ name: 'x', features: X }, { name: 'h1', features: H1 }], labels);
 * rows.map((r) => r.nc1TraceRatio); // NC1 per layer
 */
export function computeLayerMetrics(
  layers: readonly LayerFeatures[],
  labels: ArrayLike<number>,
  options: Omit<ComputeMetricsOptions, 'classifier' | 'bias'> = {},
): { layers: LayerMetrics[]; warnings: string[] } {
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError('layers', 'a non-empty array of { name, features }', layers);
  const names = new Set<string>();
  const out: LayerMetrics[] = [];
  const warnings: string[] = [];
  layers.forEach((layer, l) => {
    if (typeof layer?.name !== 'string' || layer.name === '') throw new InvalidArgumentError(`layers[${l}].name`, 'a non-empty string', layer?.name);
    if (names.has(layer.name)) throw new InvalidArgumentError(`layers[${l}].name`, 'unique across layers', layer.name);
    names.add(layer.name);
    if (layer.features?.rows !== layers[0].features?.rows) {
      throw new InvalidArgumentError(`layers[${l}].features`, `to have N = ${layers[0].features?.rows} rows like layers[0]`, layer.features?.rows);
    }
    let r: NcMetricsResult;
    try {
      r = computeMetrics(layer.features, labels, { ...options, classifier: layer.classifier, bias: layer.bias });
    } catch (e) {
      if (e instanceof DegenerateClassMeansError) throw new DegenerateClassMeansError(`layers[${l}] (${layer.name})`);
      if (e instanceof InvalidArgumentError) {
        throw new InvalidArgumentError(`layers[${l}] (${layer.name})`, e.expected, e.actual, e.message);
      }
      throw e;
    }
    for (const w of r.warnings) if (l === 0 || !w.startsWith('unbalanced') && !w.startsWith('dropped')) warnings.push(`${layer.name}: ${w}`);
    out.push({ ...r, layer: layer.name });
  });
  return { layers: out, warnings };
}
