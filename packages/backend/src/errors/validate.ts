import { InvalidArgumentError } from './errors.js';
import type { AnyMatrix, Matrix, Matrix32 } from '../host/matrix.js';

/**
 * Throws unless every entry of the row-major `data` (rows of length `cols`) is finite;
 * the message names the first offending row and column.
 * @param rowOffset - added to the reported row (a batch of a stream reports its row in the stream).
 */
export function assertFinite(name: string, data: ArrayLike<number>, cols = 1, rowOffset = 0): void {
  // Fast pass (allFinite); the slow scan below runs only to name the first offending entry.
  if (allFinite(data)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / Math.max(1, cols));
      const col = i - row * cols;
      throw new InvalidArgumentError(name, 'finite (no NaN or Inf)', v, cols > 1 || rowOffset > 0 ? `first at row ${row + rowOffset}, column ${col}` : `first at index ${i}`);
    }
  }
}

/**
 * Whether every entry of `data` is finite: x·0 is NaN exactly when x is NaN or ±Inf, so one
 * multiply-add per entry decides (several times faster than `data.every(Number.isFinite)`).
 * @example
 * allFinite(Float32Array.of(1, NaN)); // false
 */
export function allFinite(data: ArrayLike<number>): boolean {
  return data instanceof Float64Array ? allFinite64(data) : data instanceof Float32Array ? allFinite32(data) : allFiniteAny(data);
}

/** Throws unless `v` is a finite number > 0 (`allowZero`: ≥ 0). */
export function assertPositive(name: string, v: number, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) {
    throw new InvalidArgumentError(name, allowZero ? 'a non-negative finite number' : 'a positive finite number', v);
  }
}

/** Throws unless `v` is an integer in [min, max]. */
export function assertInteger(name: string, v: number, min = -Infinity, max = Infinity): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'}..${Number.isFinite(max) ? max : '∞'}`;
    throw new InvalidArgumentError(name, `an integer in ${range}`, v);
  }
}

/** Throws unless a matrix-like has the given shape (use `-1` for "any"). */
export function assertShape(name: string, m: { rows: number; cols: number }, rows: number, cols: number): void {
  if ((rows >= 0 && m.rows !== rows) || (cols >= 0 && m.cols !== cols)) {
    const want = `[${rows < 0 ? '*' : rows}, ${cols < 0 ? '*' : cols}]`;
    throw new InvalidArgumentError(name, `of shape ${want}`, `[${m.rows}, ${m.cols}]`);
  }
}

/**
 * Validates integer class labels and returns them as `Int32Array` with the number of classes.
 * Accepts integer-valued floats (labels saved as float arrays); rejects NaN, non-integers and
 * values outside [0, K). When K is not given, a label must be below N (the number of samples): K
 * classes need at least K samples, and a stray huge label (1e9) would otherwise make every
 * per-class array of the caller enormous.
 * @param n - expected number of labels (the number of samples).
 * @param numClasses - K if known; otherwise K = max label + 1 (≤ N).
 */
export function validateLabels(
  name: string,
  labels: ArrayLike<number>,
  n: number,
  numClasses?: number,
): { labels: Int32Array; numClasses: number } {
  if (labels.length !== n) throw new InvalidArgumentError(name, `of length N = ${n} (one label per sample)`, labels.length);
  const out = new Int32Array(n);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    const bound = numClasses ?? n;
    if (!Number.isInteger(v) || v < 0 || v >= bound) {
      const range = numClasses !== undefined ? `[0, ${numClasses})` : `[0, ${n}) (below the number of samples)`;
      throw new InvalidArgumentError(name, `integers in ${range}`, v, `at index ${i}`);
    }
    out[i] = v;
    if (v > max) max = v;
  }
  return { labels: out, numClasses: numClasses ?? max + 1 };
}

// One monomorphic loop per array type (a shared ArrayLike loop is several times slower), four independent sums.
function allFinite64(x: Float64Array): boolean {
  let a = 0, b = 0, c = 0, d = 0;
  const n4 = x.length - (x.length % 4);
  for (let i = 0; i < n4; i += 4) { a += x[i] * 0; b += x[i + 1] * 0; c += x[i + 2] * 0; d += x[i + 3] * 0; }
  for (let i = n4; i < x.length; i++) a += x[i] * 0;
  return a + b + c + d === 0;
}

function allFinite32(x: Float32Array): boolean {
  let a = 0, b = 0, c = 0, d = 0;
  const n4 = x.length - (x.length % 4);
  for (let i = 0; i < n4; i += 4) { a += x[i] * 0; b += x[i + 1] * 0; c += x[i + 2] * 0; d += x[i + 3] * 0; }
  for (let i = n4; i < x.length; i++) a += x[i] * 0;
  return a + b + c + d === 0;
}

function allFiniteAny(x: ArrayLike<number>): boolean {
  let a = 0;
  for (let i = 0; i < x.length; i++) a += x[i] * 0;
  return a === 0;
}

