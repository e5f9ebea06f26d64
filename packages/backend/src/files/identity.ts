/**
 * Identity of a run's inputs (Node only), recorded in its checkpoint so that a resume with other
 * data is refused: a file is known by its size, modification time and a SHA-256 of its header and
 * of evenly spaced samples of its content (cheap on gigabyte files, and any edit of the header,
 * the size or a sampled block shows); a dataset given by a specification (name, per-class counts,
 * seed) is known by the SHA-256 of its canonical JSON.
 */
import { InvalidArgumentError } from '../errors/errors.js';
import { crypto, fs } from './node.js';

/** What identifies an input file. */
export interface FileIdentity {
  /** Size in bytes. */
  readonly size: number;
  /** Last modification time (ms since the epoch). */
  readonly mtimeMs: number;
  /** SHA-256 (hex) of the first {@link HEAD_BYTES} bytes and {@link SAMPLES} blocks of {@link SAMPLE_BYTES} spread over the file. */
  readonly sampleHash: string;
}

/** Bytes hashed from the start of a file. */
export const HEAD_BYTES = 65536;
/** Number of sampled blocks after the header. */
export const SAMPLES = 16;
/** Bytes per sampled block. */
export const SAMPLE_BYTES = 4096;

/**
 * Canonical JSON of a plain value: object keys sorted, `undefined` fields dropped, so equal
 * configurations give equal text whatever the key order.
 *
 * @param v - a JSON-like value.
 * @returns the canonical text.
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * SHA-256 (hex) of a specification's canonical JSON ({@link canonicalJson}).
 *
 * @param spec - e.g. `{ dataset: 'mnist', perClass: 100, seed: 0 }`.
 * @returns 64 hex digits.
 * @example
 * specHash({ a: 1, b: 2 }) === specHash({ b: 2, a: 1 }); // true
 */
export function specHash(spec: unknown): string {
  return crypto().createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

/**
 * The identity of an input file: size, mtime and the sampled content hash.
 *
 * @param file - the file.
 * @param argument - the argument named when the file cannot be read (default `'file'`).
 * @returns its {@link FileIdentity}.
 * @throws {InvalidArgumentError} when the file cannot be opened.
 * @example
 * const id = await fileIdentity('x.npy', 'features'); // { size, mtimeMs, sampleHash }
 */
export async function fileIdentity(file: string, argument = 'file'): Promise<FileIdentity> {
  let h: import('node:fs/promises').FileHandle;
  try {
    h = await fs().open(file, 'r');
  } catch (e) {
    throw new InvalidArgumentError(argument, 'a readable file', file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  try {
    const st = await h.stat();
    const hash = crypto().createHash('sha256');
    const read = async (position: number, length: number): Promise<void> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, st.size - position)));
      if (buf.length === 0) return;
      const { bytesRead } = await h.read(buf, 0, buf.length, position);
      hash.update(buf.subarray(0, bytesRead));
    };
    await read(0, HEAD_BYTES);
    const rest = st.size - HEAD_BYTES;
    if (rest > 0) {
      for (let i = 0; i < SAMPLES; i++) await read(HEAD_BYTES + Math.floor((rest * i) / SAMPLES), SAMPLE_BYTES);
      await read(Math.max(HEAD_BYTES, st.size - SAMPLE_BYTES), SAMPLE_BYTES);
    }
    return { size: st.size, mtimeMs: Math.round(st.mtimeMs), sampleHash: hash.digest('hex') };
  } finally {
    await h.close();
  }
}
