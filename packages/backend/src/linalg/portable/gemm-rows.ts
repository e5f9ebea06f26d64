/**
 * The float64 GEMM driver of the portable path, for one range of rows of C:
 *
 * C[i, j] += alpha · Σ_k op(A)[i, k] · op(B)[k, j]   for i0 ≤ i < i1 (and j ≤ i when `lower`)
 *
 * Blocked in the GotoBLAS order: a KC×NC panel of op(B) is packed once and stays in the L2 cache,
 * MC×KC blocks of op(A) are packed against it, and the WebAssembly SIMD micro-kernel (`panel`, a
 * 4×4 register block) multiplies one 4-row strip of A (L1) by the 4-column strips of the B panel.
 *
 * **Self-contained on purpose:** `createGemmRunner` references nothing outside its own body, so the
 * worker pool ships it to worker threads as source text (`createGemmRunner.toString()`), and the
 * main thread and the workers run the same code.
 */

/** One product, with row-major strided operands (element offsets). `f32`: float32 operands and arithmetic. */
export interface GemmJob {
  f32?: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float64Array | Float32Array;
  aOff: number;
  lda: number;
  transA: boolean;
  b: Float64Array | Float32Array;
  bOff: number;
  ldb: number;
  transB: boolean;
  c: Float64Array | Float32Array;
  cOff: number;
  ldc: number;
  /** Compute only the 4×4 blocks that touch the lower triangle (j ≤ i); square C. */
  lower: boolean;
}

/** Runs a {@link GemmJob} on a row range with its own WebAssembly instance and packing buffers. */
export interface GemmRunner {
  run(job: GemmJob, i0: number, i1: number): void;
}

/**
 * Creates a runner around the compiled GEMM module (see gemm-wasm.ts). Self-contained.
 * float64: 4×4 tiles (`kern`); float32: 4×8 tiles (`kern32`). Both strips of B are 32 bytes per k.
 */
