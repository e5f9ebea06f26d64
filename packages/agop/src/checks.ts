/**
 * Input checks shared by the agop modules: every public function validates its matrices with
 * these before touching the data, so bad input fails with a typed error naming the argument.
 */
import { InvalidArgumentError, asFloat64 as toFloat64Checked, assertMatrix, getLinalgInfo, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';

/**
 * Throws unless `m` is a well-formed row-major matrix of either precision with only finite entries,
 * at least `minRows` rows and one column: `@nclab/backend`'s `assertMatrix` with agop's minimum sizes.
 * @throws {InvalidArgumentError} naming `name`.
 */
export function checkMatrix(name: string, m: AnyMatrix, minRows = 1): void {
  assertMatrix(name, m, { minRows, minCols: 1 });
}

/** Throws unless two matrices have the same number of columns (features). */
export function checkSameCols(name: string, m: AnyMatrix, cols: number): void {
  if (m.cols !== cols) {
    throw new InvalidArgumentError(name, `a matrix with ${cols} columns (the training feature dimension)`, `[${m.rows}, ${m.cols}]`);
  }
}

/**
 * A float64 copy-or-view of an already checked matrix: `m` itself when it is float64 (backend
 * `asFloat64` without the finiteness scan, which {@link checkMatrix} has done).
 */
export function asFloat64(m: AnyMatrix): Matrix {
  return toFloat64Checked('m', m, { finite: false });
}

/** Rows r0…r1 of a row-major matrix, as a view (no copy). */
export function rowsView(m: Matrix, r0: number, r1: number): Matrix {
  return { rows: r1 - r0, cols: m.cols, data: m.data.subarray(r0 * m.cols, r1 * m.cols) };
}

/**
 * Resolves a `precision` option of the kernel solvers: `'auto'` is `'mixed'` on the portable
 * float64 path and `'float64'` on the native one (where float64 is already fast).
 * @param name - the option's name, for the error.
 * @param precision - `'auto'` (default), `'float64'` or `'mixed'`.
 * @param linalg - the float64 path the computation runs on (`options.linalg` of the caller);
 *   default: backend's global path (`setLinalgPath`, else `NCLAB_LINALG`, else `auto`).
 * @throws {InvalidArgumentError} for any other value (or an unknown `linalg`).
 * @example
 * resolvePrecision('precision', 'auto', 'portable'); // 'mixed'
 */
export function resolvePrecision(name: string, precision: 'auto' | 'float64' | 'mixed' = 'auto', linalg?: LinalgRequest): 'float64' | 'mixed' {
  if (precision !== 'auto' && precision !== 'float64' && precision !== 'mixed') {
    throw new InvalidArgumentError(name, "'auto', 'float64' or 'mixed'", precision);
  }
  return precision === 'auto' ? (getLinalgInfo(linalg).path === 'portable' ? 'mixed' : 'float64') : precision;
}
