/**
 * CUDA C source of the NVRTC-compiled kernels, and their launch geometry. Compiled once per process
 * for the device's `sm_XY` (see `compile` in `native/nclab_cuda.c`).
 */

/** Which kernel a kernel block evaluates from squared distances d²: Laplace exp(−d/σ), Gaussian exp(−d²/(2σ²)). */
export type KernelBlockKind = 'laplace' | 'gaussian';

/** The `kind` argument the kernel reads (0 Laplace, 1 Gaussian). */
export const KERNEL_KIND_CODE: Readonly<Record<KernelBlockKind, number>> = { laplace: 0, gaussian: 1 };

/**
 * The kernels, for T in {double, float}:
 * - `nclab_row_sq_norms_<t>(x, rows, cols, out)`: out[i] = Σ_j x[i·cols + j]² (row-major x).
 * - `nclab_kernel_block_<t>(g, nx, nz, n, m, kind, sigma)`: in place on the row-major n×m Gram block
 *   G = X Zᵀ: d² = max(nx[i] + nz[j] − 2 G[i,j], 0), then G[i,j] = exp(−√d²/σ) (kind 0) or
 *   exp(−d²/(2σ²)) (kind 1). A grid-stride loop over the n·m entries.
 */
export const KERNEL_SOURCE = String.raw`
typedef unsigned long long u64; /* no headers under NVRTC: no size_t */
#define NCLAB_KERNELS(T, SUFFIX)                                                                         \
extern "C" __global__ void nclab_row_sq_norms_##SUFFIX(const T* x, int rows, int cols, T* out) {           \
  int i = blockIdx.x * blockDim.x + threadIdx.x;                                                         \
  if (i >= rows) return;                                                                                 \
  const T* r = x + (u64)i * cols;                                                                     \
  T s = 0;                                                                                               \
  for (int j = 0; j < cols; j++) { T v = r[j]; s += v * v; }                                             \
  out[i] = s;                                                                                            \
}                                                                                                        \
extern "C" __global__ void nclab_kernel_block_##SUFFIX(T* g, const T* nx, const T* nz, int n, int m,      \
                                                       int kind, double sigma) {                         \
  u64 total = (u64)n * (u64)m;                                                                  \
  u64 stride = (u64)gridDim.x * blockDim.x;                                                        \
  for (u64 idx = (u64)blockIdx.x * blockDim.x + threadIdx.x; idx < total; idx += stride) {         \
    u64 i = idx / (u64)m, j = idx % (u64)m;                                                     \
    double d2 = (double)nx[i] + (double)nz[j] - 2.0 * (double)g[idx];                                    \
    if (d2 < 0.0) d2 = 0.0;                                                                              \
    g[idx] = (T)(kind == 0 ? exp(-sqrt(d2) / sigma) : exp(-d2 / (2.0 * sigma * sigma)));                 \
  }                                                                                                      \
}
NCLAB_KERNELS(double, f64)
NCLAB_KERNELS(float, f32)
`;

/** Threads per block of every launch. */
export const BLOCK = 256;

/**
 * Blocks of a 1-D launch covering `count` items with {@link BLOCK} threads each, capped at 2²⁰
 * (the block-block kernel's grid-stride loop covers the rest).
 * @example
 * gridFor(1000); // 4
 */
export function gridFor(count: number): number {
  return Math.max(1, Math.min(2 ** 20, Math.ceil(count / BLOCK)));
}
