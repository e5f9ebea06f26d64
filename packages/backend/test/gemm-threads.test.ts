import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmWasmModule } from '../src/linalg/portable/gemm-wasm.js';
import { closeGemmPool, runParallel, sharedArray, waitForGemmWorkers } from '../src/linalg/portable/gemm-pool.js';
import { createGemmRunner, type GemmJob } from '../src/linalg/portable/gemm-rows.js';
import { poolSize } from '../src/runtime/threads.js';
import { cholesky, gemm, setLinalgPath, syrk } from '../src/index.js';
import { maxAbsDiff, naiveMul, randn, randomSpd } from './helpers.js';

// The portable float64 GEMM splits rows of C across the main thread and worker threads; each entry
// is computed in the same order on every thread, so the threaded result must equal the
// single-threaded one bit for bit.
const module = gemmWasmModule();
const threaded = poolSize() >= 2;

function job(m: number, n: number, k: number, tA: boolean, tB: boolean, lower = false): { job: GemmJob; a: ReturnType<typeof randn>; b: ReturnType<typeof randn> } {
  const a = tA ? randn(k, m, 11) : randn(m, k, 11);
  const b = lower ? a : tB ? randn(n, k, 12) : randn(k, n, 12);
  return {
    a, b,
    job: {
      m, n, k, alpha: -0.75,
      a: a.data, aOff: 0, lda: a.cols, transA: tA,
      b: b.data, bOff: 0, ldb: b.cols, transB: lower ? !tA : tB,
      c: new Float64Array(m * n), cOff: 0, ldc: n, lower,
    },
  };
}

/** Number of entries that differ (bitwise); a count keeps failure output small. */
function mismatches(x: Float64Array | Float32Array, y: Float64Array | Float32Array): number {
  let n = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) n++;
  return n;
}

