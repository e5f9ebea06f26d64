import { deepScaledLambdas, isLinearModel, objectiveSpec, type ResolvedModelConfig, type UfmModelConfig } from '../models.js';
import { ceUfmTheory, type CeUfmTheory } from './ce.js';
import { deepLinearUfmOptimum, deepLinearUfmTheory, type DeepLinearUfmConstants } from './deep-linear.js';
import type { UfmParams } from '../layout.js';
import { extendedLinearUfmTheory, type ExtendedLinearTheory } from './extended.js';
import { mseUfmTheory, type MseUfmTheory } from './mse.js';
import { assertOptionsObject } from './scalar.js';

/** The closed form a configuration is compared with. */
export type UfmTheory =
  | {
      /** Deep-linear family: mse (bias-free), extended-linear, deep-linear; extended-relu uses the same value (Thm 4.2). */
      readonly kind: 'deep-linear';
      /** Predicted global objective in the model's own scaling. */
      readonly objective: number;
      readonly deepLinear: DeepLinearUfmConstants;
      /** The two-layer constants (extended models, balanced classes). */
      readonly extended: ExtendedLinearTheory | null;
      /** Thm 3.1 quantities (mse, balanced classes). */
      readonly mse: MseUfmTheory | null;
      /** True for extended-relu: the value holds under the paper's nuclear-norm assumption ‖σ(W₁H₁)‖_* = ‖W₁H₁‖_*. */
      readonly assumesNuclearNormEquality: boolean;
    }
  | { readonly kind: 'mse-bias'; readonly objective: number; readonly mse: MseUfmTheory }
  | { readonly kind: 'ce'; readonly objective: number; readonly ce: CeUfmTheory }
  | {
      /**
       * Deep ReLU UFM: no closed-form optimum (for K ≥ 3 or L ≥ 3 lower-rank solutions can beat DNC);
       * the DNC reference point (the deep linear optimum on non-negative frames) is given instead.
       */
      readonly kind: 'dnc-reference';
      readonly objective: null;
      readonly dncObjective: number;
      readonly deepLinear: DeepLinearUfmConstants;
    };

/**
 * The predicted optimum and objective of a UFM configuration, or null where no closed form exists
 * (class imbalance with a bias or with cross-entropy, biases on deep models, widths below K, λ = 0).
 *
 * - mse, bias 'none' / extended-linear / deep-linear: the deep linear UFM closed form (per class, so
 *   class imbalance is covered), after converting λ's to the deep scaling (λ_W/K, λ_H/N for the
 *   extended-UFM scaling).
 * - mse, bias 'free' / 'regularized' (balanced): Thm 3.2 / the regularised-bias closed form.
 * - ce (balanced): the simplex-ETF closed form.
 * - extended-relu: the linear model's optimum value (Thm 4.2, under its nuclear-norm assumption).
 * - deep-relu: `kind: 'dnc-reference'` with the DNC objective and `objective: null`.
 *
 * @param config - the model configuration (as for solveUfm).
 * @returns the theory record or null.
 * @throws {InvalidArgumentError} for an invalid configuration.
 * @example
 * theory({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1, lambdaH: 0.1 })?.objective; // returns 0.095
 */
export function theory(config: UfmModelConfig | ResolvedModelConfig): UfmTheory | null {
  assertOptionsObject('config', config);
  const r = objectiveSpec(config).config;
  const { model, K, classes, dims, bias } = r;
  if (dims.some((d) => d < K)) return null;
  if (r.lambdaW.some((l) => l <= 0) || r.lambdaH <= 0) return null;
  const n = classes.counts[0];
  if (model === 'ce') {
    if (!classes.balanced) return null;
    const ce = ceUfmTheory({ K, n, lambdaW: r.lambdaW[0], lambdaH: r.lambdaH });
    return { kind: 'ce', objective: ce.objective, ce };
  }
  if (bias !== 'none') {
    if (model !== 'mse' || !classes.balanced) return null;
    const mse = mseUfmTheory({ K, lambdaW: r.lambdaW[0], lambdaH: r.lambdaH, bias, lambdaB: bias === 'regularized' ? r.lambdaB : undefined });
    return { kind: 'mse-bias', objective: mse.objective, mse };
  }
  const scaled = deepScaledLambdas(r);
  const deepLinear = deepLinearUfmTheory({ K, n: classes.counts, L: r.depth, widths: dims, lambdaW: scaled.lambdaW, lambdaH: scaled.lambdaH });
  if (model === 'deep-relu') {
    return { kind: 'dnc-reference', objective: null, dncObjective: deepLinear.objective, deepLinear };
  }
  const extended = model.startsWith('extended') && classes.balanced
    ? extendedLinearUfmTheory({ lambdaW2: r.lambdaW[1], lambdaW1: r.lambdaW[0], lambdaH1: r.lambdaH })
    : null;
  const mse = model === 'mse' && classes.balanced
    ? mseUfmTheory({ K, lambdaW: r.lambdaW[0], lambdaH: r.lambdaH, bias: 'none' })
    : null;
  return { kind: 'deep-linear', objective: deepLinear.objective, deepLinear, extended, mse, assumesNuclearNormEquality: !isLinearModel(model) };
}

/**
 * The DNC reference point of a bias-free model with widths ≥ K: the deep linear closed-form optimum
 * on canonical (non-negative) orthogonal frames, in the model's own scaling. Every feature layer is an
 * orthogonal frame of non-negative vectors, so ReLU leaves it unchanged: for `extended-relu` and
 * `deep-relu` it is a DNC stationary point with the deep-linear objective (the reference the low-rank
 * solutions are compared with).
 *
 * @param config - a bias-free model configuration other than `ce`.
 * @returns W_1 … W_L, H_1 (bias null), or null when a width is below K or a λ is 0.
 * @throws {InvalidArgumentError} for an invalid configuration.
 * @example
 * const p = dncReferencePoint({ model: 'deep-relu', K: 3, n: 2, d: 6, depth: 3, lambdaW: 0.01 });
 * p?.weights.length; // returns 3
 */
export function dncReferencePoint(config: UfmModelConfig | ResolvedModelConfig): UfmParams | null {
  assertOptionsObject('config', config);
  const r = objectiveSpec(config).config;
  if (r.model === 'ce' || r.bias !== 'none') return null;
  if (r.dims.some((d) => d < r.K) || r.lambdaW.some((l) => l <= 0) || r.lambdaH <= 0) return null;
  const s = deepScaledLambdas(r);
  const opt = deepLinearUfmOptimum({ K: r.K, n: r.classes.counts, L: r.depth, widths: r.dims, lambdaW: s.lambdaW, lambdaH: s.lambdaH, frame: 'canonical' });
  return { weights: opt.weights, h: opt.h, bias: null };
}
