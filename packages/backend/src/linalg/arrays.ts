/**
 * Allocation of large arrays that the float64 path's threaded products will read or write.
 */
import { allocFloat32, allocFloat64 } from '../runtime/huge-pages.js';
import { resolveLinalg } from './path.js';
import { poolArray } from './portable/gemm-pool.js';
import type { LinalgOptions } from './types.js';

/**
 * A zeroed array of `length` entries for data that the path's threaded products will read or write:
 * on the portable path, from 4 MiB and where its pool runs worker threads, in a SharedArrayBuffer
 * advised onto huge pages, so that every threaded product uses it in place instead of staging a copy
 * (a 5,000×784 float64 input is 31 MB, staged once per product and faulted in fresh per staging slot);
 * elsewhere {@link allocFloat64} / {@link allocFloat32} (huge-page advice from 4 MiB). Callers see an
 * ordinary typed array either way. Copying *from* a shared array with `TypedArray.prototype.set` is
 * slower than from a plain one (V8 copies shared memory element-wise), so use it for operands of
 * products, not for data copied around.
 * @param type - `Float64Array` or `Float32Array`.
 * @param length - number of entries.
 * @param options - `linalg`: the path the products will run on (default: the global one).
 * @returns the array.
 * @example
 * const xn = productArray(Float64Array, n * d); // rows then written in place, then gemm(xn, …)
 */
export function productArray<T extends Float64Array | Float32Array>(
  type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
  options: LinalgOptions = {},
): T {
  if (resolveLinalg(options.linalg).path === 'portable') return poolArray(type, length);
  return (type.BYTES_PER_ELEMENT === 8 ? allocFloat64(length) : allocFloat32(length)) as T;
}