describe.skipIf(!module)('multi-threaded portable GEMM', () => {
  beforeAll(() => {
    // products never wait for workers; wait here so that the workers do take part
    expect(waitForGemmWorkers(module as WebAssembly.Module)).toBe(threaded ? poolSize() - 1 : 0);
  });

  afterAll(async () => {
    await closeGemmPool();
  });

  it.each([[false, false], [true, false], [false, true], [true, true]])(
    'equals the single-threaded kernel bit for bit and the triple loop to rounding (transA=%s, transB=%s)',
    (tA, tB) => {
      const { job: j, a, b } = job(301, 263, 270, tA, tB);
      const single = { ...j, c: new Float64Array(j.c.length) };
      createGemmRunner(module as WebAssembly.Module).run(single, 0, j.m);
      // with tA = tB the workers alone run it; otherwise the main thread takes part
      const workerChunks = runParallel(j, module as WebAssembly.Module, tA !== tB);
      expect(workerChunks >= 0).toBe(threaded);
      if (workerChunks < 0) createGemmRunner(module as WebAssembly.Module).run(j, 0, j.m);
      else if (tA === tB) expect(workerChunks).toBeGreaterThan(0);
      expect(mismatches(j.c, single.c)).toBe(0);
      const ref = naiveMul(a, b, tA, tB).data.map((v) => -0.75 * v);
      expect(maxAbsDiff(j.c, ref)).toBeLessThan(1e-12 * 270);
    },
  );

  it.each([[false, false], [true, false], [false, true], [true, true]])(
    'float32: threaded equals single-threaded bit for bit, and the float64 product to float32 rounding (transA=%s, transB=%s)',
    (tA, tB) => {
      const { job: j64, a, b } = job(203, 77, 300, tA, tB);
      const j: GemmJob = { ...j64, f32: true, a: Float32Array.from(j64.a), b: Float32Array.from(j64.b), c: new Float32Array(j64.c.length) };
      const single = { ...j, c: new Float32Array(j.c.length) };
      createGemmRunner(module as WebAssembly.Module).run(single, 0, j.m);
      if (runParallel(j, module as WebAssembly.Module) < 0) createGemmRunner(module as WebAssembly.Module).run(j, 0, j.m);
      expect(mismatches(j.c, single.c)).toBe(0);
      const ref = naiveMul(a, b, tA, tB).data.map((v) => -0.75 * v);
      expect(j.c).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(j.c, ref)).toBeLessThan(2e-5 * Math.sqrt(300) * 0.75);
      expect(maxAbsDiff(j.c, ref)).toBeGreaterThan(0); // float32 arithmetic, not float64 rounded once
    },
  );

  it.skipIf(!threaded)('copies plain operands into staging buffers it keeps: repeated products fault few fresh pages and give the same bits', () => {
    const { job: j } = job(300, 290, 280, false, true); // 24M multiply-adds: threaded; A, B, C 0.6–0.7 MB each
    expect(runParallel(j, module as WebAssembly.Module)).toBeGreaterThanOrEqual(0);
    const first = Float64Array.from(j.c);
    const before = process.resourceUsage().minorPageFault;
    for (let r = 0; r < 5; r++) {
      j.c.fill(0);
      runParallel(j, module as WebAssembly.Module);
    }
    // fresh shared buffers each time: about 500 pages a product (2,500 here, 2,701 measured); kept
    // buffers measured 0–658 (the process's other allocations: one run in four passed 500)
    expect(process.resourceUsage().minorPageFault - before).toBeLessThan(1200);
    expect(mismatches(j.c, first)).toBe(0);
    expect(j.c.buffer).toBeInstanceOf(ArrayBuffer); // C is copied back into the caller's plain array
  });

  it('lower-triangle products cover every entry on or below the diagonal', () => {
    const { job: j, a } = job(333, 333, 200, false, false, true);
    if (runParallel(j, module as WebAssembly.Module) < 0) createGemmRunner(module as WebAssembly.Module).run(j, 0, j.m);
    const ref = naiveMul(a, a, false, true).data;
    let err = 0;
    for (let i = 0; i < 333; i++) for (let c = 0; c <= i; c++) err = Math.max(err, Math.abs(j.c[i * 333 + c] + 0.75 * ref[i * 333 + c]));
    expect(err).toBeLessThan(1e-12 * 200);
  });

  it('accumulates into shared C in place when A, B and C are views of one shared buffer (the Cholesky update)', () => {
    const n = 400, k = 96;
    const buf = sharedArray(Float64Array, n * n);
    buf.set(randn(n, n, 13).data);
    const before = Float64Array.from(buf);
    // C[k.., k..] -= P Pᵀ with P = buf[k.., 0..k), lower blocks only
    const j: GemmJob = {
      m: n - k, n: n - k, k, alpha: -1,
      a: buf, aOff: k * n, lda: n, transA: false,
      b: buf, bOff: k * n, ldb: n, transB: true,
      c: buf, cOff: k * n + k, ldc: n, lower: true,
    };
    if (runParallel(j, module as WebAssembly.Module) < 0) createGemmRunner(module as WebAssembly.Module).run(j, 0, j.m);
    let err = 0;
    for (let i = k; i < n; i++) {
      for (let c = k; c <= i; c++) {
        let s = before[i * n + c];
        for (let p = 0; p < k; p++) s -= before[i * n + p] * before[c * n + p];
        err = Math.max(err, Math.abs(buf[i * n + c] - s));
      }
    }
    expect(err).toBeLessThan(1e-11);
    expect(buf.subarray(0, k * n)).toEqual(before.subarray(0, k * n)); // the panel is untouched
  });

  it('a portable Cholesky large enough to use threads reconstructs A; under 4 MiB its factor is a plain array', () => {
    setLinalgPath('portable');
    const n = 520;
    const a = randomSpd(n, 14);
    const l = cholesky(a);
    expect(l.data.buffer).toBeInstanceOf(ArrayBuffer);
    for (let i = 0; i < n; i++) for (let c = i + 1; c < n; c++) expect(l.data[i * n + c]).toBe(0);
    expect(maxAbsDiff(naiveMul(l, l, false, true).data, a.data)).toBeLessThan(1e-11 * n);
    setLinalgPath('auto');
  });

  it('large portable results (Cholesky factor, syrk, gemm) are in shared memory where threads run, so threaded products read them in place', () => {
    setLinalgPath('portable');
    try {
      const n = 760; // 4.6 MB in float64: past HUGE_PAGE_MIN_BYTES
      const g = randn(n, 40, 15);
      const s = syrk(g); // G Gᵀ
      for (let i = 0; i < n; i++) s.data[i * n + i] += n;
      const l = cholesky(s);
      const p = gemm(l, randn(n, n, 16));
      const Shared = threaded ? SharedArrayBuffer : ArrayBuffer;
      for (const x of [s, l, p]) expect(x.data.buffer).toBeInstanceOf(Shared);
      expect(gemm(randn(100, 50, 17), randn(50, 100, 18)).data.buffer).toBeInstanceOf(ArrayBuffer); // small: plain
      // the factor is right: (L Lᵀ)_ij against S_ij on a spread of entries
      for (let t = 0; t < 60; t++) {
        const i = (t * 131) % n;
        const j = (t * 71) % (i + 1);
        let v = 0;
        for (let q = 0; q <= j; q++) v += l.data[i * n + q] * l.data[j * n + q];
        expect(Math.abs(v - s.data[i * n + j])).toBeLessThan(1e-9 * n);
      }
    } finally {
      setLinalgPath('auto');
    }
  });
});
