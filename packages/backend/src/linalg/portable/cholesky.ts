import { NumericalError } from '../../errors/errors.js';
import type { Matrix, Matrix32 } from '../../host/matrix.js';
import { gemmAccumulate } from './gemm-kernel.js';
import { isShared, poolArray, poolShares } from './gemm-pool.js';

const NB = 192;
/** Entries above the diagonal, per row, that the blocked updates may write (kernel tiles straddling it: 6 in float64, 10 in float32). */
const UPPER_BAND = 12;

/**
 * Lower Cholesky factor, blocked right-looking (LAPACK `dpotrf` order): factor a diagonal block,
 * solve the panel below it, update the trailing lower triangle with the packed GEMM kernel.
 * Reads only the lower triangle of `a`.
 * @throws {NumericalError} when a pivot is ≤ 0 or not finite (A not positive definite).
 */
export function choleskyPortable(a: Matrix): Matrix {
  const n = a.rows;
  const L = factorStorage(Float64Array, a.data, n);
  factorInPlace(L, n);
  return { rows: n, cols: n, data: L };
}

/**
 * In-place twin of {@link choleskyPortable} (the `LinalgImpl.choleskyInPlace` contract): the lower
 * triangle of `a` is replaced by L, the strict upper triangle is kept. Factored where it lies when
 * `a.data` is in shared memory (the products of this path return large results there) or too small
 * for the threads; otherwise through a shared copy of the lower triangle, so that the threaded
 * trailing updates do not stage the whole matrix into shared memory at every block step.
 * @throws {NumericalError} when a pivot is ≤ 0 or not finite.
 */
export function choleskyInPlacePortable(a: Matrix): void {
  factorKeepingUpper(a.data, a.rows, Float64Array);
}

/**
 * The in-place factor of either precision: over `data` where it lies when that works for the threads
 * (see {@link inPlaceWorks}), else through a shared copy of the lower triangle written back.
 */
function factorKeepingUpper<T extends Float64Array | Float32Array>(data: T, n: number, type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }): void {
  if (inPlaceWorks(data)) {
    // the trailing updates write the kernel tiles that straddle the diagonal whole (4×4 in float64,
    // 4×8 in float32): a band of up to 6 (float64) or 10 (float32) entries above it changes, so it is
    // kept aside (n·UPPER_BAND values) and put back
    const band = new type(n * UPPER_BAND);
    for (let i = 0; i < n; i++) for (let t = 1; t <= UPPER_BAND && i + t < n; t++) band[i * UPPER_BAND + t - 1] = data[i * n + i + t];
    try {
      factorInPlace(data, n, false);
    } finally {
      for (let i = 0; i < n; i++) for (let t = 1; t <= UPPER_BAND && i + t < n; t++) data[i * n + i + t] = band[i * UPPER_BAND + t - 1];
    }
    return;
  }
  const l = factorStorage(type, data, n);
  factorInPlace(l, n, false);
  for (let i = 0; i < n; i++) data.set(l.subarray(i * n, i * n + i + 1), i * n);
}

/** Whether the threaded trailing updates can run on `data` where it lies (see `poolArray`). */
function inPlaceWorks(data: Float64Array | Float32Array): boolean {
  return isShared(data) || !poolShares(data.byteLength);
}

/**
 * Float32 twin of {@link choleskyPortable}: the same blocked algorithm with float32 storage and
 * float32 GEMM updates (diagonal blocks and their inverses in float64 arithmetic). For mixed-precision
 * solves that refine in float64.
 * @throws {NumericalError} when a pivot is ≤ 0 or not finite.
 */
export function scholeskyPortable(a: Matrix32): Matrix32 {
  const n = a.rows;
  const L = factorStorage(Float32Array, a.data, n);
  factorInPlace(L, n);
  return { rows: n, cols: n, data: L };
}

/**
 * In-place twin of {@link scholeskyPortable} (the `LinalgImpl.scholeskyInPlace` contract): the lower
 * triangle of `a` is replaced by L, the strict upper triangle is kept; factored where it lies under
 * the same rule as {@link choleskyInPlacePortable}.
 * @throws {NumericalError} when a pivot is ≤ 0 or not finite.
 */
export function scholeskyInPlacePortable(a: Matrix32): void {
  factorKeepingUpper(a.data, a.rows, Float32Array);
}

/**
 * Solves (L Lᵀ) X = B with a float32 lower factor (upper triangle ignored): the blocked substitution
 * of {@link choleskySolvePortable} in float32 (the off-diagonal blocks on the threaded float32 GEMM).
 * For the corrections of a mixed-precision refinement, whose accuracy the float32 factor bounds anyway.
 */
