import { InvalidArgumentError } from '../errors/errors.js';
import { assertMatrix } from '../errors/validate.js';
import { getEngineInfo, getTf, initEngine } from '../engine/engine.js';
import type { AnyMatrix, Matrix32 } from '../host/matrix.js';
import { resolveLinalg } from '../linalg/path.js';
import type { LinalgOptions, LinalgRequest } from '../linalg/types.js';
import { poolMatmul } from './pool.js';
import { poolSize } from '../runtime/threads.js';

/** Options of {@link matmul}. */
export interface MatmulOptions extends LinalgOptions {
  /** Use Aᵀ. Default false. */
  transA?: boolean;
  /** Use Bᵀ. Default false. */
  transB?: boolean;
  /**
   * Caller-owned storage for the product (at least m·n entries; the first m·n are written and the
   * result's `data` is that view): loops of equal-shaped products reuse one buffer instead of fresh
   * pages per call (a page's first write faults, about 12 µs on the project's machine).
   */
  out?: Float32Array;
}

/** Products with at least this many multiply-adds go to the worker pool on the wasm engine. */
const POOL_THRESHOLD = 2 ** 26;

/** op(X) as row-major float32 (a host transpose when asked: tfjs transpose flags are off the fast path). */
export function opFloat32(x: AnyMatrix, trans: boolean): Float32Array {
  const { rows: r, cols: c, data } = x;
  if (!trans) return data instanceof Float32Array ? data : Float32Array.from(data);
  const out = new Float32Array(r * c);
  const B = 64;
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(r, i0 + B);
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(c, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = data[i * c + j];
    }
  }
  return out;
}

/**
 * Row-major float32 product of already-laid-out operands: native `sgemm` when the float64
 * path (`linalg`, default the global one) is native, else the tfjs engine (worker pool on `wasm`
 * in Node for large products).
 */
export async function productF32(a: Float32Array, m: number, k: number, b: Float32Array, n: number, linalg?: LinalgRequest): Promise<Float32Array> {
  if (m === 0 || n === 0) return new Float32Array(m * n);
  if (k === 0) return new Float32Array(m * n);
  const impl = resolveLinalg(linalg);
  if (impl.path === 'native') {
    return impl.sgemm({ rows: m, cols: k, data: a }, { rows: k, cols: n, data: b }).data;
  }
  if (!getEngineInfo()) await initEngine();
  const info = getEngineInfo();
  if (info?.tfjsBackend === 'wasm' && m * n * k >= POOL_THRESHOLD && m >= 2 && poolSize() >= 2) {
    return poolMatmul(a, m, k, b, n);
  }
  const tf = getTf();
  const out = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k], 'float32'), tf.tensor2d(b, [k, n], 'float32')));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/**
 * Large float32 matrix product `op(A)·op(B)` on the fastest route here: BLAS `sgemm` through the
 * native addon when the float64 path (`options.linalg`, default the global one) is `native`; otherwise the tfjs engine, split across a pool of
 * worker threads (one wasm engine each) for large products. Float64 inputs are rounded to float32.
 * @param a - `[m, k]` (`[k, m]` with `transA`).
 * @param b - `[k, n]` (`[n, k]` with `transB`).
 * @param options - `transA`, `transB`; `out`: storage to write into; `linalg`: this call's path (default: the global one).
 * @returns `[m, n]` float32 (`data` is a view of `out` when given).
 * @throws {InvalidArgumentError} on mismatched inner sizes, malformed input or an `out` shorter than m·n.
 * @example
 * const c = await matmul(x, w); // x [N, d], w [d, h] → [N, h]
 * const again = await matmul(x, w, { out: c.data }); // the same product into the same buffer
 */
export async function matmul(a: AnyMatrix, b: AnyMatrix, options: MatmulOptions = {}): Promise<Matrix32> {
  assertMatrix('a', a, { finite: false });
  assertMatrix('b', b, { finite: false });
  const tA = options.transA ?? false;
  const tB = options.transB ?? false;
  const m = tA ? a.cols : a.rows;
  const k = tA ? a.rows : a.cols;
  const k2 = tB ? b.cols : b.rows;
  const n = tB ? b.rows : b.cols;
  if (k !== k2) throw new InvalidArgumentError('b', `with inner size ${k} to match op(a) [${m}, ${k}]`, `[${b.rows}, ${b.cols}]${tB ? ' (transposed)' : ''}`);
  const given = options.out;
  if (given !== undefined && (!(given instanceof Float32Array) || given.length < m * n)) {
    throw new InvalidArgumentError('options.out', `a Float32Array of at least m·n = ${m * n} entries`, given instanceof Float32Array ? `${given.length} entries` : given);
  }
  const out = given === undefined || given.length === m * n ? given : given.subarray(0, m * n);
  const impl = resolveLinalg(options.linalg);
  if (impl.path === 'native') {
    // BLAS takes the transpose flags itself: no host transpose (a copy of each transposed operand)
    const f32 = (x: AnyMatrix): Matrix32 => (x.data instanceof Float32Array ? (x as Matrix32) : { rows: x.rows, cols: x.cols, data: new Float32Array(x.data) });
    const a32 = f32(a);
    return impl.sgemm(a32, b === a ? a32 : f32(b), { transA: tA, transB: tB, out });
  }
  const data = await productF32(opFloat32(a, tA), m, k, opFloat32(b, tB), n, options.linalg);
  if (out === undefined) return { rows: m, cols: n, data };
  out.set(data);
  return { rows: m, cols: n, data: out };
}

/**
 * Gram matrix of the rows, `G = X Xᵀ` (float32, `[N, N]`).
 * @param x - `[N, d]`.
 * @param options - `linalg`: this call's path (default: the global one).
 * @returns `[N, N]` float32.
 * @example
 * const g = await gram(features); // linear kernel
 */
export async function gram(x: AnyMatrix, options: LinalgOptions = {}): Promise<Matrix32> {
  return matmul(x, x, { transB: true, linalg: options.linalg });
}
