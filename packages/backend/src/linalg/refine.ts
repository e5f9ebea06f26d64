import { NumericalError, InvalidArgumentError } from '../errors/errors.js';
import type { Matrix } from '../host/matrix.js';
import { resolveLinalg } from './path.js';
import { scholeskyPortable } from './portable/cholesky.js';
import type { LinalgOptions } from './types.js';
import { assertMatrix, assertSquare } from './validate.js';

/** Options of {@link solveSpdMixed}. */
export interface SolveSpdMixedOptions extends LinalgOptions {
  /** Added to the diagonal of A (a ridge μ). Default 0. */
  readonly shift?: number;
  /**
   * Stop when ‖B − (A + shift·I) X‖_F ≤ tol · ‖B‖_F. Default 1e-13. When the residual stops halving
   * within 100·tol (the float64 rounding floor of large systems) the result is accepted as well.
   */
  readonly tol?: number;
  /** Refinement steps at most. Default 12. */
  readonly maxIter?: number;
}

/** Result of {@link solveSpdMixed}. */
export interface SolveSpdMixedResult {
  /** X `[n, r]`, float64. */
  readonly x: Matrix;
  /** Refinement steps taken (each: one float64 residual and one solve with the float32 factor). */
  readonly iterations: number;
  /** Final relative residual ‖B − (A + shift·I) X‖_F / ‖B‖_F. */
  readonly residual: number;
}

/**
 * Mixed-precision solve of the SPD system (A + shift·I) X = B: a float32 Cholesky factor (the
 * portable blocked kernel, about twice as fast as float64 without BLAS), then float64 iterative
 * refinement X ← X + (L Lᵀ)⁻¹ (B − (A + shift·I) X) with residuals in float64 until the relative
 * residual reaches `tol` (or stalls within 100·tol). Converges when cond(A)·2⁻²⁴ ≪ 1 (kernel matrices with a ridge: cond up to
 * ~1e5, 2–6 steps); otherwise it stops and throws, and the caller solves in float64. It also throws
 * when a pivot² of the float32 factor is ≤ n·2⁻²⁴·max a_ii (nearly singular for float32).
 * @param a - `[n, n]` symmetric (lower triangle read by the factorisation, all of it by the residual).
 * @param b - `[n, r]` right-hand sides.
 * @returns X with the step count and the final residual.
 * @throws {NumericalError} when the float32 factorisation fails or the refinement stalls above `tol`.
 * @throws {InvalidArgumentError} for malformed or non-finite input.
 * @see Higham, Accuracy and Stability of Numerical Algorithms, §12 (iterative refinement).
 * @example
 * const { x, iterations } = solveSpdMixed(k, y, { shift: 1e-3 }); // kernel ridge regression
 */
export function solveSpdMixed(a: Matrix, b: Matrix, options: SolveSpdMixedOptions = {}): SolveSpdMixedResult {
  assertMatrix('a', a);
  assertSquare('a', a);
  assertMatrix('b', b);
  if (b.rows !== a.rows) throw new InvalidArgumentError('b', `${a.rows} rows to match a`, `[${b.rows}, ${b.cols}]`);
  const shift = options.shift ?? 0;
  const tol = options.tol ?? 1e-13;
  const maxIter = options.maxIter ?? 12;
  const n = a.rows;
  const r = b.cols;
  const a32 = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a32[i * n + j] = a.data[i * n + j] + (i === j ? shift : 0);
  const l32 = scholeskyPortable({ rows: n, cols: n, data: a32 });
  // a nearly singular A: leave it to the float64 solve and its singularity rules
  let maxDiag = 0;
  let minPivot = Infinity;
  for (let i = 0; i < n; i++) {
    maxDiag = Math.max(maxDiag, a32[i * n + i]);
    minPivot = Math.min(minPivot, l32.data[i * n + i] ** 2);
  }
  if (minPivot <= n * 2 ** -24 * maxDiag) {
    throw new NumericalError('solveSpdMixed', `the float32 factor is nearly singular (smallest pivot² ${minPivot.toExponential(2)} ≤ n·2⁻²⁴·max a_ii)`);
  }
  const l: Matrix = { rows: n, cols: n, data: new Float64Array(l32.data) };
  // inputs are validated above: call the active path directly (no per-step scan of the n×n A)
  const impl = resolveLinalg(options.linalg);
  let bn = 0;
  for (let i = 0; i < b.data.length; i++) bn += b.data[i] * b.data[i];
  bn = Math.sqrt(bn);
  const x = impl.choleskySolve(l, b);
  let prev = Infinity;
  for (let it = 0; ; it++) {
    // R = B − A X − shift·X, in float64
    const ax = impl.gemm(a, x);
    const res = new Float64Array(n * r);
    let rn = 0;
    for (let i = 0; i < res.length; i++) {
      const v = b.data[i] - ax.data[i] - shift * x.data[i];
      res[i] = v;
      rn += v * v;
    }
    const rel = bn > 0 ? Math.sqrt(rn) / bn : Math.sqrt(rn);
    if (!Number.isFinite(rel)) throw new NumericalError('solveSpdMixed', 'the refinement produced non-finite values');
    if (rel <= tol) return { x, iterations: it, residual: rel };
    if (it >= maxIter || rel > 0.5 * prev) {
      // stalled: at the float64 rounding floor (within 100·tol) that is convergence, above it a failure
      if (rel <= 100 * tol) return { x, iterations: it, residual: rel };
      throw new NumericalError('solveSpdMixed', `iterative refinement stalled at relative residual ${rel.toExponential(2)} after ${it} steps (the system is too ill-conditioned for a float32 factor)`);
    }
    prev = rel;
    const dx = impl.choleskySolve(l, { rows: n, cols: r, data: res });
    for (let i = 0; i < x.data.length; i++) x.data[i] += dx.data[i];
  }
}
