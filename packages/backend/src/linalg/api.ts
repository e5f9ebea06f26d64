import { InvalidArgumentError } from '../errors/errors.js';
import type { Matrix, Matrix32 } from '../host/matrix.js';
import { resolveLinalg } from './path.js';
import type { EighResult, GemmOptions, LinalgImpl, LinalgOptions, SvdResult, SyrkOptions } from './types.js';
import { assertMatrix, assertMatrix32, assertSquare } from './validate.js';
import { assertFinite } from '../errors/validate.js';

/*
 * The exported float64 primitives: validate once, then dispatch to the active path
 * (`native` or `portable`, see `setLinalgPath`), or to `options.linalg` for one call (see
 * `resolveLinalg`). Both paths give the same results to rounding.
 */

function innerSizes(a: { rows: number; cols: number }, b: { rows: number; cols: number }, o: GemmOptions): void {
  const k1 = o.transA ? a.rows : a.cols;
  const k2 = o.transB ? b.cols : b.rows;
  if (k1 !== k2) {
    throw new InvalidArgumentError('b', `with ${k1} ${o.transB ? 'columns' : 'rows'} to match op(a) [${o.transA ? a.cols : a.rows}, ${k1}]`, `[${b.rows}, ${b.cols}]`);
  }
  if (o.alpha !== undefined && !Number.isFinite(o.alpha)) throw new InvalidArgumentError('options.alpha', 'a finite number', o.alpha);
}

/**
 * General matrix product in float64.
 *
 * ```math
 * C = \alpha \, \mathrm{op}(A)\, \mathrm{op}(B) + \beta\, C, \quad \mathrm{op}(X) \in \{X, X^\top\}
 * ```
 * @param a - `[m, k]` (or `[k, m]` with `transA`).
 * @param b - `[k, n]` (or `[n, k]` with `transB`).
 * @param options - `transA`, `transB`, `alpha`; `out`: a caller-owned `Float64Array(m·n)` that receives C
 *   (reused buffers skip the allocation and its page faults); `beta` (default 0): accumulate into `out`'s
 *   previous contents; `linalg`: this call's path (default: global).
 * @returns C, `[m, n]` (its `data` is `options.out` when given).
 * @throws {InvalidArgumentError} when the inner sizes differ, an input is malformed or not finite,
 *   `out` has the wrong type or length or overlaps an input, or `beta` is not finite or set without `out`.
 * @example
 * gemm(fromRows([[1, 2]]), fromRows([[3], [4]])).data; // Float64Array [11]
 * const out = new Float64Array(n * n);
 * for (let t = 0; t < T; t++) gemm(a, b, { out }); // no allocation per iteration
 * gemm(a, b, { out, alpha: -0.1, beta: 1 }); // out ← out − 0.1·A·B
 */
export function gemm(a: Matrix, b: Matrix, options: GemmOptions = {}): Matrix {
  return checkedProduct(a, b, options, Float64Array, (impl) => impl.gemm, assertMatrix);
}

/**
 * General matrix product of float32 host matrices, `C = alpha · op(A) · op(B) + beta · C` (float32 result).
 * Native path: BLAS `sgemm`; portable path: float32 arithmetic on the WebAssembly kernel (with
 * WebAssembly off, float64 accumulation rounded once).
 * @param a - `[m, k]` float32. @param b - `[k, n]` float32.
 * @param options - as {@link gemm}; `out` is a `Float32Array(m·n)`.
 * @returns `[m, n]` float32.
 * @throws {InvalidArgumentError} on mismatched inner sizes, a non-finite input or a bad `out`.
 * @example
 * sgemm(toFloat32(a), toFloat32(b));
 */
export function sgemm(a: Matrix32, b: Matrix32, options: GemmOptions = {}): Matrix32 {
  return checkedProduct(a, b, options, Float32Array, (impl) => impl.sgemm, assertMatrix32);
}

