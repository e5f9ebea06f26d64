import { describe, expect, it } from 'vitest';
import { NumericalError, cholesky, getLinalgImpl, scholeskyInPlace, scholeskySolve, syrk, toFloat32, type Matrix, type Matrix32 } from '../src/index.js';
import { randn } from './helpers.js';

/** XᵀX/n + I for a Gaussian X (the product through the backend: a naive loop takes seconds at n = 1,100). */
function randomSpd(n: number, seed: number): Matrix {
  const g = syrk(randn(n, n, seed), { trans: true, alpha: 1 / n, linalg: 'portable' });
  for (let i = 0; i < n; i++) g.data[i * n + i] += 1;
  return { rows: n, cols: n, data: Float64Array.from(g.data) };
}

const paths = (['portable', 'native'] as const).filter((p) => getLinalgImpl(p) !== null);

describe.each(paths)('float32 Cholesky in place on the %s path', (linalg) => {
  // 300: beyond one 192-row block of the portable factor; 1100: 4.8 MB of float32, past the size from
  // which the portable path keeps large arrays in shared memory (factored where it lies when shared,
  // through a copy when not): the 4×8 float32 tiles that straddle the diagonal reach 10 entries above it
  for (const [n, shared] of [[300, false], [1100, false], [1100, true]] as const) {
    it(`matches the float64 factor to float32 accuracy and keeps the strict upper triangle (n = ${n}${shared ? ', shared memory' : ''})`, () => {
      const a = randomSpd(n, 5);
      const a32 = { rows: n, cols: n, data: shared ? new Float32Array(new SharedArrayBuffer(4 * n * n)) : new Float32Array(n * n) };
      a32.data.set(a.data);
      const upperBefore = Float32Array.from(a32.data);
      scholeskyInPlace(a32, { linalg });
      const l64 = cholesky(a, { linalg: 'portable' });
      let err = 0;
      let scale = 0;
      let upperChanged = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          err = Math.max(err, Math.abs(a32.data[i * n + j] - l64.data[i * n + j]));
          scale = Math.max(scale, Math.abs(l64.data[i * n + j]));
        }
        for (let j = i + 1; j < n; j++) if (!Object.is(a32.data[i * n + j], upperBefore[i * n + j])) upperChanged++;
      }
      expect(upperChanged).toBe(0);
      // float32 factor of a well-conditioned matrix: a few units of 2^-24 relative to the largest entry, times √n growth
      expect(err / scale).toBeLessThan(1e-5);
    });
  }

  // 200: one block and a remainder; 700: four blocks of the portable blocked substitution, whose
  // off-diagonal updates run on the float32 GEMM; 3 right-hand sides take the transposed route (r ≤ 32),
  // 40 the row-major one
  for (const [n, r] of [[200, 3], [700, 3], [400, 40]] as const) {
    it(`solves with the factor: (L Lᵀ) X = B to float32 accuracy (n = ${n}, ${r} right-hand sides)`, () => {
      const a = randomSpd(n, 7);
      const b = randn(n, r, 8);
      const a32 = toFloat32(a);
      scholeskyInPlace(a32, { linalg });
      const b32 = toFloat32(b);
      const x = scholeskySolve(a32, b32, { linalg });
      expect(Array.from(b32.data)).toEqual(Array.from(Float32Array.from(b.data))); // B is not written
      let res = 0;
      let bn = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < r; c++) {
          let s = 0;
          for (let p = 0; p < n; p++) s += a.data[i * n + p] * x.data[p * r + c];
          res += (s - b.data[i * r + c]) ** 2;
          bn += b.data[i * r + c] ** 2;
        }
      }
      expect(Math.sqrt(res / bn)).toBeLessThan(1e-4);
    });
  }

  it('throws NumericalError for a matrix that is not positive definite', () => {
    const m: Matrix32 = { rows: 2, cols: 2, data: Float32Array.from([1, 2, 2, 1]) };
    expect(() => scholeskyInPlace(m, { linalg })).toThrow(NumericalError);
  });
});
