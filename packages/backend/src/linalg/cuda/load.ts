/**
 * Loads the `cuda` path once per process: the addon, then {@link probeCuda} over the real file system.
 * Every outcome is cached (a failed probe is not retried).
 */
import type { Matrix, Matrix32 } from '../../host/matrix.js';
import { builtinModule } from '../../runtime/node.js';
import type { LinalgImpl } from '../types.js';
import { loadCudaAddon } from './addon.js';
import { type CudaDevice, type DeviceKernelBlockOptions, makeCudaDevice } from './device.js';
import { formatVersion } from './discovery.js';
import type { CudaUnavailableError } from './errors.js';
import { makeCudaLinalg } from './impl.js';
import { type CudaReport, probeCuda } from './probe.js';
import { cudaSearchLayout } from './search-dirs.js';

interface Loaded {
  readonly impl?: LinalgImpl;
  readonly device?: CudaDevice;
  readonly report: CudaReport;
  readonly error?: CudaUnavailableError;
}

let cached: Loaded | null = null;

function realListDir(dir: string): readonly string[] | undefined {
  const fs = builtinModule<typeof import('node:fs')>('fs');
  try {
    return fs?.readdirSync(dir);
  } catch {
    return undefined;
  }
}

function realReadFile(file: string): string | undefined {
  const fs = builtinModule<typeof import('node:fs')>('fs');
  try {
    return fs?.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The `cuda` implementation, device API and report, or the error naming the missing library.
 * Probes once (addon, driver, GPU, cuBLAS, cuSOLVER, NVRTC); later calls return the same outcome.
 */
export function loadCuda(): Loaded {
  if (cached) return cached;
  const { addon, reason } = loadCudaAddon();
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  // every library searches the same folders: each is listed once per probe (the system folder holds
  // thousands of files; listing it for each of six libraries took most of a GPU-less probe's 45 ms)
  const listed = new Map<string, readonly string[] | undefined>();
  const listDir = (dir: string): readonly string[] | undefined => {
    if (!listed.has(dir)) listed.set(dir, realListDir(dir));
    return listed.get(dir);
  };
  const layout = cudaSearchLayout({ env, listDir, readFile: realReadFile });
  const probe = probeCuda(addon, layout, listDir, reason);
  if (!addon || !probe.report.available || !probe.driver) {
    cached = { report: probe.report, error: probe.error };
    return cached;
  }
  const lib = (name: string): string | undefined => probe.report.libraries.find((l) => l.library === name)?.version;
  const library = `cuBLAS ${lib('cublas') ?? '?'} + cuSOLVER ${lib('cusolver') ?? '?'} on ${probe.driver.name} (driver CUDA ${formatVersion('cuda', probe.driver.driverVersion)})`;
  cached = { impl: makeCudaLinalg(addon, library), device: makeCudaDevice(addon, probe.kernels), report: probe.report };
  return cached;
}

/**
 * What was found of CUDA on this machine: device, driver, each library's file and version, and why
 * each missing one was not found (what `nclab info` prints).
 * @example
 * cudaReport().available; // false on a machine without an NVIDIA driver
 */
export function cudaReport(): CudaReport {
  return loadCuda().report;
}

/**
 * The GPU's device-resident API ({@link CudaDevice}): buffers, products and kernel blocks that stay on
 * the device between calls.
 * @throws {CudaUnavailableError} naming the missing library when the `cuda` path cannot load.
 */
export function getCudaDevice(): CudaDevice {
  const loaded = loadCuda();
  if (!loaded.device) throw loaded.error as CudaUnavailableError;
  return loaded.device;
}

/**
 * The kernel block K[i, j] = k(x_i, z_j) computed on the GPU from host matrices (upload, GEMM, NVRTC
 * kernels, download). Float64 in → float64 out; float32 in → float32 out.
 * @param x - n×d.
 * @param z - m×d.
 * @param options - `kind` (`laplace` | `gaussian`) and `bandwidth` σ.
 * @returns the n×m block.
 * @throws {CudaUnavailableError} when the `cuda` path or NVRTC is unavailable.
 */
export function cudaKernelBlock(x: Matrix | Matrix32, z: Matrix | Matrix32, options: DeviceKernelBlockOptions): Matrix | Matrix32 {
  const dev = getCudaDevice();
  const dx = dev.upload(x);
  const dz = dev.upload(z);
  try {
    const k = dev.kernelBlock(dx, dz, options);
    try {
      return dev.download(k);
    } finally {
      dev.free(k);
    }
  } finally {
    dev.free(dx);
    dev.free(dz);
  }
}
