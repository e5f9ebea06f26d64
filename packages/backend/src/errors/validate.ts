import { InvalidArgumentError } from './errors.js';

/**
 * Throws unless every entry of the row-major `data` (rows of length `cols`) is finite;
 * the message names the first offending row and column.
 */
export function assertFinite(name: string, data: ArrayLike<number>, cols = 1): void {
  // Fast pass: x·0 is NaN exactly when x is NaN or ±Inf, so one multiply-add per entry decides; the slow
  // scan below runs only to name the first offending entry.
  if (data instanceof Float64Array ? allFinite64(data) : data instanceof Float32Array ? allFinite32(data) : allFiniteAny(data)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / Math.max(1, cols));
      const col = i - row * cols;
      throw new InvalidArgumentError(name, 'finite (no NaN or Inf)', v, cols > 1 ? `first at row ${row}, column ${col}` : `first at index ${i}`);
    }
  }
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
 * values outside [0, K).
 * @param n - expected number of labels (the number of samples).
 * @param numClasses - K if known; otherwise K = max label + 1.
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
    if (!Number.isInteger(v) || v < 0 || (numClasses !== undefined && v >= numClasses)) {
      const range = numClasses !== undefined ? `[0, ${numClasses})` : '[0, ∞)';
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