export function scholeskySolvePortable(l: Matrix32, b: Matrix32): Matrix32 {
  const n = l.rows;
  const r = b.cols;
  // the r ≤ 32 right-hand sides as rows (Xᵀ, r × n): the float32 kernel's 4-row strips then cover r
  // with little padding (10 → 12, where 8-column strips give 16), and L's rows are read contiguously
  if (r <= 32) {
    const xt = new Float32Array(r * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) xt[c * n + i] = b.data[i * r + c];
    blockedSolveRows(l.data, n, xt, r);
    const x = new Float32Array(n * r);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) x[i * r + c] = xt[c * n + i];
    return { rows: n, cols: r, data: x };
  }
  return { rows: n, cols: r, data: blockedSolve(l.data, n, Float32Array.from(b.data), r) };
}

/**
 * {@link blockedSolve} on the transposed right-hand sides Xᵀ (`[r, n]`, overwritten): (L Lᵀ) X = B
 * as Xᵀ (L Lᵀ) = Bᵀ, block by block with the same GEMM updates transposed.
 */
function blockedSolveRows(L: Float32Array, n: number, xt: Float32Array, r: number): void {
  // Yᵀ Lᵀ = Bᵀ: forward over the blocks
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    if (k0 > 0) {
      // Xᵀ[:, k0:k1] -= Xᵀ[:, 0:k0] · L[k0:k1, 0:k0]ᵀ
      gemmAccumulate(r, k1 - k0, k0, -1, { data: xt, off: 0, ld: n, trans: false }, { data: L, off: k0 * n, ld: n, trans: true }, xt, k0, n);
    }
    for (let i = k0; i < k1; i++) {
      const inv = 1 / L[i * n + i];
      for (let c = 0; c < r; c++) {
        const row = c * n;
        let t = xt[row + i];
        for (let p = k0; p < i; p++) t -= L[i * n + p] * xt[row + p];
        xt[row + i] = t * inv;
      }
    }
  }
  // Xᵀ L = Yᵀ: backward, last block first
  for (let k0 = Math.floor((n - 1) / NB) * NB; k0 >= 0; k0 -= NB) {
    const k1 = Math.min(n, k0 + NB);
    if (k1 < n) {
      // Xᵀ[:, k0:k1] -= Xᵀ[:, k1:n] · L[k1:n, k0:k1]
      gemmAccumulate(r, k1 - k0, n - k1, -1, { data: xt, off: k1, ld: n, trans: false }, { data: L, off: k1 * n + k0, ld: n, trans: false }, xt, k0, n);
    }
    for (let i = k1 - 1; i >= k0; i--) {
      const inv = 1 / L[i * n + i];
      for (let c = 0; c < r; c++) {
        const row = c * n;
        let t = xt[row + i];
        for (let p = i + 1; p < k1; p++) t -= L[p * n + i] * xt[row + p];
        xt[row + i] = t * inv;
      }
    }
  }
}

/**
 * The lower triangle of `src` (n×n) copied into a new array of `type`, row by row; in shared memory
 * when large (see `poolArray`), so that the threads of the trailing updates, and later the solves,
 * work on it in place. The factor is returned in that array, not copied out (a 200 MB copy at
 * n = 5,000, and staged back into shared memory by every threaded solve that read it).
 */
function factorStorage<T extends Float64Array | Float32Array>(type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, src: Float64Array | Float32Array, n: number): T {
  const L = poolArray(type, n * n);
  for (let i = 0; i < n; i++) L.set(src.subarray(i * n, i * n + i + 1), i * n);
  return L;
}

/** The blocked factorisation on the lower triangle of `L` (float64 or float32 storage); zeroes the upper unless `zeroUpper` is false. */
function factorInPlace(L: Float64Array | Float32Array, n: number, zeroUpper = true): void {
  const f32 = L instanceof Float32Array;
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    // Diagonal block.
    for (let j = k0; j < k1; j++) {
      const rj = j * n;
      let s = L[rj + j];
      for (let p = k0; p < j; p++) s -= L[rj + p] * L[rj + p];
      if (!(s > 0) || !Number.isFinite(s)) {
        throw new NumericalError('cholesky', `the matrix is not positive definite (pivot ${j} is ${s})`);
      }
      const djj = Math.sqrt(s);
      L[rj + j] = djj;
      for (let i = j + 1; i < k1; i++) {
        const ri = i * n;
        let t = L[ri + j];
        for (let p = k0; p < j; p++) t -= L[ri + p] * L[rj + p];
        L[ri + j] = t / djj;
      }
    }
    const rem = n - k1;
    if (rem === 0) break;
    const nb = k1 - k0;
    // Panel: rows below solve L21 · L11ᵀ = A21, as L21 = A21 · (L11⁻¹)ᵀ (one GEMM on the packed kernel).
    const invT = lowerInverseTransposed(L, n, k0, nb);
    const tmp = f32 ? new Float32Array(rem * nb) : new Float64Array(rem * nb);
    gemmAccumulate(rem, nb, nb, 1, { data: L, off: k1 * n + k0, ld: n, trans: false }, { data: f32 ? Float32Array.from(invT) : invT, off: 0, ld: nb, trans: false }, tmp, 0, nb);
    for (let i = 0; i < rem; i++) L.set(tmp.subarray(i * nb, (i + 1) * nb), (k1 + i) * n + k0);
    // Trailing update: A22 -= L21 L21ᵀ (lower blocks).
    gemmAccumulate(rem, rem, nb, -1, { data: L, off: k1 * n + k0, ld: n, trans: false }, { data: L, off: k1 * n + k0, ld: n, trans: true }, L, k1 * n + k1, n, true);
  }
  if (zeroUpper) for (let i = 0; i < n; i++) L.fill(0, i * n + i + 1, (i + 1) * n);
}

