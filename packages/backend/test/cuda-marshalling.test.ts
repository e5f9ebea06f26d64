import { afterEach, describe, expect, it } from 'vitest';
import { fromRows, getLinalgImpl, InvalidArgumentError, NumericalError, toFloat32, type Matrix } from '../src/index.js';
import { makeCudaDevice } from '../src/linalg/cuda/device.js';
import { CudaUnavailableError } from '../src/linalg/cuda/errors.js';
import { makeCudaLinalg } from '../src/linalg/cuda/impl.js';
import { fakeCuda } from './cuda-fake-addon.js';
import { identityError, maxAbsDiff, naiveMul, randn, randomSpd, randomSymmetric } from './helpers.js';

// The `cuda` implementation over a fake addon whose routines are column-major reference loops with
// the C APIs' argument order: checks the row-major ↔ column-major marshalling, the triangles, info
// handling and that every device buffer is freed. The GPU itself is checked by tools/gpu/smoke.sh.
const portable = getLinalgImpl('portable')!;
const fake = fakeCuda();
const cuda = makeCudaLinalg(fake, 'fake cuBLAS');

afterEach(() => {
  expect(fake.live()).toBe(0); // no device memory leaks, also after a throw
});

describe('cuda linear algebra over the fake addon (marshalling)', () => {
  it.each([[false, false], [true, false], [false, true], [true, true]])('gemm/sgemm match the triple loop (transA=%s, transB=%s)', (tA, tB) => {
    const m = 7, k = 11, n = 5;
    const a = tA ? randn(k, m, 1) : randn(m, k, 1);
    const b = tB ? randn(n, k, 2) : randn(k, n, 2);
    const ref = naiveMul(a, b, tA, tB).data.map((v) => 1.5 * v);
    const c = cuda.gemm(a, b, { transA: tA, transB: tB, alpha: 1.5 });
    expect([c.rows, c.cols]).toEqual([m, n]);
    expect(maxAbsDiff(c.data, ref)).toBeLessThan(1e-12);
    const c32 = cuda.sgemm(toFloat32(a), toFloat32(b), { transA: tA, transB: tB, alpha: 1.5 });
    expect(c32.data).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(c32.data, ref)).toBeLessThan(1e-4);
  });

  it('gemm writes into options.out and handles empty inner sizes', () => {
    const out = new Float64Array(6).fill(Number.NaN);
    expect(cuda.gemm(randn(2, 4, 3), randn(4, 3, 4), { out }).data).toBe(out);
    expect(maxAbsDiff(out, naiveMul(randn(2, 4, 3), randn(4, 3, 4)).data)).toBeLessThan(1e-12);
    expect(cuda.gemm(randn(2, 0, 1), randn(0, 3, 1)).data).toEqual(new Float64Array(6));
  });

  it('gemm accumulates into options.out with beta (the old C uploaded, not a fresh device buffer)', () => {
    const c0 = randn(2, 3, 5).data;
    const out = c0.slice();
    cuda.gemm(randn(2, 4, 3), randn(4, 3, 4), { out, alpha: 2, beta: -0.5 });
    const ab = naiveMul(randn(2, 4, 3), randn(4, 3, 4)).data;
    expect(maxAbsDiff(out, ab.map((v, i) => 2 * v - 0.5 * c0[i]))).toBeLessThan(1e-12);
  });

  it.each([false, true])('syrk/ssyrk give the full symmetric product (trans=%s)', (trans) => {
    const a = randn(6, 9, 5);
    const ref = naiveMul(a, a, trans, !trans).data.map((v) => 2 * v);
    const c = cuda.syrk(a, { trans, alpha: 2 });
    expect(c.rows).toBe(trans ? 9 : 6);
    expect(maxAbsDiff(c.data, ref)).toBeLessThan(1e-12);
    const c32 = cuda.ssyrk(toFloat32(a), { trans, alpha: 2 });
    expect(maxAbsDiff(c32.data, ref)).toBeLessThan(1e-4);
  });

  it('cholesky returns the lower factor (upper part zero) and choleskySolve solves', () => {
    const a = randomSpd(8, 6);
    const l = cuda.cholesky(a);
    expect(maxAbsDiff(l.data, portable.cholesky(a).data)).toBeLessThan(1e-12);
    const b = randn(8, 3, 7);
    const x = cuda.choleskySolve(l, b);
    expect(maxAbsDiff(naiveMul(a, x).data, b.data)).toBeLessThan(1e-9);
  });

  it('cholesky of an indefinite matrix is a NumericalError naming the leading minor', () => {
    const a = fromRows([[1, 2], [2, 1]]);
    expect(() => cuda.cholesky(a)).toThrow(NumericalError);
    expect(() => cuda.cholesky(a)).toThrow(/leading minor 2/);
  });

  it('solve matches portable and rejects a singular matrix with the shared pivot rule', () => {
    const a = randn(9, 9, 8);
    const b = randn(9, 2, 9);
    expect(maxAbsDiff(cuda.solve(a, b).data, portable.solve(a, b).data)).toBeLessThan(1e-9);
    const sing = fromRows([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
    expect(() => cuda.solve(sing, randn(3, 1, 1))).toThrow(NumericalError);
    expect(() => cuda.solve(sing, randn(3, 1, 1))).toThrow(/singular/);
  });

  it('eigh reads the lower triangle only and returns ascending values with column eigenvectors', () => {
    const a = randomSymmetric(7, 10);
    const upperJunk = Float64Array.from(a.data);
    for (let i = 0; i < 7; i++) for (let j = i + 1; j < 7; j++) upperJunk[i * 7 + j] = 99;
    const e = cuda.eigh({ rows: 7, cols: 7, data: upperJunk });
    expect(maxAbsDiff(e.values, portable.eigh(a).values)).toBeLessThan(1e-10);
    const av = naiveMul(a, e.vectors);
    for (let j = 0; j < 7; j++) for (let i = 0; i < 7; i++) expect(av.data[i * 7 + j]).toBeCloseTo(e.values[j] * e.vectors.data[i * 7 + j], 9);
  });

  it.each([[9, 4], [4, 9], [5, 5]])('svd of a %i×%i matrix reconstructs it with orthonormal factors', (m, n) => {
    const a = randn(m, n, m * 10 + n);
    const r = cuda.svd(a);
    const k = Math.min(m, n);
    expect([r.u.rows, r.u.cols, r.vt.rows, r.vt.cols]).toEqual([m, k, k, n]);
    for (let i = 1; i < k; i++) expect(r.s[i]).toBeLessThanOrEqual(r.s[i - 1]);
    const us: Matrix = { rows: m, cols: k, data: r.u.data.map((v, idx) => v * r.s[idx % k]) };
    expect(maxAbsDiff(naiveMul(us, r.vt).data, a.data)).toBeLessThan(1e-10);
    expect(identityError(r.u, false)).toBeLessThan(1e-10); // orthonormal columns
    expect(identityError(r.vt, true)).toBeLessThan(1e-10); // orthonormal rows
  });
});

describe('cuda device API over the fake addon', () => {
  it('kernelBlock gives exp(-‖x−z‖/σ) and exp(-‖x−z‖²/(2σ²)) from two NVRTC kernels and a GEMM', () => {
    const x = randn(5, 3, 11);
    const z = randn(4, 3, 12);
    const dev = makeCudaDevice(fake, true);
    for (const [kind, f] of [['laplace', (d2: number) => Math.exp(-Math.sqrt(d2) / 2)], ['gaussian', (d2: number) => Math.exp(-d2 / 8)]] as const) {
      const dx = dev.upload(x);
      const dz = dev.upload(z);
      const k = dev.kernelBlock(dx, dz, { kind, bandwidth: 2 });
      const host = dev.download(k);
      for (const d of [dx, dz, k]) dev.free(d);
      for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) {
        let d2 = 0;
        for (let c = 0; c < 3; c++) d2 += (x.data[i * 3 + c] - z.data[j * 3 + c]) ** 2;
        expect(host.data[i * 4 + j]).toBeCloseTo(f(d2), 12);
      }
    }
    expect(fake.launches.every((l) => l.block === 256)).toBe(true);
  });

  it('gemm chains on the device (beta accumulates, out reused) and checks shapes', () => {
    const dev = makeCudaDevice(fake, true);
    const a = dev.upload(randn(3, 4, 1));
    const b = dev.upload(randn(4, 2, 2));
    const c = dev.gemm(a, b);
    dev.gemm(a, b, { alpha: 2, beta: 1, out: c });
    const ref = naiveMul(randn(3, 4, 1), randn(4, 2, 2)).data.map((v) => 3 * v);
    expect(maxAbsDiff(dev.download(c).data, ref)).toBeLessThan(1e-12);
    expect(() => dev.gemm(a, a)).toThrow(InvalidArgumentError);
    expect(() => dev.gemm(a, b, { out: a })).toThrow(InvalidArgumentError);
    for (const d of [a, b, c]) dev.free(d);
  });

  it('choleskyInPlace leaves the lower factor in the lower triangle and rejects an indefinite matrix', () => {
    const dev = makeCudaDevice(fake, true);
    const a = randomSpd(6, 3);
    const d = dev.upload(a);
    dev.choleskyInPlace(d);
    const got = dev.download(d).data;
    const l = portable.cholesky(a).data;
    for (let i = 0; i < 6; i++) for (let j = 0; j <= i; j++) expect(got[i * 6 + j]).toBeCloseTo(l[i * 6 + j], 12);
    dev.free(d);
    const bad = dev.upload(fromRows([[1, 2], [2, 1]]));
    expect(() => dev.choleskyInPlace(bad)).toThrow(NumericalError);
    dev.free(bad);
  });

  it('kernelBlock without NVRTC is a CudaUnavailableError naming libnvrtc', () => {
    const dev = makeCudaDevice(fake, false);
    const x = dev.upload(randn(2, 2, 1));
    let err: unknown;
    try {
      dev.kernelBlock(x, x, { kind: 'laplace', bandwidth: 1 });
    } catch (e) {
      err = e;
    }
    dev.free(x);
    expect(err).toBeInstanceOf(CudaUnavailableError);
    expect((err as CudaUnavailableError).library).toBe('libnvrtc');
  });
});
