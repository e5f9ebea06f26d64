import { InvalidArgumentError, validateLabels } from '@nclab/backend';
import { outerProductOperator, outerProductSpectrum } from '../operators/low-rank.js';
import type { LinearOperator } from '../operators/linear-operator.js';

/** One term of the decomposition: factor rows with weights, its operator and its non-zero spectrum. */
export interface GaussNewtonTerm {
  /** Factor rows f_r: the term is Σ_r w_r f_r f_rᵀ. */
  readonly rows: readonly Float64Array[];
  /** Row weights w_r. */
  readonly weights: Float64Array;
  /** The term as an operator of size P. */
  readonly operator: LinearOperator;
  /** Non-zero-capable eigenvalues, descending (from the R×R row Gram or the P×P matrix, whichever is smaller); empty when both exceed 400. */
  readonly eigenvalues: number[];
  /** Numerical rank: eigenvalues above rtol · (largest eigenvalue of the terms); −1 when the spectrum was too large to compute (> 400 rows and P > 400). */
  readonly rank: number;
}

/** Result of {@link gaussNewtonDecomposition}. */
export interface GaussNewtonDecomposition {
  /** G_class = Σ_c π_c K δ_c δ_cᵀ (Papyan's class term; K outliers). */
  readonly classTerm: GaussNewtonTerm;
  /** G_cross = Σ_c π_c Σ_{c'} (δ_{c,c'} − δ_c)(·)ᵀ (cross-class term; K(K−1) outliers). */
  readonly crossTerm: GaussNewtonTerm;
  /** G_within = (1/N) Σ_{i,c'} (δ_{i,c'} − δ_{y_i,c'})(·)ᵀ (within-class term; the bulk). */
  readonly withinTerm: GaussNewtonTerm;
  /** G itself = (1/N) Σ_{i,c'} δ_{i,c'} δ_{i,c'}ᵀ. */
  readonly total: LinearOperator;
  /** Class means δ_{c,c'} = mean_{i ∈ c} δ_{i,c'}, indexed [c][c']. */
  readonly classMeans: readonly (readonly Float64Array[])[];
}

/**
 * Papyan's class / cross-class / within-class decomposition of a Gauss–Newton matrix built from
 * "extended gradients" δ_{i,c'} (for MSE: δ_{i,c'} = ∂f_{c'}(x_i)/∂θ; for a general loss, the rows of
 * H_ℓ^{1/2} J_i).
 *
 * ```math
 * G = (1/N) Σ_i Σ_{c'} δ_{i,c'} δ_{i,c'}ᵀ = G_class + G_cross + G_within,
 * δ_{c,c'} = mean_{i∈c} δ_{i,c'},  δ_c = (1/K) Σ_{c'} δ_{c,c'},  π_c = n_c/N,
 * G_class = Σ_c π_c K δ_c δ_cᵀ,  G_cross = Σ_c π_c Σ_{c'} (δ_{c,c'} − δ_c)(δ_{c,c'} − δ_c)ᵀ,
 * G_within = (1/N) Σ_{i,c'} (δ_{i,c'} − δ_{y_i,c'})(δ_{i,c'} − δ_{y_i,c'})ᵀ
 * ```
 *
 * With balanced classes (π_c = 1/K) this is the deep-linear-UFM paper's eq. (3):
 * G_class = Σ_c δ_cδ_cᵀ, G_cross = (1/K) Σ_{c,c'}(δ_{c,c'} − δ_c)(·)ᵀ. The identity is exact.
 *
 * @param extended - δ indexed [i][c']: N samples × K outputs, each a vector of length P.
 * @param labels - class of each sample, integers in [0, K).
 * @param options - `rtol` for the ranks (default 1e-8).
 * @returns the three terms (factors, operators, spectra, ranks), the total and the class means.
 * @throws {InvalidArgumentError} on inconsistent shapes, bad labels, or an empty class.
 * @example
 * const d = gaussNewtonDecomposition(layerExtendedGradients(point, 2), point.labels);
 * d.classTerm.rank; // K at a deep-linear-UFM optimum
 * @see Papyan (2020) https://arxiv.org/abs/2008.11865; Garrod & Keating (2024) https://arxiv.org/abs/2404.06106
 */