export function createGemmRunner(gemmModule: WebAssembly.Module): GemmRunner {
  const KC = 256;
  const NC = 256;
  const MC = 128;
  // memory layout in bytes (sized for float64): staging and packed A, staging and packed B, C rows
  const SA = 0;
  const PA = SA + MC * KC * 8;
  const SB = PA + MC * KC * 8;
  const PB = SB + KC * NC * 8;
  const CB = PB + KC * NC * 8;
  const pagesFor = (bytes: number) => Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pagesFor(CB + 4 * NC * 8) });
  type Pack = (src: number, ld: number, blocks: number, cols: number, dst: number) => void;
  const ex = new WebAssembly.Instance(gemmModule, { env: { mem: memory } }).exports as unknown as {
    kern(ap: number, bp: number, kc: number, nb: number, cp: number, ldc: number, alpha: number): void;
    kern32(ap: number, bp: number, kc: number, nb: number, cp: number, ldc: number, alpha: number): void;
    packContig: Pack;
    packContig16: Pack;
    packGather: Pack;
    packGather32x4: Pack;
    packGather32x8: Pack;
  };
  let f64 = new Float64Array(memory.buffer);
  let f32 = new Float32Array(memory.buffer);
  const up = (x: number, r: number) => Math.ceil(x / r) * r;

  function ensure(bytes: number): void {
    const have = memory.buffer.byteLength / 65536;
    const need = pagesFor(bytes);
    if (need > have) {
      memory.grow(need - have);
      f64 = new Float64Array(memory.buffer);
      f32 = new Float32Array(memory.buffer);
    }
  }

  // packed A at PA: strips of 4 rows of op(A)[ic.., k0..k0+kc)
  function packA(job: GemmJob, ic: number, mc: number, k0: number, kc: number): void {
    const { a, aOff, lda } = job;
    const E = job.f32 ? 4 : 8;
    const v = job.f32 ? f32 : f64;
    const sa = SA / E;
    const mc4 = up(mc, 4);
    if (!job.transA) {
      for (let r = 0; r < mc; r++) {
        const s = aOff + (ic + r) * lda + k0;
        v.set(a.subarray(s, s + kc), sa + r * kc);
      }
      v.fill(0, sa + mc * kc, sa + mc4 * kc);
      (job.f32 ? ex.packGather32x4 : ex.packGather)(SA, kc * E, mc4 / 4, kc, PA);
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const s = aOff + (k0 + kk) * lda + ic;
        v.set(a.subarray(s, s + mc), sa + kk * mc4);
        if (mc4 > mc) v.fill(0, sa + kk * mc4 + mc, sa + (kk + 1) * mc4);
      }
      (job.f32 ? ex.packContig16 : ex.packContig)(SA, mc4 * E, mc4 / 4, kc, PA);
    }
  }

  // packed B at PB: strips of NR columns (4 f64 or 8 f32) of op(B)[k0..k0+kc, j0..j0+nc)
  function packB(job: GemmJob, j0: number, nc: number, k0: number, kc: number): void {
    const { b, bOff, ldb } = job;
    const E = job.f32 ? 4 : 8;
    const NR = job.f32 ? 8 : 4;
    const v = job.f32 ? f32 : f64;
    const sb = SB / E;
    const ncr = up(nc, NR);
    if (!job.transB) {
      for (let kk = 0; kk < kc; kk++) {
        const s = bOff + (k0 + kk) * ldb + j0;
        v.set(b.subarray(s, s + nc), sb + kk * ncr);
        if (ncr > nc) v.fill(0, sb + kk * ncr + nc, sb + (kk + 1) * ncr);
      }
      ex.packContig(SB, ncr * E, ncr / NR, kc, PB);
    } else {
      for (let j = 0; j < nc; j++) {
        const s = bOff + (j0 + j) * ldb + k0;
        v.set(b.subarray(s, s + kc), sb + j * kc);
      }
      v.fill(0, sb + nc * kc, sb + ncr * kc);
      (job.f32 ? ex.packGather32x8 : ex.packGather)(SB, kc * E, ncr / NR, kc, PB);
    }
  }

  function run(job: GemmJob, i0: number, i1: number): void {
    const { n, k, alpha, c, cOff, ldc, lower } = job;
    if (i1 <= i0 || n === 0 || k === 0) return;
    const E = job.f32 ? 4 : 8;
    const NR = job.f32 ? 8 : 4;
    const kern = job.f32 ? ex.kern32 : ex.kern;
    const rows = i1 - i0;
    ensure(CB + up(rows, 4) * NC * 8);
    const v = job.f32 ? f32 : f64;
    const cb = CB / E;
    const nEnd = lower ? Math.min(n, i1) : n;
    for (let j0 = 0; j0 < nEnd; j0 += NC) {
      const nc = Math.min(NC, nEnd - j0);
      for (let r = 0; r < rows; r++) {
        const s = cOff + (i0 + r) * ldc + j0;
        v.set(c.subarray(s, s + nc), cb + r * NC);
      }
      for (let k0 = 0; k0 < k; k0 += KC) {
        const kc = Math.min(KC, k - k0);
        packB(job, j0, nc, k0, kc);
        for (let ic = i0; ic < i1; ic += MC) {
          const mc = Math.min(MC, i1 - ic);
          if (lower && ic + mc - 1 < j0) continue; // the whole block lies above the diagonal
          packA(job, ic, mc, k0, kc);
          for (let ib = 0; ib * 4 < mc; ib++) {
            const r0 = ic + ib * 4;
            let nb = up(nc, NR) / NR;
            if (lower) nb = Math.min(nb, Math.floor((Math.min(r0 + 3, i1 - 1) - j0) / NR) + 1);
            if (nb <= 0) continue;
            kern(PA + ib * kc * 4 * E, PB, kc, nb, CB + (r0 - i0) * NC * E, NC * E, alpha);
          }
        }
      }
      for (let r = 0; r < rows; r++) {
        const s = cb + r * NC;
        c.set(v.subarray(s, s + nc), cOff + (i0 + r) * ldc + j0);
      }
    }
  }

  return { run };
}
