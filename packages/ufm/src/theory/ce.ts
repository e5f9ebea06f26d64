import { assertInteger, assertPositive } from '@nclab/backend/host';
import { assertOptionsObject } from './scalar.js';

/** Options of {@link ceUfmTheory} (Zhu et al. scaling, balanced classes). */
export interface CeUfmTheoryConfig {
  K: number;
  /** Samples per class. */
  n: number;
  lambdaW: number;
  lambdaH: number;
}

/** The predicted global minimiser of the cross-entropy UFM. */
export interface CeUfmTheory {
  /** c' = √(n λ_W λ_H); the non-zero solution exists iff K c' < 1. */
  readonly c: number;
  /** Logit margin m* = z_kk − z_kj = log((1 − (K−1)c')/c') (0 when K c' ≥ 1). */
  readonly margin: number;
  /** Minimal objective log(1 + (K−1)e^{−m}) + c'(K−1)m (log K when zero is optimal). */
  readonly objective: number;
  /** ‖h̄_k‖² = √(λ_W/(nλ_H)) m (K−1)/K; class means form a simplex ETF (inner product −‖h̄‖²/(K−1)). */
  readonly classMeanSqNorm: number;
  /** ‖w_k‖² = √(nλ_H/λ_W) m (K−1)/K; W = √(nλ_H/λ_W) H̄ᵀ. */
  readonly weightRowSqNorm: number;
}

/**
 * Closed form of the cross-entropy UFM with weight decay on W, H and b (derived here from the
 * nuclear-norm reduction; Zhu et al. 2021 show the minimisers are simplex ETFs with b = 0):
 *
 * ```math
 * f = (1/N) Σ_i CE(W h_i + b, y_i) + λ_W/2‖W‖² + λ_H/2‖H‖² + λ_b/2‖b‖²
 * min over W H̄ = m(I − J/K):  log(1 + (K−1)e^{−m}) + √(nλ_Wλ_H)(K−1) m  ⇒  m* = log((1 − (K−1)c')/c')
 * ```
 *
 * @throws {InvalidArgumentError} for K < 2, n < 1 or non-positive λ's.
 * @example
 * ceUfmTheory({ K: 4, n: 5, lambdaW: 0.01, lambdaH: 0.01 }).margin; // returns log((1 − 3c')/c'), c' = √5·1e-2
 * @see https://arxiv.org/abs/2105.02375 (Zhu et al. 2021, Thm 3.1)
 */
export function ceUfmTheory(config: CeUfmTheoryConfig): CeUfmTheory {
  assertOptionsObject('config', config);
  const { K, n, lambdaW, lambdaH } = config;
  assertInteger('K', K, 2);
  assertInteger('n', n, 1);
  assertPositive('lambdaW', lambdaW);
  assertPositive('lambdaH', lambdaH);
  const c = Math.sqrt(n * lambdaW * lambdaH);
  const margin = K * c < 1 ? Math.log((1 - (K - 1) * c) / c) : 0;
  const objective = Math.log(1 + (K - 1) * Math.exp(-margin)) + c * (K - 1) * margin;
  return {
    c, margin, objective,
    classMeanSqNorm: Math.sqrt(lambdaW / (n * lambdaH)) * margin * (K - 1) / K,
    weightRowSqNorm: Math.sqrt((n * lambdaH) / lambdaW) * margin * (K - 1) / K,
  };
}
