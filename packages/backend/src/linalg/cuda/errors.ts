import { NclabError } from '../../errors/errors.js';

/**
 * The `cuda` linear-algebra path (or a CUDA device call) cannot run here. `library` names what is
 * missing: `nclab_cuda.node` (the addon), `libcuda.so.1` (driver), `GPU` (a driver but no usable
 * device), `libcublas`, `libcusolver` or `libnvrtc`. The message says why each place searched was
 * passed over. Code `CUDA_UNAVAILABLE`.
 */
export class CudaUnavailableError extends NclabError {
  readonly library: string;
  constructor(library: string, message: string, options?: { cause?: unknown }) {
    super('CUDA_UNAVAILABLE', message, options);
    this.library = library;
  }
}
