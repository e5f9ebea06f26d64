/**
 * NumPy `.npy` files, versions 1.0, 2.0 and 3.0: read (C or Fortran order; Fortran-ordered data is
 * reordered to C order) and write (C order).
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, header length (uint16 LE in v1,
 * uint32 LE in v2/v3), then an ASCII (v3: UTF-8) Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }` padded with spaces and a final
 * newline so the data starts at a multiple of 64 bytes, then the raw values.
 * @see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { InvalidArgumentError, writeFileAtomicSync, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { DataFormatError } from '../errors.js';
import { copyBytes, readBytes } from './bytes.js';

/** Element types we read and write (`bool` is NumPy's `|b1`, stored one byte per value). */
export type NpyDtype = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

/** The typed array holding each {@link NpyDtype}: 64-bit integers come back as `BigInt64Array` / `BigUint64Array`. */
export type NpyData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A decoded `.npy` array: `data` holds `shape.reduce(*)` values in C (row-major) order. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

/** Input of {@link encodeNpy}: `shape` defaults to `[data.length]`; `dtype` defaults from the array type. */
export interface NpyInput {
  data: NpyData;
  shape?: readonly number[];
  /** Only needed to write a `Uint8Array` as `bool`. */
  dtype?: NpyDtype;
}

interface TypeInfo {
  code: string; // kind+size, e.g. 'f4'
  size: number;
  ctor: { new (n: number): NpyData; new (buf: ArrayBuffer): NpyData };
  get: (dv: DataView, off: number, le: boolean) => number | bigint;
}

const INFO: Record<NpyDtype, TypeInfo> = {
  float32: { code: 'f4', size: 4, ctor: Float32Array, get: (d, o, le) => d.getFloat32(o, le) },
  float64: { code: 'f8', size: 8, ctor: Float64Array, get: (d, o, le) => d.getFloat64(o, le) },
  int8: { code: 'i1', size: 1, ctor: Int8Array, get: (d, o) => d.getInt8(o) },
  uint8: { code: 'u1', size: 1, ctor: Uint8Array, get: (d, o) => d.getUint8(o) },
  bool: { code: 'b1', size: 1, ctor: Uint8Array, get: (d, o) => d.getUint8(o) },
  int16: { code: 'i2', size: 2, ctor: Int16Array, get: (d, o, le) => d.getInt16(o, le) },
  uint16: { code: 'u2', size: 2, ctor: Uint16Array, get: (d, o, le) => d.getUint16(o, le) },
  int32: { code: 'i4', size: 4, ctor: Int32Array, get: (d, o, le) => d.getInt32(o, le) },
  uint32: { code: 'u4', size: 4, ctor: Uint32Array, get: (d, o, le) => d.getUint32(o, le) },
  int64: { code: 'i8', size: 8, ctor: BigInt64Array, get: (d, o, le) => d.getBigInt64(o, le) },
  uint64: { code: 'u8', size: 8, ctor: BigUint64Array, get: (d, o, le) => d.getBigUint64(o, le) },
};

