import { describe, expect, it } from 'vitest';
import { gemmAccumulate } from '../src/linalg/portable/gemm-kernel.js';
import { createGemmRunner, type GemmJob } from '../src/linalg/portable/gemm-rows.js';
import { arenaOf, runThin, thinWasmModule, THIN_MAX_BYTES } from '../src/linalg/portable/gemm-thin.js';
import { gemmWasmModule } from '../src/linalg/portable/gemm-wasm.js';
import { createKernelArena } from '../src/linalg/portable/kernel-arena.js';
import { axpy, createRng, dot, gemm, setLinalgPath } from '../src/index.js';
import { maxAbsDiff } from './helpers.js';

// The thin-product kernels (one of m, n small, or a small k with B as stored) run without packing,
// on operands copied once into their WebAssembly memory, or used in place when they lie in a kernel
// arena. Both must give the triple loop's result to rounding; in place and copied must agree bit
// for bit (the same kernel on the same numbers).
const available = thinWasmModule() !== null;

/** A stored operand with a leading dimension `ld` ≥ cols and `off` entries before it (strided views). */
function stored(rows: number, cols: number, ld: number, off: number, seed: number, alloc: (n: number) => Float64Array = (n) => new Float64Array(n)): Float64Array {
  const rng = createRng(seed);
  const x = alloc(off + rows * ld);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

interface Case { m: number; n: number; k: number; tA: boolean; tB: boolean; pad: number }

function makeJob(cs: Case, alloc?: (n: number) => Float64Array): GemmJob {
  const { m, n, k, tA, tB, pad } = cs;
  const [ar, ac] = tA ? [k, m] : [m, k];
  const [br, bc] = tB ? [n, k] : [k, n];
  const a = stored(ar, ac, ac + pad, 2 * pad, 1, alloc);
  const b = stored(br, bc, bc + pad, 3 * pad, 2, alloc);
  const c = stored(m, n, n + pad, pad, 3, alloc);
  return {
    m, n, k, alpha: -0.75,
    a, aOff: 2 * pad, lda: ac + pad, transA: tA,
    b, bOff: 3 * pad, ldb: bc + pad, transB: tB,
    c, cOff: pad, ldc: n + pad, lower: false,
  };
}

/** C + alpha·op(A)·op(B) by the triple loop, over C's stored rows (entries outside untouched). */
function reference(j: GemmJob): Float64Array {
  const out = Float64Array.from(j.c as Float64Array);
  for (let i = 0; i < j.m; i++) {
    for (let q = 0; q < j.n; q++) {
      let s = 0;
      for (let p = 0; p < j.k; p++) {
        const av = j.transA ? j.a[j.aOff + p * j.lda + i] : j.a[j.aOff + i * j.lda + p];
        const bv = j.transB ? j.b[j.bOff + q * j.ldb + p] : j.b[j.bOff + p * j.ldb + q];
        s += av * bv;
      }
      out[j.cOff + i * j.ldc + q] += j.alpha * s;
    }
  }
  return out;
}

const CASES: Case[] = [
  { m: 10, n: 1000, k: 64, tA: false, tB: false, pad: 0 }, // Z = P H of the UFM
  { m: 64, n: 1000, k: 10, tA: true, tB: false, pad: 0 }, // ∇H = Pᵀ dZ
  { m: 10, n: 64, k: 1000, tA: false, tB: true, pad: 0 }, // G = dZ Hᵀ (row dot products)
  { m: 13, n: 37, k: 29, tA: false, tB: false, pad: 3 }, // ragged sizes, strided views
  { m: 37, n: 19, k: 7, tA: true, tB: false, pad: 1 },
  { m: 11, n: 30, k: 41, tA: false, tB: true, pad: 2 }, // dot form, odd k, n not a multiple of 4
  { m: 9, n: 50, k: 20, tA: true, tB: true, pad: 1 }, // Bᵀ transposed (thin k)
  { m: 70, n: 30, k: 20, tA: false, tB: true, pad: 0 }, // thin n, k: Bᵀ transposed
];

describe.skipIf(!available)('thin portable products', () => {
  it.each(CASES)('equal the triple loop to rounding, copied or in an arena, bit for bit alike (%o)', (cs) => {
    const copied = makeJob(cs);
    const ref = reference(copied);
    expect(runThin(copied)).toBe(true);
    expect(maxAbsDiff(copied.c, ref)).toBeLessThan(1e-12 * cs.k);
    // entries outside the m×n block (padding between rows, the offset) are untouched
    for (let i = 0; i < copied.cOff; i++) expect(copied.c[i]).toBe(ref[i]);
    const arena = createKernelArena(8 * 4 * (copied.a.length + copied.b.length + copied.c.length)) as NonNullable<ReturnType<typeof createKernelArena>>;
    const inArena = makeJob(cs, arena.alloc);
    expect(arena.holds(inArena.c as Float64Array)).toBe(true);
    expect(runThin(inArena)).toBe(true);
    expect(Array.from(inArena.c)).toEqual(Array.from(copied.c));
  });

  it('uses arena operands in place: nothing is copied into the arena scratch area', () => {
    // With every operand dense in one arena and a kernel-aligned layout (m, n multiples of 4, k-major
    // A and B), nothing is copied: the arena's scratch area stays zero.
    const arena = createKernelArena(8 * (64 * 10 + 10 * 1000 + 64 * 1000) + 4096, { scratchBytes: 65536 }) as NonNullable<ReturnType<typeof createKernelArena>>;
    const job = makeJob({ m: 64, n: 1000, k: 10, tA: true, tB: false, pad: 0 }, arena.alloc);
    const ref = reference(job);
    const scratch = new Float64Array((job.c as Float64Array).buffer, 0, 65536 / 8);
    expect(runThin(job)).toBe(true);
    expect(maxAbsDiff(job.c, ref)).toBeLessThan(1e-12 * 10);
    expect(scratch.every((v) => v === 0)).toBe(true);
    // A·B needs A transposed: that one operand goes through the scratch area
    const nn = makeJob({ m: 12, n: 1000, k: 64, tA: false, tB: false, pad: 0 }, createKernelArena(8 * (12 * 64 + 64 * 1000 + 12 * 1000) + 4096, { scratchBytes: 65536 })?.alloc);
    const nnRef = reference(nn);
    expect(runThin(nn)).toBe(true);
    expect(maxAbsDiff(nn.c, nnRef)).toBeLessThan(1e-12 * 64);
    expect(new Float64Array((nn.c as Float64Array).buffer, 0, 12 * 64).some((v) => v !== 0)).toBe(true);
  });

  it('falls back to the private memory when the arena scratch is too small, with the same bits', () => {
    const cs = { m: 10, n: 1000, k: 64, tA: false, tB: false, pad: 0 };
    const tiny = createKernelArena(8 * (10 * 64 + 64 * 1000 + 10 * 1000) + 4096, { scratchBytes: 16 }) as NonNullable<ReturnType<typeof createKernelArena>>;
    const job = makeJob(cs, tiny.alloc);
    const copied = makeJob(cs);
    expect(runThin(job)).toBe(true);
    expect(runThin(copied)).toBe(true);
    expect(Array.from(job.c)).toEqual(Array.from(copied.c));
  });

  it('declines what it has no kernel or room for, so the packed driver runs it', () => {
    const wide = makeJob({ m: 64, n: 64, k: 64, tA: false, tB: false, pad: 0 });
    expect(runThin(wide)).toBe(false); // not thin
    expect(runThin(makeJob({ m: 64, n: 64, k: 10, tA: false, tB: true, pad: 0 }))).toBe(false); // thin k against Bᵀ
    expect(runThin({ ...makeJob({ m: 10, n: 100, k: 64, tA: false, tB: false, pad: 0 }), lower: true })).toBe(false);
    expect(runThin(makeJob({ m: 2, n: 3, k: 4, tA: false, tB: false, pad: 0 }))).toBe(false); // tiny: packed is as fast
    // one row times a 1×n operand of THIN_MAX_BYTES: with C, past the limit
    const n = THIN_MAX_BYTES / 8;
    const j = makeJob({ m: 1, n: 4, k: 1, tA: false, tB: false, pad: 0 });
    expect(runThin({ ...j, n, b: new Float64Array(n), ldb: n, c: new Float64Array(n), ldc: n })).toBe(false);
    expect(runThin({ ...j, n: n / 16, b: new Float64Array(n / 16), ldb: n / 16, c: new Float64Array(n / 16), ldc: n / 16 })).toBe(true); // C padded to 4 rows
  });

  it('the packed driver and the thin kernels agree to rounding through gemmAccumulate and gemm', () => {
    const packed = makeJob(CASES[0]);
    createGemmRunner(gemmWasmModule() as WebAssembly.Module).run(packed, 0, packed.m);
    const thin = makeJob(CASES[0]);
    gemmAccumulate(thin.m, thin.n, thin.k, thin.alpha, { data: thin.a, off: 0, ld: thin.lda, trans: false }, { data: thin.b, off: 0, ld: thin.ldb, trans: false }, thin.c as Float64Array, 0, thin.ldc);
    expect(maxAbsDiff(thin.c, packed.c)).toBeLessThan(1e-13 * 64);
    // the public gemm on the portable path, with beta, into an arena array
    setLinalgPath('portable');
    try {
      const arena = createKernelArena(8 * (10 * 64 + 64 * 500 + 2 * 10 * 500)) as NonNullable<ReturnType<typeof createKernelArena>>;
      const a = { rows: 10, cols: 64, data: stored(10, 64, 64, 0, 5, arena.alloc) };
      const b = { rows: 64, cols: 500, data: stored(64, 500, 500, 0, 6, arena.alloc) };
      const out = arena.alloc(10 * 500).fill(1);
      gemm(a, b, { out, alpha: 2, beta: 0.5 });
      const expected = gemm({ ...a, data: Float64Array.from(a.data) }, { ...b, data: Float64Array.from(b.data) }, { alpha: 2 }).data.map((v) => v + 0.5);
      expect(maxAbsDiff(out, expected)).toBeLessThan(1e-12 * 64);
      expect(arenaOf(out)).toBeDefined();
    } finally {
      setLinalgPath('auto');
    }
  });
});

describe.skipIf(!available)('kernel arenas', () => {
  it('hand out zero-filled arrays inside one memory, then plain arrays when full', () => {
    const arena = createKernelArena(8 * 1000) as NonNullable<ReturnType<typeof createKernelArena>>;
    const x = arena.alloc(500);
    const y = arena.alloc(499);
    expect(arena.holds(x) && arena.holds(y)).toBe(true);
    expect(x.every((v) => v === 0) && y.every((v) => v === 0)).toBe(true);
    expect(y.byteOffset).toBeGreaterThanOrEqual(x.byteOffset + 8 * 500); // no overlap
    expect(y.byteOffset % 16).toBe(0);
    const rest = arena.alloc(arena.bytes); // past the end
    expect(arena.holds(rest)).toBe(false);
    expect(rest.length).toBe(arena.bytes);
    expect(arena.holds(new Float64Array(4))).toBe(false);
    expect(createKernelArena(5 * 2 ** 30)).toBeNull(); // past a 32-bit memory: callers keep plain arrays
  });

  it('axpy has the backend loop bits, dot the sum to rounding, in the arena and on plain arrays', () => {
    const n = 77_777; // odd: the scalar tails
    const arena = createKernelArena(8 * 2 * n) as NonNullable<ReturnType<typeof createKernelArena>>;
    const x = stored(1, n, n, 0, 7, arena.alloc);
    const y = stored(1, n, n, 0, 8, arena.alloc);
    const yPlain = Float64Array.from(y);
    const xPlain = Float64Array.from(x);
    arena.axpy(-0.37, x, y);
    axpy(-0.37, xPlain, yPlain);
    expect(Array.from(y)).toEqual(Array.from(yPlain));
    const d = dot(xPlain, yPlain);
    expect(Math.abs(arena.dot(x, y) - d)).toBeLessThan(1e-13 * Math.sqrt(dot(xPlain, xPlain) * dot(yPlain, yPlain)));
    expect(arena.dot(xPlain, yPlain)).toBe(d); // plain arrays: the backend's loop
    arena.axpy(2, xPlain, y); // mixed: the backend's loop
    axpy(2, xPlain, yPlain);
    expect(Array.from(y)).toEqual(Array.from(yPlain));
  });
});
