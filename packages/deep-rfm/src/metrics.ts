/**
 * The per-layer collapse metrics Deep RFM records, computed in O(N·d·K) in float64 by `@nclab/nc-metrics`.
 *
 * Conventions (the paper's, with the class-mean-average global mean):
 * - `nc1` (trace ratio): tr(Σ_W)/tr(Σ_B), Σ_W = (1/N) Σ_c Σ_i (x_ci − μ_c)(x_ci − μ_c)ᵀ,
 *   Σ_B = (1/K) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ, μ_G = (1/K) Σ_c μ_c.
 * - `nc1Pinv`: tr(Σ_W Σ_B^†)/K over the top K−1 eigenpairs of Σ_B (Papyan et al. 2020, with the /K).
 * - `nc1Fisher`: tr(Σ_W⁺ Σ_B) (`nc1Fisher` of `@nclab/nc-metrics`: Fisher discriminant, larger = more
 *   separated, invariant to invertible linear maps; Σ_W pseudo-inverted keeping singular values
 *   > max(N, d)·ε·σ_max, the rank kept is `nc1FisherRank`).
 * - `nc2` (ETF error): ‖H̄ H̄ᵀ − Σ_ETF‖_F, H̄ = rows (μ_c − μ_G)/‖μ_c − μ_G‖,
 *   Σ_ETF = (1 + 1/(K−1)) I_K − 11ᵀ/(K−1).
 */
import { NumericalError, syrk, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { DegenerateClassMeansError, centreMeans, classMeans, etfError, globalMean, nc1Fisher, nc1Pinv, nc1TraceRatio } from '@nclab/nc-metrics';

/** The three metrics of one point of the network. */
export interface CollapseMetrics {
  /** tr(Σ_W)/tr(Σ_B) (`nc1TraceRatio` of `@nclab/nc-metrics`); Infinity when all class means coincide. */
  readonly nc1: number;
  /** tr(Σ_W Σ_B^†)/K over the top K−1 eigenpairs (`nc1Pinv`); Infinity when all class means coincide. */
  readonly nc1Pinv: number;
  /** tr(Σ_W⁺ Σ_B) (`nc1Fisher`): larger = more separated; 0 when all class means coincide; null when not asked for. */
  readonly nc1Fisher: number | null;
  /** Rank of Σ_W kept by the pseudo-inverse of the Fisher form (null when not computed). */
  readonly nc1FisherRank: number | null;
  /** ‖H̄H̄ᵀ − Σ_ETF‖_F of the centred class means (`etfError`). */
  readonly nc2: number;
}

function orInfinity(f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof DegenerateClassMeansError) return Infinity; // tr Σ_B = 0: no collapse
    throw e;
  }
}

/**
 * NC1 (trace ratio, pseudo-inverse and Fisher forms) and NC2 (ETF error) of features `x` `[N, d]`, through
 * `@nclab/nc-metrics` with the class-mean-average global mean (the paper's convention).
 * @param x - features, rows are samples.
 * @param labels - `[N]` in [0, K).
 * @param K - number of classes (≥ 2).
 * @param linalg - float64 path of the products and eigendecompositions (default: backend's global path).
 * @param fisher - also the Fisher form (an eigendecomposition of the `[d, d]` Σ_W; NaN when it does not converge). Default false: null.
 * @returns the metrics; coinciding class means give `nc1 = nc1Pinv = Infinity`.
 */
export function collapseMetrics(x: Matrix, labels: Int32Array, K: number, linalg?: LinalgRequest, fisher = false): CollapseMetrics {
  const opts = { numClasses: K, globalMean: 'classMeanAverage' as const, linalg };
  const means = classMeans(x, labels, opts); // one pass over x for the class means every metric reads
  const centred = centreMeans(means.means, globalMean(means.means, means.counts, 'classMeanAverage'));
  return {
    nc1: orInfinity(() => nc1TraceRatio(x, labels, { ...opts, means })),
    nc1Pinv: orInfinity(() => nc1Pinv(x, labels, { ...opts, means })),
    ...(fisher ? fisherOf(x, labels, K, linalg) : { nc1Fisher: null, nc1FisherRank: null }),
    nc2: etfError(centred),
  };
}