const BY_CODE: Record<string, NpyDtype> = Object.fromEntries(
  (Object.keys(INFO) as NpyDtype[]).map((k) => [INFO[k].code, k]),
);

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function parseHeaderDict(text: string, source: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  if (!descr) {
    const structured = /['"]descr['"]\s*:\s*\[/.test(text);
    throw new DataFormatError(source, structured ? 'structured (record) dtypes are not supported' : `header has no 'descr' string: ${text.trim()}`);
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw new DataFormatError(source, `header has no 'fortran_order': ${text.trim()}`);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeM) throw new DataFormatError(source, `header has no 'shape' tuple: ${text.trim()}`);
  const parts = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((p) => {
    const v = /^\d+L?$/.test(p) ? Number.parseInt(p, 10) : Number.NaN;
    if (!Number.isSafeInteger(v)) throw new DataFormatError(source, `shape entry "${p}" is not a non-negative integer`);
    return v;
  });
  return { descr: descr[1], fortran: fortran[1] === 'True', shape };
}

/**
 * Decodes a `.npy` file already in memory.
 * @param bytes - the whole file.
 * @param source - named in error messages.
 * @returns `{ dtype, shape, data }` (host byte order; big-endian files are converted).
 * @throws {DataFormatError} on a bad magic string or version, an unsupported dtype (structured, float16,
 *   complex, strings), truncated data or trailing bytes.
 * @example
 * const a = parseNpy(encodeNpy({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }));
 * // returns { dtype: 'float32', shape: [2, 2], data: Float32Array [1, 2, 3, 4] }
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new DataFormatError(source, 'not an NPY file: it does not start with \\x93NUMPY');
  }
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataFormatError(source, 'truncated: NPY v2 preamble needs 12 bytes');
    headerLen = dv.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataFormatError(source, `unsupported NPY format version ${major}.${bytes[7]} (1.0, 2.0 and 3.0 are read)`);
  }
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw new DataFormatError(source, `truncated header: needs ${dataStart} bytes, ${bytes.length} present`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeaderDict(text, source);
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const dtype = m ? BY_CODE[`${m[2]}${m[3]}`] : undefined;
  if (!m || !dtype) {
    throw new DataFormatError(source, `unsupported dtype '${descr}' (supported: f4, f8, i1, u1, b1, i2, u2, i4, u4, i8, u8)`);
  }
  const info = INFO[dtype];
  const n = count(shape);
  const want = dataStart + n * info.size;
  if (bytes.length < want) {
    throw new DataFormatError(source, `truncated: header says ${n} ${dtype} values (${n * info.size} bytes), ${bytes.length - dataStart} present`);
  }
  if (bytes.length > want) throw new DataFormatError(source, `${bytes.length - want} unexpected trailing bytes after ${n} ${dtype} values`);
  const bigEndian = m[1] === '>';
  let data: NpyData;
  if (!bigEndian || info.size === 1) {
    // Copy into a fresh, aligned buffer (file buffers may be unaligned).
    data = new info.ctor(copyBytes(bytes, dataStart, want).buffer);
  } else {
    data = new info.ctor(n);
    const ddv = new DataView(bytes.buffer, bytes.byteOffset + dataStart, n * info.size);
    for (let i = 0; i < n; i++) (data as unknown as (number | bigint)[])[i] = info.get(ddv, i * info.size, false);
  }
  return { dtype, shape, data: fortran && shape.length > 1 ? fortranToC(data, shape) : data };
}

/** Reorders column-major (Fortran) data of `shape` into row-major (C) order. */
function fortranToC(data: NpyData, shape: readonly number[]): NpyData {
  const n = data.length;
  const out = new (data.constructor as new (n: number) => NpyData)(n);
  const rank = shape.length;
  const fStride: number[] = [];
  for (let j = 0, s = 1; j < rank; j++) { fStride.push(s); s *= shape[j]; }
  const idx = new Array<number>(rank).fill(0);
  let f = 0; // Fortran offset of the C-order position c
  for (let c = 0; c < n; c++) {
    (out as unknown as (number | bigint)[])[c] = (data as unknown as (number | bigint)[])[f];
    for (let j = rank - 1; j >= 0; j--) {
      idx[j]++;
      f += fStride[j];
      if (idx[j] < shape[j]) break;
      f -= fStride[j] * shape[j];
      idx[j] = 0;
    }
  }
  return out;
}

/**
 * An array of any rank `[N, …]` as a 2-D array `[N, prod(rest)]`: each sample flattened in C order
 * (what `x.reshape(len(x), -1)` gives in NumPy). 1-D and 2-D arrays come back unchanged.
 * @param a - from {@link readNpy}, {@link parseNpy} or an `.npz` archive.
 * @returns the same data with shape `[N, d]`; `shape` of the input is the original shape to report.
 * @throws {InvalidArgumentError} for a 0-D array.
 * @example
 * flattenSamples({ dtype: 'float32', shape: [10, 3, 4, 4], data }).shape; // [10, 48]
 */
export function flattenSamples(a: NpyArray): NpyArray {
  if (a.shape.length === 0) throw new InvalidArgumentError('a.shape', 'at least one dimension (samples first)', a.shape);
  if (a.shape.length <= 2) return a;
  return { ...a, shape: [a.shape[0], count(a.shape.slice(1))] };
}

/**
 * Reads a `.npy` file.
 * @throws {InvalidArgumentError} when the file cannot be read.
 * @throws {DataFormatError} when it is not a supported `.npy` file (see {@link parseNpy}); the message names the file.
 * @example
 * const { shape, data } = readNpy('features.npy'); // e.g. shape [5000, 784], data Float32Array
 */
export function readNpy(path: string): NpyArray {
  return parseNpy(readBytes(path), path);
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  throw new InvalidArgumentError('data', 'a typed array (Float32/64, Int8/16/32, Uint8/16/32, BigInt64, BigUint64)', data);
}

/**
 * Encodes a C-order array as a `.npy` file (version 1.0, or 2.0 when the header exceeds 65,535 bytes),
 * little-endian, data aligned to 64 bytes.
 * @param input - `{ data, shape?, dtype? }`; `shape` defaults to `[data.length]`.
 * @returns the file's bytes.
 * @throws {InvalidArgumentError} when `data` is not a supported typed array, `shape` has a negative or
 *   non-integer entry, `shape`'s product differs from `data.length`, or `dtype` does not match `data`.
 * @example
 * const bytes = encodeNpy({ data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * // np.load gives array([[1., 2., 3.], [4., 5., 6.]])
 */
export function encodeNpy(input: NpyInput): Uint8Array {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'an object { data, shape? }', input);
  const { data } = input;
  const natural = dtypeOf(data);
  const dtype = input.dtype ?? natural;
  if (!(dtype in INFO)) throw new InvalidArgumentError('dtype', `one of ${Object.keys(INFO).join(', ')}`, dtype);
  if (dtype !== natural && !(dtype === 'bool' && natural === 'uint8')) {
    throw new InvalidArgumentError('dtype', `the type of \`data\` (${natural})`, dtype);
  }
  const shape = input.shape ?? [data.length];
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new InvalidArgumentError('shape', 'an array of non-negative integers', shape);
  }
  if (count(shape) !== data.length) {
    throw new InvalidArgumentError('shape', `dimensions whose product is data.length = ${data.length}`, shape);
  }
  const info = INFO[dtype];
  const endian = info.size === 1 ? '|' : '<';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${endian}${info.code}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - pre;
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, headerLen, true);
  else dv.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/**
 * Writes a `.npy` file atomically (backend's `writeFileAtomicSync`: a temporary file beside it, then
 * renamed), creating the folder:
 * a failed write never leaves a partial file.
 * @param path - destination, e.g. `out/features.npy`.
 * @param input - `{ data, shape?, dtype? }` as in {@link encodeNpy}.
 * @throws {InvalidArgumentError} as {@link encodeNpy}, or when the file cannot be written.
 * @example
 * writeNpy('/tmp/x.npy', { data: new Float32Array(12), shape: [3, 4] });
 */
