import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { DataFormatError, encodeNpy, npyToMatrix, parseNpy, readNpy, writeNpy, type NpyData, type NpyDtype } from '../src/index.js';
import { hasNumpy, python, tempDir } from './helpers.js';

/** Extreme and ordinary values of every dtype. */
const VALUES: Record<NpyDtype, () => NpyData> = {
  float32: () => Float32Array.from([0, -0, 1.5, -3.25, 3.4e38, 1e-40, Infinity, NaN]),
  float64: () => Float64Array.from([0, -0, 0.1, -1e308, 5e-324, Math.PI, -Infinity, NaN]),
  int8: () => Int8Array.from([-128, -1, 0, 1, 127, 5, -6, 7]),
  uint8: () => Uint8Array.from([0, 1, 2, 127, 128, 200, 254, 255]),
  bool: () => Uint8Array.from([0, 1, 1, 0, 0, 0, 1, 1]),
  int16: () => Int16Array.from([-32768, -1, 0, 1, 32767, 300, -300, 2]),
  uint16: () => Uint16Array.from([0, 1, 65535, 256, 255, 1000, 60000, 3]),
  int32: () => Int32Array.from([-2147483648, -1, 0, 1, 2147483647, 65536, -65536, 9]),
  uint32: () => Uint32Array.from([0, 1, 4294967295, 65536, 2147483648, 7, 8, 9]),
  int64: () => BigInt64Array.from([-(2n ** 63n), -1n, 0n, 1n, 2n ** 63n - 1n, 2n ** 53n + 1n, 10n, -10n]),
  uint64: () => BigUint64Array.from([0n, 1n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 5n, 6n, 7n]),
};
const DTYPES = Object.keys(VALUES) as NpyDtype[];

function sameValues(a: NpyData, b: NpyData): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('NPY round trip', () => {
  it.each(DTYPES)('writes and reads back %s exactly (shape [2, 4])', (dtype) => {
    const data = VALUES[dtype]();
    const back = parseNpy(encodeNpy({ data, shape: [2, 4], dtype }));
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual([2, 4]);
    expect(back.data.constructor).toBe(data.constructor);
    expect(sameValues(back.data, data)).toBe(true);
  });

  it.each([[[]], [[0]], [[8]], [[2, 2, 2]], [[1, 8, 1]]])('keeps shape %j', (shape) => {
    const n = (shape as number[]).reduce((a, b) => a * b, 1);
    const data = Float64Array.from({ length: n }, (_, i) => i);
    const back = parseNpy(encodeNpy({ data, shape: shape as number[] }));
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.data as Float64Array)).toEqual(Array.from(data));
  });

  it('writes a v1.0 header padded with spaces and a newline so data starts at a multiple of 64', () => {
    const bytes = encodeNpy({ data: new Float32Array(6), shape: [2, 3] });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8] + 256 * bytes[9];
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLen + 24);
  });

  it('reads v2.0 headers and big-endian data', () => {
    const dict = "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }";
    const headerLen = 128 - 12;
    const b = new Uint8Array(128 + 12);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(b.buffer).setUint32(8, headerLen, true);
    const text = dict.padEnd(headerLen - 1, ' ') + '\n';
    for (let i = 0; i < text.length; i++) b[12 + i] = text.charCodeAt(i);
    const dv = new DataView(b.buffer);
    [-2, 70000, 3].forEach((v, i) => dv.setInt32(128 + 4 * i, v, false));
    const a = parseNpy(b);
    expect(a.dtype).toBe('int32');
    expect(Array.from(a.data as Int32Array)).toEqual([-2, 70000, 3]);
  });
});