/** The Fisher form; NaN when the eigendecomposition of Σ_W `[d, d]` does not converge (a numerical failure the job reports). */
function fisherOf(x: Matrix, labels: Int32Array, K: number, linalg?: LinalgRequest): { nc1Fisher: number; nc1FisherRank: number } {
  try {
    const f = nc1Fisher(x, labels, { numClasses: K, linalg });
    return { nc1Fisher: f.nc1Fisher, nc1FisherRank: f.nc1FisherRank };
  } catch (e) {
    if (e instanceof NumericalError) return { nc1Fisher: NaN, nc1FisherRank: NaN };
    throw e;
  }
}

/** Whether every class 0…K−1 has a sample (the metrics need every class mean). */
export function hasEveryClass(labels: Int32Array, K: number): boolean {
  const seen = new Uint8Array(K);
  for (let i = 0; i < labels.length; i++) seen[labels[i]] = 1;
  return seen.every((v) => v === 1);
}

/** A centred, row-normalised Gram matrix of a class-balanced subsample, for heat maps. */
export interface GramSample {
  /** Row indices used (sorted by class). */
  readonly indices: number[];
  /** Their labels. */
  readonly labels: number[];
  /** Cosines of the centred features, `[m, m]`, rounded to 4 decimals. */
  readonly matrix: number[][];
  /** RMS over off-diagonal entries of (G − G_ETF), G_ETF = 1 within a class, −1/(K−1) across. */
  readonly etfDeviation: number;
}

/**
 * Indices of a class-balanced subsample of at most `maxSamples` rows: the first ⌊max/K⌋ of each
 * class, grouped by class.
 */
export function gramIndices(labels: Int32Array, K: number, maxSamples: number): number[] {
  const per = Math.max(1, Math.floor(maxSamples / K));
  const out: number[] = [];
  for (let c = 0; c < K; c++) {
    let taken = 0;
    for (let i = 0; i < labels.length && taken < per; i++) {
      if (labels[i] === c) {
        out.push(i);
        taken++;
      }
    }
  }
  return out;
}

/**
 * The centred, normalised Gram of the rows `indices` of `x`: features centred by the global mean of
 * all N samples, each row scaled to unit norm, G_ij = cos(x_i − μ, x_j − μ) (one `syrk` of the m×d
 * normalised rows; `linalg`: its path).
 */
export function centredGram(x: Matrix, labels: Int32Array, K: number, indices: number[], linalg?: LinalgRequest): GramSample {
  const d = x.cols;
  const mean = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) mean[k] += x.data[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= x.rows;
  const m = indices.length;
  const rows = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = x.data[indices[r] * d + k] - mean[k];
      rows[r * d + k] = v;
      s += v * v;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < d; k++) rows[r * d + k] *= inv;
  }
  // the m×m cosines as one symmetric product (200² × 1,024 multiply-adds were 50 ms as a JavaScript loop)
  const g = m > 0 ? syrk({ rows: m, cols: d, data: rows }, { linalg }).data : new Float64Array(0);
  const matrix: number[][] = [];
  let dev = 0;
  let count = 0;
  for (let a = 0; a < m; a++) {
    const line: number[] = [];
    for (let b = 0; b < m; b++) {
      const s = g[a * m + b];
      line.push(Math.round(s * 1e4) / 1e4);
      if (a !== b) {
        const target = labels[indices[a]] === labels[indices[b]] ? 1 : -1 / (K - 1);
        dev += (s - target) ** 2;
        count++;
      }
    }
    matrix.push(line);
  }
  return { indices, labels: indices.map((i) => labels[i]), matrix, etfDeviation: Math.sqrt(dev / Math.max(1, count)) };
}
