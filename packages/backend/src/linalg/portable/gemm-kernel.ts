/**
 * The float64/float32 GEMM entry of the portable path on strided row-major storage:
 *
 * C[cOff + i*ldc + j] += alpha · Σ_k op(A)[i,k] · op(B)[k,j]
 *
 * op(A) is m×k, op(B) is k×n. With WebAssembly SIMD the product runs on the blocked kernel of
 * gemm-rows.ts (split across threads when large, gemm-pool.ts), or, when float64 and thin (one of
 * m, n small, or a small k against B as stored), on the unpacked kernels of gemm-thin.ts; without it, float64 falls back to
 * the TypeScript 4×4 register-blocked loops below and float32 to those on widened copies. With
 * `lower` set, only blocks that touch the lower triangle (j ≤ i) are computed, which SYRK and the
 * Cholesky trailing update use; entries strictly above the diagonal inside a diagonal block may be
 * written too, callers overwrite or ignore them.
 */
import { runParallel } from './gemm-pool.js';
import { createGemmRunner, type GemmJob, type GemmRunner } from './gemm-rows.js';
import { gemmWasmModule } from './gemm-wasm.js';
import { runThin } from './gemm-thin.js';

const KC = 256;
/** Products with at least this many multiply-adds are split across threads (Node, worker pool). */
const PARALLEL_THRESHOLD = 2 ** 24;
const MR = 4;
const NR = 4;

let mainRunner: GemmRunner | undefined;

/**
 * Runs `job` on the WebAssembly kernel (split across threads when large); false when WebAssembly
 * SIMD is unavailable, so the caller uses its TypeScript fallback.
 */
function runOnKernel(job: GemmJob): boolean {
  const module = gemmWasmModule();
  if (!module) return false;
  const { m, n, k } = job;
  if (m * n * k >= PARALLEL_THRESHOLD && m >= 128 && runParallel(job, module) >= 0) return true;
  if (runThin(job)) return true;
  if (!mainRunner) mainRunner = createGemmRunner(module);
  mainRunner.run(job, 0, m);
  return true;
}

/** Strided view of a row-major operand: element (r, c) is data[off + r*ld + c]. */
export interface Strided<T extends Float64Array | Float32Array = Float64Array> {
  data: T;
  off: number;
  ld: number;
  trans: boolean;
}

function packA(a: Strided, m: number, k0: number, kc: number, out: Float64Array, o: number): void {
  // out[(ib*kc + kk)*MR + r] = op(A)[ib*MR + r, k0 + kk]
  const { data, off, ld, trans } = a;
  const mb = Math.ceil(m / MR);
  for (let ib = 0; ib < mb; ib++) {
    const base = o + ib * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = ib * MR + r;
      if (i >= m) {
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + r] = 0;
        continue;
      }
      if (!trans) {
        const src = off + i * ld + k0;
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + r] = data[src + kk];
      } else {
        let src = off + k0 * ld + i;
        for (let kk = 0; kk < kc; kk++, src += ld) out[base + kk * MR + r] = data[src];
      }
    }
  }
}

function packB(b: Strided, n: number, k0: number, kc: number, out: Float64Array, o: number): void {
  // out[(jb*kc + kk)*NR + c] = op(B)[k0 + kk, jb*NR + c]
  const { data, off, ld, trans } = b;
  const nb = Math.ceil(n / NR);
  for (let jb = 0; jb < nb; jb++) {
    const base = o + jb * kc * NR;
    const j0 = jb * NR;
    const w = Math.min(NR, n - j0);
    if (!trans) {
      for (let kk = 0; kk < kc; kk++) {
        const src = off + (k0 + kk) * ld + j0;
        const dst = base + kk * NR;
        for (let c = 0; c < w; c++) out[dst + c] = data[src + c];
        for (let c = w; c < NR; c++) out[dst + c] = 0;
      }
    } else {
      for (let c = 0; c < NR; c++) {
        if (c >= w) {
          for (let kk = 0; kk < kc; kk++) out[base + kk * NR + c] = 0;
          continue;
        }
        const src = off + (j0 + c) * ld + k0;
        for (let kk = 0; kk < kc; kk++) out[base + kk * NR + c] = data[src + kk];
      }
    }
  }
}

