/**
 * Sample normalisation applied at the start of every Deep RFM layer.
 */
import { InvalidArgumentError, productArray, unitRows, type LinalgRequest, type Matrix } from '@nclab/backend/host';

/**
 * `'unit'`: every sample scaled to unit ℓ2 norm (Algorithm 1; all-zero rows stay zero);
 * `'none'`: unchanged; `'gram'`: one global factor so the training Gram has unit mean diagonal,
 * (1/N) Σ‖x_i‖² = 1 (the rescaling of the paper's analysis), applied to test data with the training factor.
 */
export const NORMALIZE_MODES = ['unit', 'none', 'gram'] as const;
/** One of {@link NORMALIZE_MODES}. */
export type NormalizeMode = (typeof NORMALIZE_MODES)[number];

/** Checks a normalisation mode. */
export function checkNormalize(mode: unknown): asserts mode is NormalizeMode {
  if (mode !== 'unit' && mode !== 'none' && mode !== 'gram') throw new InvalidArgumentError('normalize', "'unit', 'none' or 'gram'", mode);
}

/** Returns the global factor of `'gram'` mode for the training rows: 1/√(mean ‖x_i‖²). */
export function gramFactor(x: Matrix): number {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += x.data[i] * x.data[i];
  const m = s / Math.max(1, x.rows);
  return m > 0 ? 1 / Math.sqrt(m) : 1;
}

/**
 * Normalises the rows of `x` (a new matrix).
 * @param x - `[n, d]`.
 * @param mode - see {@link NormalizeMode}.
 * @param factor - the global factor for `'gram'` (from {@link gramFactor} on the training rows).
 * @param linalg - the path of the products that will read the rows (the array is made for its threads).
 */
export function normalizeRows(x: Matrix, mode: NormalizeMode, factor = 1, linalg?: LinalgRequest): Matrix {
  const src = x.data;
  const out = productArray(Float64Array, src.length, { linalg });
  if (mode === 'none') {
    out.set(src);
    return { rows: x.rows, cols: x.cols, data: out };
  }
  if (mode === 'gram') {
    for (let i = 0; i < out.length; i++) out[i] = src[i] * factor;
    return { rows: x.rows, cols: x.cols, data: out };
  }
  unitRows(src, x.rows, x.cols, out);
  return { rows: x.rows, cols: x.cols, data: out };
}
