import { InvalidArgumentError, assertInteger, assertPositive } from '@nclab/backend/host';
import { assertOptionsObject } from './scalar.js';

/** Options of {@link mseUfmTheory} (extended-UFM §2.1 scaling, balanced classes). */
export interface MseUfmTheoryConfig {
  /** Number of classes K ≥ 2. */
  K: number;
  /** λ_W > 0. */
  lambdaW: number;
  /** λ_H > 0. */
  lambdaH: number;
  /** 'none' (Thm 3.1), 'free' (Thm 3.2, λ_b = 0) or 'regularized' (λ_b/2‖b‖², derived closed form). */
  bias: 'none' | 'free' | 'regularized';
  /** λ_b > 0 for bias 'regularized'. */
  lambdaB?: number;
}

/** The predicted global minimiser of the MSE UFM (every class mean has the same norm; W = √(λ_H/λ_W) H̄ᵀ). */
export interface MseUfmTheory {
  /** c = √(λ_H λ_W); the non-zero solution exists iff c < 1 (threshold independent of K and n). */
  readonly c: number;
  /** 'orthogonal-frame' (Thm 3.1), 'simplex-etf' (Thm 3.2 and λ_b ≤ c/(1−c)), 'etf-plus-mean' (λ_b > c/(1−c)) or 'zero'. */
  readonly geometry: 'orthogonal-frame' | 'simplex-etf' | 'etf-plus-mean' | 'zero';
  /** Minimal objective f*. */
  readonly objective: number;
  /** ‖h̄_k‖² (equal for all k). */
  readonly classMeanSqNorm: number;
  /** h̄_kᵀh̄_{k'} for k ≠ k'. */
  readonly classMeanInner: number;
  /** ‖h_G‖² of the global mean h_G = (1/K)Σ_k h̄_k. */
  readonly globalMeanSqNorm: number;
  /** ‖w_k‖² (rows of W). */
  readonly weightRowSqNorm: number;
  /** w_kᵀw_{k'} for k ≠ k'. */
  readonly weightRowInner: number;
  /** Every entry of b (0 when bias-free). */
  readonly bias: number;
  /** Output W h̄_k + b: entry k (correct class) and any other entry. */
  readonly logitCorrect: number;
  readonly logitOther: number;
  /** The ratio r in W = r H̄ᵀ: √(λ_H/λ_W). */
  readonly alignment: number;
}

/**
 * Closed-form global minimiser of the regularised-MSE UFM (d ≥ K, balanced classes), scaling
 *
 * ```math
 * f = 1/(2Kn)‖WH + b1ᵀ − Y‖_F² + λ_W/(2K)‖W‖_F² + λ_H/(2Kn)‖H‖_F² (+ λ_b/2 ‖b‖²),   c = √(λ_H λ_W)
 * ```
 *
 * - bias 'none' (Thm 3.1): H̄ᵀH̄ = ρ I_K with ρ = (1−c)√(λ_W/λ_H); f* = c − c²/2 (c ≤ 1), ½ (c > 1).
 * - bias 'free' (Thm 3.2): b = 1/K·1, H̄ᵀH̄ = (1−c)√(λ_W/λ_H)(I − J/K); f* = ((K−1)/K)(c − c²/2).
 * - bias 'regularized' (derived in the notes §3.3): for λ_b ≤ c/(1−c) the Thm 3.2 ETF with b = 1/(K(1+λ_b));
 *   above it H̄ᵀH̄ = √(λ_W/λ_H)[(1−c)(I − J/K) + t₁J/K], t₁ = 1 − c − c/λ_b, b = c/(Kλ_b).
 *
 * @param config - K, lambdaW, lambdaH, bias and (for 'regularized') lambdaB.
 * @returns norms, inner products, bias, logits and f* of the global minimiser.
 * @throws {InvalidArgumentError} for K < 2, non-positive λ's, an unknown bias or a missing lambdaB.
 * @example
 * mseUfmTheory({ K: 4, lambdaW: 0.1, lambdaH: 0.1, bias: 'free' }).objective; // returns 0.07125
 * @see https://arxiv.org/abs/2202.08087 (Tirer & Bruna 2022, Thms 3.1, 3.2)
 */
export function mseUfmTheory(config: MseUfmTheoryConfig): MseUfmTheory {
  assertOptionsObject('config', config);
  const { K, lambdaW, lambdaH, bias } = config;
  assertInteger('K', K, 2);
  assertPositive('lambdaW', lambdaW);
  assertPositive('lambdaH', lambdaH);
  const c = Math.sqrt(lambdaH * lambdaW);
  const s = Math.sqrt(lambdaW / lambdaH);
  const r = Math.sqrt(lambdaH / lambdaW);
  const on = c < 1;
  const base = ((K - 1) / K) * (on ? c - (c * c) / 2 : 0.5);
  // Gram of the class means from its I and J/K coefficients: H̄ᵀH̄ = s[p(I − J/K) + q J/K].
  const from = (p: number, q: number, b: number, objective: number, geometry: MseUfmTheory['geometry']): MseUfmTheory => {
    const diag = s * (p * (K - 1) / K + q / K);
    const off = s * (-p / K + q / K);
    return {
      c, geometry, objective,
      classMeanSqNorm: diag,
      classMeanInner: off,
      globalMeanSqNorm: (s * q) / K,
      weightRowSqNorm: (r * r) * diag,
      weightRowInner: (r * r) * off,
      bias: b,
      logitCorrect: r * diag + b,
      logitOther: r * off + b,
      alignment: r,
    };
  };
  if (bias === 'none') {
    return on ? from(1 - c, 1 - c, 0, c - (c * c) / 2, 'orthogonal-frame') : from(0, 0, 0, 0.5, 'zero');
  }
  if (bias === 'free') {
    return from(on ? 1 - c : 0, 0, 1 / K, base, on ? 'simplex-etf' : 'zero');
  }
  if (bias !== 'regularized') throw new InvalidArgumentError('bias', "'none', 'free' or 'regularized'", bias);
  const lb = config.lambdaB;
  if (lb === undefined) throw new InvalidArgumentError('lambdaB', "a positive number for bias 'regularized'", lb);
  assertPositive('lambdaB', lb);
  if (!on || lb <= c / (1 - c)) {
    const t2 = 1 / (1 + lb);
    return from(on ? 1 - c : 0, 0, t2 / K, base + lb / (2 * K * (1 + lb)), on ? 'simplex-etf' : 'zero');
  }
  const t1 = 1 - c - c / lb;
  return from(1 - c, t1, c / (K * lb), base + (2 * c - c * c - (c * c) / lb) / (2 * K), 'etf-plus-mean');
}
