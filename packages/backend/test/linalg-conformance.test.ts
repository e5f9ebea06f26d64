import { beforeAll, describe, expect, it } from 'vitest';
import {
  cholesky, choleskySolve, eigh, fromRows, gemm, getLinalgImpl, getLinalgInfo, InvalidArgumentError, NumericalError,
  numericalRank, rankOfSingularValues, singularValues, pinv, psdPower, psdSqrt, setLinalgPath, sgemm, solve, ssyrk, solveSpd, svd, syrk, toFloat32, topEigh, type Matrix,
} from '../src/index.js';
import { identityError, maxAbs, maxAbsDiff, naiveMul, randn, randomRank, randomSpd, randomSymmetric } from './helpers.js';
import { linalgPaths } from './linalg-paths.js';

// `portable` always runs; `native` where the addon and OpenBLAS/LAPACK load (CI installs libopenblas0);
// `cuda` where a GPU loads (tools/gpu/smoke.sh).
const paths = linalgPaths();

describe.each(paths)('float64 linear algebra on the %s path', (path) => {
  beforeAll(() => {
    setLinalgPath(path);
  });

  it('reports the forced path', () => {
    expect(getLinalgInfo().path).toBe(path);
  });

  it.each([
    [false, false], [true, false], [false, true], [true, true],
  ])('gemm matches the triple loop (transA=%s, transB=%s, odd sizes, alpha)', (tA, tB) => {
    const m = 37, k = 261, n = 13;
    const a = tA ? randn(k, m, 1) : randn(m, k, 1);
    const b = tB ? randn(n, k, 2) : randn(k, n, 2);
    const c = gemm(a, b, { transA: tA, transB: tB, alpha: -0.5 });
    const ref = naiveMul(a, b, tA, tB);
    expect(c.rows).toBe(m);
    expect(c.cols).toBe(n);
    expect(maxAbsDiff(c.data, ref.data.map((v) => -0.5 * v))).toBeLessThan(1e-12 * k);
  });

  it('gemm rejects mismatched inner sizes with a typed error naming b', () => {
    expect(() => gemm(randn(2, 3, 1), randn(4, 2, 1))).toThrow(InvalidArgumentError);
    expect(() => gemm(randn(2, 3, 1), randn(4, 2, 1))).toThrow(/`b`/);
  });

  it('gemm and sgemm write into options.out (stale contents ignored) and reject a bad out', () => {
    for (const [tA, tB] of [[false, false], [true, true]]) {
      const a = tA ? randn(300, 140, 21) : randn(140, 300, 21);
      const b = tB ? randn(170, 300, 22) : randn(300, 170, 22);
      const out = new Float64Array(140 * 170).fill(Number.NaN);
      const c = gemm(a, b, { transA: tA, transB: tB, alpha: 2, out });
      expect(c.data).toBe(out);
      expect([c.rows, c.cols]).toEqual([140, 170]);
      expect(maxAbsDiff(out, gemm(a, b, { transA: tA, transB: tB, alpha: 2 }).data)).toBe(0);
      const out32 = new Float32Array(140 * 170).fill(Number.NaN);
      expect(sgemm(toFloat32(a), toFloat32(b), { transA: tA, transB: tB, out: out32 }).data).toBe(out32);
      expect(maxAbsDiff(out32, sgemm(toFloat32(a), toFloat32(b), { transA: tA, transB: tB }).data)).toBe(0);
    }
    const a = randn(4, 3, 23);
    expect(gemm(randn(4, 0, 1), randn(0, 2, 1), { out: new Float64Array(8).fill(7) }).data).toEqual(new Float64Array(8));
    expect(() => gemm(a, a, { transB: true, out: new Float64Array(15) })).toThrow(/`options.out` must be of length m·n = 16/);
    expect(() => gemm(a, a, { transB: true, out: new Float32Array(16) })).toThrow(/`options.out` must be a Float64Array/);
    const big = new Float64Array(40);
    const view = { rows: 4, cols: 3, data: big.subarray(0, 12) };
    expect(() => gemm(view, a, { transB: true, out: big.subarray(10, 26) })).toThrow(/`options.out` must be memory not shared with a/);
    expect(() => gemm(a, view, { transB: true, out: big.subarray(8, 24) })).toThrow(InvalidArgumentError);
    expect(gemm(view, a, { transB: true, out: big.subarray(12, 28) }).rows).toBe(4); // adjacent, not overlapping
  });

  it('gemm and sgemm accumulate into out with beta: C ← alpha·op(A)·op(B) + beta·C (matrix, one column, one row, k = 0)', () => {
    // shapes through every native route: gemm, gemv for one output column, gemv for one output row
    for (const [m, k, n] of [[37, 61, 13], [41, 29, 1], [1, 29, 43]]) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
        const a = tA ? randn(k, m, 31) : randn(m, k, 31);
        const b = tB ? randn(n, k, 32) : randn(k, n, 32);
        const c0 = randn(m, n, 33).data;
        const ab = naiveMul(a, b, tA, tB).data;
        for (const beta of [1, -0.75]) {
          const out = c0.slice();
          gemm(a, b, { transA: tA, transB: tB, alpha: 0.5, beta, out });
          expect(maxAbsDiff(out, ab.map((v, i) => 0.5 * v + beta * c0[i]))).toBeLessThan(1e-12 * k);
          const out32 = Float32Array.from(c0);
          sgemm(toFloat32(a), toFloat32(b), { transA: tA, transB: tB, alpha: 0.5, beta, out: out32 });
          expect(maxAbsDiff(out32, ab.map((v, i) => 0.5 * v + beta * Math.fround(c0[i])))).toBeLessThan(1e-5 * k);
        }
      }
    }
    expect(gemm(randn(2, 0, 1), randn(0, 2, 1), { beta: 2, out: Float64Array.of(1, 2, 3, 4) }).data).toEqual(Float64Array.of(2, 4, 6, 8));
    const a = randn(3, 3, 34);
    expect(() => gemm(a, a, { beta: 1 })).toThrow(/`options.beta` must be 0 unless options.out/);
    expect(() => sgemm(toFloat32(a), toFloat32(a), { beta: Number.NaN, out: new Float32Array(9) })).toThrow(InvalidArgumentError);
  });

  it('gemm and sgemm name a NaN or Inf operand wherever it sits, even against zeros of the other operand', () => {
    const m = 150, k = 140, n = 160; // large enough for the threaded/blocked kernels
    const cases: Array<[string, number, number, number]> = [
      ['a', 0, 0, Number.NaN], ['a', m - 1, k - 1, Infinity], ['a', 77, 5, -Infinity],
      ['b', 0, 0, Number.NaN], ['b', k - 1, n - 1, -Infinity], ['b', 9, 101, Infinity],
    ];
    for (const [name, r, c, v] of cases) {
      const a = randn(m, k, 31);
      const b = randn(k, n, 32);
      // zero the entries the bad value meets, so only IEEE propagation (Inf·0, NaN·0) can reveal it
      if (name === 'a') {
        a.data[r * k + c] = v;
        b.data.fill(0, c * n, (c + 1) * n);
      } else {
        b.data[r * n + c] = v;
        for (let i = 0; i < m; i++) a.data[i * k + r] = 0;
      }
      expect(() => gemm(a, b)).toThrow(new RegExp(`\`${name}\` must be finite`));
      expect(() => sgemm(toFloat32(a), toFloat32(b))).toThrow(new RegExp(`\`${name}\` must be finite`));
      const t = name === 'a' ? a : b;
      expect(() => gemm(t, t, { transB: true })).toThrow(/`a` must be finite/);
    }
    // finite inputs whose product overflows are not an input error: C is returned as computed
    const huge = fromRows([[1e200, 1e200]]);
    expect(gemm(huge, huge, { transB: true }).data[0]).toBe(Infinity);
  });

  it('sgemm agrees with the float64 product to float32 precision', () => {
    const a = randn(20, 50, 3), b = randn(50, 30, 4);
    const c = sgemm(toFloat32(a), toFloat32(b));
    expect(c.data).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(c.data, naiveMul(a, b).data)).toBeLessThan(1e-4);
  });

  it('ssyrk gives A·Aᵀ and Aᵀ·A in float32 (large enough for the threaded kernel), exactly symmetric', () => {
    const a = randn(300, 260, 15);
    const a32 = toFloat32(a);
    for (const trans of [false, true]) {
      const c = ssyrk(a32, { trans, alpha: 0.5 });
      const n = trans ? 260 : 300;
      expect(c.data).toBeInstanceOf(Float32Array);
      expect([c.rows, c.cols]).toEqual([n, n]);
      const ref = naiveMul(a, a, trans, !trans).data.map((v) => 0.5 * v);
      expect(maxAbsDiff(c.data, ref)).toBeLessThan(1e-4 * Math.sqrt(trans ? 300 : 260));
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(c.data[i * n + j]).toBe(c.data[j * n + i]);
    }
  });

  it('syrk gives A·Aᵀ and Aᵀ·A, exactly symmetric', () => {
    const a = randn(9, 23, 5);
    const aat = syrk(a);
    const ata = syrk(a, { trans: true, alpha: 2 });
    expect(maxAbsDiff(aat.data, naiveMul(a, a, false, true).data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(ata.data, naiveMul(a, a, true, false).data.map((v) => 2 * v))).toBeLessThan(1e-12);
    for (let i = 0; i < 23; i++) for (let j = 0; j < 23; j++) expect(ata.data[i * 23 + j]).toBe(ata.data[j * 23 + i]);
  });

  it('syrk with lowerOnly gives the same lower triangle, bit for bit, and leaves the rest unmirrored', () => {
    const a = randn(300, 140, 15); // threaded on the portable path
    for (const trans of [false, true]) {
      const full = syrk(a, { trans, alpha: 0.5 });
      const low = syrk(a, { trans, alpha: 0.5, lowerOnly: true });
      const n = full.rows;
      expect(low.rows).toBe(n);
      let differ = 0;
      let upperEqual = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) if (!Object.is(low.data[i * n + j], full.data[i * n + j])) differ++;
        for (let j = i + 8; j < n; j++) if (low.data[i * n + j] === full.data[i * n + j]) upperEqual++; // beyond any kernel tile straddling the diagonal
      }
      expect(differ).toBe(0);
      expect(upperEqual).toBe(0); // not mirrored: the far upper triangle is still the fresh array's zeros
    }
  });

  it('cholesky reconstructs A = L Lᵀ with L lower triangular (n crosses the block size)', () => {
    const n = 130;
    const a = randomSpd(n, 6);
    const l = cholesky(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l.data[i * n + j]).toBe(0);
    expect(maxAbsDiff(naiveMul(l, l, false, true).data, a.data)).toBeLessThan(1e-12 * n);
  });

  it('cholesky of [[4, 2], [2, 3]] is [[2, 0], [1, √2]] and reads only the lower triangle', () => {
    const l = cholesky(fromRows([[4, 999], [2, 3]]));
    expect(maxAbsDiff(l.data, [2, 0, 1, Math.SQRT2])).toBeLessThan(1e-15);
  });

  it('cholesky with a shift factors A + shift·I exactly and leaves A as it was, also when it throws', () => {
    const a = randomSpd(70, 41);
    const before = a.data.slice();
    const shifted = { rows: 70, cols: 70, data: a.data.map((v, i) => (i % 71 === 0 ? v + 0.37 : v)) };
    const l = cholesky(a, { shift: 0.37 });
    expect(maxAbsDiff(l.data, cholesky(shifted).data)).toBe(0);
    expect(maxAbsDiff(a.data, before)).toBe(0);
    const tiny = fromRows([[1e-300, 0], [0, 1]]);
    expect(() => cholesky(tiny, { shift: -1 })).toThrow(NumericalError); // 1e-300 − 1 < 0
    expect(tiny.data[0]).toBe(1e-300); // restored bit for bit, not (1e-300 − 1) + 1 = 0
    expect(() => cholesky(a, { shift: Number.POSITIVE_INFINITY })).toThrow(/`options.shift` must be a finite number/);
  });

  it('cholesky throws NumericalError on an indefinite matrix', () => {
    expect(() => cholesky(fromRows([[1, 2], [2, 1]]))).toThrow(NumericalError);
    expect(() => cholesky(fromRows([[1, 0], [0, 0]]))).toThrow(/not positive definite/);
  });

  it.each([50, 450])('choleskySolve solves A X = B to a small residual (n = %i; 450 crosses the solve blocks)', (n) => {
    const a = randomSpd(n, 7);
    const b = randn(n, 3, 8);
    const x = choleskySolve(cholesky(a), b);
    expect(maxAbsDiff(naiveMul(a, x).data, b.data)).toBeLessThan(1e-11 * Math.sqrt(n / 50));
  });

  it('solve solves a general system and raises NumericalError on a singular one', () => {
    const a = randn(40, 40, 9);
    const b = randn(40, 2, 10);
    const x = solve(a, b);
    expect(maxAbsDiff(naiveMul(a, x).data, b.data)).toBeLessThan(1e-10);
    expect(() => solve(fromRows([[1, 2], [2, 4]]), fromRows([[1], [1]]))).toThrow(NumericalError);
    expect(() => solve(randomRank(20, 20, 15, 11), randn(20, 1, 1))).toThrow(/singular/);
  });

  it('solve stays accurate past the LU block size (n = 150, pivoting across blocks)', () => {
    const a = randn(150, 150, 29);
    const b = randn(150, 3, 30);
    const x = solve(a, b);
    expect(maxAbsDiff(naiveMul(a, x).data, b.data)).toBeLessThan(1e-9);
  });

  it('solve rejects NaN input with InvalidArgumentError naming the argument', () => {
    expect(() => solve(fromRows([[1, Number.NaN], [0, 1]]), fromRows([[1], [1]]))).toThrow(/`a` must be finite/);
  });

  it('eigh satisfies A·V = V·D and VᵀV = I with ascending eigenvalues', () => {
    const n = 90;
    const a = randomSymmetric(n, 12);
    const { values, vectors } = eigh(a);
    const av = naiveMul(a, vectors);
    let res = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) res = Math.max(res, Math.abs(av.data[i * n + j] - vectors.data[i * n + j] * values[j]));
    expect(res).toBeLessThan(1e-11 * maxAbs(values));
    expect(identityError(vectors, false)).toBeLessThan(1e-12);
    for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  });

  it('eigh matches the closed form 2 − 2cos(kπ/(n+1)) of the second-difference matrix', () => {
    const n = 60;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const { values } = eigh({ rows: n, cols: n, data: a });
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expect(maxAbsDiff(values, expected)).toBeLessThan(1e-13);
  });

  it('eigh returns an orthonormal basis for a repeated eigenvalue (I + u uᵀ)', () => {
    const n = 30;
    const u = randn(n, 1, 13);
    const a = naiveMul(u, u, false, true);
    for (let i = 0; i < n; i++) a.data[i * n + i] += 1;
    const { values, vectors } = eigh(a);
    for (let j = 0; j < n - 1; j++) expect(values[j]).toBeCloseTo(1, 12);
    expect(identityError(vectors, false)).toBeLessThan(1e-12);
  });

  it.each([[30, 12], [12, 30], [25, 25]])('svd of a %i×%i matrix reconstructs A with orthonormal factors', (m, n) => {
    const a = randn(m, n, 14);
    const { u, s, vt } = svd(a);
    const k = Math.min(m, n);
    expect([u.rows, u.cols, s.length, vt.rows, vt.cols]).toEqual([m, k, k, k, n]);
    const us: Matrix = { rows: m, cols: k, data: u.data.map((v, i) => v * s[i % k]) };
    expect(maxAbsDiff(naiveMul(us, vt).data, a.data)).toBeLessThan(1e-12 * s[0] * k);
    expect(identityError(u, false)).toBeLessThan(1e-12);
    expect(identityError(vt, true)).toBeLessThan(1e-12);
    for (let j = 1; j < k; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]);
  });

  it('svd of a rank-deficient matrix has zero tail singular values and still-orthonormal U', () => {
    const a = randomRank(20, 10, 4, 15);
    const { u, s } = svd(a);
    expect(s[3] / s[0]).toBeGreaterThan(1e-3);
    for (let j = 4; j < 10; j++) expect(s[j] / s[0]).toBeLessThan(1e-13);
    expect(identityError(u, false)).toBeLessThan(1e-12);
  });

  it('svd recovers tiny singular values to high relative accuracy (diag scaling 1..1e-12)', () => {
    const n = 8;
    const q1 = svd(randn(n, n, 16)).u;
    const q2 = svd(randn(n, n, 17)).vt;
    const sig = Array.from({ length: n }, (_, i) => 10 ** (-(12 * i) / (n - 1)));
    const us: Matrix = { rows: n, cols: n, data: q1.data.map((v, i) => v * sig[i % n]) };
    const { s } = svd(naiveMul(us, q2));
    for (let i = 0; i < n; i++) expect(Math.abs(s[i] - sig[i]) / sig[i]).toBeLessThan(1e-3);
  });

  it('singularValues (no vectors) equals the SVD\'s s, keeps tiny values and zero tails', () => {
    for (const [m, n] of [[30, 12], [12, 30], [25, 25]]) {
      const a = randn(m, n, 14);
      const s = singularValues(a);
      const ref = svd(a).s;
      expect(s.length).toBe(Math.min(m, n));
      for (let j = 0; j < s.length; j++) expect(Math.abs(s[j] - ref[j])).toBeLessThan(1e-13 * ref[0]);
    }
    const r = singularValues(randomRank(20, 10, 4, 15));
    expect(r[3] / r[0]).toBeGreaterThan(1e-3);
    for (let j = 4; j < 10; j++) expect(r[j] / r[0]).toBeLessThan(1e-13);
    const n = 8;
    const q1 = svd(randn(n, n, 16)).u;
    const q2 = svd(randn(n, n, 17)).vt;
    const sig = Array.from({ length: n }, (_, i) => 10 ** (-(12 * i) / (n - 1)));
    const t = singularValues(naiveMul({ rows: n, cols: n, data: q1.data.map((v, i) => v * sig[i % n]) }, q2));
    for (let i = 0; i < n; i++) expect(Math.abs(t[i] - sig[i]) / sig[i]).toBeLessThan(1e-3);
  });

  it('pinv satisfies the four Penrose conditions on a rank-deficient matrix', () => {
    const a = randomRank(12, 9, 5, 18);
    const p = pinv(a);
    expect([p.rows, p.cols]).toEqual([9, 12]);
    const ap = naiveMul(a, p);
    const pa = naiveMul(p, a);
    expect(maxAbsDiff(naiveMul(ap, a).data, a.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(naiveMul(pa, p).data, p.data)).toBeLessThan(1e-10);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) expect(ap.data[i * 12 + j]).toBeCloseTo(ap.data[j * 12 + i], 10);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(pa.data[i * 9 + j]).toBeCloseTo(pa.data[j * 9 + i], 10);
  });

  it('pinv with rank keeps only the top singular values; rtol drops small ones', () => {
    const a = fromRows([[3, 0, 0], [0, 2, 0], [0, 0, 1e-9]]);
    expect(maxAbsDiff(pinv(a, { rank: 1 }).data, [1 / 3, 0, 0, 0, 0, 0, 0, 0, 0])).toBeLessThan(1e-15);
    expect(maxAbsDiff(pinv(a, { rtol: 1e-6 }).data, [1 / 3, 0, 0, 0, 0.5, 0, 0, 0, 0])).toBeLessThan(1e-15);
    expect(pinv(a).data[8]).toBeCloseTo(1e9, 0);
    expect(() => pinv(a, { rank: 4 })).toThrow(InvalidArgumentError);
  });

  it('numericalRank counts singular values above max(m, n)·ε·σ_max', () => {
    expect(numericalRank(randomRank(15, 11, 6, 19))).toBe(6);
    expect(numericalRank(fromRows([[1, 2], [2, 4]]))).toBe(1);
    expect(numericalRank(fromRows([[1, 0], [0, 1e-10]]), { rtol: 1e-8 })).toBe(1);
    // the same rule on singular values already at hand
    const a = randomRank(15, 11, 6, 19);
    expect(rankOfSingularValues(svd(a).s, 15, 11)).toBe(6);
    expect(rankOfSingularValues([1, 1e-10], 2, 2, 1e-8)).toBe(1);
    expect(rankOfSingularValues([1, 1e-10], 2, 2)).toBe(2);
    expect(rankOfSingularValues([], 0, 3)).toBe(0);
  });

  it('psdSqrt squares back to A; psdPower(-1) equals pinv on a PSD matrix', () => {
    const g = naiveMul(randn(6, 10, 20), randn(6, 10, 20), false, true); // rank 6 PSD, 6×6
    const r = psdSqrt(g);
    expect(maxAbsDiff(naiveMul(r, r).data, g.data)).toBeLessThan(1e-10 * maxAbs(g.data));
    const low = randomRank(8, 3, 3, 21);
    const psd = naiveMul(low, low, false, true); // 8×8 rank 3
    expect(maxAbsDiff(psdPower(psd, -1).data, pinv(psd, { rank: 3 }).data)).toBeLessThan(1e-8 * maxAbs(pinv(psd, { rank: 3 }).data));
  });

  it('psdPower on a subspace holding A = Wᵀ S W (W [r, n], r < n): the root squares back to A, matches the n×n route, has no part outside the subspace, and its power −1 is pinv', () => {
    const n = 60, r = 12;
    const w = randn(r, n, 30);
    const s = randomSpd(r, 31);
    const a = gemm(w, gemm(s, w), { transA: true });
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j];
    const q = svd(w).vt; // [r, n], orthonormal rows spanning W's row space
    const sub = psdPower(a, 0.5, { subspace: q });
    const scale = maxAbs(a.data);
    expect(maxAbsDiff(naiveMul(sub, sub).data, a.data)).toBeLessThan(1e-11 * scale);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(sub.data[i * n + j]).toBe(sub.data[j * n + i]);
    const full = psdPower(a, 0.5);
    expect(maxAbsDiff(sub.data, full.data)).toBeLessThan(1e-6 * maxAbs(full.data));
    // (I − QᵀQ)·root: the subspace route puts nothing outside W's row space
    const proj = gemm(q, q, { transA: true });
    const inside = gemm(proj, sub).data;
    const outside = sub.data.map((v, i) => v - inside[i]);
    expect(maxAbs(outside)).toBeLessThan(1e-12 * maxAbs(sub.data));
    const inv = pinv(a, { rank: r });
    expect(maxAbsDiff(psdPower(a, -1, { subspace: q }).data, inv.data)).toBeLessThan(1e-8 * maxAbs(inv.data));
  });

  it('psdPower takes the n×n route (the same bits as without the option) when A is not inside the subspace, and rejects a subspace of the wrong width or without orthonormal rows', () => {
    const a = randomSpd(20, 32);
    const q = svd(randn(5, 20, 33)).vt;
    const withHint = psdPower(a, 0.5, { subspace: q }).data;
    const without = psdPower(a, 0.5).data;
    expect(withHint.every((v, i) => Object.is(v, without[i]))).toBe(true);
    // an indefinite A whose outside eigenvalues (+1, −1) cancel in the trace: the Frobenius mass catches it
    const w = randn(5, 20, 36);
    const basis = svd(w).vt;
    const inside = gemm(w, w, { transA: true });
    const proj = gemm(basis, basis, { transA: true });
    const out = [randn(20, 1, 37), randn(20, 1, 38)].map((v) => {
      const p = gemm(proj, v).data;
      const u = v.data.map((x, i) => x - p[i]);
      const len = Math.sqrt(u.reduce((t, x) => t + x * x, 0));
      return u.map((x) => x / len);
    });
    const u = out[0];
    const pv = out[1].reduce((t, x, i) => t + x * u[i], 0);
    const v = out[1].map((x, i) => x - pv * u[i]);
    const lv = Math.sqrt(v.reduce((t, x) => t + x * x, 0));
    const indefinite = fromRows(Array.from({ length: 20 }, (_, i) => Array.from({ length: 20 }, (_, j) => inside.data[i * 20 + j] + u[i] * u[j] - (v[i] * v[j]) / (lv * lv))));
    const hinted = psdPower(indefinite, 0.5, { subspace: basis }).data;
    const plain = psdPower(indefinite, 0.5).data;
    expect(hinted.every((x, i) => Object.is(x, plain[i]))).toBe(true);
    expect(() => psdPower(a, 0.5, { subspace: randn(5, 20, 34) })).toThrow(InvalidArgumentError);
    expect(() => psdPower(a, 0.5, { subspace: randn(5, 20, 34) })).toThrow(/options\.subspace.*orthonormal/);
    expect(() => psdPower(a, 0.5, { subspace: svd(randn(5, 19, 35)).vt })).toThrow(/options\.subspace/);
  });

  it('psdPower clips negative eigenvalues to zero before the power', () => {
    const r = psdPower(fromRows([[4, 0], [0, -1e-12]]), 0.5);
    expect(maxAbsDiff(r.data, [2, 0, 0, 0])).toBeLessThan(1e-15);
    expect(() => psdPower(fromRows([[1]]), Number.NaN)).toThrow(/`p`/);
  });

  it('solveSpd reports jitter 0 for SPD input and the ridge it needed for a singular PSD one', () => {
    const a = randomSpd(20, 22);
    const b = randn(20, 2, 23);
    const r = solveSpd(a, b);
    expect(r.jitter).toBe(0);
    expect(maxAbsDiff(naiveMul(a, r.x).data, b.data)).toBeLessThan(1e-11);
    const low = randomRank(10, 3, 3, 24);
    const psd = naiveMul(low, low, false, true);
    const s = solveSpd(psd, randn(10, 1, 25));
    expect(s.jitter).toBeGreaterThan(0);
    const shifted = { rows: 10, cols: 10, data: psd.data.map((v, i) => (i % 11 === 0 ? v + s.jitter : v)) };
    // Backward-stable solve: residual small relative to ‖A + δI‖·‖x‖ (x itself is large, ~1/δ).
    const res = maxAbsDiff(naiveMul(shifted, s.x).data, randn(10, 1, 25).data);
    expect(res / (maxAbs(shifted.data) * maxAbs(s.x.data))).toBeLessThan(1e-12);
  });

  it('solveSpd throws NumericalError for a clearly indefinite matrix', () => {
    expect(() => solveSpd(fromRows([[1, 0], [0, -1]]), fromRows([[1], [1]]))).toThrow(NumericalError);
  });

  it('topEigh returns the k largest eigenpairs in descending order', () => {
    const a = randomSymmetric(25, 26);
    const all = eigh(a);
    const top = topEigh(a, 4);
    expect(Array.from(top.values)).toEqual([24, 23, 22, 21].map((j) => all.values[j]));
    expect([top.vectors.rows, top.vectors.cols]).toEqual([25, 4]);
    expect(() => topEigh(a, 26)).toThrow(InvalidArgumentError);
  });

  it('handles empty matrices', () => {
    expect(eigh({ rows: 0, cols: 0, data: new Float64Array(0) }).values.length).toBe(0);
    expect(gemm({ rows: 2, cols: 0, data: new Float64Array(0) }, { rows: 0, cols: 3, data: new Float64Array(0) }).data).toEqual(new Float64Array(6));
  });
});

describe('the two paths agree', () => {
  it.skipIf(paths.length < 2)('eigenvalues and singular values from native and portable match', () => {
    const a = randomSymmetric(70, 27);
    const b = randn(40, 25, 28);
    const nat = getLinalgImpl('native');
    const por = getLinalgImpl('portable');
    if (!nat || !por) return;
    expect(maxAbsDiff(nat.eigh(a).values, por.eigh(a).values)).toBeLessThan(1e-11);
    expect(maxAbsDiff(nat.svd(b).s, por.svd(b).s)).toBeLessThan(1e-11);
  });

  it('setLinalgPath rejects an unknown name', () => {
    expect(() => setLinalgPath('fast' as 'auto')).toThrow(InvalidArgumentError);
  });
});
