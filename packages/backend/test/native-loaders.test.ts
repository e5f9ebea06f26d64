/**
 * The two loaders of the native path (src/linalg/native/select.ts): the FFI loader (koffi, prebuilt)
 * is the default; the FFI and the compiled C addon call the same library routines, so they give
 * bitwise-identical results; `NCLAB_NATIVE_LOADER` forces one, an unknown value is a typed error, and a
 * forced loader that cannot load is a typed error naming it (never a silent switch to the other).
 * Tests that need OpenBLAS/LAPACK are skipped where none loads; the addon comparison where no C
 * compiler can build it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, type LinalgImpl, type Matrix, type Matrix32 } from '../src/index.js';
import { CALL_STACK_BYTES, ffiAddon, loadKoffi } from '../src/linalg/native/ffi.js';
import { loadNative, makeNative, nativeLinalgWith, SINGLE_THREAD_BELOW, SINGLE_THREAD_DECOMPOSITION_MAX } from '../src/linalg/native/load.js';
import type { BlasAddon } from '../src/linalg/native/addon.js';
import { randn } from './helpers.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['NCLAB_NATIVE_LOADER', 'NCLAB_NATIVE_ADDON', 'NCLAB_BLAS_LIBRARY']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  vi.resetModules();
});

const ffi = loadNative('ffi');
const addon = ffi.impl ? loadNative('addon') : { impl: undefined };

const f32 = (m: Matrix): Matrix32 => ({ rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) });
const spd = (n: number, seed: number): Matrix => {
  const x = randn(n, n + 5, seed);
  const c = nativeLinalgWith('ffi').gemm(x, x, { transB: true });
  for (let i = 0; i < n; i++) c.data[i * n + i] += n;
  return c;
};
const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('the FFI loader', () => {
  it('loads koffi from its prebuilt binary (no compiler)', () => {
    const k = loadKoffi();
    expect(k.koffi, k.reason).toBeDefined();
    expect(k.reason).toMatch(/^koffi 3\./);
  });

  it('gives koffi calls a 16 MiB stack (LAPACK routines overflow koffi\'s 2 MiB default and crash the process)', () => {
    const k = loadKoffi();
    expect(k.koffi, k.reason).toBeDefined();
    const config = (k.koffi as unknown as { config(): Record<string, number> }).config();
    expect(config.sync_stack_size).toBeGreaterThanOrEqual(CALL_STACK_BYTES);
    expect(CALL_STACK_BYTES).toBe(16 * 1024 * 1024);
  });

  it.skipIf(!ffi.impl)('is the default loader of the native path, and the reason names it', () => {
    const auto = loadNative('auto');
    expect(auto.loader).toBe('ffi');
    expect(auto.reason).toContain('koffi');
    expect(auto.impl?.path).toBe('native');
  });

  it.skipIf(!ffi.impl)('checks element types as the addon does (koffi alone would pass any typed array)', () => {
    const raw = ffiAddon(loadKoffi().koffi!);
    expect(() => raw.dgemm(0, 0, 1, 1, 1, 1, new Float64Array(1), 1, new Float64Array(1), 1, 0, new Float64Array(1), 1)).toThrow(/load\(\) was not called/);
    raw.load();
    const c = new Float64Array(1);
    raw.dgemm(0, 0, 1, 1, 1, 2, Float64Array.of(3), 1, Float64Array.of(5), 1, 0, c, 1);
    expect(c[0]).toBe(30);
    expect(() => raw.dgemm(0, 0, 1, 1, 1, 1, new Float32Array(1) as unknown as Float64Array, 1, new Float64Array(1), 1, 0, c, 1)).toThrow(TypeError);
    expect(() => raw.sgemm(0, 0, 1, 1, 1, 1, new Float32Array(1), 1, new Float32Array(1), 1, 0, new Float64Array(1) as unknown as Float32Array, 1)).toThrow(TypeError);
  });
});

/** The reference product in plain float64 loops: op(A)·op(B), row-major. */
function naive(a: Matrix, b: Matrix, tA: boolean, tB: boolean, alpha: number): Float64Array {
  const m = tA ? a.cols : a.rows, k = tA ? a.rows : a.cols, n = tB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a.data[p * a.cols + i] : a.data[i * a.cols + p]) * (tB ? b.data[j * b.cols + p] : b.data[p * b.cols + j]);
      out[i * n + j] = alpha * s;
    }
  }
  return out;
}

