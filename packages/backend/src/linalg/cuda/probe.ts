/**
 * The CUDA probe: discovery → `dlopen` → driver and library initialisation, with a report of what was
 * found and why each missing library was not. The addon and the folder listing are parameters, so the
 * probe is tested with a fake addon on fake layouts.
 */
import { CUDA_LIBRARIES, type CudaLibraryName, type CudaSearchLayout, discoverLibrary, driverMajor, formatVersion } from './discovery.js';
import type { CudaAddon, CudaDriverInfo } from './addon.js';
import { CudaUnavailableError } from './errors.js';

/** One library's outcome in a {@link CudaReport}. */
export interface CudaLibraryReport {
  readonly library: CudaLibraryName;
  readonly required: boolean;
  /** The file that loaded, or null. */
  readonly file: string | null;
  /** Version text (`12.4.2`), when loaded and known. */
  readonly version?: string;
  /** Why each place was passed over: folders (absent, no file, too new) and dlopen errors. */
  readonly notFound: readonly string[];
}

/** What `nclab info` shows about CUDA: the device, the driver, each library. */
export interface CudaReport {
  /** True when the `cuda` linear-algebra path can run. */
  readonly available: boolean;
  /** One line: why it is (un)available. */
  readonly reason: string;
  readonly driver?: { readonly version: string; readonly file: string };
  readonly device?: { readonly name: string; readonly memoryGiB: number; readonly computeCapability: string; readonly count: number };
  readonly libraries: readonly CudaLibraryReport[];
}

/** A successful probe's handles, or the error that names what is missing. */
export interface CudaProbe {
  readonly report: CudaReport;
  readonly driver?: CudaDriverInfo;
  /** Set when `available` is false. */
  readonly error?: CudaUnavailableError;
  /** True when NVRTC loaded (kernels can be compiled). */
  readonly kernels: boolean;
}

const DRIVER_SONAME = 'libcuda.so.1';

/**
 * Probes CUDA with `addon`: finds and opens the driver, initialises the first GPU, then finds and opens
 * cuBLASLt, cuBLAS, cuSOLVER, NVRTC and the runtime (rejecting versions newer than the driver).
 * @param addon - the loaded `nclab_cuda` addon (or a fake in tests); undefined → unavailable with `addonReason`.
 * @param layout - the folders to search ({@link cudaSearchLayout}).
 * @param listDir - folder listing (undefined for an absent folder).
 * @param addonReason - why the addon is missing, when it is.
 * @returns the report, and on failure a {@link CudaUnavailableError} naming the missing library.
 */
export function probeCuda(
  addon: CudaAddon | undefined,
  layout: CudaSearchLayout,
  listDir: (dir: string) => readonly string[] | undefined,
  addonReason = 'the CUDA addon is not loaded',
): CudaProbe {
  const libraries: CudaLibraryReport[] = [];
  const fail = (library: string, reason: string, extra: Partial<CudaReport> = {}, cause?: unknown): CudaProbe => {
    const error = new CudaUnavailableError(library, `the cuda linear-algebra path is unavailable: ${reason}`, cause === undefined ? undefined : { cause });
    return { report: { available: false, reason, libraries, ...extra }, error, kernels: false };
  };
  if (!addon) return fail('nclab_cuda.node', addonReason);

  const open = (name: CudaLibraryName, major?: number): CudaLibraryReport => {
    const spec = CUDA_LIBRARIES.find((s) => s.name === name)!;
    const found = discoverLibrary(spec, layout, listDir, { driverMajor: major });
    const notFound = found.rejected.map((r) => `${r.dir} (${r.source}): ${r.reason}`);
    const r = addon.open(name, found.candidates.map((c) => c.file));
    const entry: CudaLibraryReport = { library: name, required: spec.required, file: r.file, notFound: [...notFound, ...r.errors] };
    libraries.push(entry);
    return entry;
  };
  const why = (e: CudaLibraryReport): string => {
    const telling = e.notFound.filter((s) => !s.endsWith(': folder absent'));
    return telling.length ? telling.slice(-3).join('; ') : 'nothing to try';
  };

  // Without a driver, the other libraries are only looked for (not opened), so the report still says where they are.
  const lookOnly = (): void => {
    for (const spec of CUDA_LIBRARIES.filter((x) => x.name !== 'cuda')) {
      const found = discoverLibrary(spec, layout, listDir);
      const first = found.candidates.find((c) => c.source !== 'loader');
      libraries.push({
        library: spec.name, required: spec.required, file: null,
        notFound: [...found.rejected.map((r) => `${r.dir} (${r.source}): ${r.reason}`), first ? `not opened without a GPU; would try ${first.file}` : 'not opened without a GPU; no file found'],
      });
    }
  };
  const cuda = open('cuda');
  if (!cuda.file) {
    const reason = `the NVIDIA driver library ${DRIVER_SONAME} was not found (${why(cuda)})`;
    lookOnly();
    return fail(DRIVER_SONAME, reason);
  }
  let driver: CudaDriverInfo;
  try {
    driver = addon.initDriver();
  } catch (err) {
    lookOnly();
    return fail('GPU', `the driver (${cuda.file}) has no usable GPU: ${(err as Error).message}`, {}, err);
  }
  const major = driverMajor(driver.driverVersion);
  const extra: Partial<CudaReport> = {
    driver: { version: formatVersion('cuda', driver.driverVersion), file: cuda.file },
    device: { name: driver.name, memoryGiB: Math.round((driver.totalMemory / 2 ** 30) * 10) / 10, computeCapability: driver.computeCapability, count: driver.deviceCount },
  };
  for (const name of ['cudart', 'cublasLt', 'cublas', 'cusolver', 'nvrtc'] as const) open(name, major);
  for (const e of libraries) {
    if (e.required && !e.file) {
      const stem = CUDA_LIBRARIES.find((s) => s.name === e.library)!.stem;
      return fail(stem, `${stem} was not found for the CUDA ${major} driver (${why(e)}); set NCLAB_CUDA_LIB_DIR or pip install the nvidia-* wheel`, extra);
    }
  }
  let versions;
  try {
    versions = addon.initLibraries();
  } catch (err) {
    return fail('libcublas', `cuBLAS/cuSOLVER did not initialise: ${(err as Error).message}`, extra, err);
  }
  const withVersions = libraries.map((e) => {
    const v = e.library === 'cuda' ? driver.driverVersion : (versions as unknown as Record<string, number>)[e.library];
    return e.file && v ? { ...e, version: formatVersion(e.library, v) } : e;
  });
  libraries.splice(0, libraries.length, ...withVersions);
  const kernels = versions.nvrtc > 0;
  const reason = `${driver.name} (driver CUDA ${extra.driver!.version}; cuBLAS ${formatVersion('cublas', versions.cublas)}, cuSOLVER ${formatVersion('cusolver', versions.cusolver)}${kernels ? `, NVRTC ${formatVersion('nvrtc', versions.nvrtc)}` : ', no NVRTC: kernels unavailable'})`;
  return { report: { available: true, reason, libraries, ...extra }, driver, kernels };
}
