import { InvalidArgumentError, createRng, type Matrix } from '@nclab/backend';
import {
  deepLinearUfmOptimum,
  deepLinearUfmTheory,
  makeObjective,
  minimize,
  objectiveSpec,
  unpackParams,
} from '@nclab/ufm';
import { lanczos } from '../algorithms/lanczos.js';
import { spectralDensity } from '../algorithms/slq.js';
import { denseEigh } from '../algorithms/dense-eigh.js';
import { clusterEigenvalues, compareOutlierCount, detectOutliers } from '../analysis/outliers.js';
import { gaussNewtonDecomposition } from '../analysis/papyan.js';
import { subspaceFraction } from '../analysis/subspaces.js';
import { weightSpectrum } from '../analysis/weight-spectrum.js';
import { outerProductSpectrum } from '../operators/low-rank.js';
import { deepUfmForward, type DeepUfmPoint } from './deep-ufm-point.js';
import {
  deepLinearUfmLayerSpectrum,
  deepUfmExtendedGradients,
  deepUfmLayerGradients,
  deepUfmLayerHessian,
} from './layer-operators.js';

/** Configuration of {@link deepUfmSpectra} (the `nclab spectra ufm` command). */
export interface DeepUfmSpectraConfig {
  /** `'deep-linear'` (default) or `'deep-relu'`. */
  model?: 'deep-linear' | 'deep-relu';
  /** Classes K ≥ 2. */
  K: number;
  /** Samples per class n ≥ 1. */
  n: number;
  /** Widths d_1 … d_L (a number: every layer), each ≥ K. */
  d: number | readonly number[];
  /** Number of weight layers L ≥ 1. */
  depth: number;
  /** λ_{W_l} (a number: every layer), > 0. */
  lambdaW: number | readonly number[];
  /** λ_{H_1} > 0. */
  lambdaH: number;
  /** 1-based layers to analyse. Default all. */
  layers?: readonly number[];
  /** Lanczos top-k on each layer Hessian. Default min(size, K² + K). */
  top?: number;
  /** Build the closed-form optimum (deep-linear only) instead of solving by gradient descent. Default false. */
  atOptimum?: boolean;
  /** Gradient-descent settings when not at the optimum. */
  solver?: { method?: 'gd' | 'lbfgs'; steps?: number; lr?: number; initScale?: number };
  /** Seed of the initialisation / random frames and of Lanczos and SLQ. Default 0. */
  seed?: number;
  /** SLQ density of each layer Hessian (MSE part) for plots; `false` to skip. Default { runs: 4, steps: 40, gridPoints: 400 }. */
  density?: false | { runs?: number; steps?: number; gridPoints?: number };
}

/** Per-layer measurements and predictions of {@link deepUfmSpectra}. */
export interface DeepUfmLayerSpectra {
  /** 1-based layer index l (the Hessian is with respect to W_l). */
  readonly layer: number;
  /** Shape of W_l, [d_{l+1}, d_l]; the Hessian has size d_{l+1}·d_l. */
  readonly shape: [number, number];
  /** Eigenvalues above the bulk (largest gap), descending: MSE-term Hessian. */
  readonly outliers: number[];
  /** Which of the predicted counts K, K(K−1), K² the outlier count equals. */
  readonly countMatches: string[];
  /** Number of eigenvalues in the bulk (size − outliers). */
  readonly bulkSize: number;
  /** Numerical rank of the MSE-term Hessian (eigenvalues > 1e-8·λ_max). */
  readonly rank: number;
  /** Distinct outlier values with multiplicities (relative tolerance 1e-6). */
  readonly outlierClusters: { value: number; multiplicity: number }[];
  /** Closed-form outlier λ_{W_l}·x/(1−x) (deep-linear DNC point), null otherwise. */
  readonly predictedOutlier: number | null;
  /** max_i |outlier_i − predicted| / predicted (null without a prediction). */
  readonly maxRelativeError: number | null;
  /** How the exact spectrum was computed. */
  readonly method: 'kronecker' | 'dense-eigh';
  /** Lanczos top-k of the same operator (cross-check): values, residuals, steps, converged. */
  readonly lanczos: { values: number[]; residuals: number[]; iterations: number; converged: boolean };
  /** With weight decay: H + λ_{W_l} I: outliers, bulk value and prediction λ_{W_l}/(1−x). */
  readonly regularised: { outliers: number[]; bulkValue: number; predictedOutlier: number | null };
  /** Papyan decomposition of the Gauss–Newton term: ranks, spectra and knockout ranks. */
  readonly decomposition: {
    classRank: number;
    crossRank: number;
    withinMax: number;
    classEigenvalues: number[];
    crossEigenvalues: number[];
    /** Ranks of H − G_within, H − G_class, H − G_cross. */
    knockoutRanks: { withoutWithin: number; withoutClass: number; withoutCross: number };
  };
  /** Fraction ‖P_top g‖²/‖g‖² of gradient pieces inside the span of the top-`outliers` eigenvectors (null for a zero vector or no outliers). */
  readonly gradientOverlap: { label: number | null; mse: number | null; weights: number | null };
  /** Non-zero gradient-covariance eigenvalues (centred, MSE per-sample gradients), descending. */
  readonly gradientCovariance: number[];
  /** Weight spectrum of W_l and the prediction τ/λ_{W_l} for σ². */
  readonly weights: { singularValues: number[]; numericalRank: number; stableRank: number; predictedSquaredSingularValue: number | null };
  /** SLQ density of the MSE-term Hessian (absent when disabled). */
  readonly density?: { grid: number[]; density: number[]; sigma: number };
}

