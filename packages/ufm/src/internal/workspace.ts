import type { ParamLayout } from '../layout.js';

/**
 * One allocation for all of an objective's scratch buffers: a single Float64Array carved into
 * consecutive, exact-length, non-overlapping views (in the order of `lengths`). Built once when the
 * objective is made, so a solve allocates nothing per step.
 * @param lengths - element count of each buffer.
 * @param alloc - makes the one zero-filled array (default `new Float64Array`; a kernel arena's
 *   `alloc` where WebAssembly SIMD runs, see `makeObjective`).
 * @returns one view per length, zero-filled.
 * @example
 * const [a, b] = carveWorkspace([6, 4]); // a.length 6, b.length 4, one 80-byte buffer
 */
export function carveWorkspace(lengths: readonly number[], alloc: (length: number) => Float64Array = (n) => new Float64Array(n)): Float64Array[] {
  const total = lengths.reduce((s, n) => s + n, 0);
  const buf = alloc(total);
  const out: Float64Array[] = [];
  let off = 0;
  for (const n of lengths) {
    out.push(buf.subarray(off, off + n));
    off += n;
  }
  return out;
}

/** Exact-length views of W_1 … W_L and H_1 inside one flat parameter (or gradient) vector. */
export interface BlockViews {
  readonly weights: readonly Float64Array[];
  readonly h: Float64Array;
}

/**
 * Views of the factor blocks of a flat vector, cut once per array and cached by identity (two
 * slots: L-BFGS alternates two iterate and two gradient buffers), so the objective cuts no views per
 * call on the same buffers.
 * @param layout - where W_1 … W_L and H_1 sit in the flat vector.
 * @returns `views(x)`: the block views of `x`.
 */
export function blockViewCache(layout: ParamLayout): (x: Float64Array) => BlockViews {
  let k0: Float64Array | null = null;
  let v0: BlockViews | null = null;
  let k1: Float64Array | null = null;
  let v1: BlockViews | null = null;
  const cut = (x: Float64Array): BlockViews => ({
    weights: layout.weights.map((b) => x.subarray(b.offset, b.offset + b.rows * b.cols)),
    h: x.subarray(layout.h.offset, layout.h.offset + layout.h.rows * layout.h.cols),
  });
  return (x) => {
    if (x === k0) return v0 as BlockViews;
    if (x === k1) {
      // Most recent first.
      [k0, v0, k1, v1] = [k1, v1, k0, v0];
      return v0 as BlockViews;
    }
    k1 = k0;
    v1 = v0;
    k0 = x;
    v0 = cut(x);
    return v0;
  };
}
