import { NumericalError, InvalidArgumentError } from '../errors/errors.js';
import type { Matrix, Matrix32 } from '../host/matrix.js';
import { resolveLinalg } from './path.js';
import { productArray } from './arrays.js';
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
  /**
   * Storage for the float32 factor, at least n² entries, overwritten (e.g. one {@link factorWorkspace}
   * reused by the solves of a run: a fresh 4·n² array costs its page faults at every call, 0.15–0.3 s
   * per 100 MB on the reference machine when the kernel grants no huge pages). Default: a new array.
   */
  readonly workspace?: Float32Array;
}

/**
 * An n×n float32 array for the in-place float32 factor of `path` (the `workspace` of
 * {@link solveSpdMixed} and of agop's mixed kernel solves): on the portable path in shared memory, so
 * that the threaded factor works on it where it lies; elsewhere a plain array. Advised onto huge
 * pages from 4 MiB where the platform allows.
 * @param n - the order of the systems it will hold.
 * @param options - `linalg`: the path the factor will run on (default: the global one).
 * @returns a zeroed `Float32Array` of n² entries.
 * @example
 * const ws = factorWorkspace(k.rows);
 * solveSpdMixed(k, y, { shift: 1e-3, workspace: ws }); // and again with the next layer's kernel
 */
export function factorWorkspace(n: number, options: LinalgOptions = {}): Float32Array {
  return productArray(Float32Array, n * n, options);
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
 * Mixed-precision solve of the SPD system (A + shift·I) X = B: a float32 Cholesky factor of a float32
 * copy of A + shift·I, factored in place (native `spotrf`; portable: the blocked float32 kernel, which
 * runs at about twice the float64 rate), then float64 iterative refinement
 * X ← X + (L Lᵀ)⁻¹ (B − (A + shift·I) X): the residual in float64 against A itself, the correction
 * solved with the float32 factor, until the relative residual reaches `tol` (or stalls within 100·tol).
 * The answer then solves the float64 system, not its float32 rounding. Converges when cond(A)·2⁻²⁴ ≪ 1
 * (kernel matrices with a ridge: cond up to ~1e5, 2–6 steps); otherwise it stops and throws, and the
 * caller solves in float64. It also throws when a pivot² of the float32 factor is ≤ n·2⁻²⁴·max a_ii
 * (nearly singular for float32). Memory: A is read, never written; one n×n float32 array (4·n² bytes).
 * @param a - `[n, n]` symmetric (lower triangle read by the factorisation, all of it by the residual).
 * @param b - `[n, r]` right-hand sides.
 * @param options - shift, tolerance, step limit, factor storage (`workspace`), path.
 * @returns X with the step count and the final residual.
 * @throws {NumericalError} when the float32 factorisation fails or the refinement stalls above `tol`.
 * @throws {InvalidArgumentError} for malformed or non-finite input, or a workspace that is not a
 *   `Float32Array` of at least n² entries.
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
  // inputs are validated above: call the active path directly (no per-step scan of the n×n A)
  const impl = resolveLinalg(options.linalg);
  // the lower triangle of A + shift·I in float32 (the upper is never read)
  const ws = options.workspace;
  if (ws !== undefined && !(ws instanceof Float32Array && ws.length >= n * n)) {
    throw new InvalidArgumentError('workspace', `a Float32Array of at least ${n * n} entries (n²)`, ws instanceof Float32Array ? `${ws.length} entries` : typeof ws);
  }
  const a32 = ws ? ws.subarray(0, n * n) : factorWorkspace(n, options);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    a32.set(a.data.subarray(row, row + i), row);
    a32[row + i] = a.data[row + i] + shift;
    maxDiag = Math.max(maxDiag, a32[row + i]);
  }
  const l: Matrix32 = { rows: n, cols: n, data: a32 };
  impl.scholeskyInPlace(l);
  // a nearly singular A: leave it to the float64 solve and its singularity rules
  let minPivot = Infinity;
  for (let i = 0; i < n; i++) minPivot = Math.min(minPivot, a32[i * n + i] ** 2);
  if (minPivot <= n * 2 ** -24 * maxDiag) {
    throw new NumericalError('solveSpdMixed', `the float32 factor is nearly singular (smallest pivot² ${minPivot.toExponential(2)} ≤ n·2⁻²⁴·max a_ii)`);
  }
  let bn = 0;
  for (let i = 0; i < b.data.length; i++) bn += b.data[i] * b.data[i];
  bn = Math.sqrt(bn);
  const x: Matrix = { rows: n, cols: r, data: new Float64Array(impl.scholeskySolve(l, { rows: n, cols: r, data: Float32Array.from(b.data) }).data) };
  const res = new Float32Array(n * r);
  let prev = Infinity;
  for (let it = 0; ; it++) {
    // R = B − A X − shift·X, in float64 (stored in float32 for the correction solve)
    const ax = impl.gemm(a, x);
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
    const dx = impl.scholeskySolve(l, { rows: n, cols: r, data: res }).data;
    for (let i = 0; i < x.data.length; i++) x.data[i] += dx[i];
  }
}