/** Result of {@link deepUfmSpectra}. */
export interface DeepUfmSpectraResult {
  readonly config: {
    model: 'deep-linear' | 'deep-relu'; K: number; n: number; d: number[]; depth: number;
    lambdaW: number[]; lambdaH: number; atOptimum: boolean; seed: number;
  };
  /** Closed-form constants of the deep linear UFM (b, thresholds, x*, τ, objective). */
  readonly theory: {
    b: number; bGlobal: number; bLocal: number; xStar: number; xLargestRoot: number | null; tau: number;
    objective: number; regime: string;
  };
  /** What was measured at the analysed point. */
  readonly point: {
    source: 'closed-form' | 'gradient-descent';
    objective: number; mse: number;
    /** Mean output score of the true class, x̂ = mean_i f_{y_i}(h_i). */
    outputScale: number;
    solver?: { steps: number; gradNorm: number; converged: boolean };
  };
  readonly layers: DeepUfmLayerSpectra[];
}

/**
 * Reproduces the deep-linear-UFM paper on one model: builds the closed-form global optimum (or
 * solves the model by gradient descent), then, per layer, the exact spectrum of the MSE-term
 * layer Hessian, its outliers against λ_{W_l}·x* /(1−x*), the regularised spectrum, Papyan's
 * class/cross/within decomposition with knockouts, gradient overlaps with the outlier eigenspace,
 * the gradient covariance, the weight spectrum and an SLQ density.
 *
 * ```math
 * H_l = (A_lᵀA_l) ⊗ Σ_l:  K² eigenvalues λ_{W_l} x* /(1−x*), the rest 0;   σ²(W_l) = τ/λ_{W_l},  τ = x*(1−x*)/K
 * ```
 *
 * Conventions: objective (1/(2N))‖W_L⋯W_1H_1 − Y‖² + Σ λ_{W_l}/2‖W_l‖² + λ_{H_1}/2‖H_1‖²; Hessians of
 * the MSE term over row-major vec(W_l); outliers by the largest spectral gap.
 *
 * @param config - see {@link DeepUfmSpectraConfig}.
 * @returns theory, the analysed point and one entry per layer (see {@link DeepUfmLayerSpectra}).
 * @throws {InvalidArgumentError} for invalid model arguments, layers out of range, `top` < 1, or
 *   `atOptimum` with the ReLU model.
 * @example
 * const r = await deepUfmSpectra({ K: 3, n: 2, d: [6, 5, 7], depth: 3, lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05, atOptimum: true });
 * r.layers[0].outliers; // nine copies of 0.2037454515 (oracle O1)
 * @see Garrod & Keating (2024) https://arxiv.org/abs/2404.06106
 */
