/**
 * The deep UFM whose layer Hessians the spectra jobs analyse: the closed-form optimum of
 * `@nclab/ufm` (or a gradient-descent solution of its objective), handed as matrices to
 * `@nclab/spectra`'s per-layer analysis. This composition of the two libraries lives here, so
 * neither depends on the other.
 */
import { InvalidArgumentError, createRng, type LinalgRequest } from '@nclab/backend';
import { deepUfmForward, deepUfmLayerSpectra, type DeepUfmLayerSpectra, type DeepUfmPoint } from '@nclab/spectra';
import {
  deepLinearUfmOptimum,
  deepLinearUfmTheory,
  makeObjective,
  minimize,
  objectiveSpec,
  unpackParams,
  type DeepUfmModel,
} from '@nclab/ufm';

/** Configuration of {@link deepUfmSpectra} (the `nclab spectra ufm` command). */
export interface DeepUfmSpectraConfig {
  /** `'deep-linear'` (default) or `'deep-relu'`. */
  model?: DeepUfmModel;
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
  /** Float64 path of the objective's products (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  linalg?: LinalgRequest;
}

/** Result of {@link deepUfmSpectra}. */
export interface DeepUfmSpectraResult {
  readonly config: {
    model: DeepUfmModel; K: number; n: number; d: number[]; depth: number;
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
    const f = makeObjective(spec, { linalg: config.linalg });
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
    results.push(await deepUfmLayerSpectra(point, l, { lambda: lambdaW[l - 1], x: xPred, tauGlobal: theory.tau[0] > 0 ? theory.tau[0] : null, top: config.top, density: config.density, seed }));
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

