/**
 * Kernel arenas: float64 arrays that live in a WebAssembly memory, so that the portable path's
 * kernels read and write them in place. A solver that runs thousands of small products and vector
 * passes over the same buffers (the UFM gradient-descent loop) allocates them here once; its thin
 * products then copy nothing (see gemm-thin.ts), and its vector passes run as WebAssembly SIMD.
 *
 * The memory is sized once and never grows (growth would detach the arrays' buffers); allocation
 * is a bump pointer, and the memory is freed with the last array that views it (garbage
 * collection, nothing to release by hand). Arrays from a full arena are plain arrays, which every
 * operation still accepts (they are copied, or take the JavaScript loop).
 */
import { axpy as axpyJs, dot as dotJs } from '../../host/vector.js';
import { registerArena, thinMemory, thinWasmModule, type ThinMemory } from './gemm-thin.js';

/** A 32-bit WebAssembly memory's limit: 65,536 pages of 64 KiB (4 GiB). */
const MAX_PAGES = 65536;

/** Scratch area of an arena when none is asked for: operands that cannot be used in place are copied here. */
export const ARENA_SCRATCH_BYTES = 1 << 20;

/** An arena of float64 arrays that the portable path's WebAssembly kernels use in place. */
export interface KernelArena {
  /** Bytes of the memory: the scratch area and the arrays. */
  readonly bytes: number;
  /**
   * A zero-filled float64 array of `length` entries inside the arena; a plain `Float64Array` when
   * the arena is full.
   */
  alloc(length: number): Float64Array;
  /** Whether `x` is a view of this arena's memory. */
  holds(x: Float64Array | Float32Array): boolean;
  /**
   * y ← y + α x over `y.length` entries: WebAssembly SIMD when both lie in the arena, the backend's
   * `axpy` otherwise; the same bits either way (one multiply and one add an entry).
   */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void;
  /**
   * Σ x_i y_i over `x.length` entries: WebAssembly SIMD with four partial sums (i mod 4) when both
   * lie in the arena, a left-to-right loop otherwise (the results differ in rounding only).
   */
  dot(x: Float64Array, y: Float64Array): number;
}

/**
 * Creates an arena with room for `arrayBytes` of arrays (each allocation rounded up to 16 bytes)
 * besides its scratch area.
 * @param arrayBytes - bytes of arrays it must hold.
 * @param options - `scratchBytes`: the scratch area for operands copied into the kernels' memory
 *   (default {@link ARENA_SCRATCH_BYTES}).
 * @returns the arena, or null where WebAssembly SIMD is unavailable (or `NCLAB_NO_WASM=1`), or when
 *   it would pass 4 GiB or the engine cannot reserve its memory (callers then use plain arrays).
 * @example
 * const arena = createKernelArena(3 * 8 * 1000);
 * const x = arena?.alloc(1000) ?? new Float64Array(1000);
 */
export function createKernelArena(arrayBytes: number, options: { scratchBytes?: number } = {}): KernelArena | null {
  const scratch = Math.ceil((options.scratchBytes ?? ARENA_SCRATCH_BYTES) / 16) * 16;
  // 4 KiB of slack: the 16-byte rounding of up to 512 separate allocations
  const pages = Math.max(1, Math.ceil((scratch + Math.ceil(arrayBytes / 16) * 16 + 4096) / 65536));
  if (!(pages <= MAX_PAGES) || thinWasmModule() === null) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return null; // the engine could not reserve it
  }
  const t: ThinMemory | null = thinMemory(memory, scratch);
  if (!t) return null;
  registerArena(t);
  const buffer = memory.buffer;
  const end = buffer.byteLength;
  let next = scratch;
  const holds = (x: Float64Array | Float32Array): boolean => x.buffer === buffer;
  return {
    bytes: end,
    alloc(length) {
      const bytes = Math.ceil((length * 8) / 16) * 16;
      if (next + bytes > end) return new Float64Array(length);
      const x = new Float64Array(buffer, next, length);
      next += bytes;
      return x;
    },
    holds,
    axpy(alpha, x, y) {
      if (holds(x) && holds(y)) t.ex.axpy(y.byteOffset, x.byteOffset, y.length, alpha);
      else axpyJs(alpha, x, y);
    },
    dot(x, y) {
      return holds(x) && holds(y) ? t.ex.dot(x.byteOffset, y.byteOffset, x.length) : dotJs(x, y);
    },
  };
}
