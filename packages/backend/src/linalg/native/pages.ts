/**
 * Transparent-huge-page advice for the fresh outputs of native products (Linux, through koffi).
 *
 * A fresh typed array is mapped lazily: BLAS then faults its pages in one 4 KiB page at a time, which
 * costs ~15 µs a page on a VM (a 1024² float32 C: 1,024 faults, ~15 ms beside an ~11 ms `sgemm`).
 * NumPy advises the kernel to back large arrays with 2 MiB pages (`madvise(MADV_HUGEPAGE)`); this does the
 * same for the 2 MiB-aligned interior of an output of ≥ 4 MiB before BLAS writes it. The advice changes no
 * content and no ownership (V8 still frees the buffer); where the kernel's THP setting is `never` it is a
 * no-op. Measured here (2 cores, loaded): 2048² `sgemm` allocating C 142 → 85 ms (84 ms into a reused
 * `out`), 1024²: 26 → 18 ms. `NCLAB_HUGEPAGES=0` turns it off.
 */
import { readEnv } from '../../runtime/env.js';
import { loadKoffi } from './ffi.js';

/** Linux's `MADV_HUGEPAGE` (asm-generic; the value on x86-64 and arm64). */
const MADV_HUGEPAGE = 14;
/** The transparent huge page size on x86-64 and arm64 (4 KiB base pages). */
const HUGE = 2 * 1024 * 1024;
/** Smallest output advised: 4 MiB always holds one whole aligned 2 MiB page. */
export const HUGE_ADVICE_MIN_BYTES = 2 * HUGE;

/** Advises huge pages for a view's aligned interior; true when the kernel accepted the advice. */
export type HugePageAdviser = (view: ArrayBufferView) => boolean;

let adviser: HugePageAdviser | null | undefined;

/**
 * The adviser, or null where it does not apply (not Linux x64/arm64, koffi or libc unavailable,
 * `NCLAB_HUGEPAGES=0`). Built once.
 * @example
 * const c = new Float32Array(n * n);
 * hugePageAdviser()?.(c); // before the first write
 */
export function hugePageAdviser(): HugePageAdviser | null {
  if (adviser !== undefined) return adviser;
  adviser = null;
  const proc = (globalThis as { process?: { platform?: string; arch?: string } }).process;
  if (proc?.platform !== 'linux' || (proc.arch !== 'x64' && proc.arch !== 'arm64') || readEnv('NCLAB_HUGEPAGES') === '0') return adviser;
  const { koffi } = loadKoffi();
  if (!koffi) return adviser;
  try {
    const libc = koffi.load('libc.so.6');
    // memmove(p, p, 0) returns p: the address of the view's first byte, as a number.
    const address = libc.func('uintptr_t memmove(void *dst, const void *src, size_t n)');
    const madvise = libc.func('int madvise(uintptr_t addr, size_t len, int advice)');
    adviser = (view) => {
      if (view.byteLength < HUGE_ADVICE_MIN_BYTES) return false;
      const p = Number(address(view, view, 0));
      const start = Math.ceil(p / HUGE) * HUGE;
      const end = Math.floor((p + view.byteLength) / HUGE) * HUGE;
      return end > start && madvise(start, end - start, MADV_HUGEPAGE) === 0;
    };
  } catch {
    adviser = null;
  }
  return adviser;
}
