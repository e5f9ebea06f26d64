import type { Matrix, Matrix32 } from '../host/matrix.js';

/** Which float64 host linear-algebra implementation is in use (`cuda`: cuBLAS/cuSOLVER on an NVIDIA GPU). */
export type LinalgPath = 'native' | 'portable' | 'cuda';

/**
 * A request for a float64 path: `cuda`, `native`, `portable`, or `auto` (cuda when a GPU and its
 * libraries load, else native when it loads, else portable).
 * The global default is `setLinalgPath`, else env `NCLAB_LINALG`, else `auto`.
 */
export type LinalgRequest = LinalgPath | 'auto';

/** The per-call path override every path-dependent backend entry accepts. */
export interface LinalgOptions {
  /** Run this call on this path instead of the global default (see `resolveLinalg`). */
  linalg?: LinalgRequest;
}

/** Options of a general matrix product `alpha · op(A) · op(B)`. */
export interface GemmOptions extends LinalgOptions {
  /** Use Aᵀ in place of A. Default false. */
  transA?: boolean;
  /** Use Bᵀ in place of B. Default false. */
  transB?: boolean;
  /** Scalar factor. Default 1. */
  alpha?: number;
  /**
   * Write C into this array (length m·n, the product's element type, not overlapping A or B) and
   * return it as the result's `data`, in place of a new array: no allocation and no fresh-page
   * faults in loops that reuse one buffer. Its previous contents are ignored (overwritten) unless
   * `beta` is set.
   */
  out?: Float64Array | Float32Array;
  /**
   * Accumulate into `out` (BLAS `beta`): C ← alpha·op(A)·op(B) + beta·C, with C the previous contents
   * of `out` (required when beta ≠ 0). Default 0: `out` is overwritten, NaN left in it included.
   * E.g. a plain SGD step fused into the gradient product: W ← (1 − ηλ)·W − η·ΔᵀH.
   */
  beta?: number;
}

/** Options of a symmetric rank-k product: `trans` false → A Aᵀ, true → Aᵀ A; `alpha` scales. */
export interface SyrkOptions extends LinalgOptions {
  /** Aᵀ A (`[n, n]`) instead of A Aᵀ (`[m, m]`). Default false. */
  trans?: boolean;
  /** Scalar factor. Default 1. */
  alpha?: number;
  /**
   * Only the lower triangle (diagonal included) is computed and guaranteed; the strict upper triangle
   * is left unspecified instead of mirrored (saves a pass over n² entries for callers that read or
   * rewrite only the lower triangle). Default false: the full symmetric matrix.
   */
  lowerOnly?: boolean;
}

/** Symmetric eigendecomposition A = V diag(values) Vᵀ. */
export interface EighResult {
  /** Eigenvalues in ascending order, length n. */
  readonly values: Float64Array;
  /** n×n matrix whose column j is the unit eigenvector of `values[j]`. */
  readonly vectors: Matrix;
}

/** Thin SVD A = U diag(s) Vᵀ, k = min(m, n). */
export interface SvdResult {
  /** m×k, orthonormal columns. */
  readonly u: Matrix;
  /** Singular values in descending order, length k. */
  readonly s: Float64Array;
  /** k×n, orthonormal rows. */
  readonly vt: Matrix;
}

/**
 * The primitive set every float64 host implementation (`native`, `portable`, `cuda`) provides.
 * Derived routines (pinv, PSD powers, rank, SPD solve) are written once on top of it.
 * All inputs are left unmodified; all outputs are new matrices.
 */
export interface LinalgImpl {
  readonly path: LinalgPath;
  /** Human-readable library description, e.g. `OpenBLAS 0.3.21 (libopenblas.so.0)`. */
  readonly library: string;
  /**
   * True when the GEMM propagates NaN/Inf as IEEE arithmetic does (OpenBLAS: no skipped zeros), so a
   * non-finite entry of op(A) (op(B)) makes its whole row (column) of C non-finite. `gemm` then checks
   * C's first column and row instead of scanning both inputs before the product.
   */
  readonly propagatesNonFinite?: boolean;
  /** C = alpha · op(A) · op(B) in float64. */
  gemm(a: Matrix, b: Matrix, options?: GemmOptions): Matrix;
  /** C = alpha · op(A) · op(B) in float32. */
  sgemm(a: Matrix32, b: Matrix32, options?: GemmOptions): Matrix32;
  /** Symmetric rank-k product: `trans` false → A Aᵀ (m×m); true → Aᵀ A (n×n). Full symmetric output. */
  syrk(a: Matrix, options?: { trans?: boolean; alpha?: number; lowerOnly?: boolean }): Matrix;
  /** Float32 twin of `syrk` (float32 arithmetic), full and exactly symmetric output. */
  ssyrk(a: Matrix32, options?: { trans?: boolean; alpha?: number }): Matrix32;
  /** Lower Cholesky factor L with A = L Lᵀ. @throws {NumericalError} when A is not positive definite. */
  cholesky(a: Matrix): Matrix;
  /**
   * Float64 Cholesky **in place**: on return the lower triangle of `a.data` (row-major, diagonal
   * included) holds L with A = L Lᵀ; only the lower triangle is read, and the strict upper triangle is
   * left exactly as it was. No n×n temporary where the path can avoid it (native: none; portable: none
   * when `a.data` is in shared memory or small). @throws {NumericalError} when A is not positive
   * definite (the lower triangle is then partly overwritten).
   */
  choleskyInPlace(a: Matrix): void;
  /** Solves (L Lᵀ) X = B given the lower factor L (only its lower triangle is read). */
  choleskySolve(l: Matrix, b: Matrix): Matrix;
  /**
   * Float32 Cholesky **in place** (contract added for the memory-bounded kernel solve; every path,
   * `cuda` included, implements it): on return the lower triangle of `a.data` (row-major, diagonal
   * included) holds L with A = L Lᵀ; only the lower triangle is read, and the strict upper triangle is
   * left exactly as it was (it may hold other data, e.g. the kernel values). No n×n temporary on the
   * native path. @throws {NumericalError} when A is not positive definite (the lower triangle is then
   * partly overwritten).
   */
  scholeskyInPlace(a: Matrix32): void;
  /**
   * Solves (L Lᵀ) X = B in float32 with the lower factor from `scholeskyInPlace` (only the lower
   * triangle of `l` is read; its upper triangle may hold anything). B `[n, r]` is left unmodified.
   */
  scholeskySolve(l: Matrix32, b: Matrix32): Matrix32;
  /** Solves A X = B for square A (LU with partial pivoting). @throws {NumericalError} when A is singular. */
  solve(a: Matrix, b: Matrix): Matrix;
  /** Symmetric eigendecomposition (only the lower triangle of A is read). */
  eigh(a: Matrix): EighResult;
  /** Thin singular value decomposition. */
  svd(a: Matrix): SvdResult;
  /** The singular values of A, descending (no singular vectors: LAPACK's cheaper jobz = 'N' where the path has it). */
  singularValues(a: Matrix): Float64Array;
}
