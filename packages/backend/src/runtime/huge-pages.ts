/**
 * Large float arrays on transparent huge pages, as NumPy allocates its own arrays of 4 MiB and more.
 *
 * A fresh array's pages fault in on first write, one fault per 4 KiB page: about 12 µs each on the
 * project's virtual machines, so an 8 MB product output cost 25 ms before BLAS wrote a value (its
 * NumPy twin reuses freed memory at once; V8 frees an array only at a later collection). With
 * `madvise(MADV_HUGEPAGE)` on the new, untouched block the kernel backs it with 2 MiB pages: 7 ms for
 * the same 8 MB, as with glibc's `glibc.malloc.hugetlb=1` tunable (which the `nclab` launcher sets,
 * but only for a process it starts). The advice goes through koffi (the native path's FFI) to libc;
 * without koffi, off Linux, with transparent huge pages set to `never`, or with `NCLAB_HUGEPAGES=0`,
 * the arrays are plain ones.
 */
import { loadKoffi } from '../linalg/native/ffi.js';
import { readEnv } from './env.js';

/** Arrays of at least this many bytes are advised (NumPy's threshold). */
export const HUGE_PAGE_MIN_BYTES = 4 << 20;

const MADV_HUGEPAGE = 14;
const PAGE = 4096n;

type Advise = (view: Float64Array | Float32Array) => boolean;
let adviser: Advise | null | undefined;

interface KoffiAddress {
  load(name: string): { func(prototype: string): (...args: unknown[]) => unknown };
  address?(pointer: unknown): bigint;
}

/** The madvise call through koffi, or null where it cannot be made (see the module comment). */
function getAdviser(): Advise | null {
  if (adviser !== undefined) return adviser;
  adviser = null;
  if (typeof process === 'undefined' || process.platform !== 'linux' || readEnv('NCLAB_HUGEPAGES') === '0') return null;
  const k = loadKoffi().koffi as unknown as KoffiAddress | undefined;
  if (!k || typeof k.address !== 'function') return null;
  try {
    const libc = k.load('libc.so.6');
    // memmove(p, p, 0) returns p: koffi hands back the array's address as a pointer
    const memmove = libc.func('void *memmove(void *dst, const void *src, size_t n)');
    const madvise = libc.func('int madvise(uintptr_t addr, size_t len, int advice)');
    const address = k.address.bind(k);
    adviser = (view) => {
      const p = address(memmove(view, view, 0));
      const start = (p + PAGE - 1n) & ~(PAGE - 1n);
      const end = (p + BigInt(view.byteLength)) & ~(PAGE - 1n);
      return end > start && madvise(start, end - start, MADV_HUGEPAGE) === 0;
    };
  } catch {
    adviser = null;
  }
  return adviser;
}

/**
 * A new zero-filled float64 array; at {@link HUGE_PAGE_MIN_BYTES} and above, advised onto transparent
 * huge pages before its first write (see the module comment). Same contents and type as
 * `new Float64Array(length)`; only the cost of its first touch differs.
 * @param length - number of entries.
 * @returns the array.
 * @example
 * const k = allocFloat64(n * n); // an N×N kernel matrix, faulted in 2 MiB at a time
 */
export function allocFloat64(length: number): Float64Array {
  const a = new Float64Array(length);
  if (a.byteLength >= HUGE_PAGE_MIN_BYTES) getAdviser()?.(a);
  return a;
}

/**
 * The float32 twin of {@link allocFloat64}.
 * @param length - number of entries.
 * @returns the array.
 * @example
 * const c = allocFloat32(m * n);
 */
export function allocFloat32(length: number): Float32Array {
  const a = new Float32Array(length);
  if (a.byteLength >= HUGE_PAGE_MIN_BYTES) getAdviser()?.(a);
  return a;
}

/**
 * Whether large arrays are advised here (koffi loaded libc on Linux and `NCLAB_HUGEPAGES` is not 0),
 * and the result of advising `view` when given (for tests and diagnostics).
 * @returns true when the advice can be (or was) given.
 */
export function hugePageAdvice(view?: Float64Array | Float32Array): boolean {
  const a = getAdviser();
  if (!a) return false;
  return view ? a(view) : true;
}
