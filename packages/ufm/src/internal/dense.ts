import { resolveLinalg, type GemmOptions, type LinalgImpl, type LinalgRequest } from '@nclab/backend/host';

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

/** Which kernels run the products: 'auto' (= 'blas') uses @nclab/backend's `gemm` (native OpenBLAS or its portable kernels) above a measured size; 'js' keeps every product in plain JS loops. */
export type ProductsKind = 'auto' | 'blas' | 'js';

/*
 * Crossover of these JS loops against one backend `gemm` call writing into an `out` buffer, measured
 * 2026-12-03 on the project's 2-core Xeon (Node 20, load ≈ 0.7, median µs per product, NN/TN/NT alike):
 *
 * | m×k×n (fma)    | JS loops | native gemm | portable gemm |
 * | 4×4×4 (64)     | 0.18     | 0.25–0.32   | 0.7           |
 * | 6×6×6 (216)    | 0.35–0.6 | 0.28–0.30   | 1.1–1.2       |
 * | 8×8×8 (512)    | 0.7–1.4  | 0.32–0.39   | 1.3           |
 * | 10×10×10 (1e3) | 1.3–2.7  | 0.34–0.38   | 1.8–2.1       |
 * | 10×64×64 (41k) | 48–83    | 3.4–3.6     | 10–24         |
 * | 10×64×1000     | 750–1300 | 45–66       | 98–174        |
 *
 * The native call costs ~0.3 µs, so it wins from ~200 multiply-adds; the portable kernels from ~1 000.
 * (The former single threshold, 16 384, left the 10×64×64 products of the deep-linear benchmark in
 * JS at 15–25× the native cost.) Since 2026-12-04 the portable column is the backend's thin kernels
 * for these shapes: 10×64×64 6.6–7.1 µs, 10×64×1000 70–81 µs (57–66 in place in a kernel arena).
 */
/** Smallest product (multiply-adds) sent to `gemm` on the native path. */
export const NATIVE_MIN_FMA = 256;
/** Smallest product (multiply-adds) sent to `gemm` on the portable path. */
export const PORTABLE_MIN_FMA = 1024;

const jsProducts: Products = { nn: mulNN, tn: mulTN, nt: mulNT };

/** A reusable matrix descriptor: the solvers' operands are exact-length arrays, so no view is cut per call. */
interface Operand {
  rows: number;
  cols: number;
  data: Float64Array;
}

const EMPTY = new Float64Array(0);

function blasProducts(impl: LinalgImpl): Products {
  const minFma = impl.path === 'native' ? NATIVE_MIN_FMA : PORTABLE_MIN_FMA;
  // One descriptor pair and one options object per product shape, mutated per call: a product costs
  // no allocation (the result goes into `out`).
  const A: Operand = { rows: 0, cols: 0, data: EMPTY };
  const B: Operand = { rows: 0, cols: 0, data: EMPTY };
  const oNN: GemmOptions = { out: EMPTY };
  const oTN: GemmOptions = { transA: true, out: EMPTY };
  const oNT: GemmOptions = { transB: true, out: EMPTY };
  const call = (a: Float64Array, ar: number, ac: number, b: Float64Array, br: number, bc: number, o: GemmOptions, out: Float64Array): void => {
    A.rows = ar; A.cols = ac; A.data = a;
    B.rows = br; B.cols = bc; B.data = b;
    o.out = out;
    impl.gemm(A, B, o);
    A.data = EMPTY; B.data = EMPTY; o.out = EMPTY; // hold no reference to the caller's arrays
  };
  return {
    nn(a, b, out, m, k, n) {
      if (m * k * n < minFma) return mulNN(a, b, out, m, k, n);
      call(a, m, k, b, k, n, oNN, out);
    },
    tn(a, b, out, m, k, n) {
      if (m * k * n < minFma) return mulTN(a, b, out, m, k, n);
      call(a, k, m, b, k, n, oTN, out);
    },
    nt(a, b, out, m, k, n) {
      if (m * k * n < minFma) return mulNT(a, b, out, m, k, n);
      call(a, m, k, b, n, k, oNT, out);
    },
  };
}

/**
 * The product kernels to use. 'auto'/'blas': @nclab/backend's `gemm` writing into the caller's
 * buffer (OpenBLAS on the `native` path, the backend's packed kernels on `portable`) for products of
 * at least {@link NATIVE_MIN_FMA} (native) or {@link PORTABLE_MIN_FMA} (portable) multiply-adds,
 * plain loops below that; 'js': plain loops always. Operands must be exact-length arrays
 * (`a.length = m·k` etc.) and `out` must not overlap them. The float64 path is `linalg` when given,
 * else backend's global path, read once when an objective is built (`setLinalgPath` afterwards does
 * not affect existing objectives).
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