describe.skipIf(!ffi.impl)('matrix-vector products on the native path (routed to gemv)', () => {
  const impl = ffi.impl as LinalgImpl;
  it('one output column or row, every transpose flag, equals the float64 loop product (float32 to its precision)', () => {
    const k = 37, m = 29;
    const cases: [Matrix, Matrix, boolean, boolean][] = [
      [randn(m, k, 1), randn(k, 1, 2), false, false], // A·x
      [randn(k, m, 3), randn(k, 1, 4), true, false], // Aᵀ·x
      [randn(m, k, 5), randn(1, k, 6), false, true], // A·(xᵀ)ᵀ
      [randn(k, m, 7), randn(1, k, 8), true, true],
      [randn(1, k, 9), randn(k, m, 10), false, false], // xᵀ·B
      [randn(k, 1, 11), randn(k, m, 12), true, false],
      [randn(1, k, 13), randn(m, k, 14), false, true], // xᵀ·Bᵀ
      [randn(k, 1, 15), randn(m, k, 16), true, true],
      [randn(1, k, 17), randn(k, 1, 18), false, false], // a dot product
    ];
    for (const [a, b, transA, transB] of cases) {
      const want = naive(a, b, transA, transB, 0.7);
      const got = impl.gemm(a, b, { transA, transB, alpha: 0.7 });
      expect([got.rows, got.cols]).toEqual([transA ? a.cols : a.rows, transB ? b.rows : b.cols]);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got.data[i] - want[i])).toBeLessThan(1e-13 * k);
      const g32 = impl.sgemm(f32(a), f32(b), { transA, transB, alpha: 0.7 });
      for (let i = 0; i < want.length; i++) expect(Math.abs(g32.data[i] - want[i])).toBeLessThan(1e-5 * k);
    }
  });

  it('overwrites an `out` buffer holding NaN (beta = 0 means the old contents are not read)', () => {
    const a = randn(20, 30, 21), x = randn(30, 1, 22);
    const out = new Float64Array(20).fill(NaN);
    impl.gemm(a, x, { out });
    const want = naive(a, x, false, false, 1);
    for (let i = 0; i < 20; i++) expect(Math.abs(out[i] - want[i])).toBeLessThan(1e-12);
    const out2 = new Float64Array(20).fill(NaN);
    impl.gemm({ rows: 1, cols: 30, data: x.data }, a, { transB: true, out: out2 });
    expect(out2.every(Number.isFinite)).toBe(true);
  });

  it('gives the same result as the gemm route it replaces, to rounding (a 2-column product, column by column)', () => {
    const a = randn(300, 200, 31), x = randn(200, 2, 32);
    const both = impl.gemm(a, x);
    for (let j = 0; j < 2; j++) {
      const col = { rows: 200, cols: 1, data: Float64Array.from({ length: 200 }, (_, i) => x.data[i * 2 + j]) };
      const v = impl.gemm(a, col);
      for (let i = 0; i < 300; i++) expect(Math.abs(v.data[i] - both.data[i * 2 + j])).toBeLessThan(1e-12 * (1 + Math.abs(both.data[i * 2 + j])));
    }
  });
});