/** Validates `options.out`: the product's element type, length m·n, no memory shared with A or B. */
function checkOut(out: unknown, type: Float64ArrayConstructor | Float32ArrayConstructor, length: number, a: { data: ArrayBufferView }, b: { data: ArrayBufferView }): void {
  if (!(out instanceof type)) throw new InvalidArgumentError('options.out', `a ${type.name}`, out);
  if (out.length !== length) throw new InvalidArgumentError('options.out', `of length m·n = ${length}`, out.length);
  for (const [name, m] of [['a', a], ['b', b]] as const) {
    const d = m.data;
    if (d.buffer === out.buffer && d.byteOffset < out.byteOffset + out.byteLength && out.byteOffset < d.byteOffset + d.byteLength) {
      throw new InvalidArgumentError('options.out', `memory not shared with ${name}`, 'an overlapping view');
    }
  }
}

/** C has a non-finite entry in its first column or first row (x·0 is NaN exactly for NaN and ±Inf). */
function edgesNonFinite(c: Float64Array | Float32Array, m: number, n: number): boolean {
  let s = 0;
  for (let i = 0; i < m; i++) s += c[i * n] * 0;
  for (let j = 1; j < n; j++) s += c[j] * 0;
  return s !== 0;
}

/**
 * The shared body of `gemm`/`sgemm`: shapes and `out` validated, then the product. Inputs are scanned
 * for NaN/Inf before the product, except on a path whose GEMM propagates them (OpenBLAS): there a
 * non-finite entry of op(A) row i makes all of C's row i non-finite (and of op(B) column j, C's column
 * j), so C's first column and row reveal one, and only then are the inputs scanned, to name it.
 * A non-finite C from finite inputs (overflow) is returned as computed.
 */
function checkedProduct<T extends Float64Array | Float32Array, M extends { rows: number; cols: number; data: T }>(
  a: M,
  b: M,
  options: GemmOptions,
  type: Float64ArrayConstructor | Float32ArrayConstructor,
  run: (impl: LinalgImpl) => (a: M, b: M, o: GemmOptions) => M,
  assert: (name: string, m: M, finite?: boolean) => void,
): M {
  assert('a', a, false);
  if (b !== a) assert('b', b, false);
  innerSizes(a, b, options);
  const m = options.transA ? a.cols : a.rows;
  const n = options.transB ? b.rows : b.cols;
  if (options.out !== undefined) checkOut(options.out, type, m * n, a, b);
  const beta = options.beta ?? 0;
  if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new InvalidArgumentError('options.beta', 'a finite number', beta);
  if (beta !== 0 && options.out === undefined) throw new InvalidArgumentError('options.beta', '0 unless options.out holds the C to accumulate into', beta);
  const impl = resolveLinalg(options.linalg);
  const scanFirst = !impl.propagatesNonFinite || options.alpha === 0;
  const scan = () => {
    assertFinite('a', a.data, a.cols);
    if (b !== a) assertFinite('b', b.data, b.cols); // A·Aᵀ and friends: one scan of the shared data
  };
  if (scanFirst) scan();
  const c = run(impl)(a, b, options);
  if (!scanFirst && edgesNonFinite(c.data, m, n)) scan();
  return c;
}

/**
 * Symmetric rank-k product in float64, full symmetric output.
 *
 * ```math
 * C = \alpha A A^\top \;(\texttt{trans}=\text{false},\ [m, m]) \quad\text{or}\quad C = \alpha A^\top A \;([n, n])
 * ```
 * @param a - `[m, n]`.
 * @param options - `trans`, `alpha`, `linalg` (this call's path; default: the global one).
 * @returns `[m, m]` or `[n, n]`.
 * @example
 * syrk(x, { trans: true }); // XᵀX, e.g. an uncentred covariance times N
 */