export function writeNpy(path: string, input: NpyInput): void {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path', 'a file path', path);
  const bytes = encodeNpy(input);
  try {
    writeFileAtomicSync(path, bytes);
  } catch (e) {
    throw new InvalidArgumentError('path', 'a writable file path', path, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

/**
 * A 1-D or 2-D array as a host matrix (`[n]` becomes `[n, 1]`), converted to float64 or float32.
 * @param a - from {@link readNpy} / {@link parseNpy}.
 * @param dtype - `'float64'` (default) or `'float32'`.
 * @returns `Matrix` ([rows, cols], Float64Array) or `Matrix32`.
 * @throws {InvalidArgumentError} when `a` has more than 2 dimensions, or a 64-bit integer exceeds 2^53.
 * @example
 * npyToMatrix(readNpy('x.npy')); // { rows: N, cols: d, data: Float64Array }
 */
export function npyToMatrix(a: NpyArray, dtype?: 'float64'): Matrix;
export function npyToMatrix(a: NpyArray, dtype: 'float32'): Matrix32;
export function npyToMatrix(a: NpyArray, dtype: 'float64' | 'float32' = 'float64'): Matrix | Matrix32 {
  if (a.shape.length === 0 || a.shape.length > 2) {
    throw new InvalidArgumentError('a.shape', 'a 1-D or 2-D shape', a.shape);
  }
  const rows = a.shape[0];
  const cols = a.shape.length === 2 ? a.shape[1] : 1;
  const n = rows * cols;
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) {
      const v = Number(a.data[i]);
      if (!Number.isSafeInteger(v)) throw new InvalidArgumentError('a.data', 'integers of magnitude at most 2^53', a.data[i], `at index ${i}`);
      out[i] = v;
    }
  } else {
    out.set(a.data);
  }
  return dtype === 'float32' ? { rows, cols, data: out as Float32Array } : { rows, cols, data: out as Float64Array };
}