describe.skipIf(!ffi.impl)('OpenBLAS thread count per product size (FFI loader)', () => {
  // the FFI addon, with every product call recording the thread count it ran under
  const koffi = loadKoffi().koffi;
  const base = koffi ? ffiAddon(koffi) : ({} as BlasAddon);
  if (koffi) base.load();
  const seen: number[] = [];
  const spy = { ...base } as BlasAddon;
  for (const name of ['dgemm', 'sgemm', 'dgemv', 'sgemv', 'dsyevd', 'dgesddValues'] as const) {
    (spy as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      seen.push(base.threads!());
      if (name.endsWith('gemm') && args[4] === 7) throw new Error('simulated failure inside BLAS');
      return (base[name] as (...a: unknown[]) => void)(...args);
    };
  }
  const impl = makeNative(spy, 'spy');
  const initial = base.threads ? base.threads() : 0;

  it.skipIf(!base.threads || initial < 2)('runs products below the measured sizes on one thread, larger ones on all, and restores the count', () => {
    seen.length = 0;
    impl.sgemm(f32(randn(128, 256, 1)), f32(randn(10, 256, 2)), { transB: true }); // 327k multiply-adds
    impl.gemm(randn(100, 1000, 3), randn(100, 1, 4), { transA: true }); // gemv over 100k entries
    impl.gemm(randn(200, 200, 5), randn(200, 200, 6)); // 8M multiply-adds
    impl.gemm(randn(500, 1000, 7), randn(1000, 1, 8)); // gemv over 500k entries
    impl.gemm(randn(1000, 1000, 11), randn(1000, 1, 12)); // gemv over 1M entries
    expect(seen).toEqual([1, 1, initial, 1, initial]);
    expect(128 * 256 * 10).toBeLessThan(SINGLE_THREAD_BELOW.gemm);
    expect(base.threads!()).toBe(initial);
  });

  it.skipIf(!base.threads || initial < 2)('runs eigendecompositions and singular values up to order 1024 on one thread, larger ones on all', () => {
    seen.length = 0;
    const sym = (n: number): Matrix => {
      const x = randn(n, n, n);
      return nativeLinalgWith('ffi').gemm(x, x, { transA: true });
    };
    impl.eigh(sym(64));
    impl.eigh(sym(SINGLE_THREAD_DECOMPOSITION_MAX + 1));
    impl.singularValues(randn(40, 300, 13)); // smaller side 40
    impl.singularValues(randn(SINGLE_THREAD_DECOMPOSITION_MAX + 1, SINGLE_THREAD_DECOMPOSITION_MAX + 2, 14));
    expect(seen).toEqual([1, initial, 1, initial]);
    expect(base.threads!()).toBe(initial);
  });

  it.skipIf(!base.threads || initial < 2)('restores the count when the call throws', () => {
    seen.length = 0;
    // k = 7 makes the spy throw
    expect(() => impl.gemm(randn(3, 7, 9), randn(7, 3, 10))).toThrow(/simulated failure/);
    expect(seen).toEqual([1]);
    expect(base.threads!()).toBe(initial);
  });
});

