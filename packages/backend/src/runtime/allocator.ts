/**
 * glibc's malloc thresholds, so that arrays of 128 KiB to 32 MiB reuse freed memory instead of
 * faulting in fresh pages.
 *
 * glibc serves a block of 128 KiB or more with a fresh `mmap` until a freed mapped block has raised
 * its threshold (the "dynamic mmap threshold"). A fresh 4 KiB page costs about 12 µs on its first
 * write on the project's virtual machines: the transpose of a 256×256 float64 matrix into a fresh
 * 512 KiB array took 2.1–2.9 ms, and 0.2–0.3 ms once glibc reused freed memory (after about 20 calls
 * in that process), against 3.3 ms for the 256×256 eigendecomposition itself.
 * NumPy's arrays free at once, so its threshold rises on the first free; V8 frees an ArrayBuffer only
 * at a later collection, and each fresh mapping keeps faulting in the meantime. Measured (the
 * row-space AGOP square root of a 784 → 256 layer, ten calls): 48 ms a call, 19 ms with these settings.
 *
 * On Linux with glibc, the first choice of a linear-algebra path sets `M_MMAP_THRESHOLD` to 32 MiB
 * (glibc's maximum; larger blocks, e.g. N×N kernels, stay mapped and return to the system when freed)
 * and `M_TRIM_THRESHOLD` to 256 MiB (free memory at the top of the heap kept for reuse, up to this),
 * through `mallopt` via koffi (the native path's FFI). Nothing is changed when `NCLAB_MALLOC_TUNING=0`,
 * when `GLIBC_TUNABLES` already sets either threshold, off Linux, or without koffi or glibc.
 */
import { loadKoffi } from '../linalg/native/ffi.js';
import { readEnv } from './env.js';

/** `M_MMAP_THRESHOLD` set by {@link tuneAllocator}: blocks below it come from the heap. */
export const MMAP_THRESHOLD_BYTES = 32 << 20;
/** `M_TRIM_THRESHOLD` set by {@link tuneAllocator}: free heap top kept for reuse, up to this. */
export const TRIM_THRESHOLD_BYTES = 256 << 20;

const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;

let tuned: boolean | undefined;

/**
 * Sets glibc's mmap and trim thresholds once per process (see the module comment); later calls
 * return the first answer.
 * @returns true when both thresholds were set.
 * @example
 * tuneAllocator(); // true on Linux/glibc with koffi installed
 */
export function tuneAllocator(): boolean {
  if (tuned !== undefined) return tuned;
  tuned = false;
  if (typeof process === 'undefined' || process.platform !== 'linux' || readEnv('NCLAB_MALLOC_TUNING') === '0') return false;
  if (/malloc\.(mmap|trim)_threshold/.test(readEnv('GLIBC_TUNABLES') ?? '')) return false;
  const koffi = loadKoffi().koffi as unknown as { load(name: string): { func(prototype: string): (...args: unknown[]) => unknown } } | undefined;
  if (!koffi) return false;
  try {
    const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)');
    tuned = mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) === 1 && mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) === 1;
  } catch {
    tuned = false; // not glibc (musl has no libc.so.6), or no mallopt
  }
  return tuned;
}
