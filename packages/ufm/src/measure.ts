import type { ClassLayout } from './layout.js';

/**
 * Class means of a feature matrix F ∈ R^{d×N} (columns class-major) as the rows of a [K, d]
 * array: row k = μ_k = (1/n_k) Σ_{i ∈ class k} f_i. Float64.
 */
export function classMeanRows(f: Float64Array, d: number, classes: ClassLayout): Float64Array {
  const { K, N, counts, offsets } = classes;
  const out = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    for (let r = 0; r < d; r++) {
      let s = 0;
      const row = r * N;
      for (let j = offsets[k]; j < offsets[k] + counts[k]; j++) s += f[row + j];
      out[k * d + r] = s / counts[k];
    }
  }
  return out;
}

/** Gram matrix of the rows of a [K, d] array, [K, K]. */
export function rowGram(m: Float64Array, K: number, d: number): Float64Array {
  const g = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m[a * d + j] * m[b * d + j];
      g[a * K + b] = s;
      g[b * K + a] = s;
    }
  }
  return g;
}

/** Mean of the diagonal and mean of the off-diagonal entries of a K×K matrix. */
export function diagOffMeans(g: Float64Array, K: number): { diag: number; off: number } {
  let d = 0;
  let o = 0;
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      if (a === b) d += g[a * K + b];
      else o += g[a * K + b];
    }
  }
  return { diag: d / K, off: o / (K * (K - 1)) };
}