export function gaussNewtonDecomposition(
  extended: ReadonlyArray<ReadonlyArray<Float64Array>>,
  labels: ArrayLike<number>,
  options: { rtol?: number } = {},
): GaussNewtonDecomposition {
  const N = extended.length;
  if (N === 0) throw new InvalidArgumentError('extended', 'a non-empty array [N][K] of vectors', N);
  const K = extended[0].length;
  const P = extended[0][0]?.length ?? 0;
  if (K < 1 || P < 1) throw new InvalidArgumentError('extended', 'an array [N][K] of non-empty vectors', `[${N}][${K}]`);
  extended.forEach((row, i) => {
    if (row.length !== K) throw new InvalidArgumentError(`extended[${i}]`, `K = ${K} vectors`, row.length);
    row.forEach((v, c) => {
      if (v.length !== P) throw new InvalidArgumentError(`extended[${i}][${c}]`, `of length P = ${P}`, v.length);
    });
  });
  const { labels: y } = validateLabels('labels', labels, N, K);
  const counts = new Array(K).fill(0);
  for (const c of y) counts[c]++;
  counts.forEach((n, c) => {
    if (n === 0) throw new InvalidArgumentError('labels', `at least one sample of every class 0..${K - 1}`, `class ${c} empty`);
  });
  const means: Float64Array[][] = Array.from({ length: K }, () => Array.from({ length: K }, () => new Float64Array(P)));
  for (let i = 0; i < N; i++) {
    for (let c2 = 0; c2 < K; c2++) {
      const m = means[y[i]][c2];
      const v = extended[i][c2];
      const inv = 1 / counts[y[i]];
      for (let p = 0; p < P; p++) m[p] += inv * v[p];
    }
  }
  const classRows: Float64Array[] = [];
  const classW: number[] = [];
  const crossRows: Float64Array[] = [];
  const crossW: number[] = [];
  for (let c = 0; c < K; c++) {
    const dc = new Float64Array(P);
    for (let c2 = 0; c2 < K; c2++) for (let p = 0; p < P; p++) dc[p] += means[c][c2][p] / K;
    const pi = counts[c] / N;
    classRows.push(dc);
    classW.push(pi * K);
    for (let c2 = 0; c2 < K; c2++) {
      const r = new Float64Array(P);
      for (let p = 0; p < P; p++) r[p] = means[c][c2][p] - dc[p];
      crossRows.push(r);
      crossW.push(pi);
    }
  }
  const withinRows: Float64Array[] = [];
  const allRows: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    for (let c2 = 0; c2 < K; c2++) {
      const r = new Float64Array(P);
      const m = means[y[i]][c2];
      const v = extended[i][c2];
      for (let p = 0; p < P; p++) r[p] = v[p] - m[p];
      withinRows.push(r);
      allRows.push(v);
    }
  }
  const total = outerProductOperator(allRows, 1 / N, 'gauss-newton');
  const classSpec = outerProductSpectrum(classRows, classW);
  const crossSpec = outerProductSpectrum(crossRows, crossW);
  const withinSpec = Math.min(withinRows.length, P) <= 400 ? outerProductSpectrum(withinRows, 1 / N) : [];
  const top = Math.max(classSpec[0] ?? 0, crossSpec[0] ?? 0, withinSpec[0] ?? 0);
  const rtol = options.rtol ?? 1e-8;
  const rankOf = (s: number[]): number => (s.length === 0 ? -1 : s.filter((x) => x > rtol * top).length);
  const term = (rows: Float64Array[], w: number | number[], spec: number[], label: string): GaussNewtonTerm => ({
    rows,
    weights: typeof w === 'number' ? new Float64Array(rows.length).fill(w) : Float64Array.from(w),
    operator: outerProductOperator(rows, w, label),
    eigenvalues: spec,
    rank: rankOf(spec),
  });
  return Object.freeze({
    classTerm: term(classRows, classW, classSpec, 'G_class'),
    crossTerm: term(crossRows, crossW, crossSpec, 'G_cross'),
    withinTerm: term(withinRows, 1 / N, withinSpec, 'G_within'),
    total,
    classMeans: means,
  });
}
