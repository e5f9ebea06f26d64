import { InvalidArgumentError, NumericalError } from '../errors/errors.js';
import { assertInteger, assertPositive } from '../errors/validate.js';
import type { Matrix } from '../host/matrix.js';
import { cholesky, choleskySolve, eigh, gemm, svd, syrk } from './api.js';
import type { EighResult, LinalgOptions } from './types.js';
import { assertMatrix, assertSquare } from './validate.js';
import { allocFloat64 } from '../runtime/huge-pages.js';
import { sumSq } from '../host/vector.js';

const EPS = 2 ** -52;

/** Options of {@link pinv}. */
export interface PinvOptions extends LinalgOptions {
  /** Relative cutoff: singular values ≤ rtol·σ_max are treated as zero. Default max(m, n)·ε. */
  rtol?: number;
  /** Keep exactly the top `rank` singular values instead (overrides `rtol`; zeros still dropped). */
  rank?: number;
}

/**
 * Moore–Penrose pseudo-inverse from the thin SVD, with an explicit rank rule.
 *
 * ```math
 * A^+ = V_r \,\mathrm{diag}(1/\sigma_1..1/\sigma_r)\, U_r^\top,\quad r = \#\{\sigma_i > \mathrm{rtol}\cdot\sigma_{\max}\}
 * ```
 * Default `rtol = max(m, n)·ε` (NumPy's `matrix_rank` rule; `np.linalg.pinv` uses 1e-15).
 * @param a - `[m, n]`.
 * @returns A⁺, `[n, m]`.
 * @throws {InvalidArgumentError} for a negative `rtol` or a `rank` outside [0, min(m, n)].
 * @example
 * pinv(fromRows([[2, 0], [0, 0]])); // [[0.5, 0], [0, 0]]
 * @see Penrose (1955), "A generalized inverse for matrices".
 */
export function pinv(a: Matrix, options: PinvOptions = {}): Matrix {
  assertMatrix('a', a);
  const { m, n } = { m: a.rows, n: a.cols };
  const k = Math.min(m, n);
  if (options.rtol !== undefined) assertPositive('options.rtol', options.rtol, true);
  if (options.rank !== undefined) assertInteger('options.rank', options.rank, 0, k);
  const { u, s, vt } = svd(a, options);
  let r: number;
  if (options.rank !== undefined) {
    r = options.rank;
    while (r > 0 && s[r - 1] === 0) r--;
  } else {
    const cut = (options.rtol ?? Math.max(m, n) * EPS) * (k > 0 ? s[0] : 0);
    r = 0;
    while (r < k && s[r] > cut) r++;
  }
  if (r === 0) return { rows: n, cols: m, data: new Float64Array(n * m) };
  // A⁺ = (V_r diag(1/s)) U_rᵀ: scaled right vectors [n, r] times the first r columns of U [m, r].
  const vs = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let t = 0; t < r; t++) vs[i * r + t] = vt.data[t * n + i] / s[t];
  const ur = new Float64Array(m * r);
  for (let j = 0; j < m; j++) for (let t = 0; t < r; t++) ur[j * r + t] = u.data[j * k + t];
  return gemm({ rows: n, cols: r, data: vs }, { rows: m, cols: r, data: ur }, { transB: true, linalg: options.linalg });
}

/**
 * Numerical rank: the number of singular values above `rtol·σ_max`.
 * Default `rtol = max(m, n)·ε` (as `numpy.linalg.matrix_rank`).
 * @param a - `[m, n]`.
 * @param options - `rtol`; `linalg`: this call's path (default: the global one).
 * @returns an integer in [0, min(m, n)].
 * @example
 * numericalRank(fromRows([[1, 2], [2, 4]])); // 1
 */
export function numericalRank(a: Matrix, options: { rtol?: number } & LinalgOptions = {}): number {
  assertMatrix('a', a);
  if (options.rtol !== undefined) assertPositive('options.rtol', options.rtol, true);
  return rankOfSingularValues(svd(a, options).s, a.rows, a.cols, options.rtol);
}

/**
 * {@link numericalRank}'s rule applied to singular values already computed (descending), for a caller
 * that has them and should not pay a second SVD: the count of σ_i > rtol·σ_max.
 * @param s - singular values of an `[m, n]` matrix, descending.
 * @param m - rows of that matrix.
 * @param n - columns.
 * @param rtol - default max(m, n)·ε.
 * @returns an integer in [0, s.length].
 * @example
 * rankOfSingularValues(svd(w).s, w.rows, w.cols); // equals numericalRank(w)
 */
