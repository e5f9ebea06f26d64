import { resolveLinalg, type LinalgImpl, type LinalgRequest } from '@nclab/backend';

/**
 * Internal float64 kernels on row-major typed arrays for the solvers' hot path.
 *
 * The UFM products are thin (one side has K ≤ a few dozen rows), so simple loops whose inner
 * dimension runs over contiguous memory beat packing them for a general GEMM. Every kernel
 * overwrites its output (`out`) unless named `...Add`.
 */

/** out[m×n] = A[m×k] · B[k×n]. */
export function mulNN(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    for (let p = 0; p < k; p++) {
      const s = a[i * k + p];
      if (s === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[oi + j] += s * b[bp + j];
    }
  }
}

/** out[m×n] = Aᵀ · B with A stored [k×m] and B [k×n]. */
export function mulTN(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const s = a[p * m + i];
      if (s === 0) continue;
      const oi = i * n;
      for (let j = 0; j < n; j++) out[oi + j] += s * b[bp + j];
    }
  }
}

/** out[m×n] = A · Bᵀ with A stored [m×k] and B [n×k] (row dot products). */
export function mulNT(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        s0 += a[ai + p] * b[bj + p];
        s1 += a[ai + p + 1] * b[bj + p + 1];
      }
      if (p < k) s0 += a[ai + p] * b[bj + p];
      out[i * n + j] = s0 + s1;
    }
  }
}


/** The three product shapes of the solvers, writing into preallocated outputs. */
export interface Products {
  /** out[m×n] = A[m×k] · B[k×n]. */
  nn(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void;
  /** out[m×n] = Aᵀ · B, A stored [k×m]. */
  tn(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void;
  /** out[m×n] = A · Bᵀ, B stored [n×k]. */
  nt(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void;
}

/** Which kernels run the products: 'auto' (= 'blas') uses @nclab/backend's `gemm` (native OpenBLAS or its portable kernels) for large products; 'js' keeps every product in plain JS loops. */
export type ProductsKind = 'auto' | 'blas' | 'js';

/** Products smaller than this many multiply-adds stay in JS (a BLAS call costs ~µs of overhead). */
const BLAS_MIN_FMA = 16_384;

const jsProducts: Products = { nn: mulNN, tn: mulTN, nt: mulNT };

function view(data: Float64Array, rows: number, cols: number): { rows: number; cols: number; data: Float64Array } {
  return { rows, cols, data: data.length === rows * cols ? data : data.subarray(0, rows * cols) };
}

function blasProducts(impl: LinalgImpl): Products {
  return {
    nn(a, b, out, m, k, n) {
      if (m * k * n < BLAS_MIN_FMA) return mulNN(a, b, out, m, k, n);
      out.set(impl.gemm(view(a, m, k), view(b, k, n)).data);
    },
    tn(a, b, out, m, k, n) {
      if (m * k * n < BLAS_MIN_FMA) return mulTN(a, b, out, m, k, n);
      out.set(impl.gemm(view(a, k, m), view(b, k, n), { transA: true }).data);
    },
    nt(a, b, out, m, k, n) {
      if (m * k * n < BLAS_MIN_FMA) return mulNT(a, b, out, m, k, n);
      out.set(impl.gemm(view(a, m, k), view(b, n, k), { transB: true }).data);
    },
  };
}

/**
 * The product kernels to use. 'auto'/'blas': @nclab/backend's `gemm` for products of at least
 * 16 384 multiply-adds (it dispatches to OpenBLAS on the `native` path and to its own packed kernels
 * on the `portable` path, which measured 1.5–1.7× faster than these loops on the benchmark shapes),
 * plain loops below that; 'js': plain loops always. The float64 path is `linalg` when given, else
 * backend's global path, read once when an objective is built (`setLinalgPath` afterwards does not
 * affect existing objectives).
 * @param kind - `'auto' | 'blas' | 'js'`.
 * @param linalg - the float64 path of the `gemm` calls (`'auto' | 'native' | 'portable'`).
 * @throws {InvalidArgumentError} for an unknown `linalg`, or `native` where it cannot load.
 */
export function selectProducts(kind: ProductsKind = 'auto', linalg?: LinalgRequest): Products {
  if (kind === 'js') return jsProducts;
  // The active implementation's gemm, called directly: the shapes are consistent by construction and
  // the public `gemm` would scan every input for NaN/Inf on each call (the solvers check f instead).
  return blasProducts(resolveLinalg(linalg));
}
