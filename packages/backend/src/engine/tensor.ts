import type * as tfTypes from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import type { AnyMatrix, Matrix32 } from '../host/matrix.js';
import { getTf } from './engine.js';

/**
 * A float32 engine tensor `[rows, cols]` from a host matrix (float64 data is rounded to float32).
 * @param m - host matrix `[rows, cols]`.
 * @returns `tf.Tensor2D` of dtype float32 on the active engine (dispose it, or create it in `tidy`).
 * @throws {EngineUnavailableError} before `initEngine`.
 * @example
 * const t = toTensor(fromRows([[1, 2], [3, 4]]));
 */
export function toTensor(m: AnyMatrix): tfTypes.Tensor2D {
  const tf = getTf();
  if (m == null || !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.data == null || m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError('m', 'a host matrix {rows, cols, data} with data.length = rows·cols', m);
  }
  const data = m.data instanceof Float32Array ? m.data : new Float32Array(m.data);
  return tf.tensor2d(data, [m.rows, m.cols], 'float32');
}

/**
 * Copies a rank-1 or rank-2 engine tensor to the host as float32 (`[n]` becomes `[n, 1]`).
 * Does not dispose the tensor.
 * @param t - tensor of rank ≤ 2.
 * @returns `Matrix32`.
 * @throws {InvalidArgumentError} for rank > 2.
 * @example
 * const m = await fromTensor(tf.ones([2, 3])); // { rows: 2, cols: 3, data: Float32Array(6) }
 */
export async function fromTensor(t: tfTypes.Tensor): Promise<Matrix32> {
  if (t == null || !Array.isArray(t.shape)) throw new InvalidArgumentError('t', 'a tfjs Tensor', t);
  if (t.rank > 2) throw new InvalidArgumentError('t', 'a tensor of rank ≤ 2', `rank ${t.rank} [${t.shape.join(', ')}]`);
  const rows = t.rank === 0 ? 1 : (t.shape[0] as number);
  const cols = t.rank === 2 ? (t.shape[1] as number) : 1;
  const raw = await t.data();
  const data = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
  return { rows, cols, data };
}

/** `tf.tidy` of the active engine: disposes intermediate tensors made inside `fn`. */
export function tidy<T extends tfTypes.TensorContainer>(fn: () => T): T {
  return getTf().tidy(fn);
}

/** `tf.dispose` of the active engine. */
export function dispose(container: tfTypes.TensorContainer): void {
  getTf().dispose(container);
}
