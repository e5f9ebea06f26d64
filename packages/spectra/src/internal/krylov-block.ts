/**
 * A contiguous Krylov basis for the Lanczos-type algorithms (internal): the vectors are the rows of one
 * preallocated `[capacity, n]` float64 block, so re-orthogonalisation is two matrix–vector products
 * (BLAS-2 through the backend's `gemm` with `out` buffers: `c = Q w`, `w −= Qᵀ c`) instead of a loop
 * of `dot`/`axpy` calls, and nothing is allocated per step.
 */
import { gemm, norm, type Matrix } from '@nclab/backend';

/** A `[capacity, n]` row block of orthonormal vectors with scratch buffers for products against it. */
export interface KrylovBlock {
  /** Vector length n. */
  readonly n: number;
  /** Vectors held (rows 0..count−1 are in use). */
  readonly count: number;
  /** Row j of the block (a view, not a copy). */
  row(j: number): Float64Array;
  /** Copies `v` into the next free row and returns that row. */
  push(v: Float64Array): Float64Array;
  /**
   * Orthogonalises `w` in place against the rows held, classical Gram–Schmidt twice ("twice is enough"):
   * `c = Q w; w −= Qᵀ c`, two products each pass. Returns ‖w‖ afterwards.
   */
  orthogonalize(w: Float64Array): number;
  /** Σ_j coef[j] q_j over the first `coef.length` rows, as a new vector (`Qᵀ coef`). */
  combine(coef: Float64Array): Float64Array;
}

/**
 * Creates an empty block for up to `capacity` vectors of length `n`.
 * @returns the block (its storage, capacity·n floats, is allocated once here).
 */
export function krylovBlock(n: number, capacity: number): KrylovBlock {
  const data = new Float64Array(capacity * n);
  const coef = new Float64Array(capacity);
  let count = 0;
  const basis = (m: number): Matrix => ({ rows: m, cols: n, data: data.subarray(0, m * n) });
  const project = (w: Float64Array): void => {
    const q = basis(count);
    const c = coef.subarray(0, count);
    gemm(q, { rows: n, cols: 1, data: w }, { out: c });
    gemm(q, { rows: count, cols: 1, data: c }, { transA: true, out: w, alpha: -1, beta: 1 }); // w ← w − Qᵀc
  };
  return {
    n,
    get count() {
      return count;
    },
    row: (j) => data.subarray(j * n, (j + 1) * n),
    push(v) {
      const r = data.subarray(count * n, (count + 1) * n);
      r.set(v);
      count++;
      return r;
    },
    orthogonalize(w) {
      if (count > 0) {
        project(w);
        project(w);
      }
      return norm(w);
    },
    combine(c) {
      const out = new Float64Array(n);
      if (c.length > 0) gemm(basis(c.length), { rows: c.length, cols: 1, data: c }, { transA: true, out });
      return out;
    },
  };
}