describe('NPY errors', () => {
  const dir = tempDir();
  const good = encodeNpy({ data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [3, 4] });

  it('reports a truncated file with the file name and the missing bytes', () => {
    const p = join(dir, 'trunc.npy');
    writeFileSync(p, good.subarray(0, good.length - 8));
    expect(() => readNpy(p)).toThrow(DataFormatError);
    expect(() => readNpy(p)).toThrow(new RegExp(`${p}: truncated: header says 12 float32 values \\(48 bytes\\), 40 present`));
  });

  it('reports a truncated header, a bad magic string, trailing bytes', () => {
    expect(() => parseNpy(good.subarray(0, 40), 'x.npy')).toThrow(/x\.npy: truncated header/);
    const bad = good.slice();
    bad[1] = 0x41;
    expect(() => parseNpy(bad)).toThrow(/not an NPY file/);
    const extra = new Uint8Array(good.length + 4);
    extra.set(good);
    expect(() => parseNpy(extra)).toThrow(/4 unexpected trailing bytes/);
  });

  function withDict(dict: string): Uint8Array {
    const headerLen = 128 - 10;
    const b = new Uint8Array(128 + 8);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(b.buffer).setUint16(8, headerLen, true);
    const text = dict.padEnd(headerLen - 1, ' ') + '\n';
    for (let i = 0; i < text.length; i++) b[10 + i] = text.charCodeAt(i);
    return b;
  }

  it('reorders a Fortran-ordered array into C order (any rank)', () => {
    // A[i][j][k] = 100 i + 10 j + k, shape [2, 3, 4], stored column-major: i fastest, then j, then k
    const fortranData = new Float64Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) fortranData[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const bytes = encodeNpy({ data: fortranData, shape: [2, 3, 4] });
    const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).replace("'fortran_order': False,", "'fortran_order': True, ");
    for (let i = 0; i < 64; i++) bytes[i] = text.charCodeAt(i);
    const a = parseNpy(bytes);
    expect(a.shape).toEqual([2, 3, 4]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) want.push(100 * i + 10 * j + k);
    expect(Array.from(a.data as Float64Array)).toEqual(want);
  });

  it('rejects float16, complex and structured dtypes by name', () => {
    expect(() => parseNpy(withDict("{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }"))).toThrow(/unsupported dtype '<f2'/);
    expect(() => parseNpy(withDict("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"))).toThrow(/unsupported dtype '<c8'/);
    expect(() => parseNpy(withDict("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }"))).toThrow(/structured/);
  });

  it('rejects a shape that does not match the data, and a dtype that does not match the array', () => {
    expect(() => encodeNpy({ data: new Float64Array(5), shape: [2, 3] })).toThrow(InvalidArgumentError);
    expect(() => encodeNpy({ data: new Float64Array(5), shape: [2, 3] })).toThrow(/product is data.length = 5/);
    expect(() => encodeNpy({ data: new Float64Array(2), dtype: 'int32' })).toThrow(/`dtype`/);
    expect(() => encodeNpy({ data: [1, 2] as never })).toThrow(/`data` must be a typed array/);
  });

  it('writes atomically: a failed write leaves neither the file nor a temporary', () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    expect(() => writeNpy(join(blocker, 'a.npy'), { data: new Float32Array(3) })).toThrow(/writable file path/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const p = join(dir, 'sub', 'ok.npy');
    writeNpy(p, { data: Int16Array.from([1, -2]) });
    expect(existsSync(p)).toBe(true);
    expect(Array.from(readNpy(p).data as Int16Array)).toEqual([1, -2]);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['ok.npy']);
  });

  it('converts to a host matrix, and refuses 64-bit integers beyond 2^53', () => {
    const m = npyToMatrix(parseNpy(encodeNpy({ data: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] })));
    expect(m).toEqual({ rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) });
    const v = npyToMatrix(parseNpy(encodeNpy({ data: Uint8Array.from([7, 8]) })), 'float32');
    expect(v).toEqual({ rows: 2, cols: 1, data: Float32Array.from([7, 8]) });
    const big = parseNpy(encodeNpy({ data: BigInt64Array.from([2n ** 60n]) }));
    expect(() => npyToMatrix(big)).toThrow(/2\^53/);
    expect(() => npyToMatrix(parseNpy(encodeNpy({ data: new Float64Array(8), shape: [2, 2, 2] })))).toThrow(/1-D or 2-D/);
  });
});

