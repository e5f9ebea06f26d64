/**
 * The `Dataset` shape every loader returns, pixel scaling, and row subsets.
 */
import { InvalidArgumentError, allocFloat32, allocFloat64, type AnyMatrix, type LabelledData, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { affineU8ToF32 } from './pixel-kernel.js';

/**
 * A labelled sample matrix: `x` is `[N, d]` row-major (one sample per row), `labels[i]` in
 * `[0, numClasses)` is the class of row `i`. A `Dataset` is a `@nclab/backend` `LabelledData`
 * (with `Int32Array` labels and K), so it can be passed wherever labelled data is taken.
 */
export interface Dataset<M extends AnyMatrix = AnyMatrix> extends LabelledData {
  readonly x: M;
  readonly labels: Int32Array;
  readonly numClasses: number;
}

/** Float precision of a returned `x`. */
export type FloatDtype = 'float32' | 'float64';

/**
 * How 8-bit pixels p ∈ {0..255} become features:
 * - `'unit'`: p / 255 ∈ [0, 1] (the correctly rounded quotient in the output precision);
 * - `'symmetric'`: p / 127.5 − 1 ∈ [−1, 1], computed as (2p − 255) / 255 (one rounding);
 * - `'raw'`: p ∈ [0, 255];
 * - `'standardize'`: per feature j, (p − mean_j) / std_j over the returned rows, std with 1/N;
 *   a constant feature (std_j = 0) becomes 0. Statistics accumulate in float64.
 */
export type PixelScale = 'unit' | 'symmetric' | 'raw' | 'standardize';

const SCALES: readonly PixelScale[] = ['unit', 'symmetric', 'raw', 'standardize'];

/** Throws unless `scale` is a {@link PixelScale}. */
export function checkScale(scale: unknown): asserts scale is PixelScale {
  if (!SCALES.includes(scale as PixelScale)) throw new InvalidArgumentError('scale', `one of ${SCALES.map((s) => `'${s}'`).join(', ')}`, scale);
}

/** Throws unless `dtype` is `'float32'` or `'float64'`. */
export function checkDtype(dtype: unknown): asserts dtype is FloatDtype {
  if (dtype !== 'float32' && dtype !== 'float64') throw new InvalidArgumentError('dtype', "'float32' or 'float64'", dtype);
}

/**
 * Converts 8-bit pixels `[rows, cols]` (row-major) to a float matrix with the given scaling.
 * @param pixels - `rows * cols` bytes.
 * @param rows - N.
 * @param cols - d.
 * @param options - `scale` (default `'unit'`, see {@link PixelScale}), `dtype` (default `'float32'`).
 * @returns `Matrix32` or `Matrix` `[rows, cols]`.
 * @throws {InvalidArgumentError} on a bad `scale`/`dtype` or `pixels.length !== rows * cols`.
 * @example
 * scalePixels(new Uint8Array([0, 255]), 1, 2, { scale: 'symmetric' }).data; // Float32Array [-1, 1]
 */
export function scalePixels(
  pixels: Uint8Array,
  rows: number,
  cols: number,
  options: { scale?: PixelScale; dtype?: FloatDtype } = {},
): Matrix | Matrix32 {
  const scale = options.scale ?? 'unit';
  const dtype = options.dtype ?? 'float32';
  checkScale(scale);
  checkDtype(dtype);
  if (pixels.length !== rows * cols) throw new InvalidArgumentError('pixels', `of length rows*cols = ${rows * cols}`, pixels.length);
  const n = rows * cols;
  const out = dtype === 'float32' ? allocFloat32(n) : allocFloat64(n);
  if (scale === 'raw') {
    out.set(pixels);
  } else if (scale === 'unit' || scale === 'symmetric') {
    // p/255 = (p·1 + 0)/255 and p/127.5 − 1 = (2p − 255)/255: an exact integer divided once, so each
    // value is the correctly rounded quotient in the output precision.
    const [mul, add] = scale === 'unit' ? [1, 0] : [2, -255];
    if (out instanceof Float32Array) affineU8ToF32(pixels, out, mul, add, 255);
    else {
      const lut = new Float64Array(256);
      for (let p = 0; p < 256; p++) lut[p] = (p * mul + add) / 255;
      lutMap64(pixels, lut, out);
    }
  } else {
    const mean = new Float64Array(cols);
    const sq = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) mean[j] += pixels[o + j];
    }
    for (let j = 0; j < cols; j++) mean[j] /= Math.max(1, rows);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) {
        const c = pixels[o + j] - mean[j];
        sq[j] += c * c;
      }
    }
    const inv = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const sd = Math.sqrt(sq[j] / Math.max(1, rows));
      inv[j] = sd > 0 ? 1 / sd : 0;
    }
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) out[o + j] = (pixels[o + j] - mean[j]) * inv[j];
    }
  }
  return dtype === 'float32' ? { rows, cols, data: out as Float32Array } : { rows, cols, data: out as Float64Array };
}

function lutMap64(src: Uint8Array, lut: Float64Array, out: Float64Array): void {
  for (let i = 0; i < src.length; i++) out[i] = lut[src[i]];
}

/**
 * The rows `indices` of a dataset, in that order (a copy).
 * @param ds - `{ x: [N, d], labels: [N], numClasses }`.
 * @param indices - row indices in `[0, N)`.
 * @returns a dataset of `indices.length` rows with the same `numClasses` and precision.
 * @throws {InvalidArgumentError} when an index is out of range.
 * @example
 * const ds = subsetDataset(full, balancedIndices(full.labels, { perClass: 100 }));
 */
export function subsetDataset<M extends AnyMatrix>(ds: Dataset<M>, indices: ArrayLike<number>): Dataset<M> {
  const { rows, cols } = ds.x;
  const m = indices.length;
  const data = new (ds.x.data.constructor as Float64ArrayConstructor | Float32ArrayConstructor)(m * cols);
  const labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= rows) throw new InvalidArgumentError('indices', `integers in [0, ${rows})`, r, `at index ${i}`);
    data.set(ds.x.data.subarray(r * cols, (r + 1) * cols), i * cols);
    labels[i] = ds.labels[r];
  }
  return { x: { rows: m, cols, data } as unknown as M, labels, numClasses: ds.numClasses };
}
