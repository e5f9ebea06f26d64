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

/** One product, with row-major strided operands (all element offsets count float64s). */
export interface GemmJob {
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float64Array;
  aOff: number;
  lda: number;
  transA: boolean;
  b: Float64Array;
  bOff: number;
  ldb: number;
  transB: boolean;
  c: Float64Array;
  cOff: number;
  ldc: number;
  /** Compute only the 4×4 blocks that touch the lower triangle (j ≤ i); square C. */
  lower: boolean;
}

/** Runs a {@link GemmJob} on a row range with its own WebAssembly instance and packing buffers. */
export interface GemmRunner {
  run(job: GemmJob, i0: number, i1: number): void;
}

/** Creates a runner around the compiled GEMM module (see gemm-wasm.ts). Self-contained. */
export function createGemmRunner(gemmModule: WebAssembly.Module): GemmRunner {
  const KC = 256;
  const NC = 256;
  const MC = 128;
  // memory layout in f64 words: staging and packed A, staging and packed B, then the C row buffer
  const SA = 0;
  const PA = SA + MC * KC;
  const SB = PA + MC * KC;
  const PB = SB + KC * NC;
  const CB = PB + KC * NC;
  const pagesFor = (words: number) => Math.ceil((words * 8) / 65536);
  const memory = new WebAssembly.Memory({ initial: pagesFor(CB + 4 * NC) });
  const ex = new WebAssembly.Instance(gemmModule, { env: { mem: memory } }).exports as unknown as {
    kern(ap: number, bp: number, kc: number, nb: number, cp: number, ldc: number, alpha: number): void;
    packContig(src: number, ld: number, blocks: number, cols: number, dst: number): void;
    packGather(src: number, ld: number, blocks: number, cols: number, dst: number): void;
  };
  let f = new Float64Array(memory.buffer);
  const up4 = (x: number) => (x + 3) & ~3;

  function ensure(words: number): void {
    const have = memory.buffer.byteLength / 65536;
    const need = pagesFor(words);
    if (need > have) {
      memory.grow(need - have);
      f = new Float64Array(memory.buffer);
    }
  }

  // packed A at PA: strips of 4 rows of op(A)[ic.., k0..k0+kc)
  function packA(job: GemmJob, ic: number, mc: number, k0: number, kc: number): void {
    const { a, aOff, lda } = job;
    const mc4 = up4(mc);
    if (!job.transA) {
      for (let r = 0; r < mc; r++) {
        const s = aOff + (ic + r) * lda + k0;
        f.set(a.subarray(s, s + kc), SA + r * kc);
      }
      f.fill(0, SA + mc * kc, SA + mc4 * kc);
      ex.packGather(SA * 8, kc * 8, mc4 / 4, kc, PA * 8);
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const s = aOff + (k0 + kk) * lda + ic;
        f.set(a.subarray(s, s + mc), SA + kk * mc4);
        if (mc4 > mc) f.fill(0, SA + kk * mc4 + mc, SA + (kk + 1) * mc4);
      }
      ex.packContig(SA * 8, mc4 * 8, mc4 / 4, kc, PA * 8);
    }
  }

  // packed B at PB: strips of 4 columns of op(B)[k0..k0+kc, j0..j0+nc)
  function packB(job: GemmJob, j0: number, nc: number, k0: number, kc: number): void {
    const { b, bOff, ldb } = job;
    const nc4 = up4(nc);
    if (!job.transB) {
      for (let kk = 0; kk < kc; kk++) {
        const s = bOff + (k0 + kk) * ldb + j0;
        f.set(b.subarray(s, s + nc), SB + kk * nc4);
        if (nc4 > nc) f.fill(0, SB + kk * nc4 + nc, SB + (kk + 1) * nc4);
      }
      ex.packContig(SB * 8, nc4 * 8, nc4 / 4, kc, PB * 8);
    } else {
      for (let j = 0; j < nc; j++) {
        const s = bOff + (j0 + j) * ldb + k0;
        f.set(b.subarray(s, s + kc), SB + j * kc);
      }
      f.fill(0, SB + nc * kc, SB + nc4 * kc);
      ex.packGather(SB * 8, kc * 8, nc4 / 4, kc, PB * 8);
    }
  }

  function run(job: GemmJob, i0: number, i1: number): void {
    const { n, k, alpha, c, cOff, ldc, lower } = job;
    if (i1 <= i0 || n === 0 || k === 0) return;
    const rows = i1 - i0;
    ensure(CB + up4(rows) * NC);
    const nEnd = lower ? Math.min(n, i1) : n;
    for (let j0 = 0; j0 < nEnd; j0 += NC) {
      const nc = Math.min(NC, nEnd - j0);
      for (let r = 0; r < rows; r++) {
        const s = cOff + (i0 + r) * ldc + j0;
        f.set(c.subarray(s, s + nc), CB + r * NC);
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
            let nb = up4(nc) / 4;
            if (lower) nb = Math.min(nb, Math.floor((Math.min(r0 + 3, i1 - 1) - j0) / 4) + 1);
            if (nb <= 0) continue;
            ex.kern((PA + ib * kc * 4) * 8, PB * 8, kc, nb, (CB + (r0 - i0) * NC) * 8, NC * 8, alpha);
          }
        }
      }
      for (let r = 0; r < rows; r++) {
        const s = CB + r * NC;
        c.set(f.subarray(s, s + nc), cOff + (i0 + r) * ldc + j0);
      }
    }
  }

  return { run };
}
