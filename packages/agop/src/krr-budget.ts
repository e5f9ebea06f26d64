/**
 * Kernel ridge regression without the N×N kernel matrix: preconditioned conjugate gradients with
 * kernel row blocks recomputed under a memory budget, and a Nyström preconditioner.
 */
import { InvalidArgumentError, NumericalError, cholesky, choleskySolve, createRng, gemm, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { rowsView } from './checks.js';
import type { Metric } from './distances.js';
import { kernelFromData } from './kernel-matrix.js';
import type { ResolvedKernel } from './kernels.js';

/** Options of {@link solveKernelBudgeted}. */
export interface BudgetedSolveOptions {
  /** Bytes a kernel row block may take (B·N·8 ≤ budget). Required. */
  readonly budgetBytes: number;
  /** Stop when every column's ‖y − (K + μI)α‖ ≤ tol·‖y‖. Default 1e-8. */
  readonly tol?: number;
  /** Iterations at most. Default 500. */
  readonly maxIter?: number;
  /** Nyström landmarks of the preconditioner. Default min(N, 1000, what fits the budget). */
  readonly landmarks?: number;
  /** Seed of the landmark sample. Default 0. */
  readonly seed?: number;
  /** Optional Mahalanobis metric of the kernel. */
  readonly metric?: Metric;
  /** Float64 path of the products and factorisations. Default: backend's global path. */
  readonly linalg?: LinalgRequest;
}

/** Result of {@link solveKernelBudgeted}. */
export interface BudgetedSolve {
  readonly alpha: Matrix;
  readonly iterations: number;
  /** Largest relative residual over the columns at the end. */
  readonly residual: number;
  /** Landmarks used by the preconditioner. */
  readonly landmarks: number;
}

/**
 * Solves (K + μI) α = Y for K = k(X, X) without forming K: block conjugate gradients (one CG per
 * column of Y, run together), where each product (K + μI)V recomputes K in row blocks of at most
 * `budgetBytes`, preconditioned by the Nyström approximation K ≈ C W⁻¹ Cᵀ on m seeded landmarks
 * (C = K(X, X_m), W = K(X_m, X_m)), applied exactly with the Woodbury identity:
 *
 * ```math
 * (C W^{-1} C^\top + \mu I)^{-1} = \mu^{-1}\left[I - C(\mu W + C^\top C)^{-1} C^\top\right]
 * ```
 *
 * Memory: O(B·N + N·m + m²) instead of N². Each iteration costs one pass over K (≈ 2N²d flops).
 * Needs μ > 0 (the interpolating system μ = 0 is too ill-conditioned for CG; use the direct solve).
 * @param x - training points `[N, d]` (float64).
 * @param kernel - a resolved kernel.
 * @param y - targets `[N, K]`.
 * @param ridge - μ > 0.
 * @throws {InvalidArgumentError} for μ ≤ 0, a budget below one kernel row, bad iteration settings.
 * @throws {NumericalError} when CG does not reach `tol` within `maxIter` iterations.
 * @see Rudi, Carratino, Rosasco, "FALKON: An optimal large scale kernel method", NeurIPS 2017 (Nyström-preconditioned CG).
 * @example
 * const { alpha, iterations } = solveKernelBudgeted(x, resolveKernel('laplace'), oneHot(labels), 1e-3, { budgetBytes: 2 ** 28 });
 */
export function solveKernelBudgeted(x: Matrix, kernel: ResolvedKernel, y: Matrix, ridge: number, options: BudgetedSolveOptions): BudgetedSolve {
  const linalg = options.linalg;
  const N = x.rows;
  const K = y.cols;
  if (!(ridge > 0) || !Number.isFinite(ridge)) throw new InvalidArgumentError('ridge', 'a positive ridge for the budgeted (iterative) solve', ridge);
  const budget = options.budgetBytes;
  if (!(budget >= N * 8)) throw new InvalidArgumentError('budgetBytes', `at least one kernel row (${N * 8} bytes)`, budget);
  const tol = options.tol ?? 1e-8;
  const maxIter = options.maxIter ?? 500;
  if (!(tol > 0)) throw new InvalidArgumentError('tol', 'a positive number', tol);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new InvalidArgumentError('maxIter', 'a positive integer', maxIter);
  const block = Math.max(1, Math.floor(budget / (8 * N)));
  const want = options.landmarks;
  if (want !== undefined && (!Number.isInteger(want) || want < 1)) throw new InvalidArgumentError('landmarks', 'a positive integer', want);
  const m = Math.min(N, want ?? Math.min(1000, block));

  // (K + μI) V, K recomputed in row blocks
  const apply = (v: Matrix): Matrix => {
    const out = new Float64Array(N * K);
    for (let r0 = 0; r0 < N; r0 += block) {
      const r1 = Math.min(N, r0 + block);
      const kb = kernelFromData(kernel, rowsView(x, r0, r1), x, options.metric, linalg).k;
      gemm(kb, v, { out: out.subarray(r0 * K, r1 * K), linalg });
    }
    for (let i = 0; i < out.length; i++) out[i] += ridge * v.data[i];
    return { rows: N, cols: K, data: out };
  };

  // Nyström preconditioner on m landmarks
  const idx = createRng(options.seed ?? 0).permutation(N).slice(0, m);
  const xm: Matrix = { rows: m, cols: x.cols, data: new Float64Array(m * x.cols) };
  for (let r = 0; r < m; r++) xm.data.set(x.data.subarray(idx[r] * x.cols, (idx[r] + 1) * x.cols), r * x.cols);
  const c = kernelFromData(kernel, x, xm, options.metric, linalg).k; // [N, m]
  const w = kernelFromData(kernel, xm, xm, options.metric, linalg).k; // [m, m]
  const inner = gemm(c, c, { transA: true, linalg }); // CᵀC
  let trace = 0;
  for (let i = 0; i < m; i++) trace += inner.data[i * m + i];
  for (let i = 0; i < m * m; i++) inner.data[i] += ridge * w.data[i];
  for (let i = 0; i < m; i++) inner.data[i * m + i] += 1e-12 * (trace / m); // landmarks may repeat a point
  const innerL = cholesky(inner, { linalg });
  const precondition = (r: Matrix): Matrix => {
    const t = choleskySolve(innerL, gemm(c, r, { transA: true, linalg }), { linalg }); // [m, K]
    const ct = gemm(c, t, { linalg });
    const out = new Float64Array(N * K);
    for (let i = 0; i < out.length; i++) out[i] = (r.data[i] - ct.data[i]) / ridge;
    return { rows: N, cols: K, data: out };
  };

  // block PCG, one independent CG per column
  const alpha: Matrix = { rows: N, cols: K, data: new Float64Array(N * K) };
  const r: Matrix = { rows: N, cols: K, data: new Float64Array(y.data) };
  const yNorm = columnNorms(y);
  let z = precondition(r);
  const p: Matrix = { rows: N, cols: K, data: new Float64Array(z.data) };
  let rz = columnDots(r, z);
  let worst = Infinity;
  for (let it = 1; it <= maxIter; it++) {
    const ap = apply(p);
    const pap = columnDots(p, ap);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) {
        const a = pap[k] > 0 ? rz[k] / pap[k] : 0;
        alpha.data[i * K + k] += a * p.data[i * K + k];
        r.data[i * K + k] -= a * ap.data[i * K + k];
      }
    }
    const rn = columnNorms(r);
    worst = 0;
    for (let k = 0; k < K; k++) worst = Math.max(worst, yNorm[k] > 0 ? rn[k] / yNorm[k] : rn[k]);
    if (!Number.isFinite(worst)) throw new NumericalError('solveKernelBudgeted', 'conjugate gradients produced non-finite values');
    if (worst <= tol) return { alpha, iterations: it, residual: worst, landmarks: m };
    z = precondition(r);
    const rzNew = columnDots(r, z);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) {
        const b = rz[k] > 0 ? rzNew[k] / rz[k] : 0;
        p.data[i * K + k] = z.data[i * K + k] + b * p.data[i * K + k];
      }
    }
    rz = rzNew;
  }
  throw new NumericalError('solveKernelBudgeted', `conjugate gradients stopped at relative residual ${worst.toExponential(2)} after ${maxIter} iterations (raise maxIter or landmarks)`);
}

function columnDots(a: Matrix, b: Matrix): Float64Array {
  const K = a.cols;
  const out = new Float64Array(K);
  for (let i = 0; i < a.rows; i++) for (let k = 0; k < K; k++) out[k] += a.data[i * K + k] * b.data[i * K + k];
  return out;
}

function columnNorms(a: Matrix): Float64Array {
  const d = columnDots(a, a);
  for (let k = 0; k < d.length; k++) d[k] = Math.sqrt(d[k]);
  return d;
}
