import { singularValues, transpose, type Matrix } from '@nclab/backend/host';
import { nc1Pinv, nc1TraceRatio, normalisedGramEtfError, orthogonalFrameError, selfDualityError } from '@nclab/nc-metrics';
import type { ModelObjective } from './models.js';
import { forwardFeatures } from './objective.js';
import { classMeanRows } from './measure.js';
import { theory } from './theory/index.js';

/**
 * NC metrics of one feature layer, in the extended-UFM paper's conventions (via @nclab/nc-metrics):
 *
 * ```math
 * nc1TraceRatio = tr Σ_W / tr Σ_B          (Σ_W over N, Σ_B over K, h_G = mean of the class means)
 * nc1Pinv       = (1/K) tr(Σ_W Σ_B^†)
 * nc2Etf        = ‖M̃ᵀM̃/‖M̃ᵀM̃‖_F − (I − J/K)/√(K−1)‖_F   (centred means M̃)
 * nc2Orthogonal = ‖H̄ᵀH̄/‖H̄ᵀH̄‖_F − I/√K‖_F              (uncentred means H̄)
 * nc3           = ‖W/‖W‖_F − H̄ᵀ/‖H̄‖_F‖_F                (uncentred, last layer only)
 * ```
 *
 * A value is null where it is undefined: all class means equal (e.g. the zero solution), an
 * all-zero classifier, or nc3 on a layer that does not feed the classifier.
 */
export interface UfmLayerMetrics {
  /** 1-based: layer 1 is H_1, layer l the input of W_l. */
  readonly layer: number;
  readonly nc1TraceRatio: number | null;
  readonly nc1Pinv: number | null;
  readonly nc2Etf: number | null;
  readonly nc2Orthogonal: number | null;
  readonly nc3: number | null;
}


