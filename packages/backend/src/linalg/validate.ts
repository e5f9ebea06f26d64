import { InvalidArgumentError } from '../errors/errors.js';
import { assertFinite } from '../errors/validate.js';
import type { Matrix, Matrix32 } from '../host/matrix.js';

/** Throws unless `m` is a well-formed float64 `Matrix` (integer sizes, `Float64Array` of rows·cols). */
export function assertMatrix(name: string, m: Matrix, finite = true): void {
  if (m == null || typeof m !== 'object' || !(m.data instanceof Float64Array)) {
    throw new InvalidArgumentError(name, 'a float64 Matrix {rows, cols, data: Float64Array}', m == null ? m : (m as { data?: unknown }).data ?? m);
  }
  checkSizes(name, m);
  if (finite) assertFinite(name, m.data, m.cols);
}

/** Throws unless `m` is a well-formed float32 `Matrix32`. */
export function assertMatrix32(name: string, m: Matrix32, finite = true): void {
  if (m == null || typeof m !== 'object' || !(m.data instanceof Float32Array)) {
    throw new InvalidArgumentError(name, 'a float32 Matrix32 {rows, cols, data: Float32Array}', m == null ? m : (m as { data?: unknown }).data ?? m);
  }
  checkSizes(name, m);
  if (finite) assertFinite(name, m.data, m.cols);
}

function checkSizes(name: string, m: { rows: number; cols: number; data: ArrayLike<number> }): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.cols) || m.cols < 0) {
    throw new InvalidArgumentError(`${name}.rows/cols`, 'non-negative integers', `[${m.rows}, ${m.cols}]`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError(`${name}.data`, `of length rows·cols = ${m.rows * m.cols}`, m.data.length);
  }
}

/** Throws unless `m` is square. */
export function assertSquare(name: string, m: { rows: number; cols: number }): void {
  if (m.rows !== m.cols) throw new InvalidArgumentError(name, 'a square matrix', `[${m.rows}, ${m.cols}]`);
}