export function rankOfSingularValues(s: ArrayLike<number>, m: number, n: number, rtol = Math.max(m, n) * EPS): number {
  if (s.length === 0) return 0;
  const cut = rtol * s[0];
  let r = 0;
  while (r < s.length && s[r] > cut) r++;
  return r;
}

/** Options of {@link psdPower}. */
export interface PsdPowerOptions extends LinalgOptions {
  /**
   * Eigenvalues below `floor` are set to 0 before the power (negative ones always are).
   * Default: 0 for p > 0; `n·ε·λ_max` for p < 0, where those eigenvalues map to 0 (pseudo-inverse rule).
   */
  floor?: number;
  /**
   * `[r, n]` with orthonormal rows Q spanning a subspace that contains the range of A (e.g. the `vt`
   * of a thin SVD of W when A = Wᵀ S W). Then A^p = Qᵀ (Q A Qᵀ)^p Q: an r×r eigendecomposition instead
   * of n×n, and no power of the rounding noise outside the subspace (A's n − r zero eigenvalues come
   * out of an n×n `eigh` as ±ε·λ_max, whose square roots are ~1e-8·√λ_max each). The whole of `a` is
   * read (it must be symmetric); the floor rule is unchanged (n·ε·λ_max for p < 0). The claim is
   * checked: when A's trace or squared Frobenius mass outside the subspace exceeds rounding
   * (16·n·ε of A's), the n×n route is taken instead, so the result never depends on the hint being right.
   */
  subspace?: Matrix;
}

/** Largest deviation of Q Qᵀ from the identity accepted for {@link PsdPowerOptions.subspace}. */
const SUBSPACE_ORTHONORMAL_TOL = 1e-8;

/**
 * The subspace route is taken when A's trace outside it, tr A − tr(Q A Qᵀ), is at most this many
 * n·ε·|tr A|, and its squared Frobenius mass outside at most this many n·ε·‖A‖²_F: rounding noise of
 * a matrix whose range lies in the subspace (the probe's AGOPs: 0.01 n·ε). For a PSD A the trace
 * outside bounds the whole outside part (|a_ij|² ≤ a_ii·a_jj), so a matrix that passes loses nothing
 * above rounding; one that fails takes the n×n route, with the same result as without `subspace`.
 */
const SUBSPACE_TRACE_TOL = 16;

/**
 * Power of a symmetric positive semi-definite matrix through its eigendecomposition.
 *
 * ```math
 * A^p = V \,\mathrm{diag}(\tilde\lambda_i^{\,p})\, V^\top,\quad
 * \tilde\lambda_i = \lambda_i \text{ if } \lambda_i \ge \text{floor}, \text{ else } 0\ (\text{and } 0^p := 0 \text{ for } p < 0)
 * ```
 * Negative eigenvalues (rounding noise of a PSD matrix) are clipped to 0. Only the lower
 * triangle of `a` is read (all of it with `subspace`); the result is exactly symmetric. With
 * `subspace` Q (`[r, n]`, orthonormal rows, range(A) ⊆ range(Qᵀ)): A^p = Qᵀ (Q A Qᵀ)^p Q.
 * @param a - `[n, n]` symmetric PSD.
 * @param p - any finite exponent (0.5: square root, -1: pseudo-inverse, -0.5: inverse root).
 * @returns `[n, n]`.
 * @throws {InvalidArgumentError} for a non-finite `p`, a negative floor, a non-square `a`, or a
 *   `subspace` that is not `[r ≤ n, n]` with orthonormal rows.
 * @example
 * psdPower(fromRows([[4, 0], [0, 9]]), 0.5); // [[2, 0], [0, 3]]
 * psdPower(agop, 0.5, { subspace: svd(w).vt }); // AGOP = Wᵀ S W, W [256, 784]: a 256×256 eigh
 */
