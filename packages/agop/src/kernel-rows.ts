/**
 * Row blocks of a kernel matrix K(X, X) in float64, written into a caller-owned buffer: the building
 * block of the memory-bounded solve and AGOP (no N×N float64 matrix, no fresh pages per block).
 */
import { InvalidArgumentError, gemm, radialFromGram, type LinalgRequest, type Matrix, type RadialMap } from '@nclab/backend/host';
import { rowsView } from './checks.js';
import { kernelFromData } from './kernel-matrix.js';
import { SELF_PAIR_EPS, radialGradientWeight, radialValue, type ResolvedKernel } from './kernels.js';

/** Squared row norms ‖x_i‖² of `[N, d]` data (the input of {@link kernelRowsInto}). */
export function rowSqNorms(x: Matrix): Float64Array {
  const d = x.cols;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x.data[i * d + k] ** 2;
    out[i] = s;
  }
  return out;
}

/** True for the kernels {@link kernelRowsInto} computes in its buffer (radial ones); others allocate a block. */
export function isRadialKernel(kernel: ResolvedKernel): boolean {
  return kernel.kind === 'laplace' || kernel.kind === 'gaussian' || kernel.kind === 'exponential';
}

/**
 * Rows i0…i1−1 of K(X, X) restricted to the columns 0…c1−1, written row-major into `out`
 * (`(i1−i0)·c1` entries): one GEMM X_I X_{0:c1}ᵀ into the buffer, then distances and kernel values in
 * place. Squared distances come from ‖x_i‖² + ‖x_j‖² − 2x_iᵀx_j, recomputed from the difference when
 * that cancels (below 1e-8 of the norms), as `sqDistances` does: self-pairs are exactly k(0).
 * Non-radial kernels (linear, arc-cosine, NTK) fall back to `kernelMatrix` on the block (one allocation).
 * @param kernel - resolved kernel. @param x - `[N, d]` data (float64). @param sq - {@link rowSqNorms} of x.
 * @param i0 - first row. @param i1 - end row (exclusive). @param c1 - end column (exclusive; N for full rows).
 * @param out - buffer of at least `(i1−i0)·c1` float64 entries; its first `(i1−i0)·c1` are overwritten.
 * @param linalg - float64 path of the GEMM.
 * @param weights - write the gradient weights g(d) of `radialGradientWeight` (self-pairs 0) instead of
 *   the kernel values (radial kernels only).
 * @returns the block `[i1−i0, c1]` viewing `out`.
 */
export function kernelRowsInto(kernel: ResolvedKernel, x: Matrix, sq: Float64Array, i0: number, i1: number, c1: number, out: Float64Array, linalg?: LinalgRequest, weights = false): Matrix {
  const rows = i1 - i0;
  const buf = out.subarray(0, rows * c1);
  if (!isRadialKernel(kernel)) {
    if (weights) throw new InvalidArgumentError('kernel', 'a radial kernel (laplace, gaussian, exponential) for gradient weights', kernel.kind);
    buf.set(kernelFromData(kernel, rowsView(x, i0, i1), rowsView(x, 0, c1), undefined, linalg).k.data);
    return { rows, cols: c1, data: buf };
  }
  gemm(rowsView(x, i0, i1), rowsView(x, 0, c1), { transB: true, out: buf, linalg });
  const d = x.cols;
  const xd = x.data;
  // the Laplace and Gaussian maps run as WebAssembly SIMD (`radialFromGram`); other radial kernels per entry
  const map: RadialMap | undefined = kernel.kind === 'laplace' ? (weights ? 'laplace-weight' : 'laplace') : kernel.kind === 'gaussian' && !weights ? 'gaussian' : undefined;
  const exact = (r: number, j: number): number => {
    let s = 0;
    for (let k = 0, a = (i0 + r) * d, b = j * d; k < d; k++) s += (xd[a + k] - xd[b + k]) ** 2;
    return s;
  };
  if (map !== undefined) {
    radialFromGram(buf, rows, c1, sq.subarray(i0, i1), sq.subarray(0, c1), { map, bandwidth: kernel.bandwidth, selfPairEps: SELF_PAIR_EPS }, exact);
    return { rows, cols: c1, data: buf };
  }
  for (let r = 0; r < rows; r++) {
    const o = r * c1;
    const si = sq[i0 + r];
    for (let j = 0; j < c1; j++) {
      let s = si + sq[j] - 2 * buf[o + j];
      if (s < 1e-8 * (si + sq[j])) s = exact(r, j);
      if (s < 0) s = 0;
      const v = radialValue(kernel, s);
      buf[o + j] = weights ? radialGradientWeight(kernel, s, v) : v;
    }
  }
  return { rows, cols: c1, data: buf };
}

/** Rows per block so that one `[rows, N]` float64 block holds about `bytes` (at least 1, at most N). */
export function blockRows(n: number, bytes = 2 ** 27): number {
  return Math.max(1, Math.min(n, Math.floor(bytes / (8 * Math.max(1, n)))));
}
