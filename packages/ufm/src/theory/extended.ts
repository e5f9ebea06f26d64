import { assertPositive } from '@nclab/backend/host';
import { assertOptionsObject, bisect } from './scalar.js';

/** Options of {@link extendedLinearUfmTheory} (extended-UFM eq. 23 scaling). */
export interface ExtendedLinearTheoryConfig {
  lambdaW2: number;
  lambdaW1: number;
  lambdaH1: number;
}

/** Closed-form constants of the two-layer linear extended UFM. */
export interface ExtendedLinearTheory {
  /** μ = (λ_{W2}λ_{W1}λ_{H1})^{1/3}. */
  readonly mu: number;
  /** Largest root u of u⁴ − u + μ = 0 in ((1/4)^{1/3}, 1), or null when μ > 3·4^{−4/3} (no non-zero stationary point). */
  readonly u: number | null;
  /** True when the non-zero point is the global minimum: λ_{W2}λ_{W1}λ_{H1} < 1/16. */
  readonly nonzeroIsGlobal: boolean;
  /** σ = u³: W_2W_1H̄_1 = σ I_K at the global minimum (0 when zero is global). */
  readonly sigma: number;
  /** ‖w2_k‖² = a² = μσ^{2/3}/λ_{W2}. */
  readonly w2RowSqNorm: number;
  /** K equal non-zero squared singular values of W_1: b² = μσ^{2/3}/λ_{W1}. */
  readonly w1SqSingularValue: number;
  /** ‖h̄1_k‖² = c₁² = μσ^{2/3}/λ_{H1}. */
  readonly h1ClassMeanSqNorm: number;
  /** ‖h̄2_k‖² = b²c₁². */
  readonly h2ClassMeanSqNorm: number;
  /** Global objective: ½[1 + u³ − 2u⁶] or ½. */
  readonly objective: number;
  /** Objective of the non-zero stationary point (null when none exists). */
  readonly nonzeroObjective: number | null;
}

/**
 * Closed form of the linear extended UFM (Tirer & Bruna eq. 23, constants derived in the notes §3.4):
 *
 * ```math
 * f = 1/(2Kn)‖W_2W_1H_1 − Y‖² + λ_{W2}/(2K)‖W_2‖² + λ_{W1}/(2K)‖W_1‖² + λ_{H1}/(2Kn)‖H_1‖²
 * u⁴ − u + μ = 0,  μ = (λ_{W2}λ_{W1}λ_{H1})^{1/3},  σ = u³,  f* = ½(1 + u³ − 2u⁶)
 * ```
 *
 * The non-zero point exists iff μ ≤ 3·4^{−4/3} ≈ 0.47247 and is global iff λ_{W2}λ_{W1}λ_{H1} < 1/16.
 *
 * @throws {InvalidArgumentError} for a non-positive λ.
 * @example
 * extendedLinearUfmTheory({ lambdaW2: 0.05, lambdaW1: 0.05, lambdaH1: 0.05 }).objective; // returns 0.07372831…
 * @see https://arxiv.org/abs/2202.08087 (Thm 4.1)
 */
export function extendedLinearUfmTheory(config: ExtendedLinearTheoryConfig): ExtendedLinearTheory {
  assertOptionsObject('config', config);
  const { lambdaW2, lambdaW1, lambdaH1 } = config;
  assertPositive('lambdaW2', lambdaW2);
  assertPositive('lambdaW1', lambdaW1);
  assertPositive('lambdaH1', lambdaH1);
  const mu = Math.cbrt(lambdaW2 * lambdaW1 * lambdaH1);
  const um = Math.cbrt(0.25);
  const h = (u: number): number => u - u ** 4 - mu;
  const u = h(um) < 0 ? null : bisect(h, um, 1);
  const nonzeroObjective = u === null ? null : 0.5 * (1 + u ** 3 - 2 * u ** 6);
  const nonzeroIsGlobal = u !== null && lambdaW2 * lambdaW1 * lambdaH1 < 1 / 16;
  const uu = nonzeroIsGlobal ? (u as number) : 0;
  const common = mu * uu * uu;
  return {
    mu, u, nonzeroIsGlobal,
    sigma: uu ** 3,
    w2RowSqNorm: common / lambdaW2,
    w1SqSingularValue: common / lambdaW1,
    h1ClassMeanSqNorm: common / lambdaH1,
    h2ClassMeanSqNorm: (common / lambdaW1) * (common / lambdaH1),
    objective: nonzeroIsGlobal ? (nonzeroObjective as number) : 0.5,
    nonzeroObjective,
  };
}
