/**
 * Memory-bounded mixed-precision kernel ridge solve: the kernel stored once in float32, factored in
 * place, and refined in float64 against kernel rows recomputed in blocks.
 */
import { InvalidArgumentError, NumericalError, allocFloat32, allocFloat64, gemm, scholeskyInPlace, scholeskySolve, type LinalgRequest, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { blockRows, kernelRowsInto, rowSqNorms } from './kernel-rows.js';
import type { ResolvedKernel } from './kernels.js';
import type { KernelSolve } from './krr.js';

/** Options of {@link solveKernelMixed}. */
export interface KernelSolveMixedOptions {
  /** Stop at ‖Y − (K + μI)α‖_F ≤ tol·‖Y‖_F (float64 residual). Default 1e-13; a stall within 100·tol is accepted. */
  readonly tol?: number;
  /** Refinement steps at most. Default 12. */
  readonly maxIter?: number;
  /** Bytes of one float64 row block of K (build and residual passes). Default 128 MiB. */
  readonly blockBytes?: number;
  /** Float64/float32 path of the products and the factorisation. Default: backend's global path. */
  readonly linalg?: LinalgRequest;
  /**
   * A caller-owned `Float32Array` of at least N² entries to hold the factor (its contents are
   * overwritten): a run of several solves of one size (Deep RFM's layers) reuses one N² buffer
   * instead of leaving each 4·N²-byte array to the garbage collector. Default: a new array.
   */
  readonly workspace?: Float32Array;
}

/** Result of {@link solveKernelMixed}: α with the refinement record. */
export interface KernelSolveMixed extends KernelSolve {
  readonly refinement: { readonly iterations: number; readonly residual: number };
}

/** Bytes {@link solveKernelMixed} holds at its peak for N points and K outputs (the float32 kernel dominates). */
export function mixedSolveBytes(n: number, k: number, blockBytes = 2 ** 27): number {
  return 4 * n * n + blockBytes + 64 * n * k;
}

/**
 * Solves (K + μI) α = Y for the kernel matrix K = k(X, X) without ever holding K in float64:
 * 1. K + μI is built in row blocks (float64 arithmetic, one reused `[B, N]` buffer) and stored once in
 *    float32, lower triangle only (4·N² bytes: 10 GB at N = 50,000);
 * 2. factored in place, K + μI ≈ L Lᵀ in float32 (`scholeskyInPlace`, LAPACK `spotrf` natively);
 * 3. refined in float64: α ← α + (L Lᵀ)⁻¹ R with R = Y − μα − Kα, where Kα is formed from the lower
 *    triangle's row blocks recomputed in float64 (K[I, 0:i1]·α[0:i1] for the block's rows and
 *    K[I, 0:i0]ᵀ·α[I] for the rows above it, so a pass computes N²/2 kernel entries, not N²), so α solves
 *    the float64 system (not its float32 rounding) to a relative residual `tol`. Each step gains about
 *    −log₁₀(cond·2⁻²⁴) digits.
 * @param x - `[N, d]` points (float64), the kernel's centres.
 * @param kernel - resolved kernel.
 * @param y - `[N, K]` targets.
 * @param ridge - μ ≥ 0.
 * @param options - tolerance, step limit, block size, path.
 * @returns α, the ridge used (μ: no fallback here) and the refinement record.
 * @throws {NumericalError} when the float32 factorisation fails, a pivot² is ≤ N·2⁻²⁴·max K_ii (nearly
 *   singular in float32), or the refinement stalls above 100·tol: the caller then solves in float64.
 * @example
 * const { alpha, refinement } = solveKernelMixed(x, resolveKernel({ kind: 'laplace', bandwidth: 2 }), oneHot(labels), 1e-3);
 */
export function solveKernelMixed(x: Matrix, kernel: ResolvedKernel, y: Matrix, ridge: number, options: KernelSolveMixedOptions = {}): KernelSolveMixed {
  const linalg = options.linalg;
  const tol = options.tol ?? 1e-13;
  const maxIter = options.maxIter ?? 12;
  const n = x.rows;
  const r = y.cols;
  const sq = rowSqNorms(x);
  const B = blockRows(n, options.blockBytes);
  const buf = allocFloat64(B * n);
  // 1. lower triangle of K + μI in float32
  const ws = options.workspace;
  if (ws !== undefined && !(ws instanceof Float32Array && ws.length >= n * n)) throw new InvalidArgumentError('workspace', `a Float32Array of at least N² = ${n * n} entries`, ws?.length);
  const k32: Matrix32 = { rows: n, cols: n, data: ws ? ws.subarray(0, n * n) : allocFloat32(n * n) };
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    const blk = kernelRowsInto(kernel, x, sq, i0, i1, i1, buf, linalg).data;
    // TypedArray.set converts float64 → float32 at 0.7 ns an entry (an indexed loop: 5 ns)
    for (let i = i0; i < i1; i++) {
      const o = (i - i0) * i1;
      k32.data.set(blk.subarray(o, o + i + 1), i * n);
      k32.data[i * n + i] += ridge;
    }
  }
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, k32.data[i * n + i]);
  // 2. float32 factor in place
  scholeskyInPlace(k32, { linalg });
  let minPivot = Infinity;
  for (let i = 0; i < n; i++) minPivot = Math.min(minPivot, k32.data[i * n + i] ** 2);
  if (!(minPivot > n * 2 ** -24 * maxDiag)) {
    throw new NumericalError('solveKernelMixed', `the float32 factor is nearly singular (smallest pivot² ${minPivot.toExponential(2)} ≤ N·2⁻²⁴·max K_ii)`);
  }
  // 3. float64 refinement against recomputed float64 kernel rows
  let yn = 0;
  for (let i = 0; i < y.data.length; i++) yn += y.data[i] ** 2;
  yn = Math.sqrt(yn) || 1;
  const alpha: Matrix = { rows: n, cols: r, data: Float64Array.from(scholeskySolve(k32, toF32(y.data, n, r), { linalg }).data) };
  const res = new Float64Array(n * r);
  const ka = new Float64Array(n * r);
  const kaBuf = new Float64Array(B * r);
  const tBuf = new Float64Array(n * r);
  let prev = Infinity;
  for (let it = 0; ; it++) {
    // Kα from the lower triangle's row blocks K[I, 0:i1] (the blocks of step 1): K[I, 0:i1]·α[0:i1] for
    // the rows I, and, by symmetry, K[I, 0:i0]ᵀ·α[I] for the rows above: half the kernel rows of a full pass
    ka.fill(0);
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      const rows = i1 - i0;
      const blk = kernelRowsInto(kernel, x, sq, i0, i1, i1, buf, linalg);
      const own = gemm(blk, { rows: i1, cols: r, data: alpha.data.subarray(0, i1 * r) }, { out: kaBuf.subarray(0, rows * r), linalg }).data;
      for (let t = 0, p = i0 * r; t < rows * r; t++, p++) ka[p] += own[t];
      if (i0 > 0) {
        const up = gemm(blk, { rows, cols: r, data: alpha.data.subarray(i0 * r, i1 * r) }, { transA: true, out: tBuf.subarray(0, i1 * r), linalg }).data;
        for (let p = 0; p < i0 * r; p++) ka[p] += up[p];
      }
    }
    let rn = 0;
    for (let p = 0; p < n * r; p++) {
      const v = y.data[p] - ka[p] - ridge * alpha.data[p];
      res[p] = v;
      rn += v * v;
    }
    const rel = Math.sqrt(rn) / yn;
    if (!Number.isFinite(rel)) throw new NumericalError('solveKernelMixed', 'the refinement produced non-finite values');
    if (rel <= tol) return { alpha, ridgeUsed: ridge, refinement: { iterations: it, residual: rel } };
    if (it >= maxIter || rel > 0.5 * prev) {
      if (rel <= 100 * tol) return { alpha, ridgeUsed: ridge, refinement: { iterations: it, residual: rel } };
      throw new NumericalError('solveKernelMixed', `iterative refinement stalled at relative residual ${rel.toExponential(2)} after ${it} steps (too ill-conditioned for a float32 factor)`);
    }
    prev = rel;
    const dx = scholeskySolve(k32, toF32(res, n, r), { linalg }).data;
    for (let i = 0; i < alpha.data.length; i++) alpha.data[i] += dx[i];
  }
}

function toF32(data: Float64Array, rows: number, cols: number): Matrix32 {
  return { rows, cols, data: Float32Array.from(data) };
}