function orNull(f: () => number): number | null {
  try {
    const v = f();
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function centred(means: Float64Array, K: number, d: number): Matrix {
  const out = Float64Array.from(means);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += means[k * d + j];
    for (let k = 0; k < K; k++) out[k * d + j] -= s / K;
  }
  return { rows: K, cols: d, data: out };
}

/**
 * Per-layer NC metrics of a solved model (features entering W_1 … W_L; nc3 against W_L on the last).
 * @param mo - the model objective.
 * @param x - the flat solution.
 * @returns one entry per feature layer.
 */
export function layerMetrics(mo: ModelObjective, x: Float64Array): UfmLayerMetrics[] {
  const { spec, layout, config } = mo;
  const { K, labels } = config.classes;
  const fw = forwardFeatures(spec, x);
  const L = spec.dims.length;
  return fw.inputs.map((f, l) => {
    const d = spec.dims[l];
    const rows = transpose({ rows: d, cols: config.classes.N, data: f });
    const meansData = classMeanRows(f, d, config.classes);
    const means: Matrix = { rows: K, cols: d, data: meansData };
    const opts = { numClasses: K };
    const wb = layout.weights[L - 1];
    const w: Matrix = { rows: K, cols: d, data: x.slice(wb.offset, wb.offset + K * d) };
    return {
      layer: l + 1,
      nc1TraceRatio: orNull(() => nc1TraceRatio(rows, labels, opts)),
      nc1Pinv: orNull(() => nc1Pinv(rows, labels, opts)),
      nc2Etf: orNull(() => normalisedGramEtfError(centred(meansData, K, d))),
      nc2Orthogonal: orNull(() => orthogonalFrameError(means)),
      nc3: l === L - 1 ? orNull(() => selfDualityError(w, means)) : null,
    };
  });
}

/**
 * NC1/NC2 of the pre-activations W_l h (before each ReLU) of a ReLU model, which the extended-UFM
 * paper tracks beside the post-ReLU features. Entry l has `layer` = l + 2 (the layer the ReLU
 * output feeds); nc3 is null.
 */
export function preActivationMetrics(mo: ModelObjective, x: Float64Array): UfmLayerMetrics[] {
  const { spec, config } = mo;
  const { K, labels } = config.classes;
  const fw = forwardFeatures(spec, x);
  return fw.preActivations.map((f, l) => {
    const d = spec.dims[l + 1];
    const rows = transpose({ rows: d, cols: config.classes.N, data: f });
    const meansData = classMeanRows(f, d, config.classes);
    const opts = { numClasses: K };
    return {
      layer: l + 2,
      nc1TraceRatio: orNull(() => nc1TraceRatio(rows, labels, opts)),
      nc1Pinv: orNull(() => nc1Pinv(rows, labels, opts)),
      nc2Etf: orNull(() => normalisedGramEtfError(centred(meansData, K, d))),
      nc2Orthogonal: orNull(() => orthogonalFrameError({ rows: K, cols: d, data: meansData })),
      nc3: null,
    };
  });
}

/**
 * Squared singular values of a matrix, descending (float64 SVD from @nclab/backend).
 * @param w - any host matrix, e.g. a weight W_l `[d_{l+1}, d_l]`.
 * @returns min(rows, cols) values σ_i².
 */
export function sqSingularValues(w: Matrix): number[] {
  return Array.from(singularValues(w), (s) => s * s);
}

/** The numerical rank and singular values of one layer's class means. */
export interface ClassMeanSpectrum {
  /** 1-based feature layer (1 = H_1, …, L = input of W_L, L+1 = output). */
  readonly layer: number;
  /** Singular values of the [K, d_l] class-mean matrix, descending. */
  readonly singularValues: number[];
  /** Number of singular values above rankTol · σ_max. */
  readonly rank: number;
}

/**
 * Low-rank bias report (Súkeník, Lampert & Mondelli, "Neural collapse versus low-rank bias"):
 * the DNC reference objective (deep linear optimum on non-negative orthogonal frames, which ReLU
 * leaves unchanged), the solved objective, and per-layer ranks / singular values of the class means.
 */
export interface LowRankReport {
  /** Objective of the DNC reference point in the model's scaling (null where widths < K). */
  readonly dncObjective: number | null;
  readonly solvedObjective: number;
  /** solvedObjective − dncObjective (negative: the solution beats DNC). */
  readonly gap: number | null;
  /** True when the solution is lower than DNC by more than 1e-9 relative. */
  readonly beatsDnc: boolean;
  /** The rank DNC has in every layer (K where x* > 0). */
  readonly dncRank: number;
  readonly layers: ClassMeanSpectrum[];
  readonly rankTol: number;
}

/**
 * Builds the {@link LowRankReport} of a solved model.
 * @param mo - model objective; @param x - solution; @param objective - f(x);
 * @param rankTol - relative rank tolerance (σ_i > rankTol·σ_max counts).
 */
export function lowRankReport(mo: ModelObjective, x: Float64Array, objective: number, rankTol: number): LowRankReport {
  const { spec, config } = mo;
  const { K } = config;
  const fw = forwardFeatures(spec, x);
  const feats = [...fw.inputs, fw.output];
  const dims = [...spec.dims, K];
  const layers = feats.map((f, l) => {
    const m = classMeanRows(f, dims[l], config.classes);
    const s = Array.from(singularValues({ rows: K, cols: dims[l], data: m }));
    const top = s[0] ?? 0;
    return { layer: l + 1, singularValues: s, rank: top > 0 ? s.filter((v) => v > rankTol * top).length : 0 };
  });
  const t = theory(config);
  const dnc = t === null ? null : t.kind === 'dnc-reference' ? t.dncObjective : t.objective;
  const dncRank = t && 'deepLinear' in t ? t.deepLinear.xStar.filter((v) => v > 0).length : K;
  const gap = dnc === null ? null : objective - dnc;
  return {
    dncObjective: dnc,
    solvedObjective: objective,
    gap,
    beatsDnc: gap !== null && gap < -1e-9 * Math.max(1, Math.abs(dnc as number)),
    dncRank,
    layers,
    rankTol,
  };
}