export function syrk(a: Matrix, options: SyrkOptions = {}): Matrix {
  assertMatrix('a', a);
  if (options.alpha !== undefined && !Number.isFinite(options.alpha)) throw new InvalidArgumentError('options.alpha', 'a finite number', options.alpha);
  return resolveLinalg(options.linalg).syrk(a, options);
}

/**
 * Symmetric rank-k product in float32 (float32 arithmetic, as BLAS `ssyrk`), full and exactly
 * symmetric output: `alpha·A Aᵀ` or, with `trans`, `alpha·Aᵀ A`. Half the work of `sgemm`: the lower
 * triangle only (native: BLAS `ssyrk`), mirrored.
 * @param a - `[m, n]` float32.
 * @param options - as {@link syrk}.
 * @returns `[m, m]` or `[n, n]` float32.
 * @example
 * ssyrk(toFloat32(g), { trans: true }); // GᵀG in float32
 */
export function ssyrk(a: Matrix32, options: SyrkOptions = {}): Matrix32 {
  assertMatrix32('a', a);
  if (options.alpha !== undefined && !Number.isFinite(options.alpha)) throw new InvalidArgumentError('options.alpha', 'a finite number', options.alpha);
  return resolveLinalg(options.linalg).ssyrk(a, options);
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions extends LinalgOptions {
  /**
   * Factor A + shift·I instead of A (a ridge or jitter), without a shifted copy of A: the diagonal of
   * `a` is shifted in place for the factorisation and then restored bit for bit (the factor is the
   * only N×N array made). Default 0.
   */
  shift?: number;
}

/** The checks both Cholesky entries make (square, finite `a`; finite `shift`), with the path and the shift. */
function checkCholesky(a: Matrix, options: CholeskyOptions): { impl: LinalgImpl; shift: number } {
  assertMatrix('a', a);
  assertSquare('a', a);
  const impl = resolveLinalg(options.linalg);
  const shift = options.shift ?? 0;
  if (typeof shift !== 'number' || !Number.isFinite(shift)) throw new InvalidArgumentError('options.shift', 'a finite number', shift);
  return { impl, shift };
}

/**
 * Lower Cholesky factor, `A + shift·I = L Lᵀ`. Only the lower triangle of `a` is read.
 * @param a - `[n, n]` symmetric positive definite.
 * @param options - `shift` (default 0); `linalg`: this call's path (default: the global one).
 * @returns L, `[n, n]` lower triangular (zeros above the diagonal).
 * @throws {NumericalError} when A + shift·I is not positive definite (a pivot ≤ 0).
 * @throws {InvalidArgumentError} when `a` is not square or has NaN/Inf, or `shift` is not finite.
 * @example
 * cholesky(fromRows([[4, 2], [2, 3]])); // [[2, 0], [1, √2]]
 * cholesky(kernelMatrix, { shift: 1e-3 }); // the factor of K + 1e-3·I (kernel ridge regression)
 */
export function cholesky(a: Matrix, options: CholeskyOptions = {}): Matrix {
  const { impl, shift } = checkCholesky(a, options);
  if (shift === 0) return impl.cholesky(a);
  const n = a.rows;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = a.data[i * n + i];
    a.data[i * n + i] += shift;
  }
  try {
    return impl.cholesky(a);
  } finally {
    for (let i = 0; i < n; i++) a.data[i * n + i] = diag[i];
  }
}

