import { InvalidArgumentError, assertInteger, assertPositive } from '@nclab/backend/host';
import { classLayout, type ClassLayout, type ParamLayout } from './layout.js';
import { specLayout, type ObjectiveSpec, type UfmBias } from './objective.js';

/**
 * The models, each in its paper's exact scaling (N = Σ_k n_k, = Kn when balanced):
 *
 * | model | objective |
 * | --- | --- |
 * | `mse` | 1/(2N)‖WH + b1ᵀ − Y‖² + λ_W/(2K)‖W‖² + λ_H/(2N)‖H‖² (+ λ_b/2‖b‖²) — Tirer & Bruna 2022 §2.1 |
 * | `ce` | (1/N)Σ_i CE(Wh_i + b, y_i) + λ_W/2‖W‖² + λ_H/2‖H‖² (+ λ_b/2‖b‖²) — Zhu et al. 2021 |
 * | `extended-linear` | 1/(2N)‖W_2W_1H_1 − Y‖² + λ_{W_2}/(2K)‖W_2‖² + λ_{W_1}/(2K)‖W_1‖² + λ_{H_1}/(2N)‖H_1‖² — eq. (23) |
 * | `extended-relu` | the same with W_2σ(W_1H_1), σ = ReLU — eq. (24) |
 * | `deep-linear` | 1/(2N)‖W_L⋯W_1H_1 − Y‖² + Σ_l λ_{W_l}/2‖W_l‖² + λ_{H_1}/2‖H_1‖² — Garrod & Keating 2024 eq. (1) |
 * | `deep-relu` | the same with W_Lσ(W_{L−1}σ(⋯σ(W_1H_1))) — Súkeník et al. 2023 (DUFM) |
 */
export type UfmModel = 'mse' | 'ce' | 'extended-linear' | 'extended-relu' | 'deep-linear' | 'deep-relu';

/** All model names, in CLI order. */
export const UFM_MODELS: readonly UfmModel[] = ['mse', 'ce', 'extended-linear', 'extended-relu', 'deep-linear', 'deep-relu'];

/** The deep models (L ≥ 1 weight layers on free features H_1): what the deep-UFM spectra analyse. */
export const DEEP_UFM_MODELS = ['deep-linear', 'deep-relu'] as const satisfies readonly UfmModel[];

/** One of {@link DEEP_UFM_MODELS}. */
export type DeepUfmModel = (typeof DEEP_UFM_MODELS)[number];

/** The model part of a UFM configuration (no solver settings). */
export interface UfmModelConfig {
  model: UfmModel;
  /** Number of classes K ≥ 2. */
  K: number;
  /** Samples per class: n, or K counts n_k (class imbalance). */
  n: number | readonly number[];
  /**
   * Feature widths: `mse`/`ce`: d (the width of H); extended models: d or [d_1, d_2] (H_1 ∈ R^{d_1×N},
   * W_1 ∈ R^{d_2×d_1}); deep models: d (every layer) or [d_1, …, d_L]. Each ≥ K.
   */
  d: number | readonly number[];
  /** Number of weight layers L for the deep models (default 3); fixed to 1 (mse, ce) and 2 (extended). */
  depth?: number;
  /** λ_W for every weight layer, or one per layer [λ_{W_1}, …, λ_{W_L}]. */
  lambdaW: number | readonly number[];
  /** λ_H (features). Default: λ_W when that is a single number. */
  lambdaH?: number;
  /** λ_b; giving it selects bias 'regularized' unless `bias` says otherwise. */
  lambdaB?: number;
  /**
   * 'none' (bias-free), 'free' (unregularised bias, λ_b = 0) or 'regularized' (λ_b/2‖b‖²).
   * Default: 'regularized' when lambdaB is given, else 'none' — except `ce`, whose default is
   * 'regularized' with λ_b = λ_W (Zhu et al.'s weight decay on W, H and b).
   */
  bias?: UfmBias;
}

/** A validated model configuration with every default filled in. */
export interface ResolvedModelConfig {
  readonly model: UfmModel;
  readonly K: number;
  readonly classes: ClassLayout;
  readonly depth: number;
  /** [d_1, …, d_L]. */
  readonly dims: number[];
  /** [λ_{W_1}, …, λ_{W_L}] in the model's own scaling. */
  readonly lambdaW: number[];
  readonly lambdaH: number;
  readonly bias: UfmBias;
  readonly lambdaB: number;
  /** Warnings that do not stop the run (e.g. widths below K). */
  readonly warnings: string[];
}

function isRelu(m: UfmModel): boolean {
  return m === 'extended-relu' || m === 'deep-relu';
}

/**
 * True for models whose chain is linear (mse, ce, extended-linear, deep-linear).
 * @param m - model name. @returns whether no ReLU sits between the weight layers.
 */
export function isLinearModel(m: UfmModel): boolean {
  return !isRelu(m);
}

/**
 * Validates a model configuration and fills in the defaults.
 * @param c - the model configuration.
 * @returns the resolved configuration (per-layer widths and λ's, class layout, bias, warnings).
 * @example
 * resolveModelConfig({ model: 'deep-linear', K: 3, n: 2, d: 6, lambdaW: 0.1 }).dims; // returns [6, 6, 6]
 * @throws {InvalidArgumentError} naming the option (`model`, `K`, `lambdaW`, …; the CLI maps it to its flag): unknown model,
 *   K < 2, n < 1, depth < 1, negative λ, a width list of the wrong length, a bias on a bias-free model.
 */
