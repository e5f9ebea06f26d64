/**
 * IDX files (the MNIST / Fashion-MNIST / EMNIST container): a 4-byte magic `00 00 TT ND`, ND
 * big-endian uint32 dimensions, then the values in C order, big-endian.
 * Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 * @see http://yann.lecun.com/exdb/mnist/ (format description)
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InvalidArgumentError } from '@nclab/backend/host';
import { DataFormatError } from '../errors.js';
import { copyBytes, isGzip, readBytes } from './bytes.js';

/** Element types an IDX file can hold. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array of each {@link IdxDtype} (host byte order). */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX array: `data` holds `shape.reduce(*)` values in C (row-major) order. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly shape: readonly number[];
  readonly data: IdxData;
}

/** A parsed IDX header (internal to the IDX readers). */
export interface IdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Byte offset of the first value. */
  dataOffset: number;
  /** Bytes per value. */
  itemSize: number;
}

const TYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/** Parses the magic number and dimensions at the start of `head` (internal to the IDX readers). */
export function parseHeader(head: Uint8Array, source: string): IdxHeader {
  if (head.length < 4) throw new DataFormatError(source, `not an IDX file: ${head.length} bytes, the magic number alone needs 4`);
  if (head[0] !== 0 || head[1] !== 0) {
    throw new DataFormatError(source, `not an IDX file: magic must start with 00 00, got ${hex(head[0])} ${hex(head[1])}`);
  }
  const t = TYPES[head[2]];
  if (!t) throw new DataFormatError(source, `unknown IDX type code ${hex(head[2])} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const nd = head[3];
  if (nd === 0) throw new DataFormatError(source, 'IDX header declares 0 dimensions');
  const dataOffset = 4 + 4 * nd;
  if (head.length < dataOffset) throw new DataFormatError(source, `truncated header: ${nd} dimensions need ${dataOffset} bytes, ${head.length} present`);
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < nd; i++) shape.push(dv.getUint32(4 + 4 * i, false));
  return { dtype: t.dtype, shape, dataOffset, itemSize: t.size };
}

function hex(b: number | undefined): string {
  return b === undefined ? '??' : b.toString(16).padStart(2, '0');
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws unless the file holds exactly the header plus the declared values (internal to the IDX readers). */
export function checkSize(h: IdxHeader, totalBytes: number, source: string): void {
  const want = h.dataOffset + count(h.shape) * h.itemSize;
  if (totalBytes < want) {
    throw new DataFormatError(source, `truncated: shape [${h.shape.join(', ')}] of ${h.dtype} needs ${want} bytes, ${totalBytes} present`);
  }
  if (totalBytes > want) {
    throw new DataFormatError(source, `${totalBytes - want} unexpected trailing bytes after shape [${h.shape.join(', ')}] of ${h.dtype}`);
  }
}

/**
 * Decodes `n` big-endian values of `dtype` starting at `bytes[offset]` into host order. Single-byte
 * types are copied, unless `owned` (the caller's fresh buffer, e.g. just read from disk): then a view is returned.
 */
function decode(bytes: Uint8Array, offset: number, n: number, dtype: IdxDtype, owned = false): IdxData {
  switch (dtype) {
    case 'uint8':
      return owned ? bytes.subarray(offset, offset + n) : copyBytes(bytes, offset, offset + n);
    case 'int8':
      return owned
        ? new Int8Array(bytes.buffer, bytes.byteOffset + offset, n)
        : new Int8Array(copyBytes(bytes, offset, offset + n).buffer);
    default: {
      const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, n * TYPES_BY_NAME[dtype]);
      if (dtype === 'int16') {
        const out = new Int16Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, false);
        return out;
      }
      if (dtype === 'int32') {
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, false);
        return out;
      }
      if (dtype === 'float32') {
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, false);
        return out;
      }
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, false);
      return out;
    }
  }
}

const TYPES_BY_NAME: Record<IdxDtype, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/**
 * Decodes an IDX file already in memory.
 * @param bytes - the whole (uncompressed) file.
 * @param source - named in error messages (a path or a label).
 * @returns `{ dtype, shape, data }` with `data` in host byte order, C order.
 * @throws {DataFormatError} on a bad magic number, unknown type code, truncated data or trailing bytes.
 * @example
 * const labels = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]));
 * // returns { dtype: 'uint8', shape: [2], data: Uint8Array [7, 3] }
 */
export function parseIdx(bytes: Uint8Array, source = '<bytes>'): IdxArray {
  return parseIdxBytes(bytes, source, false);
}

function parseIdxBytes(bytes: Uint8Array, source: string, owned: boolean): IdxArray {
  const h = parseHeader(bytes.subarray(0, Math.min(bytes.length, 4 + 4 * 255)), source);
  checkSize(h, bytes.length, source);
  return { dtype: h.dtype, shape: h.shape, data: decode(bytes, h.dataOffset, count(h.shape), h.dtype, owned) };
}

/**
 * Reads an IDX file (gzip-compressed files, e.g. `train-images-idx3-ubyte.gz`, are gunzipped first).
 * @param path - the file.
 * @returns `{ dtype, shape, data }`; MNIST images come back as `uint8` of shape `[60000, 28, 28]`.
 * @throws {InvalidArgumentError} when the file cannot be read.
 * @throws {DataFormatError} when it is not a well-formed IDX file (message names the file).
 * @example
 * const { shape, data } = readIdx('train-labels-idx1-ubyte'); // shape [60000], data Uint8Array
 */
export function readIdx(path: string): IdxArray {
  // The bytes were just read (or gunzipped) into a buffer nobody else holds: no need to copy them again.
  return parseIdxBytes(readBytes(path), path, true);
}

/**
 * Reads only the given rows (entries along the first axis) of an IDX file, in the order given.
 * Uncompressed files are read with positional reads of the needed blocks only (a 5,000-row subset of
 * the 47 MB MNIST training images reads a few MB); gzip files are decoded whole, then gathered.
 * @param path - the file.
 * @param rows - row indices in `[0, shape[0])`, any order, repeats allowed.
 * @returns `{ dtype, shape: [rows.length, ...shape.slice(1)], data, sourceRows }` (`sourceRows` = the file's `shape[0]`).
 * @throws {InvalidArgumentError} when a row index is out of range or the file cannot be read.
 * @throws {DataFormatError} when the file is not a well-formed IDX file.
 * @example
 * const two = readIdxRows('t10k-images-idx3-ubyte', [9999, 0]); // shape [2, 28, 28]: the last and the first test image
 */
export function readIdxRows(path: string, rows: ArrayLike<number>): IdxArray & { readonly sourceRows: number } {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path', 'a file path', path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InvalidArgumentError('path', 'a readable file', path, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  try {
    const magic = new Uint8Array(2);
    readSync(fd, magic, 0, 2, 0);
    if (isGzip(magic)) {
      closeSync(fd);
      fd = -1;
      return gatherRows(readIdx(path), rows);
    }
    const headBuf = new Uint8Array(4 + 4 * 255);
    const got = readSync(fd, headBuf, 0, headBuf.length, 0);
    const h = parseHeader(headBuf.subarray(0, got), path);
    checkSize(h, fstatSync(fd).size, path);
    const n0 = h.shape[0];
    const rowItems = count(h.shape.slice(1));
    const rowBytes = rowItems * h.itemSize;
    const m = rows.length;
    checkRows(rows, n0);
    const raw = new Uint8Array(m * rowBytes);
    // Visit rows in file order; merge rows less than ~64 KiB apart into one read of at most ~1 MiB.
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => rows[a] - rows[b]);
    const gap = Math.max(1, Math.floor(65536 / Math.max(1, rowBytes)));
    const span = Math.max(1, Math.floor((1 << 20) / Math.max(1, rowBytes)));
    let i = 0;
    let block = new Uint8Array(0);
    while (i < m) {
      let j = i;
      while (j + 1 < m && rows[order[j + 1]] - rows[order[j]] <= gap && rows[order[j + 1]] - rows[order[i]] < span) j++;
      const first = rows[order[i]];
      const last = rows[order[j]];
      const bytes = (last - first + 1) * rowBytes;
      if (block.length < bytes) block = new Uint8Array(bytes);
      const pos = h.dataOffset + first * rowBytes;
      let done = 0;
      while (done < bytes) {
        const r = readSync(fd, block, done, bytes - done, pos + done);
        if (r === 0) throw new DataFormatError(path, `file ended at byte ${pos + done} while reading row ${first + Math.floor(done / rowBytes)}`);
        done += r;
      }
      for (let k = i; k <= j; k++) {
        const src = (rows[order[k]] - first) * rowBytes;
        raw.set(block.subarray(src, src + rowBytes), order[k] * rowBytes);
      }
      i = j + 1;
    }
    // `raw` is already a fresh buffer: single-byte types need no decoding copy.
    const data = decode(raw, 0, m * rowItems, h.dtype, true);
    return { dtype: h.dtype, shape: [m, ...h.shape.slice(1)], data, sourceRows: n0 };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function checkRows(rows: ArrayLike<number>, n0: number): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= n0) throw new InvalidArgumentError('rows', `integers in [0, ${n0})`, r, `at index ${i}`);
  }
}

function gatherRows(a: IdxArray, rows: ArrayLike<number>): IdxArray & { readonly sourceRows: number } {
  checkRows(rows, a.shape[0]);
  const rowItems = count(a.shape.slice(1));
  const Ctor = a.data.constructor as new (n: number) => IdxData;
  const out = new Ctor(rows.length * rowItems);
  for (let i = 0; i < rows.length; i++) out.set(a.data.subarray(rows[i] * rowItems, (rows[i] + 1) * rowItems) as never, i * rowItems);
  return { dtype: a.dtype, shape: [rows.length, ...a.shape.slice(1)], data: out, sourceRows: a.shape[0] };
}
