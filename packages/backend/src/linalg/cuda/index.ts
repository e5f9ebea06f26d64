/** The `cuda` linear-algebra path: discovery, probe, implementation, device-resident API. */
export { CudaUnavailableError } from './errors.js';
export { cudaReport, cudaKernelBlock, getCudaDevice, loadCuda } from './load.js';
export { cudaTf32, setCudaTf32 } from './impl.js';
export type { CudaReport, CudaLibraryReport } from './probe.js';
export type { CudaDevice, DeviceMatrix, DeviceDtype, DeviceGemmOptions, DeviceKernelBlockOptions } from './device.js';
export type { KernelBlockKind } from './kernels.js';
export { CUDA_LIBRARIES, discoverLibrary, sonameMajor, formatVersion } from './discovery.js';
export type { CudaLibraryName, CudaSearchLayout, CudaCandidate, CudaDiscovery, CudaRejection } from './discovery.js';
export { cudaSearchLayout, parseLdConf } from './search-dirs.js';