export async function deepUfmSpectra(config: DeepUfmSpectraConfig): Promise<DeepUfmSpectraResult> {
  const model = config.model ?? 'deep-linear';
  if (model !== 'deep-linear' && model !== 'deep-relu') throw new InvalidArgumentError('model', `'deep-linear' or 'deep-relu'`, model);
  if (!Number.isInteger(config.n) || config.n < 1) throw new InvalidArgumentError('n', 'a positive integer', config.n);
  const seed = config.seed ?? 0;
  const atOptimum = config.atOptimum ?? false;
  if (atOptimum && model !== 'deep-linear') {
    throw new InvalidArgumentError('atOptimum', 'false for deep-relu (the closed form exists only for the linear model)', atOptimum);
  }
  const ufmConfig = { K: config.K, n: config.n, L: config.depth, widths: config.d, lambdaW: config.lambdaW, lambdaH: config.lambdaH };
  const theory = deepLinearUfmTheory(ufmConfig);
  const L = config.depth;
  const lambdaW = typeof config.lambdaW === 'number' ? new Array(L).fill(config.lambdaW) : Array.from(config.lambdaW);
  const dims = typeof config.d === 'number' ? new Array(L).fill(config.d) : Array.from(config.d);
  const layers = config.layers ?? Array.from({ length: L }, (_, i) => i + 1);
  layers.forEach((l) => {
    if (!Number.isInteger(l) || l < 1 || l > L) throw new InvalidArgumentError('layers', `integers in 1..depth = ${L}`, l);
  });
  if (config.top !== undefined && (!Number.isInteger(config.top) || config.top < 1)) throw new InvalidArgumentError('top', 'a positive integer', config.top);

  let point: DeepUfmPoint;
  let source: 'closed-form' | 'gradient-descent';
  let solverInfo: { steps: number; gradNorm: number; converged: boolean } | undefined;
  let objective: number;
  if (atOptimum) {
    const opt = deepLinearUfmOptimum({ ...ufmConfig, frame: 'random', seed, point: theory.xStar[0] === 0 && theory.xLargestRoot[0] !== null ? 'stationary' : 'global' });
    point = { weights: opt.weights, h: opt.h, labels: opt.labels, activation: 'linear' };
    source = 'closed-form';
    objective = opt.objective;
  } else {
    const { spec, layout } = objectiveSpec({ model, K: config.K, n: config.n, d: dims, depth: L, lambdaW, lambdaH: config.lambdaH });
    const f = makeObjective(spec);
    const rng = createRng(seed);
    const x0 = new Float64Array(layout.size);
    const scale = config.solver?.initScale ?? 1;
    layout.weights.forEach((b) => {
      const s = scale / Math.sqrt(b.cols);
      for (let i = 0; i < b.rows * b.cols; i++) x0[b.offset + i] = s * rng.normal();
    });
    for (let i = 0; i < layout.h.rows * layout.h.cols; i++) x0[layout.h.offset + i] = scale * rng.normal();
    const res = minimize(f, x0, { method: config.solver?.method ?? 'gd', lr: config.solver?.lr ?? (config.solver?.method === 'lbfgs' ? 1 : 0.1), maxSteps: config.solver?.steps ?? 20000, gradTol: 1e-12 });
    const params = unpackParams(res.x, layout);
    point = { weights: params.weights, h: params.h, labels: spec.classes.labels, activation: model === 'deep-relu' ? 'relu' : 'linear' };
    source = 'gradient-descent';
    objective = res.objective;
    solverInfo = { steps: res.steps, gradNorm: res.gradNorm, converged: res.converged };
  }
  const fw = deepUfmForward(point);
  const out = fw.inputs[L];
  let mse = 0;
  let scoreSum = 0;
  for (let i = 0; i < fw.N; i++) {
    for (let k = 0; k < fw.K; k++) {
      const y = fw.labels[i] === k ? 1 : 0;
      mse += (out.data[k * fw.N + i] - y) ** 2;
    }
    scoreSum += out.data[fw.labels[i] * fw.N + i];
  }
  mse /= 2 * fw.N;
  const outputScale = scoreSum / fw.N;
  const xPred = model === 'deep-linear' ? (theory.xStar[0] > 0 ? theory.xStar[0] : theory.xLargestRoot[0]) : null;

  const results: DeepUfmLayerSpectra[] = [];
  for (const l of layers) {
    results.push(await analyseLayer(point, l, lambdaW[l - 1], xPred, theory.tau[0] > 0 ? theory.tau[0] : null, config, seed));
  }
  return {
    config: { model, K: config.K, n: config.n, d: dims, depth: L, lambdaW, lambdaH: config.lambdaH, atOptimum, seed },
    theory: {
      b: theory.b[0], bGlobal: theory.thresholds.global, bLocal: theory.thresholds.local, xStar: theory.xStar[0],
      xLargestRoot: theory.xLargestRoot[0], tau: theory.tau[0], objective: theory.objective, regime: theory.regime[0],
    },
    point: { source, objective, mse, outputScale, ...(solverInfo ? { solver: solverInfo } : {}) },
    layers: results,
  };
}

