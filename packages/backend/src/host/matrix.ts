import { InvalidArgumentError } from '../errors/errors.js';
import { allocFloat64 } from '../runtime/huge-pages.js';

/**
 * A dense row-major float64 matrix on the host: element (i, j) is `data[i * cols + j]`.
 * Every float64 routine in `@nclab/backend` takes and returns this shape.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A dense row-major float32 matrix on the host (engine-side data brought to the host). */
export interface Matrix32 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** Either precision. */
export type AnyMatrix = Matrix | Matrix32;

/**
 * Creates a `rows × cols` float64 matrix, zero-filled or wrapping (not copying) `data`.
 * @throws {InvalidArgumentError} when `data.length !== rows * cols` or a size is not a non-negative integer.
 */
export function matrix(rows: number, cols: number, data?: Float64Array | ArrayLike<number>): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new InvalidArgumentError('rows', 'a non-negative integer', rows);
  if (!Number.isInteger(cols) || cols < 0) throw new InvalidArgumentError('cols', 'a non-negative integer', cols);
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new InvalidArgumentError('data', `of length rows*cols = ${rows * cols}`, data.length);
  }
  return { rows, cols, data: data instanceof Float64Array ? data : new Float64Array(data) };
}

/** A float64 matrix from nested rows, e.g. `fromRows([[1, 2], [3, 4]])`. */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new InvalidArgumentError(`rows[${i}]`, `of length ${c}`, rows[i].length);
    for (let j = 0; j < c; j++) out[i * c + j] = rows[i][j];
  }
  return { rows: r, cols: c, data: out };
}

/** Nested arrays from a matrix (for JSON output and tests). */
export function toRows(m: AnyMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** The n×n identity. */
export function eye(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A copy of `m` in float64 (from float64 or float32). */
export function toFloat64(m: AnyMatrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: new Float64Array(m.data) };
}

/** A copy of `m` in float32. */
export function toFloat32(m: AnyMatrix): Matrix32 {
  return { rows: m.rows, cols: m.cols, data: new Float32Array(m.data) };
}

/** The transpose, as a new float64 matrix (cache-blocked). */
export function transpose(m: AnyMatrix): Matrix {
  const { rows: r, cols: c } = m;
  const out = allocFloat64(r * c);
  const B = 64;
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(r, i0 + B);
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(c, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = m.data[i * c + j];
    }
  }
  return { rows: c, cols: r, data: out };
}