export function resolveModelConfig(c: UfmModelConfig): ResolvedModelConfig {
  if (!UFM_MODELS.includes(c.model)) {
    throw new InvalidArgumentError('model', `one of ${UFM_MODELS.join(', ')}`, c.model);
  }
  const classes = classLayout(c.K, c.n);
  const K = c.K;
  let depth: number;
  if (c.model === 'mse' || c.model === 'ce') depth = 1;
  else if (c.model === 'extended-linear' || c.model === 'extended-relu') depth = 2;
  else {
    depth = c.depth ?? (Array.isArray(c.d) ? c.d.length : 3);
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
      throw new InvalidArgumentError('depth', 'an integer ≥ 1 (number of weight layers)', depth);
    }
  }
  if (c.depth !== undefined && (c.model === 'mse' || c.model === 'ce' || c.model.startsWith('extended')) && c.depth !== depth) {
    throw new InvalidArgumentError('depth', `${depth} for model ${c.model} (or omitted)`, c.depth);
  }
  const dims = typeof c.d === 'number' ? new Array(depth).fill(c.d) : Array.from(c.d as readonly number[]);
  if (dims.length !== depth) throw new InvalidArgumentError('d', `a number or ${depth} widths (one per weight layer)`, c.d);
  const warnings: string[] = [];
  dims.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1) throw new InvalidArgumentError('d', 'positive integer widths', c.d);
    if (w < K) warnings.push(`width d_${i + 1} = ${w} is below K = ${K}: collapse to an orthogonal frame needs d ≥ K, and the closed forms do not apply`);
  });
  const lw = typeof c.lambdaW === 'number' ? new Array(depth).fill(c.lambdaW) : Array.from(c.lambdaW as readonly number[]);
  if (lw.length !== depth) throw new InvalidArgumentError('lambdaW', `a number or ${depth} values (one per weight layer)`, c.lambdaW);
  lw.forEach((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError('lambdaW', 'non-negative finite numbers', c.lambdaW);
  });
  let lambdaH = c.lambdaH;
  if (lambdaH === undefined) {
    if (typeof c.lambdaW !== 'number') throw new InvalidArgumentError('lambdaH', 'given when lambdaW is per layer', undefined);
    lambdaH = c.lambdaW;
  }
  if (typeof lambdaH !== 'number' || !Number.isFinite(lambdaH) || lambdaH < 0) {
    throw new InvalidArgumentError('lambdaH', 'a non-negative finite number', lambdaH);
  }
  let bias: UfmBias = c.bias ?? (c.lambdaB !== undefined ? 'regularized' : c.model === 'ce' ? 'regularized' : 'none');
  if (!['none', 'free', 'regularized'].includes(bias)) throw new InvalidArgumentError('bias', "'none', 'free' or 'regularized'", bias);
  let lambdaB = 0;
  if (bias === 'regularized') {
    lambdaB = c.lambdaB ?? (c.model === 'ce' ? lw[lw.length - 1] : NaN);
    if (Number.isNaN(lambdaB)) throw new InvalidArgumentError('lambdaB', "given when bias is 'regularized'", c.lambdaB);
    assertPositive('lambdaB', lambdaB, true);
    if (lambdaB === 0) bias = 'free';
  } else if (c.lambdaB !== undefined) {
    throw new InvalidArgumentError('lambdaB', `omitted when bias is '${bias}'`, c.lambdaB);
  }
  assertInteger('depth', depth, 1);
  return { model: c.model, K, classes, depth, dims, lambdaW: lw, lambdaH, bias, lambdaB, warnings };
}

/** The objective spec and flat layout of a resolved configuration. */
export interface ModelObjective {
  readonly config: ResolvedModelConfig;
  readonly spec: ObjectiveSpec;
  readonly layout: ParamLayout;
}

/**
 * Turns a model configuration into the scaled objective the solvers minimise (coefficients as in
 * the table of {@link UfmModel}).
 * @param c - a model configuration (or an already resolved one).
 * @returns the resolved config, the objective spec and the flat parameter layout.
 * @example
 * objectiveSpec({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1 }).spec.weightCoefs; // returns [0.0125] (λ_W/(2K))
 * @throws {InvalidArgumentError} as {@link resolveModelConfig}.
 */
export function objectiveSpec(c: UfmModelConfig | ResolvedModelConfig): ModelObjective {
  const r = 'classes' in c ? c : resolveModelConfig(c);
  const { K, classes, dims, lambdaW, lambdaH, model } = r;
  const N = classes.N;
  const perK = model === 'mse' || model.startsWith('extended');
  const spec: ObjectiveSpec = {
    classes,
    dims,
    loss: model === 'ce' ? 'ce' : 'mse',
    activation: isRelu(model) ? 'relu' : 'linear',
    bias: r.bias,
    dataCoef: model === 'ce' ? 1 / N : 1 / (2 * N),
    weightCoefs: lambdaW.map((l) => (perK ? l / (2 * K) : l / 2)),
    featureCoef: perK ? lambdaH / (2 * N) : lambdaH / 2,
    biasCoef: r.bias === 'regularized' ? r.lambdaB / 2 : 0,
  };
  return { config: r, spec, layout: specLayout(spec) };
}

/**
 * The same model's λ's in the deep-linear-UFM scaling (1/(2N) data term, λ/2 penalties), which the
 * closed forms use: mse/extended: λ_{W_l}/K and λ_H/N; deep: unchanged. (ce has no such map.)
 */
export function deepScaledLambdas(r: ResolvedModelConfig): { lambdaW: number[]; lambdaH: number } {
  const perK = r.model === 'mse' || r.model.startsWith('extended');
  return perK
    ? { lambdaW: r.lambdaW.map((l) => l / r.K), lambdaH: r.lambdaH / r.classes.N }
    : { lambdaW: [...r.lambdaW], lambdaH: r.lambdaH };
}