async function analyseLayer(
  point: DeepUfmPoint,
  l: number,
  lambda: number,
  x: number | null,
  tauGlobal: number | null,
  config: DeepUfmSpectraConfig,
  seed: number,
): Promise<DeepUfmLayerSpectra> {
  const W: Matrix = point.weights[l - 1] as Matrix;
  const size = W.rows * W.cols;
  const K = point.weights[point.weights.length - 1].rows;
  const op = deepUfmLayerHessian(point, l);
  const linear = (point.activation ?? 'linear') === 'linear';
  let values: number[];
  let method: 'kronecker' | 'dense-eigh';
  if (linear) {
    values = deepLinearUfmLayerSpectrum(point, l).values;
    method = 'kronecker';
  } else {
    values = Array.from((await denseEigh(op, { returnVectors: false })).values);
    method = 'dense-eigh';
  }
  const top = values[0] ?? 0;
  const rank = values.filter((v) => v > 1e-8 * top).length;
  const det = detectOutliers(values, { maxOutliers: Math.min(size - 1, 4 * K * K) });
  const predicted = linear && x !== null ? (lambda * x) / (1 - x) : null;
  const maxRel = predicted !== null && det.count > 0 ? Math.max(...det.outliers.map((v) => Math.abs(v - predicted) / predicted)) : null;
  const k = Math.min(size, config.top ?? K * K + K);
  const lz = await lanczos(op, { k, seed, maxIter: Math.min(size, Math.max(3 * k, k + 40)) });
  // Top eigenspace: the first det.count Ritz vectors (all of them converge on the degenerate block).
  const nTop = Math.max(1, Math.min(det.count, lz.vectors.length));
  const topVectors = lz.vectors.slice(0, nTop);
  const grads = deepUfmLayerGradients(point, l);
  const norm2 = (v: Float64Array): number => v.reduce((a, b) => a + b * b, 0);
  const overlap = (g: Float64Array): number | null => (norm2(g) > 1e-30 && det.count > 0 ? subspaceFraction(g, topVectors) : null);
  const gradientOverlap = { label: overlap(grads.label), mse: overlap(grads.mse), weights: overlap(grads.weights) };
  const ext = deepUfmExtendedGradients(point, l);
  const dec = gaussNewtonDecomposition(ext, point.labels);
  const rankOf = (s: number[]): number => s.filter((v) => v > 1e-8 * top).length;
  const knock = (terms: { rows: readonly Float64Array[]; weights: Float64Array }[]): number => {
    const rows = terms.flatMap((t) => [...t.rows]);
    const w = terms.flatMap((t) => Array.from(t.weights));
    return rankOf(outerProductSpectrum(rows, w));
  };
  const meanG = new Float64Array(size);
  grads.perSample.forEach((g) => g.forEach((v, j) => { meanG[j] += v / grads.perSample.length; }));
  const gcSpec = outerProductSpectrum(grads.perSample.map((g) => g.map((v, j) => v - meanG[j])), 1 / grads.perSample.length);
  const gcTop = gcSpec[0] ?? 0;
  const ws = weightSpectrum(W);
  const wsRank = ws.numericalRank;
  let density: DeepUfmLayerSpectra['density'];
  if (config.density !== false) {
    const d = await spectralDensity(op, { runs: config.density?.runs ?? 4, steps: Math.min(size, config.density?.steps ?? 40), gridPoints: config.density?.gridPoints ?? 400, seed });
    density = { grid: Array.from(d.grid), density: Array.from(d.density), sigma: d.sigma };
  }
  return {
    layer: l,
    shape: [W.rows, W.cols],
    outliers: det.outliers,
    countMatches: compareOutlierCount(det.count, K).matches,
    bulkSize: size - det.count,
    rank,
    outlierClusters: clusterEigenvalues(det.outliers, 1e-6).map((c) => ({ value: c.value, multiplicity: c.multiplicity })),
    predictedOutlier: predicted,
    maxRelativeError: maxRel,
    method,
    lanczos: { values: Array.from(lz.values), residuals: Array.from(lz.residuals), iterations: lz.iterations, converged: lz.converged },
    regularised: {
      outliers: det.outliers.map((v) => v + lambda),
      bulkValue: lambda + (det.bulk[0] ?? 0),
      predictedOutlier: linear && x !== null ? lambda / (1 - x) : null,
    },
    decomposition: {
      classRank: dec.classTerm.rank,
      crossRank: dec.crossTerm.rank,
      withinMax: dec.withinTerm.eigenvalues[0] ?? 0,
      classEigenvalues: dec.classTerm.eigenvalues.filter((v) => v > 1e-8 * top),
      crossEigenvalues: dec.crossTerm.eigenvalues.filter((v) => v > 1e-8 * top),
      knockoutRanks: {
        withoutWithin: knock([dec.classTerm, dec.crossTerm]),
        withoutClass: knock([dec.crossTerm, dec.withinTerm]),
        withoutCross: knock([dec.classTerm, dec.withinTerm]),
      },
    },
    gradientOverlap,
    gradientCovariance: gcSpec.filter((v) => v > 1e-8 * Math.max(gcTop, Number.MIN_VALUE)),
    weights: {
      singularValues: ws.singularValues.slice(0, Math.max(wsRank, 1)),
      numericalRank: wsRank,
      stableRank: ws.stableRank,
      predictedSquaredSingularValue: linear && tauGlobal !== null ? tauGlobal / lambda : null,
    },
    ...(density ? { density } : {}),
  };
}