describe.skipIf(!ffi.impl)('a float32 matrix times its own transpose (the ssyrk route)', () => {
  const koffi = loadKoffi().koffi;
  const base = koffi ? ffiAddon(koffi) : ({} as BlasAddon);
  if (koffi) base.load();
  const calls = { ssyrk: 0, sgemm: 0 };
  const counting = { ...base } as BlasAddon;
  for (const name of ['ssyrk', 'sgemm'] as const) {
    (counting as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name]++;
      return (base[name] as (...a: unknown[]) => void)(...args);
    };
  }
  const impl = makeNative(counting, 'counting');
  const { ssyrk: _drop, ...withoutSsyrk } = base;
  const plain = makeNative(withoutSsyrk as BlasAddon, 'no ssyrk');
  const x = f32(randn(300, 70, 21));
  const copy: Matrix32 = { rows: x.rows, cols: x.cols, data: x.data.slice() };
  const exactlySymmetric = (m: Matrix32): boolean => {
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < i; j++) if (!Object.is(m.data[i * m.cols + j], m.data[j * m.cols + i])) return false;
    return true;
  };

  it('computes XᵀX and XXᵀ through ssyrk, exactly symmetric and equal to the full sgemm product to float32 rounding', () => {
    for (const transA of [true, false]) {
      calls.ssyrk = calls.sgemm = 0;
      const p = impl.sgemm(x, x, { transA, transB: !transA });
      expect(calls).toEqual({ ssyrk: 1, sgemm: 0 });
      const full = impl.sgemm(x, copy, { transA, transB: !transA }); // two arrays: sgemm
      expect(calls).toEqual({ ssyrk: 1, sgemm: 1 });
      expect(p.rows).toBe(transA ? 70 : 300);
      expect(exactlySymmetric(p)).toBe(true);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < p.data.length; i++) {
        worst = Math.max(worst, Math.abs(p.data[i] - full.data[i]));
        scale = Math.max(scale, Math.abs(full.data[i]));
      }
      // inner size 300 or 70 in float32: well inside k·2⁻²⁴ of the largest entry
      expect(worst).toBeLessThan(300 * 2 ** -24 * scale);
    }
  });

  it('writes into out (stale NaNs in its upper triangle overwritten) and applies alpha', () => {
    const out = new Float32Array(70 * 70).fill(Number.NaN);
    const p = impl.sgemm(x, x, { transA: true, out, alpha: 0.5 });
    expect(p.data).toBe(out);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
    const ref = impl.sgemm(x, x, { transA: true });
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(Math.fround(0.5 * ref.data[i]));
  });

  it('keeps sgemm when beta ≠ 0 (C is read) and for an addon without ssyrk, which gives the full product mirrored', () => {
    calls.ssyrk = calls.sgemm = 0;
    const c = new Float32Array(70 * 70).fill(1);
    impl.sgemm(x, x, { transA: true, out: c, beta: 1 });
    expect(calls).toEqual({ ssyrk: 0, sgemm: 1 });
    const viaPlain = plain.ssyrk(x, { trans: true });
    const full = plain.sgemm(x, copy, { transA: true });
    expect(exactlySymmetric(viaPlain)).toBe(true);
    for (let i = 0; i < 70; i++) for (let j = 0; j <= i; j++) expect(viaPlain.data[i * 70 + j]).toBe(full.data[i * 70 + j]);
  });
});

describe.skipIf(!ffi.impl || !addon.impl)('FFI and compiled addon', () => {
  const [a, b] = [ffi.impl as LinalgImpl, addon.impl as LinalgImpl];
  it('give bitwise-identical matrix-vector products (gemv, all transpose flags)', () => {
    for (const [x, y, transA, transB] of [
      [randn(40, 30, 41), randn(30, 1, 42), false, false], [randn(30, 40, 43), randn(30, 1, 44), true, false],
      [randn(1, 30, 45), randn(30, 40, 46), false, false], [randn(1, 30, 47), randn(40, 30, 48), false, true],
    ] as [Matrix, Matrix, boolean, boolean][]) {
      expect(sameBits(a.gemm(x, y, { transA, transB }).data, b.gemm(x, y, { transA, transB }).data)).toBe(true);
      expect(sameBits(a.sgemm(f32(x), f32(y), { transA, transB }).data, b.sgemm(f32(x), f32(y), { transA, transB }).data)).toBe(true);
    }
  });

  it('give bitwise-identical dgemm and sgemm on random inputs (all transpose flags)', () => {
    const x = randn(67, 45, 1);
    const y = randn(45, 53, 2);
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const xa = transA ? randn(45, 67, 3) : x;
      const yb = transB ? randn(53, 45, 4) : y;
      expect(sameBits(a.gemm(xa, yb, { transA, transB, alpha: 0.7 }).data, b.gemm(xa, yb, { transA, transB, alpha: 0.7 }).data)).toBe(true);
      expect(sameBits(a.sgemm(f32(xa), f32(yb), { transA, transB }).data, b.sgemm(f32(xa), f32(yb), { transA, transB }).data)).toBe(true);
    }
    const big = randn(300, 300, 5);
    expect(sameBits(a.gemm(big, big).data, b.gemm(big, big).data)).toBe(true);
  });

  it('give bitwise-identical ssyrk (a float32 matrix times its own transpose), both orientations', () => {
    const x = f32(randn(300, 70, 15));
    for (const transA of [true, false]) {
      const p = a.sgemm(x, x, { transA, transB: !transA });
      expect(sameBits(p.data, b.sgemm(x, x, { transA, transB: !transA }).data)).toBe(true);
      expect(sameBits(a.ssyrk(x, { trans: transA }).data, b.ssyrk(x, { trans: transA }).data)).toBe(true);
    }
  });

  it('give bitwise-identical dpotrf (cholesky) and dsyevd (eigh)', () => {
    const s = spd(90, 6);
    expect(sameBits(a.cholesky(s).data, b.cholesky(s).data)).toBe(true);
    const e1 = a.eigh(s);
    const e2 = b.eigh(s);
    expect(sameBits(e1.values, e2.values)).toBe(true);
    expect(sameBits(e1.vectors.data, e2.vectors.data)).toBe(true);
  });

  it('give bitwise-identical spotrf/spotrs, dgesv and dgesdd', () => {
    const s = spd(40, 7);
    const l1 = f32(s);
    const l2 = f32(s);
    a.scholeskyInPlace(l1);
    b.scholeskyInPlace(l2);
    expect(sameBits(l1.data, l2.data)).toBe(true);
    const r = f32(randn(40, 3, 8));
    expect(sameBits(a.scholeskySolve(l1, r).data, b.scholeskySolve(l2, r).data)).toBe(true);
    const g = randn(40, 40, 9);
    expect(sameBits(a.solve(g, randn(40, 2, 10)).data, b.solve(g, randn(40, 2, 10)).data)).toBe(true);
    const w = randn(30, 20, 11);
    expect(sameBits(a.svd(w).s, b.svd(w).s)).toBe(true);
  });
});

