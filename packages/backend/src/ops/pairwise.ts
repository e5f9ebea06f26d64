import { InvalidArgumentError } from '../errors/errors.js';
import { assertPositive } from '../errors/validate.js';
import type { AnyMatrix, Matrix32 } from '../host/matrix.js';
import { mapSymmetric } from '../host/symmetric.js';
import { DEFAULT_BUDGET_BYTES, mapRowChunks } from './chunks.js';
import { opFloat32, productF32 } from './matmul.js';
import { rowSqNorms } from './norms.js';

/** Options of {@link pairwiseSqDistances}. */
export interface PairwiseOptions {
  /** Bound on temporary memory per row block, in bytes (the N×M output is extra). Default 512 MiB. */
  budgetBytes?: number;
  /** Clamp negative values (float32 cancellation) to 0. Default true. */
  clampZero?: boolean;
}

/**
 * Squared Euclidean distances between the rows of X and the rows of Z, in row blocks whose
 * temporaries fit in `budgetBytes`.
 *
 * ```math
 * D_{ij} = \|x_i\|^2 + \|z_j\|^2 - 2\, x_i^\top z_j
 * ```
 * Norms are accumulated in float64, the cross products in float32 (native sgemm or the engine), so
 * entries carry float32 cancellation error ≈ ε₃₂·(‖x_i‖² + ‖z_j‖²) for close points: negatives are
 * clamped to 0 and, when Z is omitted (Z = X), the diagonal is exactly 0 and only the lower triangle is
 * computed (half the flops), then mirrored, so D = Dᵀ exactly.
 * @param x - `[N, d]`.
 * @param z - `[M, d]`; default X.
 * @returns `[N, M]` float32 (N·M·4 bytes; 60,000² needs 14.4 GB).
 * @throws {InvalidArgumentError} when the column counts differ or the budget is not positive.
 * @example
 * const d2 = await pairwiseSqDistances(x); // [N, N], zero diagonal
 */
export async function pairwiseSqDistances(x: AnyMatrix, z?: AnyMatrix, options: PairwiseOptions = {}): Promise<Matrix32> {
  const self = z === undefined || z === x;
  const zz = z ?? x;
  if (x == null || x.data == null || x.data.length !== x.rows * x.cols) throw new InvalidArgumentError('x', 'a host matrix [N, d]', x);
  if (zz == null || zz.data == null || zz.data.length !== zz.rows * zz.cols) throw new InvalidArgumentError('z', 'a host matrix [M, d]', zz);
  if (zz.cols !== x.cols) throw new InvalidArgumentError('z', `with d = ${x.cols} columns (as x)`, `[${zz.rows}, ${zz.cols}]`);
  const budget = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  assertPositive('options.budgetBytes', budget);
  const clamp = options.clampZero ?? true;
  const n = x.rows;
  const m = zz.rows;
  const d = x.cols;
  const nx = rowSqNorms(x);
  const nz = self ? nx : rowSqNorms(zz);
  const zt = opFloat32(zz, true); // [d, M], so the product needs no transpose flag
  const xs = x.data instanceof Float32Array ? x.data : null;
  let out: Float32Array;
  try {
    out = new Float32Array(n * m);
  } catch (err) {
    throw new InvalidArgumentError('x', 'small enough that the N×M float32 output can be allocated', `N·M = ${n}·${m}`, (err as Error).message);
  }
  // Per row: the product block (M floats) plus the row's slice of X, twice for engine copies.
  const bytesPerRow = 2 * 4 * (m + d);
  await mapRowChunks(n, bytesPerRow, budget, async (s, e) => {
    const rows = e - s;
    const block = xs ? xs.subarray(s * d, e * d) : Float32Array.from(x.data.subarray(s * d, e * d));
    // Self distances are symmetric: a row block needs only the columns up to its end (the lower
    // triangle, half the flops); the upper triangle is mirrored afterwards, so D = Dᵀ exactly.
    const cols = self ? e : m;
    const p = await productF32(block, rows, d, self ? leadingColumns(zt, d, m, cols) : zt, cols);
    for (let i = 0; i < rows; i++) {
      const gi = s + i;
      const ni = nx[gi];
      const o = gi * m;
      const po = i * cols;
      const jEnd = self ? gi : cols;
      for (let j = 0; j < jEnd; j++) {
        const v = ni + nz[j] - 2 * p[po + j];
        out[o + j] = clamp && v < 0 ? 0 : v;
      }
      if (self) out[o + gi] = 0;
    }
  });
  if (self) mapSymmetric(out, n);
  return { rows: n, cols: m, data: out };
}

/** The first `cols` columns of a row-major [rows, m] array, as a contiguous [rows, cols] array. */
function leadingColumns(a: Float32Array, rows: number, m: number, cols: number): Float32Array {
  if (cols === m) return a;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * m, r * m + cols), r * cols);
  return out;
}