/**
 * The JSON document of the `nclab spectra ufm` command: snake_case keys, `layers: [{ layer,
 * outliers, bulk_size, rank, … }]` as the CLI contract asks.
 *
 * @param result - a {@link deepUfmSpectra} result.
 * @returns a plain JSON-serialisable object.
 * @example
 * JSON.stringify(deepUfmSpectraJson(await deepUfmSpectra(config)), null, 2);
 */
export function deepUfmSpectraJson(result: DeepUfmSpectraResult): Record<string, unknown> {
  return {
    config: { ...result.config, lambda_w: result.config.lambdaW, lambda_h: result.config.lambdaH, at_optimum: result.config.atOptimum },
    theory: {
      b: result.theory.b, b_global: result.theory.bGlobal, b_local: result.theory.bLocal, x_star: result.theory.xStar,
      x_largest_root: result.theory.xLargestRoot, tau: result.theory.tau, objective: result.theory.objective, regime: result.theory.regime,
    },
    point: { ...result.point, output_scale: result.point.outputScale },
    layers: result.layers.map((r) => ({
      layer: r.layer,
      shape: r.shape,
      outliers: r.outliers,
      count_matches: r.countMatches,
      bulk_size: r.bulkSize,
      rank: r.rank,
      outlier_clusters: r.outlierClusters,
      predicted_outlier: r.predictedOutlier,
      max_relative_error: r.maxRelativeError,
      method: r.method,
      lanczos: r.lanczos,
      regularised: { outliers: r.regularised.outliers, bulk_value: r.regularised.bulkValue, predicted_outlier: r.regularised.predictedOutlier },
      decomposition: {
        class_rank: r.decomposition.classRank,
        cross_rank: r.decomposition.crossRank,
        within_max: r.decomposition.withinMax,
        class_eigenvalues: r.decomposition.classEigenvalues,
        cross_eigenvalues: r.decomposition.crossEigenvalues,
        knockout_ranks: {
          without_within: r.decomposition.knockoutRanks.withoutWithin,
          without_class: r.decomposition.knockoutRanks.withoutClass,
          without_cross: r.decomposition.knockoutRanks.withoutCross,
        },
      },
      gradient_overlap: r.gradientOverlap,
      gradient_covariance: r.gradientCovariance,
      weights: {
        singular_values: r.weights.singularValues,
        numerical_rank: r.weights.numericalRank,
        stable_rank: r.weights.stableRank,
        predicted_squared_singular_value: r.weights.predictedSquaredSingularValue,
      },
      ...(r.density ? { density: r.density } : {}),
    })),
  };
}