export function psdPower(a: Matrix, p: number, options: PsdPowerOptions = {}): Matrix {
  assertMatrix('a', a);
  assertSquare('a', a);
  if (typeof p !== 'number' || !Number.isFinite(p)) throw new InvalidArgumentError('p', 'a finite number', p);
  if (options.floor !== undefined) assertPositive('options.floor', options.floor, true);
  const n = a.rows;
  const q = options.subspace;
  if (q !== undefined) assertSubspace(q, n, options);
  const path: LinalgOptions = { linalg: options.linalg };
  // on a subspace, the r×r compression Q A Qᵀ, if it holds A's trace (see SUBSPACE_TRACE_TOL)
  let target = a;
  let basis: Matrix | undefined;
  if (q !== undefined) {
    const m = gemm(q, gemm(a, q, { transB: true, ...path }), path);
    if (insideSubspace(a, m)) {
      target = m;
      basis = q;
    }
  }
  const { values, vectors } = eigh(target, path);
  const r = target.rows;
  const lmax = r > 0 ? Math.max(0, values[r - 1]) : 0;
  const floor = options.floor ?? (p < 0 ? n * EPS * lmax : 0);
  const f = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    const l = values[j];
    f[j] = l > 0 && l >= floor ? (p === 1 ? l : l ** p) : 0;
  }
  return reconstruct(vectors, f, n, basis, path);
}

function traceOf(a: Matrix): number {
  let t = 0;
  for (let i = 0; i < a.rows; i++) t += a.data[i * a.cols + i];
  return t;
}

/**
 * Whether A (symmetric `[n, n]`) lies in the subspace of its compression M = Q A Qᵀ to rounding: its
 * trace outside, tr A − tr M (for a PSD A, the trace of the compression onto the complement), and its
 * squared Frobenius mass outside, ‖A‖²_F − ‖M‖²_F (never negative for a symmetric A, PSD or not: it
 * also catches outside eigenvalues of both signs, whose traces could cancel), each within
 * SUBSPACE_TRACE_TOL·n·ε of A's.
 */
function insideSubspace(a: Matrix, m: Matrix): boolean {
  const tol = SUBSPACE_TRACE_TOL * a.rows * EPS;
  const ta = traceOf(a);
  const fa = sumSq(a.data);
  return ta - traceOf(m) <= tol * Math.abs(ta) && fa - sumSq(m.data) <= tol * fa;
}

function assertSubspace(q: Matrix, n: number, path: LinalgOptions): void {
  assertMatrix('options.subspace', q);
  if (q.cols !== n || q.rows > n) throw new InvalidArgumentError('options.subspace', `[r, ${n}] with r ≤ ${n}`, `[${q.rows}, ${q.cols}]`);
  if (q.rows === 0) return;
  const g = syrk(q, { linalg: path.linalg });
  let worst = 0;
  for (let i = 0; i < q.rows; i++) for (let j = 0; j <= i; j++) worst = Math.max(worst, Math.abs(g.data[i * q.rows + j] - (i === j ? 1 : 0)));
  if (!(worst <= SUBSPACE_ORTHONORMAL_TOL)) {
    throw new InvalidArgumentError('options.subspace', `orthonormal rows (max |Q Qᵀ − I| ≤ ${SUBSPACE_ORTHONORMAL_TOL})`, `a deviation of ${worst.toExponential(2)}`);
  }
}

/**
 * V diag(f) Vᵀ for f ≥ 0 (`vectors` V `[r, r]`), or with a subspace Q `[r, n]`, Qᵀ V diag(f) Vᵀ Q:
 * the symmetric product W Wᵀ with W = V diag(√f) (times Qᵀ), over the columns where f ≠ 0, so the
 * result is exactly symmetric.
 */
function reconstruct(vectors: Matrix, f: Float64Array, n: number, q: Matrix | undefined, path: LinalgOptions): Matrix {
  const r = vectors.rows;
  const V = vectors.data;
  const cols: number[] = [];
  for (let j = 0; j < r; j++) if (f[j] !== 0) cols.push(j);
  const k = cols.length;
  if (k === 0) return { rows: n, cols: n, data: allocFloat64(n * n) };
  const W = allocFloat64(r * k);
  for (let t = 0; t < k; t++) {
    const c = cols[t];
    const sf = Math.sqrt(f[c]);
    for (let i = 0; i < r; i++) W[i * k + t] = V[i * r + c] * sf;
  }
  const w: Matrix = { rows: r, cols: k, data: W };
  return syrk(q === undefined ? w : gemm(q, w, { transA: true, ...path }), path);
}

