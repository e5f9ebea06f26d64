/**
 * Probes of a network that ends in a deep linear head (`MlpSpec.linearLayers = m`): the balancedness
 * of consecutive linear layers, the conditioning of the features entering the linear part, and NC1–NC3
 * at every level inside it. These are the quantities of the end-to-end results on networks with linear
 * heads and weight decay (see `/work/shared/papers/related-abstracts.txt`): with weight decay the
 * linear layers become balanced, and NC in the head follows when the features entering it are well
 * conditioned.
 */
import { eigh, gemm, syrk, type Matrix } from '@nclab/backend';
import { computeMetrics } from '@nclab/nc-metrics';
import { layerBalance } from '../spectra.js';
import type { MlpParams } from '../types.js';
import { forwardHost, mlpWorkspace } from './mlp-pass.js';

/** One checkpoint of the linear-head probe (camelCase; snake_case keys in `result.json`). */
export interface LinearHeadCheckpoint {
  epoch: number;
  /** 1 − training accuracy at this checkpoint. */
  trainError: number;
  /** σ_max / σ_min of the features H_p entering the linear part (σ_min: smallest singular value above the rank threshold). */
  featureCondition: number;
  /** Numerical rank of H_p: singular values above max(N, d)·ε₃₂·σ_max (ε₃₂ = 2⁻²³: the features are float32). */
  featureRank: number;
  /** Per consecutive pair of linear layers (l, l+1), l = p … L−1: `layerBalance(W_l, W_{l+1}).relative`. */
  balancedness: number[];
  /** Per level l = p … L (the input of linear layer l; l = L is the head's input): NC1 = tr Σ_W / tr Σ_B. */
  nc1: number[];
  /** Per level: NC2, the ETF error of the normalised centred class means (`nc2Etf` of `@nclab/nc-metrics`). */
  nc2: number[];
  /** Per level: NC3, the self-duality error between the effective classifier W_L ⋯ W_l and the centred class means. */
  nc3: number[];
}

function toMatrix(rows: number, cols: number, data: ArrayLike<number>): Matrix {
  return { rows, cols, data: Float64Array.from(data) };
}

/**
 * σ_max / σ_min (non-zero part) and the numerical rank of `h` `[N, d]`, from the eigenvalues of the
 * float64 Gram HᵀH (σ_i² resolved down to ~1e-16·σ_max², far below the float32 rank threshold).
 * @returns `{ condition, rank }` (condition 1 for a rank-one matrix, NaN for a zero matrix).
 * @example
 * featureConditioning({ rows: 4, cols: 2, data: Float64Array.of(3, 0, 0, 1, -3, 0, 0, -1) }); // condition 3
 */
export function featureConditioning(h: Matrix): { condition: number; rank: number } {
  const gram = syrk(h, { trans: true });
  const values = eigh(gram).values; // ascending
  const top = Math.sqrt(Math.max(0, values[values.length - 1]));
  if (!(top > 0)) return { condition: Number.NaN, rank: 0 };
  const threshold = Math.max(h.rows, h.cols) * 2 ** -23 * top;
  let rank = 0;
  let smallest = top;
  for (let i = values.length - 1; i >= 0; i--) {
    const s = Math.sqrt(Math.max(0, values[i]));
    if (s <= threshold) break;
    rank++;
    smallest = s;
  }
  return { condition: top / smallest, rank };
}

/**
 * The linear-head probe of `params` on the training samples `x` `[N, d₀]` (labels in [0, K)).
 *
 * With p = depth − m the first linear layer and L = depth the head, H_l the input of layer l:
 * ```math
 * balancedness_l = ‖W_{l+1}ᵀW_{l+1} − W_l W_lᵀ‖_F / (‖W_{l+1}ᵀW_{l+1}‖_F + ‖W_l W_lᵀ‖_F),   l = p … L−1
 * κ(H_p) = σ_max(H_p) / σ_min⁺(H_p)
 * NC1_l = tr Σ_W(H_l) / tr Σ_B(H_l),  NC2_l = ETF error of the class means of H_l,
 * NC3_l = self-duality of (W_L ⋯ W_l) with the centred means of H_l            (logits = H_l (W_L ⋯ W_l)ᵀ + const)
 * ```
 * @param trainAccuracy - the training accuracy at this checkpoint (reported as `trainError`).
 * @returns the checkpoint row; `balancedness` is empty when m = 0 (only the head is linear).
 * @example
 * const row = linearHeadProbe(params, train.x, train.labels, 40, stats.trainAcc);
 * row.balancedness; // one entry per pair of consecutive linear layers
 */
export function linearHeadProbe(params: MlpParams, x: Float32Array, labels: Int32Array, epoch: number, trainAccuracy: number): LinearHeadCheckpoint {
  const spec = params.spec;
  const L = spec.depth;
  const p = L - (spec.linearLayers ?? 0);
  const N = labels.length;
  // the inputs of layers p..L, gathered chunk by chunk
  const feats = Array.from({ length: L - p + 1 }, (_, i) => new Float32Array(N * params.layers[p + i].inDim));
  const chunk = Math.min(N, 1024);
  const ws = mlpWorkspace(spec, chunk);
  for (let s = 0; s < N; s += chunk) {
    const rows = Math.min(N, s + chunk) - s;
    ws.acts[0].set(x.subarray(s * spec.inputDim, (s + rows) * spec.inputDim));
    forwardHost(params, ws, rows);
    feats.forEach((f, i) => {
      const d = params.layers[p + i].inDim;
      f.set(ws.acts[p + i].subarray(0, rows * d), s * d);
    });
  }
  const balancedness: number[] = [];
  for (let l = p; l < L; l++) balancedness.push(layerBalance(params.layers[l], params.layers[l + 1], l).relative);
  const hp = toMatrix(N, params.layers[p].inDim, feats[0]);
  const { condition, rank } = featureConditioning(hp);
  // effective classifiers E_l = W_L ⋯ W_l, from the head down
  const nc1: number[] = [];
  const nc2: number[] = [];
  const nc3: number[] = [];
  let eff: Matrix = toMatrix(params.layers[L].outDim, params.layers[L].inDim, params.layers[L].weight);
  const effective: Matrix[] = [];
  for (let l = L; l >= p; l--) {
    if (l < L) eff = gemm(eff, toMatrix(params.layers[l].outDim, params.layers[l].inDim, params.layers[l].weight));
    effective[l - p] = eff;
  }
  feats.forEach((f, i) => {
    const l = p + i;
    const m = computeMetrics({ rows: N, cols: params.layers[l].inDim, data: f }, labels, { numClasses: spec.numClasses, classifier: effective[i] });
    nc1.push(m.nc1TraceRatio);
    nc2.push(m.nc2Etf);
    nc3.push(m.nc3 ?? Number.NaN);
  });
  return { epoch, trainError: 1 - trainAccuracy, featureCondition: condition, featureRank: rank, balancedness, nc1, nc2, nc3 };
}