/**
 * C += alpha · op(A) · op(B) on strided storage (C is not transposed), in the arithmetic of C:
 * float64, or float32 (operands of the same type as C).
 * @param lower - compute only blocks intersecting the lower triangle (square C, m = n).
 */
export function gemmAccumulate<T extends Float64Array | Float32Array>(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Strided<T>,
  b: Strided<T>,
  c: T,
  cOff: number,
  ldc: number,
  lower = false,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const job: GemmJob = {
    f32: c instanceof Float32Array, m, n, k, alpha,
    a: a.data, aOff: a.off, lda: a.ld, transA: a.trans,
    b: b.data, bOff: b.off, ldb: b.ld, transB: b.trans,
    c, cOff, ldc, lower,
  };
  if (runOnKernel(job)) return;
  if (c instanceof Float64Array) {
    gemmTypeScript(m, n, k, alpha, a as Strided, b as Strided, c, cOff, ldc, lower);
    return;
  }
  // float32 without WebAssembly: the float64 loops on widened copies of op(A) and op(B) (only the
  // entries the product reads: a blocked factor passes its whole n×n array with an offset), rounded once
  const wide = new Float64Array(m * n);
  gemmTypeScript(m, n, k, alpha, widen(a, m, k), widen(b, k, n), wide, 0, n, lower);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[cOff + i * ldc + j] += wide[i * n + j];
}

/** op(X) of a strided operand (`rows`×`cols`) as a compact float64 row-major matrix. */
function widen(x: Strided<Float64Array | Float32Array>, rows: number, cols: number): Strided {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = x.trans ? x.data[x.off + j * x.ld + i] : x.data[x.off + i * x.ld + j];
  }
  return { data: out, off: 0, ld: cols, trans: false };
}

/** The TypeScript float64 GEMM (no WebAssembly): packed panels and a 4×4 register-blocked loop. */
function gemmTypeScript(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Strided,
  b: Strided,
  c: Float64Array,
  cOff: number,
  ldc: number,
  lower: boolean,
): void {
  const mb = Math.ceil(m / MR);
  const nb = Math.ceil(n / NR);
  const kcMax = Math.min(KC, k);
  const apLen = mb * kcMax * MR;
  const bpLen = nb * kcMax * NR;
  const ap = new Float64Array(apLen);
  const bp = new Float64Array(bpLen);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packA(a, m, k0, kc, ap, 0);
    packB(b, n, k0, kc, bp, 0);
    for (let ib = 0; ib < mb; ib++) {
      const i0 = ib * MR;
      const aBase = ib * kc * MR;
      const jbEnd = lower ? Math.min(nb, Math.floor((i0 + MR - 1) / NR) + 1) : nb;
      for (let jb = 0; jb < jbEnd; jb++) {
        const j0 = jb * NR;
        const bBase = jb * kc * NR;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pa = aBase;
        let pb = bBase;
        for (let kk = 0; kk < kc; kk++, pa += MR, pb += NR) {
          const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
          const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        const h = Math.min(MR, m - i0);
        const w = Math.min(NR, n - j0);
        if (h === MR && w === NR) {
          let p = cOff + i0 * ldc + j0;
          c[p] += alpha * c00; c[p + 1] += alpha * c01; c[p + 2] += alpha * c02; c[p + 3] += alpha * c03;
          p += ldc;
          c[p] += alpha * c10; c[p + 1] += alpha * c11; c[p + 2] += alpha * c12; c[p + 3] += alpha * c13;
          p += ldc;
          c[p] += alpha * c20; c[p + 1] += alpha * c21; c[p + 2] += alpha * c22; c[p + 3] += alpha * c23;
          p += ldc;
          c[p] += alpha * c30; c[p + 1] += alpha * c31; c[p + 2] += alpha * c32; c[p + 3] += alpha * c33;
        } else {
          const blk = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
          for (let r = 0; r < h; r++) {
            const p = cOff + (i0 + r) * ldc + j0;
            for (let q = 0; q < w; q++) c[p + q] += alpha * blk[r * 4 + q];
          }
        }
      }
    }
  }
}