/** What {@link assertMatrix} and its siblings require beyond a well-formed `{ rows, cols, data }`. */
export interface MatrixCheckOptions {
  /** Smallest accepted number of rows (default 0). */
  readonly minRows?: number;
  /** Smallest accepted number of columns (default 0). */
  readonly minCols?: number;
  /** Also require every entry to be finite (default `true`); the error names the first bad row and column. */
  readonly finite?: boolean;
}

type Dtype = 'any' | 'float64' | 'float32';

const EXPECTED: Record<Dtype, string> = {
  any: 'a host matrix { rows, cols, data: Float64Array | Float32Array }',
  float64: 'a float64 Matrix { rows, cols, data: Float64Array }',
  float32: 'a float32 Matrix32 { rows, cols, data: Float32Array }',
};

function checkMatrix(name: string, value: unknown, dtype: Dtype, options: MatrixCheckOptions): void {
  const c = value as { rows?: unknown; cols?: unknown; data?: unknown } | null | undefined;
  const data = c != null && typeof c === 'object' ? c.data : undefined;
  const okType = dtype === 'float64' ? data instanceof Float64Array
    : dtype === 'float32' ? data instanceof Float32Array
      : data instanceof Float64Array || data instanceof Float32Array;
  if (!okType) throw new InvalidArgumentError(name, EXPECTED[dtype], data ?? value);
  const { rows, cols } = c as { rows: number; cols: number };
  const minRows = options.minRows ?? 0;
  const minCols = options.minCols ?? 0;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < minRows || cols < minCols) {
    const want = minRows > 0 || minCols > 0 ? `a matrix with at least ${minRows} row(s) and ${minCols} column(s)` : 'a matrix with non-negative integer rows and cols';
    throw new InvalidArgumentError(name, want, `[${String(rows)}, ${String(cols)}]`);
  }
  const arr = data as Float64Array | Float32Array;
  if (arr.length !== rows * cols) throw new InvalidArgumentError(`${name}.data`, `of length rows*cols = ${rows * cols}`, arr.length);
  if (options.finite ?? true) assertFinite(name, arr, cols);
}

/**
 * Throws unless `value` is a well-formed row-major host matrix of either precision: an object
 * `{ rows, cols, data }` with integer sizes ≥ `minRows`/`minCols`, `data` a `Float64Array` or
 * `Float32Array` of length rows·cols and (unless `finite: false`) only finite entries.
 * The one matrix check of nclab: every package validates its matrix arguments with this family.
 * @param name - the argument name the error carries (`error.argument`).
 * @param value - the candidate.
 * @param options - `minRows`, `minCols` (default 0), `finite` (default true).
 * @throws {InvalidArgumentError} naming `name` (or `name.data` for a length mismatch).
 * @example
 * assertMatrix('x', x, { minRows: 1, minCols: 1 }); // x is now typed AnyMatrix
 */
export function assertMatrix(name: string, value: unknown, options: MatrixCheckOptions = {}): asserts value is AnyMatrix {
  checkMatrix(name, value, 'any', options);
}

/**
 * {@link assertMatrix} that also requires float64 data (`Matrix`).
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * assertMatrix64('a', a); // a: Matrix
 */
export function assertMatrix64(name: string, value: unknown, options: MatrixCheckOptions = {}): asserts value is Matrix {
  checkMatrix(name, value, 'float64', options);
}

/**
 * {@link assertMatrix} that also requires float32 data (`Matrix32`).
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * assertMatrix32('a', a); // a: Matrix32
 */
export function assertMatrix32(name: string, value: unknown, options: MatrixCheckOptions = {}): asserts value is Matrix32 {
  checkMatrix(name, value, 'float32', options);
}

/**
 * Validates a matrix of either precision ({@link assertMatrix}) and returns it in float64: `value`
 * itself when its data is already a `Float64Array` (no copy), else a float64 copy.
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * const x64 = asFloat64('x', x, { minRows: 1 });
 */
export function asFloat64(name: string, value: unknown, options: MatrixCheckOptions = {}): Matrix {
  assertMatrix(name, value, options);
  return value.data instanceof Float64Array ? (value as Matrix) : { rows: value.rows, cols: value.cols, data: new Float64Array(value.data) };
}

/**
 * Validates a matrix of either precision ({@link assertMatrix}) and returns it in float32: `value`
 * itself when its data is already a `Float32Array` (no copy), else a rounded float32 copy.
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * const x32 = asFloat32('x', x);
 */
export function asFloat32(name: string, value: unknown, options: MatrixCheckOptions = {}): Matrix32 {
  assertMatrix(name, value, options);
  return value.data instanceof Float32Array ? (value as Matrix32) : { rows: value.rows, cols: value.cols, data: new Float32Array(value.data) };
}

/**
 * Throws unless `m` is square.
 * @throws {InvalidArgumentError} naming `name`.
 * @example
 * assertSquare('a', a);
 */
export function assertSquare(name: string, m: { rows: number; cols: number }): void {
  if (m.rows !== m.cols) throw new InvalidArgumentError(name, 'a square matrix', `[${m.rows}, ${m.cols}]`);
}
