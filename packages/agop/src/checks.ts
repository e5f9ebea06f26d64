/**
 * Input checks shared by the agop modules: every public function validates its matrices with
 * these before touching the data, so bad input fails with a typed error naming the argument.
 */
import { InvalidArgumentError, assertFinite, getLinalgInfo, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend';

/**
 * Throws unless `m` is a well-formed row-major matrix (integer sizes, data of length rows·cols)
 * with only finite entries and at least `minRows` rows.
 * @throws {InvalidArgumentError} naming `name`.
 */
export function checkMatrix(name: string, m: AnyMatrix, minRows = 1): void {
  if (m == null || typeof m !== 'object' || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new InvalidArgumentError(name, 'a matrix {rows, cols, data}', m);
  }
  if (!(m.data instanceof Float64Array) && !(m.data instanceof Float32Array)) {
    throw new InvalidArgumentError(name, 'a matrix whose data is a Float64Array or Float32Array', m.data);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError(`${name}.data`, `of length rows*cols = ${m.rows * m.cols}`, m.data.length);
  }
  if (m.rows < minRows || m.cols < 1) {
    throw new InvalidArgumentError(name, `a matrix with at least ${minRows} row(s) and 1 column`, `[${m.rows}, ${m.cols}]`);
  }
  assertFinite(name, m.data, m.cols);
}

/** Throws unless two matrices have the same number of columns (features). */
export function checkSameCols(name: string, m: AnyMatrix, cols: number): void {
  if (m.cols !== cols) {
    throw new InvalidArgumentError(name, `a matrix with ${cols} columns (the training feature dimension)`, `[${m.rows}, ${m.cols}]`);
  }
}

/** A float64 copy-or-view: returns `m` itself when it is already float64. */
export function asFloat64(m: AnyMatrix): Matrix {
  return m.data instanceof Float64Array ? (m as Matrix) : { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
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
