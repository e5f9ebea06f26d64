/**
 * Device-resident matrices on the CUDA GPU, so a caller (a Deep RFM layer) keeps X, a kernel block and
 * the AGOP on the device between phases: upload once, chain products and kernels, download at the end.
 * Matrices are row-major on the device as on the host; products use the same transpose trick as the
 * `cuda` linear-algebra path. Buffers are freed explicitly ({@link CudaDevice.free}); nothing is
 * garbage-collected on the device.
 */
import { InvalidArgumentError, NumericalError } from '../../errors/errors.js';
import type { Matrix, Matrix32 } from '../../host/matrix.js';
import type { CudaAddon } from './addon.js';
import { CudaUnavailableError } from './errors.js';
import { BLOCK, gridFor, KERNEL_KIND_CODE, KERNEL_SOURCE, type KernelBlockKind } from './kernels.js';
import { cudaTf32 } from './impl.js';

/** Element type of a device matrix. */
export type DeviceDtype = 'float64' | 'float32';

/** A row-major `rows × cols` matrix in device memory (a BigInt device pointer). */
export interface DeviceMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DeviceDtype;
  /** Device address (CUdeviceptr); 0n once freed or for an empty matrix. */
  readonly ptr: bigint;
}

/** Options of {@link CudaDevice.gemm}: C = alpha · op(A) · op(B) + beta · C. */
export interface DeviceGemmOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
  /** Default 1. */
  readonly alpha?: number;
  /** Default 0 (C's previous contents ignored). */
  readonly beta?: number;
  /** Write into this matrix (right shape and dtype) instead of a new one. */
  readonly out?: DeviceMatrix;
}

/** Options of {@link CudaDevice.kernelBlock}. */
export interface DeviceKernelBlockOptions {
  /** `laplace` exp(−‖x−z‖/σ) or `gaussian` exp(−‖x−z‖²/(2σ²)). */
  readonly kind: KernelBlockKind;
  /** σ > 0. */
  readonly bandwidth: number;
}

/** The GPU as a place to keep matrices and run products and kernel blocks on them. */
export interface CudaDevice {
  /** Copies a host matrix to a new device matrix (Float64Array → float64, Float32Array → float32). */
  upload(m: Matrix | Matrix32): DeviceMatrix;
  /** A new uninitialised device matrix. */
  alloc(rows: number, cols: number, dtype: DeviceDtype): DeviceMatrix;
  /** Copies a device matrix to the host (into `out` when given: length rows·cols, same dtype). */
  download(d: DeviceMatrix, out?: Float64Array | Float32Array): Matrix | Matrix32;
  /** Releases the device memory (idempotent per matrix object is not guaranteed: free each once). */
  free(d: DeviceMatrix): void;
  /** C = alpha · op(A) · op(B) + beta · C, all on the device (float32 honours {@link setCudaTf32}). */
  gemm(a: DeviceMatrix, b: DeviceMatrix, options?: DeviceGemmOptions): DeviceMatrix;
  /**
   * The kernel block K[i, j] = k(x_i, z_j) of the rows of X (n×d) and Z (m×d): G = X Zᵀ by GEMM, the
   * rows' squared norms and the elementwise map by NVRTC kernels. A new n×m device matrix.
   * @throws {CudaUnavailableError} (`libnvrtc`) when NVRTC was not found.
   */
  kernelBlock(x: DeviceMatrix, z: DeviceMatrix, options: DeviceKernelBlockOptions): DeviceMatrix;
  /**
   * Overwrites the symmetric positive definite `a` (float64, n×n, lower triangle read) with its lower
   * Cholesky factor L (A = L Lᵀ) by cuSOLVER `potrf`; the strict upper triangle is left as it was.
   * @throws {NumericalError} when A is not positive definite.
   */
  choleskyInPlace(a: DeviceMatrix): void;
  /** Waits for all queued device work. */
  synchronize(): void;
  /** [free, total] device memory in bytes. */
  memory(): { free: number; total: number };
}

const bytesOf = (dtype: DeviceDtype): number => (dtype === 'float64' ? 8 : 4);

/**
 * The device API over a loaded addon.
 * @param addon - initialised addon (or a fake in tests).
 * @param kernels - whether NVRTC loaded (else `kernelBlock` throws {@link CudaUnavailableError}).
 */
