import { describe, expect, it } from 'vitest';
import { NumericalError, cholesky, getLinalgImpl, scholeskyInPlace, scholeskySolve, toFloat32, type Matrix32 } from '../src/index.js';
import { randn, randomSpd } from './helpers.js';

const paths = (['portable', 'native'] as const).filter((p) => getLinalgImpl(p) !== null);

describe.each(paths)('float32 Cholesky in place on the %s path', (linalg) => {
  it('matches the float64 factor to float32 accuracy and keeps the strict upper triangle', () => {
    const n = 300; // beyond one 192-row block of the portable factor
    const a = randomSpd(n, 5);
    const a32 = toFloat32(a);
    const upperBefore = Float32Array.from(a32.data);
    scholeskyInPlace(a32, { linalg });
    const l64 = cholesky(a, { linalg: 'portable' });
    let err = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        err = Math.max(err, Math.abs(a32.data[i * n + j] - l64.data[i * n + j]));
        scale = Math.max(scale, Math.abs(l64.data[i * n + j]));
      }
      for (let j = i + 1; j < n; j++) expect(a32.data[i * n + j]).toBe(upperBefore[i * n + j]);
    }
    // float32 factor of a well-conditioned matrix: a few units of 2^-24 relative to the largest entry, times √n growth
    expect(err / scale).toBeLessThan(1e-5);
  });

  it('solves with the factor: (L Lᵀ) X = B to float32 accuracy', () => {
    const n = 200;
    const a = randomSpd(n, 7);
    const b = randn(n, 3, 8);
    const a32 = toFloat32(a);
    scholeskyInPlace(a32, { linalg });
    const x = scholeskySolve(a32, toFloat32(b), { linalg });
    let res = 0;
    let bn = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += a.data[i * n + p] * x.data[p * 3 + c];
        res += (s - b.data[i * 3 + c]) ** 2;
        bn += b.data[i * 3 + c] ** 2;
      }
    }
    expect(Math.sqrt(res / bn)).toBeLessThan(1e-4);
  });

  it('throws NumericalError for a matrix that is not positive definite', () => {
    const m: Matrix32 = { rows: 2, cols: 2, data: Float32Array.from([1, 2, 2, 1]) };
    expect(() => scholeskyInPlace(m, { linalg })).toThrow(NumericalError);
  });
});
