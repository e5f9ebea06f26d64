import { rankOfSingularValues, singularValues, syrk, type Matrix } from '@nclab/backend';
import type { LayerParams } from './types.js';

/** Singular-value summary of one layer's weight matrix (camelCase; snake_case in `result.json`). */
export interface LayerSpectrum {
  /** Singular values of W, descending (length min(out, in)). */
  singularValues: number[];
  /** Numerical rank: singular values above max(out, in) · ε · σ_max (float64 ε; the LAPACK/NumPy `matrix_rank` default). */
  rank: number;
  /** Stable rank ‖W‖_F² / ‖W‖₂² (a continuous proxy for the rank, in [1, rank]). */
  stableRank: number;
  /** Frobenius norm ‖W‖_F. */
  frobenius: number;
}

function toMatrix(layer: LayerParams): Matrix {
  return { rows: layer.outDim, cols: layer.inDim, data: new Float64Array(layer.weight) };
}

/**
 * The singular values, numerical rank and stable rank of a layer's weights, in float64.
 * ```math
 * W = U S Vᵀ,   stable rank = Σ σ_i² / σ_1²
 * ```
 * @param layer - W `[out, in]`.
 * @example
 * layerSpectrum(layer).singularValues[0]; // the spectral norm ‖W‖₂
 */
export function layerSpectrum(layer: LayerParams): LayerSpectrum {
  const w = toMatrix(layer);
  const s = singularValues(w); // no singular vectors: LAPACK's jobz = 'N' on the native path
  let fro2 = 0;
  for (const v of s) fro2 += v * v;
  const top = s.length ? s[0] : 0;
  return {
    singularValues: Array.from(s),
    rank: rankOfSingularValues(s, w.rows, w.cols),
    stableRank: top > 0 ? fro2 / (top * top) : 0,
    frobenius: Math.sqrt(fro2),
  };
}

/** Balance of two consecutive layers (relative gap and per-unit gaps; keys as in the result JSON). */
export interface LayerBalance {
  /** Index of the lower layer l (the pair is l, l + 1; l + 1 = depth is the head). */
  layer: number;
  /** ‖W_{l+1}ᵀW_{l+1} − W_l W_lᵀ‖_F / (‖W_{l+1}ᵀW_{l+1}‖_F + ‖W_l W_lᵀ‖_F), in [0, 1]; 0 = balanced. */
  relative: number;
  /**
   * diag(W_{l+1}ᵀW_{l+1} − W_l W_lᵀ): per hidden unit, the squared norm of its outgoing weights minus that
   * of its incoming weights. Gradient flow conserves it for bias-free ReLU (positively homogeneous) units.
   */
  unitGap: number[];
}

/**
 * Balancedness of consecutive layers W_l `[m, k]` and W_{l+1} `[p, m]`.
 * ```math
 * D_l = W_{l+1}ᵀ W_{l+1} − W_l W_lᵀ   [m, m];   relative = ‖D_l‖_F / (‖W_{l+1}ᵀW_{l+1}‖_F + ‖W_l W_lᵀ‖_F)
 * ```
 * Deep linear networks trained by gradient flow from balanced initialisation keep D_l = 0 (Arora et
 * al. 2018); for ReLU units only diag(D_l) is conserved (Du, Hu & Lee 2018).
 * @param lower - W_l.
 * @param upper - W_{l+1}, whose `inDim` must equal `lower.outDim`.
 * @returns the relative balancedness and the per-unit gaps.
 * @example
 * layerBalance(net.layers[0], net.layers[1]).relative;
 */
export function layerBalance(lower: LayerParams, upper: LayerParams, layerIndex = 0): LayerBalance {
  const a = syrk(toMatrix(upper), { trans: true }); // W_{l+1}ᵀ W_{l+1}
  const b = syrk(toMatrix(lower), { trans: false }); // W_l W_lᵀ
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - b.data[i];
    diff += d * d;
    na += a.data[i] * a.data[i];
    nb += b.data[i] * b.data[i];
  }
  const m = a.rows;
  const unitGap: number[] = [];
  for (let i = 0; i < m; i++) unitGap.push(a.data[i * m + i] - b.data[i * m + i]);
  const denom = Math.sqrt(na) + Math.sqrt(nb);
  return { layer: layerIndex, relative: denom > 0 ? Math.sqrt(diff) / denom : 0, unitGap };
}