/**
 * Principal square root of a symmetric PSD matrix, `psdPower(a, 0.5)` (negative eigenvalues clipped to 0).
 * @param a - `[n, n]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `[n, n]` symmetric PSD S with S² ≈ A.
 * @example
 * psdSqrt(fromRows([[4, 0], [0, 9]])); // [[2, 0], [0, 3]]
 */
export function psdSqrt(a: Matrix, options: LinalgOptions = {}): Matrix {
  return psdPower(a, 0.5, options);
}

/** Result of {@link solveSpd}. */
export interface SolveSpdResult {
  /** X with (A + jitter·I) X = B, `[n, r]`. */
  readonly x: Matrix;
  /** The ridge that was added: 0 when A itself was positive definite. */
  readonly jitter: number;
}

/**
 * Solves a symmetric positive definite system by Cholesky. When the factorisation fails (A only
 * semi-definite, or indefinite by rounding), retries with A + δI for δ = δ₀, 10δ₀, 100δ₀, …
 * (δ₀ = `jitter`, default 1e-12·mean(diag A)) up to 1e-2·mean(diag A) and reports the δ used.
 * @param a - `[n, n]` symmetric (lower triangle read). @param b - `[n, r]`.
 * @param options - `jitter`; `linalg`: this call's path (default: the global one).
 * @returns `{ x, jitter }`.
 * @throws {NumericalError} when no ridge up to 1e-2·mean(diag A) makes A positive definite.
 * @example
 * const { x, jitter } = solveSpd(kernel, targets); // jitter === 0 for a well-posed kernel
 */
export function solveSpd(a: Matrix, b: Matrix, options: { jitter?: number } & LinalgOptions = {}): SolveSpdResult {
  assertMatrix('a', a);
  assertSquare('a', a);
  assertMatrix('b', b);
  if (b.rows !== a.rows) throw new InvalidArgumentError('b', `with ${a.rows} rows (the order of a)`, `[${b.rows}, ${b.cols}]`);
  if (options.jitter !== undefined) assertPositive('options.jitter', options.jitter);
  const n = a.rows;
  try {
    const path = { linalg: options.linalg };
    return { x: choleskySolve(cholesky(a, path), b, path), jitter: 0 };
  } catch (err) {
    if (!(err instanceof NumericalError)) throw err;
  }
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(a.data[i * n + i]);
  meanDiag = n > 0 ? meanDiag / n : 0;
  if (meanDiag === 0) meanDiag = 1;
  const max = 1e-2 * meanDiag;
  let delta = options.jitter ?? 1e-12 * meanDiag;
  const shifted = new Float64Array(a.data);
  for (; delta <= max * (1 + 1e-12); delta *= 10) {
    for (let i = 0; i < n; i++) shifted[i * n + i] = a.data[i * n + i] + delta;
    try {
      const l = cholesky({ rows: n, cols: n, data: shifted }, { linalg: options.linalg });
      return { x: choleskySolve(l, b, { linalg: options.linalg }), jitter: delta };
    } catch (err) {
      if (!(err instanceof NumericalError)) throw err;
    }
  }
  throw new NumericalError('solveSpd', `the matrix is not positive definite even with a ridge of ${max} (1e-2·mean diagonal)`);
}

/**
 * The k largest eigenpairs of a symmetric matrix, in descending order.
 * @param a - `[n, n]` symmetric (lower triangle read).
 * @param k - number of pairs, 0 ≤ k ≤ n.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `{ values }` descending `[k]`, `{ vectors }` `[n, k]`.
 * @throws {InvalidArgumentError} when k is not an integer in [0, n].
 * @example
 * topEigh(sigmaB, numClasses - 1); // the class-mean subspace
 */
export function topEigh(a: Matrix, k: number, options: LinalgOptions = {}): EighResult {
  assertMatrix('a', a);
  assertSquare('a', a);
  assertInteger('k', k, 0, a.rows);
  const n = a.rows;
  const { values, vectors } = eigh(a, options);
  const v = new Float64Array(k);
  const out = new Float64Array(n * k);
  for (let t = 0; t < k; t++) {
    const src = n - 1 - t;
    v[t] = values[src];
    for (let i = 0; i < n; i++) out[i * k + t] = vectors.data[i * n + src];
  }
  return { values: v, vectors: { rows: n, cols: k, data: out } };
}
