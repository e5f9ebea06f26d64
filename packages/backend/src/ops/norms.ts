import { InvalidArgumentError } from '../errors/errors.js';
import type { AnyMatrix } from '../host/matrix.js';

/**
 * Squared Euclidean norm of every row, accumulated in float64.
 *
 * ```math
 * r_i = \sum_j x_{ij}^2
 * ```
 * @param x - `[N, d]` float32 or float64.
 * @returns `Float64Array` of length N.
 * @throws {InvalidArgumentError} for a malformed matrix.
 * @example
 * rowSqNorms(fromRows([[3, 4], [1, 0]])); // Float64Array [25, 1]
 */
export function rowSqNorms(x: AnyMatrix): Float64Array {
  if (x == null || x.data == null || x.data.length !== x.rows * x.cols) {
    throw new InvalidArgumentError('x', 'a host matrix {rows, cols, data} with data.length = rows·cols', x);
  }
  const { rows, cols, data } = x;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[o + j];
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}
