import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, NumericalError, cholesky, choleskyInPlace, choleskySolve, getLinalgImpl, syrk, type Matrix } from '../src/index.js';
import { randn } from './helpers.js';

/** XᵀX/n + I for a Gaussian X (the product through the backend: a naive loop takes seconds at n = 800). */
function randomSpd(n: number, seed: number): Matrix {
  const g = syrk(randn(n, n, seed), { trans: true, alpha: 1 / n, linalg: 'portable' });
  for (let i = 0; i < n; i++) g.data[i * n + i] += 1;
  return { rows: n, cols: n, data: Float64Array.from(g.data) };
}

const paths = (['portable', 'native'] as const).filter((p) => getLinalgImpl(p) !== null);

/** Max |L_ij − F_ij| over the lower triangle, over max |F_ij|. */
function lowerError(a: Float64Array, f: Float64Array, n: number): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      err = Math.max(err, Math.abs(a[i * n + j] - f[i * n + j]));
      scale = Math.max(scale, Math.abs(f[i * n + j]));
    }
  }
  return err / scale;
}

describe.each(paths)('float64 Cholesky in place on the %s path', (linalg) => {
  // 300: beyond one 192-row block of the portable factor; 800: 5 MB, past the size from which the portable
  // path keeps large arrays in shared memory (factored where it lies when shared, through a copy when not)
  for (const [n, shared] of [[300, false], [800, false], [800, true]] as const) {
    it(`is the factor of A + shift·I with the strict upper triangle kept (n = ${n}${shared ? ', shared memory' : ''})`, () => {
      const a = randomSpd(n, 5);
      const data = shared ? new Float64Array(new SharedArrayBuffer(8 * n * n)) : new Float64Array(n * n);
      data.set(a.data);
      const m: Matrix = { rows: n, cols: n, data };
      choleskyInPlace(m, { shift: 0.5, linalg });
      const ref = cholesky(a, { shift: 0.5, linalg });
      expect(lowerError(m.data, ref.data, n)).toBeLessThan(1e-13);
      let changed = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!Object.is(m.data[i * n + j], a.data[i * n + j])) changed++;
      expect(changed).toBe(0);
      // the in-place matrix is a factor for choleskySolve (which reads the lower triangle only)
      const b = randn(n, 3, 8);
      const x = choleskySolve(m, b, { linalg });
      const xr = choleskySolve(ref, b, { linalg });
      let d = 0;
      let s = 0;
      for (let i = 0; i < x.data.length; i++) {
        d = Math.max(d, Math.abs(x.data[i] - xr.data[i]));
        s = Math.max(s, Math.abs(xr.data[i]));
      }
      expect(d / s).toBeLessThan(1e-12);
    });
  }

  it('throws NumericalError for a matrix that is not positive definite, and checks its arguments', () => {
    expect(() => choleskyInPlace({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 1]) }, { linalg })).toThrow(NumericalError);
    // the shift is what makes it positive definite: [[1, 2], [2, 1]] + 2I has eigenvalues 1 and 5
    const m: Matrix = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 1]) };
    choleskyInPlace(m, { shift: 2, linalg });
    const l = [Math.sqrt(3), 2 / Math.sqrt(3), Math.sqrt(3 - 4 / 3)];
    [m.data[0], m.data[2], m.data[3]].forEach((v, i) => expect(v).toBeCloseTo(l[i], 14));
    expect(m.data[1]).toBe(2);
    expect(() => choleskyInPlace({ rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) }, { shift: Number.NaN, linalg })).toThrow(InvalidArgumentError);
    expect(() => choleskyInPlace({ rows: 2, cols: 3, data: new Float64Array(6) }, { linalg })).toThrow(InvalidArgumentError);
  });
});

describe('float64 Cholesky in place without SharedArrayBuffer (a page that is not cross-origin isolated)', () => {
  it('factors on the portable path as it does with it', () => {
    const n = 60;
    const a = randomSpd(n, 9);
    const ref = cholesky(a, { linalg: 'portable' });
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const m: Matrix = { rows: n, cols: n, data: Float64Array.from(a.data) };
      choleskyInPlace(m, { linalg: 'portable' });
      expect(lowerError(m.data, ref.data, n)).toBeLessThan(1e-14);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

