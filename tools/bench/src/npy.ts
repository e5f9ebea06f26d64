/**
 * A minimal `.npy` (NumPy format 1.0) encoder for benchmark inputs, so the harness depends on no
 * research package. Little-endian, C order; the format is specified in NumPy's NEP 1
 * (`numpy.lib.format`): magic `\x93NUMPY`, version 1.0, a uint16 header length, a Python-literal
 * header dict padded with spaces to a multiple of 64 bytes and ended by `\n`, then the raw data.
 */

/** Typed arrays the encoder writes, with their NumPy `descr`. */
export type NpyData = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** An array to write: `data` in C order and its `shape` (default `[data.length]`). */
export interface NpyInput {
  data: NpyData;
  shape?: readonly number[];
}

const DESCR: [new (n: number) => NpyData, string][] = [
  [Float64Array, '<f8'], [Float32Array, '<f4'], [Int32Array, '<i4'], [Uint32Array, '<u4'],
  [Int16Array, '<i2'], [Uint16Array, '<u2'], [Int8Array, '|i1'], [Uint8Array, '|u1'],
];

/**
 * The bytes of an `.npy` file holding `input` (assumes a little-endian host, as every Node target is).
 * @param input - `{ data, shape }`; the product of `shape` must equal `data.length`.
 * @returns the file contents.
 * @throws {TypeError} for an unsupported array type or a shape that does not match the data.
 * @example
 * encodeNpy({ data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] }); // np.load reads [[1, 2], [3, 4]]
 */
export function encodeNpy(input: NpyInput): Uint8Array {
  const { data } = input;
  const descr = DESCR.find(([ctor]) => data instanceof ctor)?.[1];
  if (!descr) throw new TypeError('invalid argument. `data` must be a float or integer typed array (not 64-bit integer).');
  const shape = input.shape ?? [data.length];
  if (!shape.every((s) => Number.isInteger(s) && s >= 0) || shape.reduce((p, s) => p * s, 1) !== data.length) {
    throw new TypeError(`invalid argument. \`shape\` must be non-negative integers whose product is ${data.length}. Value: \`[${shape.join(', ')}]\`.`);
  }
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
