/**
 * Sizes against memory: a job checks the bytes its largest allocations need before it computes, so
 * an absurd size (`--width 1000000000000`, `--K 100000`, `--grid-points 100000000`) fails at once
 * with the flag and the bytes named, instead of a raw `RangeError` or a machine brought to a crawl.
 */
import { NclabError } from '../errors/errors.js';
import { builtinModule } from './node.js';

/** Bytes a single typed array may hold in V8 (2^32 elements of a byte array; larger ones throw `RangeError`). */
export const MAX_ARRAY_BYTES = 2 ** 32;

/** A size asks for more memory than there is (code `INSUFFICIENT_MEMORY`; a usage error: the flag is too large). */
export class InsufficientMemoryError extends NclabError {
  /** The option or flag whose value sets the size (`width`, `K`, `gridPoints`). */
  readonly argument: string;
  /** Bytes the computation needs. */
  readonly bytesNeeded: number;
  /** Bytes available (free memory, or the largest single array when `perArray`). */
  readonly bytesAvailable: number;
  constructor(argument: string, bytesNeeded: number, bytesAvailable: number, what: string) {
    super(
      'INSUFFICIENT_MEMORY',
      `invalid argument. \`${argument}\` is too large: ${what} needs ${formatBytes(bytesNeeded)} (${bytesNeeded} bytes), more than the ${formatBytes(bytesAvailable)} available; use a smaller value.`,
    );
    this.argument = argument;
    this.bytesNeeded = bytesNeeded;
    this.bytesAvailable = bytesAvailable;
  }
}

/**
 * Human-readable byte count (binary units).
 *
 * @param bytes - a byte count.
 * @returns e.g. `'7.5 GiB'`.
 * @example
 * formatBytes(3 * 2 ** 30); // '3.0 GiB'
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Memory free for new allocations: `os.freemem()` (Linux: MemAvailable) in Node, `Infinity`
 * where it cannot be known (browsers).
 *
 * @returns bytes.
 */
export function availableMemory(): number {
  const os = builtinModule<typeof import('node:os')>('os');
  return os ? os.freemem() : Infinity;
}

/** One allocation a computation will make. */
export interface AllocationNeed {
  /** Elements of the largest single array. */
  readonly largestArray: number;
  /** Total elements of the arrays alive at the same time. */
  readonly total: number;
  /** Bytes per element (8 for float64, 4 for float32). */
  readonly bytesPerElement: number;
}

/**
 * Throws unless the arrays a computation needs fit: the largest single array within
 * {@link MAX_ARRAY_BYTES} and all of them within the available memory.
 *
 * @param argument - the option or flag setting the size (named in the error).
 * @param need - element counts and element size.
 * @param what - what needs the memory, for the message (`'the 1000000000000 × 784 random features'`).
 * @param available - bytes available (default {@link availableMemory}).
 * @returns when the sizes fit.
 * @throws {InsufficientMemoryError} naming `argument` and the bytes needed.
 * @example
 * assertMemoryFor('width', { largestArray: n * width, total: 2 * n * width, bytesPerElement: 8 }, `${n} × ${width} features`);
 */
export function assertMemoryFor(argument: string, need: AllocationNeed, what: string, available = availableMemory()): void {
  const largest = need.largestArray * need.bytesPerElement;
  const total = need.total * need.bytesPerElement;
  if (!(largest <= MAX_ARRAY_BYTES)) throw new InsufficientMemoryError(argument, largest, MAX_ARRAY_BYTES, `${what} (one array)`);
  if (!(total <= available)) throw new InsufficientMemoryError(argument, total, available, what);
}