export function makeCudaDevice(addon: CudaAddon, kernels: boolean): CudaDevice {
  let fns: Record<string, bigint> | null = null;
  const kernel = (name: string): bigint => {
    if (!kernels) throw new CudaUnavailableError('libnvrtc', 'CUDA kernel blocks need NVRTC (libnvrtc), which was not found; see `nclab info`');
    if (!fns) {
      fns = {};
      for (const t of ['f64', 'f32']) for (const k of ['nclab_row_sq_norms', 'nclab_kernel_block']) fns[`${k}_${t}`] = addon.compile(KERNEL_SOURCE, `${k}_${t}`);
    }
    return fns[name];
  };
  const alloc = (rows: number, cols: number, dtype: DeviceDtype): DeviceMatrix => {
    const bytes = rows * cols * bytesOf(dtype);
    return { rows, cols, dtype, ptr: bytes > 0 ? addon.malloc(bytes) : 0n };
  };
  const free = (d: DeviceMatrix): void => {
    if (d.ptr !== 0n) addon.free(d.ptr);
  };
  const upload = (m: Matrix | Matrix32): DeviceMatrix => {
    const dtype: DeviceDtype = m.data instanceof Float32Array ? 'float32' : 'float64';
    const d = alloc(m.rows, m.cols, dtype);
    if (d.ptr !== 0n) addon.upload(d.ptr, 0, m.data);
    return d;
  };
  const download = (d: DeviceMatrix, out?: Float64Array | Float32Array): Matrix | Matrix32 => {
    const n = d.rows * d.cols;
    const data = out ?? (d.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
    if (data.length !== n || (d.dtype === 'float64') !== data instanceof Float64Array) {
      throw new InvalidArgumentError('out', `a ${d.dtype === 'float64' ? 'Float64Array' : 'Float32Array'} of length ${n}`, data);
    }
    if (n > 0) addon.download(d.ptr, 0, data);
    return { rows: d.rows, cols: d.cols, data } as Matrix | Matrix32;
  };
  const gemm = (a: DeviceMatrix, b: DeviceMatrix, o: DeviceGemmOptions = {}): DeviceMatrix => {
    if (a.dtype !== b.dtype) throw new InvalidArgumentError('b', `a ${a.dtype} device matrix like a`, b.dtype);
    const tA = o.transA ?? false;
    const tB = o.transB ?? false;
    const m = tA ? a.cols : a.rows;
    const k = tA ? a.rows : a.cols;
    const kb = tB ? b.cols : b.rows;
    const n = tB ? b.rows : b.cols;
    if (k !== kb) throw new InvalidArgumentError('b', `a matrix with ${k} ${tB ? 'columns' : 'rows'}`, `${b.rows}×${b.cols}`);
    if (o.out && (o.out.rows !== m || o.out.cols !== n || o.out.dtype !== a.dtype)) {
      throw new InvalidArgumentError('options.out', `a ${m}×${n} ${a.dtype} device matrix`, `${o.out.rows}×${o.out.cols} ${o.out.dtype}`);
    }
    const c = o.out ?? alloc(m, n, a.dtype);
    const beta = o.beta ?? 0;
    if (m === 0 || n === 0) return c;
    if (k === 0) {
      if (beta === 0) addon.memset0(c.ptr, m * n * bytesOf(c.dtype));
      return c;
    }
    const single = a.dtype === 'float32';
    if (single) addon.setMathMode(cudaTf32() ? 3 : 0);
    (single ? addon.sgemm : addon.dgemm).call(addon, tB ? 1 : 0, tA ? 1 : 0, n, m, k, o.alpha ?? 1, b.ptr, Math.max(1, b.cols), a.ptr, Math.max(1, a.cols), beta, c.ptr, Math.max(1, n));
    return c;
  };
  const kernelBlock = (x: DeviceMatrix, z: DeviceMatrix, o: DeviceKernelBlockOptions): DeviceMatrix => {
    if (x.cols !== z.cols) throw new InvalidArgumentError('z', `a matrix with ${x.cols} columns`, `${z.rows}×${z.cols}`);
    if (!(o.bandwidth > 0)) throw new InvalidArgumentError('bandwidth', 'a number > 0', o.bandwidth);
    if (!(o.kind in KERNEL_KIND_CODE)) throw new InvalidArgumentError('kind', "'laplace' or 'gaussian'", o.kind);
    const t = x.dtype === 'float64' ? 'f64' : 'f32';
    const g = gemm(x, z, { transB: true });
    if (g.ptr === 0n) return g;
    const nx = alloc(x.rows, 1, x.dtype);
    const nz = alloc(z.rows, 1, z.dtype);
    try {
      const norms = kernel(`nclab_row_sq_norms_${t}`);
      addon.launch(norms, gridFor(x.rows), 1, BLOCK, 1, 'piip', [x.ptr, x.rows, x.cols, nx.ptr]);
      addon.launch(norms, gridFor(z.rows), 1, BLOCK, 1, 'piip', [z.ptr, z.rows, z.cols, nz.ptr]);
      addon.launch(kernel(`nclab_kernel_block_${t}`), gridFor(x.rows * z.rows), 1, BLOCK, 1, 'pppiiid', [g.ptr, nx.ptr, nz.ptr, x.rows, z.rows, KERNEL_KIND_CODE[o.kind], o.bandwidth]);
    } catch (err) {
      free(g);
      throw err;
    } finally {
      free(nx);
      free(nz);
    }
    return g;
  };
  const choleskyInPlace = (a: DeviceMatrix): void => {
    if (a.rows !== a.cols || a.dtype !== 'float64') throw new InvalidArgumentError('a', 'a square float64 device matrix', `${a.rows}×${a.cols} ${a.dtype}`);
    if (a.rows === 0) return;
    // Row-major lower = column-major upper.
    const info = addon.dpotrf(1, a.rows, a.ptr, a.rows);
    if (info !== 0) throw new NumericalError('cholesky', info > 0 ? `the matrix is not positive definite (leading minor ${info} is not positive)` : `cusolverDnDpotrf argument ${-info} invalid`);
  };
  return {
    upload,
    choleskyInPlace,
    alloc,
    download,
    free,
    gemm,
    kernelBlock,
    synchronize: () => addon.synchronize(),
    memory: () => {
      const [f, t] = addon.memInfo();
      return { free: f, total: t };
    },
  };
}
