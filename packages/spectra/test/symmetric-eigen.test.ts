import { describe, expect, it } from 'vitest';
import { createRng, gemm, type Matrix } from '@nclab/backend';
import { symmetricEigen } from '../src/internal/symmetric-eigen.js';

/** A random orthogonal n×n matrix: Q of the QR of a Gaussian matrix, by Gram–Schmidt on rows. */
function randomOrthogonal(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const q = Float64Array.from(rng.normalArray(n * n));
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let k = 0; k < n; k++) d += q[i * n + k] * q[j * n + k];
        for (let k = 0; k < n; k++) q[i * n + k] -= d * q[j * n + k];
      }
    }
    let s = 0;
    for (let k = 0; k < n; k++) s += q[i * n + k] ** 2;
    for (let k = 0; k < n; k++) q[i * n + k] /= Math.sqrt(s);
  }
  return { rows: n, cols: n, data: q };
}

describe('symmetricEigen', () => {
  it('resolves a 256×256 matrix with a 64-fold degenerate eigenvalue (the cyclic Jacobi rule never converged)', () => {
    const n = 256;
    const lambda = new Float64Array(n);
    for (let i = 0; i < n; i++) lambda[i] = i < 64 ? 0.37 : i < 160 ? 0 : 1 + i / 100; // 64-fold and 96-fold clusters
    const q = randomOrthogonal(n, 7);
    const ql = { rows: n, cols: n, data: q.data.map((v, p) => v * lambda[p % n]) };
    const a = gemm(ql, q, { transB: true }); // Q diag(λ) Qᵀ
    const { values, vectors } = symmetricEigen(a.data, n);
    const sorted = Float64Array.from(lambda).sort();
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - sorted[i])).toBeLessThan(1e-10);
    // A v_j = λ_j v_j for every column
    const av = gemm(a, { rows: n, cols: n, data: vectors });
    let worst = 0;
    for (let p = 0; p < n * n; p++) worst = Math.max(worst, Math.abs(av.data[p] - vectors[p] * values[p % n]));
    expect(worst).toBeLessThan(1e-10);
  });
});