describe.skipIf(!hasNumpy)('NPY against NumPy', () => {
  const dir = tempDir();

  it('reads what NumPy writes: every dtype, both byte orders, v1 and v2 headers, 0-d', () => {
    const out = python(
      `
import numpy as np, sys, os, json
d = sys.argv[1]
specs = {'f4': [1.5, -2.25, 3e38], 'f8': [0.1, -1e300, 5e-324], 'i1': [-128, 0, 127], 'u1': [0, 128, 255],
         'i2': [-32768, 7, 32767], 'u2': [0, 1, 65535], 'i4': [-2**31, 5, 2**31-1], 'u4': [0, 3, 2**32-1],
         'i8': [-2**63, 9, 2**63-1], 'u8': [0, 2**53+1, 2**64-1], 'b1': [True, False, True]}
for code, vals in specs.items():
    for order in ('<', '>'):
        dt = np.dtype(('|' if code[1] == '1' else order) + code)
        np.save(os.path.join(d, f'{order == "<"}_{code}.npy'), np.array(vals, dtype=dt).reshape(3, 1))
with open(os.path.join(d, 'v2.npy'), 'wb') as f:
    np.lib.format.write_array(f, np.arange(6, dtype='<f8').reshape(2, 3), version=(2, 0))
np.save(os.path.join(d, 'scalar.npy'), np.float32(2.5))
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4)))
print(json.dumps({c: [str(v) for v in vals] for c, vals in specs.items()}))
`,
      [dir],
    );
    const expected = JSON.parse(out) as Record<string, string[]>;
    const code2dtype: Record<string, NpyDtype> = { f4: 'float32', f8: 'float64', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64', b1: 'bool' };
    for (const [code, vals] of Object.entries(expected)) {
      for (const le of ['True', 'False']) {
        const a = readNpy(join(dir, `${le}_${code}.npy`));
        expect(a.dtype).toBe(code2dtype[code]);
        expect(a.shape).toEqual([3, 1]);
        const got = Array.from(a.data as ArrayLike<number | bigint>, (v) => (code === 'b1' ? String(v === 1) : String(v)));
        const want = vals.map((v) => (code === 'b1' ? v.toLowerCase() : code[0] === 'f' ? String(Number(code === 'f4' ? Math.fround(Number(v)) : Number(v))) : v));
        expect(got, `${code} ${le}`).toEqual(want);
      }
    }
    expect(Array.from(readNpy(join(dir, 'v2.npy')).data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const s = readNpy(join(dir, 'scalar.npy'));
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data as Float32Array)).toEqual([2.5]);
    const f = readNpy(join(dir, 'fortran.npy'));
    expect(f.shape).toEqual([2, 3, 4]);
    expect(Array.from(f.data as Float64Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('writes files NumPy loads with the same dtype, shape and values', () => {
    for (const dtype of DTYPES) writeNpy(join(dir, `ours_${dtype}.npy`), { data: VALUES[dtype](), shape: [4, 2], dtype });
    const out = python(
      `
import numpy as np, sys, json, os
d = sys.argv[1]
res = {}
for f in sorted(os.listdir(d)):
    if f.startswith('ours_'):
        a = np.load(os.path.join(d, f))
        res[f[5:-4]] = [a.dtype.str, list(a.shape), [repr(v) for v in a.ravel().tolist()]]
print(json.dumps(res))
`,
      [dir],
    );
    const res = JSON.parse(out) as Record<string, [string, number[], string[]]>;
    const desc: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int8: '|i1', uint8: '|u1', bool: '|b1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8' };
    for (const dtype of DTYPES) {
      const [str, shape, vals] = res[dtype];
      expect(str).toBe(desc[dtype]);
      expect(shape).toEqual([4, 2]);
      const ours = Array.from(VALUES[dtype]() as ArrayLike<number | bigint>);
      const theirs = vals.map((v) => {
        if (dtype === 'bool') return v === 'True' ? 1 : 0;
        if (dtype === 'int64' || dtype === 'uint64') return BigInt(v);
        if (v === 'nan') return NaN;
        if (v === 'inf') return Infinity;
        if (v === '-inf') return -Infinity;
        return Number(v);
      });
      expect(theirs.length).toBe(ours.length);
      theirs.forEach((t, i) => expect(Object.is(t, ours[i]) || (typeof t === 'bigint' && t === ours[i]), `${dtype}[${i}]: ${String(t)} vs ${String(ours[i])}`).toBe(true));
    }
    // byte-level: NumPy re-saving what it loaded from our file produces the identical file
    python(`import numpy as np, sys; np.save(sys.argv[2], np.load(sys.argv[1]))`, [join(dir, 'ours_float64.npy'), join(dir, 'resaved.npy')]);
    expect(Buffer.compare(readFileSync(join(dir, 'ours_float64.npy')), readFileSync(join(dir, 'resaved.npy')))).toBe(0);
  });
});