describe('forcing a loader', () => {
  it('rejects an unknown NCLAB_NATIVE_LOADER value with a typed error naming the variable', async () => {
    process.env.NCLAB_NATIVE_LOADER = 'ctypes';
    const fresh = await import('../src/linalg/native/load.js');
    const errors = await import('../src/errors/errors.js');
    const err = (() => {
      try {
        fresh.loadNative();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(errors.InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('NCLAB_NATIVE_LOADER');
  });

  it.skipIf(!ffi.impl || !addon.impl)('NCLAB_NATIVE_LOADER=addon and =ffi each pick that loader', async () => {
    for (const loader of ['addon', 'ffi'] as const) {
      process.env.NCLAB_NATIVE_LOADER = loader;
      vi.resetModules();
      const fresh = await import('../src/linalg/native/load.js');
      const r = fresh.loadNative();
      expect(r.loader).toBe(loader);
      expect(r.reason).toContain(`${loader} requested`);
    }
  });

  it('a forced addon that is missing is a typed error naming the loader, not a switch to the FFI', async () => {
    process.env.NCLAB_NATIVE_ADDON = '/nonexistent/nclab_blas.node';
    process.env.NCLAB_NATIVE_LOADER = 'addon';
    const fresh = await import('../src/linalg/native/load.js');
    const errors = await import('../src/errors/errors.js');
    const path = await import('../src/linalg/path.js');
    expect(fresh.loadNative().impl).toBeUndefined();
    expect(fresh.loadNative().reason).toMatch(/addon loader was requested.*NCLAB_NATIVE_ADDON/);
    const err = (() => {
      try {
        fresh.nativeLinalgWith('addon');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(errors.InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('loader');
    // the per-call path request fails the same way (no silent switch)
    expect(() => path.resolveLinalg('native')).toThrow(errors.InvalidArgumentError);
  });

  it('a forced FFI whose library does not load is a typed error naming the loader', async () => {
    process.env.NCLAB_BLAS_LIBRARY = '/nonexistent/libblas.so';
    const fresh = await import('../src/linalg/native/load.js');
    const errors = await import('../src/errors/errors.js');
    let err: unknown;
    try {
      fresh.nativeLinalgWith('ffi');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(errors.InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('loader');
    expect(String((err as Error).message)).toContain('/nonexistent/libblas.so');
  });
});