/**
 * Float64 Cholesky **in place**, `A + shift·I = L Lᵀ`: the lower triangle of `a.data` (row-major,
 * diagonal included) is replaced by L, and the strict upper triangle keeps A's entries. For a matrix
 * that is not needed after its factorisation (the final kernel regression of a Deep RFM run): no n×n
 * copy, so the factor costs no new memory (at n = 5,000 the copy {@link cholesky} makes is 200 MB and
 * its first-touch page faults). {@link choleskySolve} reads only the lower triangle, so `a` can be
 * passed to it as the factor. Native: LAPACK `dpotrf` on the caller's buffer; portable: the blocked
 * factor where the array lies when it is in shared memory (large results of this path are) or small,
 * else through a shared copy.
 * @param a - `[n, n]` symmetric positive definite; overwritten (lower triangle and diagonal).
 * @param options - `shift` (default 0) is added to the diagonal first; `linalg`: this call's path.
 * @throws {NumericalError} when A + shift·I is not positive definite (the lower triangle is then partly
 *   overwritten: rebuild A before trying again).
 * @throws {InvalidArgumentError} when `a` is not square or has NaN/Inf, or `shift` is not finite.
 * @example
 * const k = kernelMatrix(x, undefined, { kernel });
 * choleskyInPlace(k, { shift: 1e-3 }); // k's lower triangle: the factor of K + 1e-3·I
 * const alpha = choleskySolve(k, y);
 */
export function choleskyInPlace(a: Matrix, options: CholeskyOptions = {}): void {
  const { impl, shift } = checkCholesky(a, options);
  const n = a.rows;
  if (shift !== 0) for (let i = 0; i < n; i++) a.data[i * n + i] += shift;
  impl.choleskyInPlace(a);
}

/**
 * Solves `(L Lᵀ) X = B` given the lower Cholesky factor (only its lower triangle is read).
 * @param l - `[n, n]` lower factor from {@link cholesky} or {@link choleskyInPlace}. @param b - `[n, r]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns X, `[n, r]`.
 * @throws {InvalidArgumentError} on shape mismatch.
 * @example
 * const x = choleskySolve(cholesky(a), b);
 */
export function choleskySolve(l: Matrix, b: Matrix, options: LinalgOptions = {}): Matrix {
  assertMatrix('l', l);
  assertSquare('l', l);
  assertMatrix('b', b);
  if (b.rows !== l.rows) throw new InvalidArgumentError('b', `with ${l.rows} rows (the order of l)`, `[${b.rows}, ${b.cols}]`);
  return resolveLinalg(options.linalg).choleskySolve(l, b);
}

/**
 * Float32 Cholesky **in place**, `A = L Lᵀ`: the lower triangle of `a.data` (row-major, diagonal
 * included) is replaced by L; the strict upper triangle is not touched (it may hold other data, e.g.
 * the kernel values a later step still needs). Native: LAPACK `spotrf` on the caller's buffer (no
 * n×n copy, so a 50,000² kernel needs its 10 GB once); portable: the blocked float32 factor, where
 * the array lies when it is in shared memory (`factorWorkspace`, `productArray`) or small, else
 * through a shared copy.
 * Only the shape is validated (a finiteness scan of n² entries would cost a pass); a NaN makes a pivot
 * fail and raises.
 * @param a - `[n, n]` float32, symmetric positive definite in its lower triangle; overwritten.
 * @param options - `linalg`: this call's path (default: the global one).
 * @throws {NumericalError} when A is not positive definite in float32 (`a` is then partly overwritten).
 * @throws {InvalidArgumentError} when `a` is not a square float32 matrix.
 * @example
 * const a = toFloat32(fromRows([[4, 2], [2, 3]]));
 * scholeskyInPlace(a); // a.data = [2, 2, 1, √2]: lower triangle L, upper entry kept
 */
export function scholeskyInPlace(a: Matrix32, options: LinalgOptions = {}): void {
  assertMatrix32('a', a, false);
  assertSquare('a', a);
  resolveLinalg(options.linalg).scholeskyInPlace(a);
}

/**
 * Solves `(L Lᵀ) X = B` in float32 with a factor from {@link scholeskyInPlace} (only its lower
 * triangle is read). Native: LAPACK `spotrs`.
 * @param l - `[n, n]` float32 factor. @param b - `[n, r]` float32 (unmodified).
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns X, `[n, r]` float32.
 * @throws {InvalidArgumentError} on shape mismatch or a non-finite B.
 * @example
 * scholeskyInPlace(a32); const x = scholeskySolve(a32, b32);
 */
