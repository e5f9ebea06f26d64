/**
 * The spectra of one layer Hessian of a deep UFM at a given point (weights W_1…W_L, features H_1,
 * labels): exact spectrum and outliers, regularised spectrum, Papyan decomposition with knockouts,
 * gradient overlaps and covariance, weight spectrum and an SLQ density. Takes matrices; building
 * the point (closed form or a solver) is the job of the caller (nclab's spectra-ufm job).
 */
import type { Matrix } from '@nclab/backend';
import { lanczos } from '../algorithms/lanczos.js';
import { spectralDensity } from '../algorithms/slq.js';
import { denseEigh } from '../algorithms/dense-eigh.js';
import { clusterEigenvalues, compareOutlierCount, detectOutliers } from '../analysis/outliers.js';
import { gaussNewtonDecomposition } from '../analysis/papyan.js';
import { subspaceFraction } from '../analysis/subspaces.js';
import { weightSpectrum } from '../analysis/weight-spectrum.js';
import { outerProductSpectrum } from '../operators/low-rank.js';
import type { DeepUfmPoint } from './deep-ufm-point.js';
import {
  deepLinearUfmLayerSpectrum,
  deepUfmExtendedGradients,
  deepUfmLayerGradients,
  deepUfmLayerHessian,
} from './layer-operators.js';

/** Per-layer measurements and predictions of {@link deepUfmLayerSpectra}. */
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

/** Options of {@link deepUfmLayerSpectra}: the layer's weight decay and the closed-form constants to compare with. */
export interface DeepUfmLayerSpectraOptions {
  /** λ_{W_l} of the layer (the regularised spectrum adds it). */
  readonly lambda: number;
  /** The closed-form x* of the deep linear UFM (null: no outlier prediction). */
  readonly x: number | null;
  /** The closed-form τ (null: no singular-value prediction). */
  readonly tauGlobal: number | null;
  /** Lanczos top-k. Default min(size, K² + K). */
  readonly top?: number;
  /** SLQ density settings; `false` to skip. Default { runs: 4, steps: 40, gridPoints: 400 }. */
  readonly density?: false | { runs?: number; steps?: number; gridPoints?: number };
  /** Seed of Lanczos and SLQ. Default 0. */
  readonly seed?: number;
}

/**
 * Analyses the MSE-term Hessian of layer `l` at `point` (see the module comment).
 *
 * ```math
 * H_l = (A_lᵀA_l) ⊗ Σ_l:  K² eigenvalues λ_{W_l} x* /(1−x*), the rest 0;   σ²(W_l) = τ/λ_{W_l},  τ = x*(1−x*)/K
 * ```
 *
 * @param point - weights, features and labels of a deep UFM.
 * @param l - 1-based layer.
 * @param options - λ_{W_l}, closed-form x* and τ, Lanczos k, density, seed.
 * @returns the layer's spectra and predictions.
 * @throws {InvalidArgumentError} for a layer out of range.
 * @see Garrod & Keating (2024) https://arxiv.org/abs/2404.06106
 */
export async function deepUfmLayerSpectra(point: DeepUfmPoint, l: number, options: DeepUfmLayerSpectraOptions): Promise<DeepUfmLayerSpectra> {
  const { lambda, x, tauGlobal, seed = 0 } = options;
  const config = { top: options.top, density: options.density };
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

