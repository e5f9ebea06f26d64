import { createRng, type Matrix } from '@nclab/backend';

/** Wishart matrix AᵀA/m for A of shape [m, n] with standard normal entries. */
export function wishart(n: number, m: number, seed: number): Matrix {
  const rng = createRng(seed);
  const a = rng.normalArray(m * n);
  const out = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < n; i++) {
      const x = a[r * n + i];
      for (let j = 0; j < n; j++) out[i * n + j] += (x * a[r * n + j]) / m;
    }
  }
  return { rows: n, cols: n, data: out };
}

/** A random orthogonal n×n matrix (Gram–Schmidt of a Gaussian matrix), columns orthonormal. */
export function randomOrthogonal(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from(rng.normalArray(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of cols) {
        let s = 0;
        for (let i = 0; i < n; i++) s += q[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= s * q[i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += v[i] * v[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) v[i] /= nrm;
    cols.push(v);
  }
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = cols[j][i];
  return { rows: n, cols: n, data: out };
}

/** Q diag(values) Qᵀ for a random orthogonal Q: a symmetric matrix with a prescribed spectrum. */
export function withSpectrum(values: ArrayLike<number>, seed: number): Matrix {
  const n = values.length;
  const q = randomOrthogonal(n, seed);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lam = values[k];
    for (let i = 0; i < n; i++) {
      const qi = q.data[i * n + k] * lam;
      for (let j = 0; j < n; j++) out[i * n + j] += qi * q.data[j * n + k];
    }
  }
  return { rows: n, cols: n, data: out };
}