export function scholeskySolve(l: Matrix32, b: Matrix32, options: LinalgOptions = {}): Matrix32 {
  assertMatrix32('l', l, false);
  assertSquare('l', l);
  assertMatrix32('b', b);
  if (b.rows !== l.rows) throw new InvalidArgumentError('b', `with ${l.rows} rows (the order of l)`, `[${b.rows}, ${b.cols}]`);
  return resolveLinalg(options.linalg).scholeskySolve(l, b);
}

/**
 * Solves `A X = B` for a general square A (LU with partial pivoting).
 * Singularity rule (both paths): a pivot |u_kk| ≤ n·ε·max|a_ij| raises.
 * @param a - `[n, n]`. @param b - `[n, r]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns X, `[n, r]`.
 * @throws {NumericalError} when A is singular to working precision.
 * @throws {InvalidArgumentError} on shape mismatch or NaN/Inf.
 * @example
 * solve(fromRows([[2, 0], [0, 4]]), fromRows([[2], [2]])); // [[1], [0.5]]
 */
export function solve(a: Matrix, b: Matrix, options: LinalgOptions = {}): Matrix {
  assertMatrix('a', a);
  assertSquare('a', a);
  assertMatrix('b', b);
  if (b.rows !== a.rows) throw new InvalidArgumentError('b', `with ${a.rows} rows (the order of a)`, `[${b.rows}, ${b.cols}]`);
  return resolveLinalg(options.linalg).solve(a, b);
}

/**
 * Symmetric eigendecomposition `A = V diag(λ) Vᵀ`; only the lower triangle of `a` is read.
 * Native: LAPACK `dsyevd`; portable: Householder tridiagonalisation + implicit QL.
 * @param a - `[n, n]` symmetric.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `{ values }` ascending `[n]`, `{ vectors }` `[n, n]` with column j the unit eigenvector of λ_j
 *   (sign of each vector is arbitrary).
 * @throws {InvalidArgumentError} when not square or not finite.
 * @throws {NumericalError} when the iteration does not converge.
 * @example
 * eigh(fromRows([[2, 1], [1, 2]])).values; // Float64Array [1, 3]
 */
export function eigh(a: Matrix, options: LinalgOptions = {}): EighResult {
  assertMatrix('a', a);
  assertSquare('a', a);
  return resolveLinalg(options.linalg).eigh(a);
}

/**
 * Thin singular value decomposition `A = U diag(s) Vᵀ`, k = min(m, n).
 * Native: LAPACK `dgesdd`; portable: Gram eigenbasis refined by one-sided Jacobi.
 * @param a - `[m, n]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `u` `[m, k]`, `s` descending `[k]`, `vt` `[k, n]` (signs of singular-vector pairs arbitrary).
 * @throws {InvalidArgumentError} when not finite.
 * @example
 * svd(fromRows([[3, 0], [0, -2]])).s; // Float64Array [3, 2]
 */
export function svd(a: Matrix, options: LinalgOptions = {}): SvdResult {
  assertMatrix('a', a);
  return resolveLinalg(options.linalg).svd(a);
}

/**
 * The singular values of A, descending, k = min(m, n), without the singular vectors.
 * Native (FFI loader): LAPACK `dgesdd` with jobz = 'N', which skips the vectors (a 256×784 weight:
 * 19 ms against 68 ms in NumPy's twin, `compute_uv=False`); otherwise the thin {@link svd}'s `s`.
 * @param a - `[m, n]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `s` descending `[k]`.
 * @throws {InvalidArgumentError} when not finite. @throws {NumericalError} when LAPACK does not converge.
 * @example
 * singularValues(fromRows([[3, 0], [0, -2]])); // Float64Array [3, 2]
 */
export function singularValues(a: Matrix, options: LinalgOptions = {}): Float64Array {
  assertMatrix('a', a);
  return resolveLinalg(options.linalg).singularValues(a);
}