/** (L11⁻¹)ᵀ of the nb×nb diagonal block of `L` at (k0, k0), row-major nb×nb (upper triangular). */
function lowerInverseTransposed(L: Float64Array | Float32Array, n: number, k0: number, nb: number): Float64Array {
  // column j of L11⁻¹ by forward substitution; stored as row j of the result
  const out = new Float64Array(nb * nb);
  for (let j = 0; j < nb; j++) {
    const row = j * nb;
    out[row + j] = 1 / L[(k0 + j) * n + k0 + j];
    for (let i = j + 1; i < nb; i++) {
      const ri = (k0 + i) * n + k0;
      let t = 0;
      for (let p = j; p < i; p++) t -= L[ri + p] * out[row + p];
      out[row + i] = t / L[ri + i];
    }
  }
  return out;
}

/**
 * Solves (L Lᵀ) X = B: blocked forward substitution L Y = B, then backward Lᵀ X = Y. Each block of
 * NB rows first subtracts the contribution of the solved blocks with one GEMM (threads, wasm
 * kernel), then solves its own triangle by substitution.
 */
export function choleskySolvePortable(l: Matrix, b: Matrix): Matrix {
  return { rows: l.rows, cols: b.cols, data: blockedSolve(l.data, l.rows, new Float64Array(b.data), b.cols) };
}

/** The blocked forward and backward substitution over `X` (`[n, r]`, overwritten and returned), in the precision of `L`. */
function blockedSolve<T extends Float64Array | Float32Array>(L: T, n: number, X: T, r: number): T {
  // L Y = B
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    if (k0 > 0) {
      // X[k0:k1] -= L[k0:k1, 0:k0] · X[0:k0]
      gemmAccumulate(k1 - k0, r, k0, -1, { data: L, off: k0 * n, ld: n, trans: false }, { data: X, off: 0, ld: r, trans: false }, X, k0 * r, r);
    }
    for (let i = k0; i < k1; i++) substituteRow(L, n, X, r, i, k0, i, i * n, 1); // L[i, p]
  }
  // Lᵀ X = Y, last block first
  for (let k0 = Math.floor((n - 1) / NB) * NB; k0 >= 0; k0 -= NB) {
    const k1 = Math.min(n, k0 + NB);
    if (k1 < n) {
      // X[k0:k1] -= L[k1:n, k0:k1]ᵀ · X[k1:n]
      gemmAccumulate(k1 - k0, r, n - k1, -1, { data: L, off: k1 * n + k0, ld: n, trans: true }, { data: X, off: k1 * r, ld: r, trans: false }, X, k0 * r, r);
    }
    for (let i = k1 - 1; i >= k0; i--) substituteRow(L, n, X, r, i, i + 1, k1, i, n); // Lᵀ[i, p] = L[p, i]
  }
  return X;
}

/**
 * One row of a triangular substitution inside a diagonal block, on the r columns of X:
 * X[i] = (X[i] − Σ_{p0 ≤ p < p1} f_p X[p]) / L_ii with f_p = L[base + p·step]
 * (forward: row i of L, base i·n, step 1; backward: column i of L, base i, step n).
 */
function substituteRow(L: Float64Array | Float32Array, n: number, X: Float64Array | Float32Array, r: number, i: number, p0: number, p1: number, base: number, step: number): void {
  const xi = i * r;
  for (let p = p0; p < p1; p++) {
    const f = L[base + p * step];
    if (f === 0) continue;
    const xp = p * r;
    for (let c = 0; c < r; c++) X[xi + c] -= f * X[xp + c];
  }
  const inv = 1 / L[i * n + i];
  for (let c = 0; c < r; c++) X[xi + c] *= inv;
}
