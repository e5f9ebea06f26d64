/** Test data with known population metrics: simplex-ETF class means plus within-class scatter exactly s²I. */
import { createRng } from '@nclab/backend/host';
import type { Matrix } from '@nclab/backend/host';

/** A random d×d orthogonal matrix (Gram–Schmidt on Gaussian columns), row-major. */
export function randomOrthogonal(d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += v[i] * q[i * d + p];
      for (let i = 0; i < d; i++) v[i] -= dot * q[i * d + p];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < d; i++) q[i * d + c] = v[i] / norm;
  }
  return q;
}

/** Rows x ↦ x Qᵀ (rotation of every sample by Q). */
export function rotateRows(x: Matrix, q: Float64Array): Matrix {
  const { rows, cols: d } = x;
  const out = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += q[a * d + b] * x.data[i * d + b];
      out[i * d + a] = s;
    }
  }
  return { rows, cols: d, data: out };
}

/** The K simplex-ETF means of norm r in the first K coordinates of R^d (rows), centred at the origin. */
export function etfMeans(K: number, d: number, r: number): Matrix {
  const m = new Float64Array(K * d);
  const scale = r * Math.sqrt(K / (K - 1));
  for (let k = 0; k < K; k++) for (let j = 0; j < K; j++) m[k * d + j] = scale * ((j === k ? 1 : 0) - 1 / K);
  return { rows: K, cols: d, data: m };
}

/**
 * Per class, the 2d samples μ_k ± s√d·e_j (j = 1..d): within-class covariance exactly s²I, class means
 * exactly μ_k + offset. Optionally rotated by a random orthogonal matrix (seed).
 * Population values: trace ratio s²d/r², NC1 pinv s²(K−1)²/(K r²), CDNV s²d(K−1)/(2r²K), ETF error 0.
 */
export function etfWithIsotropicNoise(K: number, d: number, r: number, s: number, opts: { offset?: number; seed?: number } = {}) {
  const means = etfMeans(K, d, r);
  const n = 2 * d * K;
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const a = s * Math.sqrt(d);
  let row = 0;
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      for (const sign of [1, -1]) {
        for (let t = 0; t < d; t++) x[row * d + t] = means.data[k * d + t] + (opts.offset ?? 0) * (t + 1);
        x[row * d + j] += sign * a;
        labels[row] = k;
        row++;
      }
    }
  }
  let features: Matrix = { rows: n, cols: d, data: x };
  if (opts.seed !== undefined) features = rotateRows(features, randomOrthogonal(d, opts.seed));
  return { features, labels, means };
}
