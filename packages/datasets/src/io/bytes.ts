import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@nclab/backend/host';
import { DataFormatError } from '../errors.js';

/**
 * True when `bytes` start with the gzip magic number `1f 8b`.
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // returns true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a whole file, transparently gunzipping it when it starts with the gzip magic number.
 * @throws {InvalidArgumentError} when `path` is not a non-empty string or the file cannot be read.
 * @throws {DataFormatError} when a gzip stream is corrupt or truncated.
 * @example
 * readBytes('train-labels-idx1-ubyte.gz').length; // 60008 (the uncompressed size)
 */
export function readBytes(path: string, argument = 'path'): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(argument, 'a file path', path);
  let raw: Uint8Array;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new InvalidArgumentError(argument, 'a readable file', path, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return maybeGunzip(plain(raw), path);
}

/** A plain `Uint8Array` view of the same bytes (Node `Buffer.slice` shares memory; `Uint8Array.slice` copies). */
export function plain(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A fresh copy of `bytes[start, end)` in its own `ArrayBuffer` (aligned for any typed-array view). */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/** `bytes` gunzipped if they are gzip, else unchanged. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return plain(gunzipSync(bytes));
  } catch (e) {
    throw new DataFormatError(source, `gzip stream is corrupt or truncated (${(e as Error).message})`, { cause: e });
  }
}
