import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, loadIdxDataset, parseIdx, readIdx, readIdxRows, type IdxDtype } from '../src/index.js';
import { tempDir } from './helpers.js';

const CODES: Record<IdxDtype, [number, number]> = {
  uint8: [0x08, 1], int8: [0x09, 1], int16: [0x0b, 2], int32: [0x0c, 4], float32: [0x0d, 4], float64: [0x0e, 8],
};

/** Encodes an IDX file big-endian, written here independently of the reader. */
function encodeIdx(dtype: IdxDtype, shape: number[], values: number[]): Uint8Array {
  const [code, size] = CODES[dtype];
  const off = 4 + 4 * shape.length;
  const b = new Uint8Array(off + values.length * size);
  const dv = new DataView(b.buffer);
  b[2] = code;
  b[3] = shape.length;
  shape.forEach((s, i) => dv.setUint32(4 + 4 * i, s, false));
  values.forEach((v, i) => {
    const o = off + i * size;
    if (dtype === 'uint8') dv.setUint8(o, v);
    else if (dtype === 'int8') dv.setInt8(o, v);
    else if (dtype === 'int16') dv.setInt16(o, v, false);
    else if (dtype === 'int32') dv.setInt32(o, v, false);
    else if (dtype === 'float32') dv.setFloat32(o, v, false);
    else dv.setFloat64(o, v, false);
  });
  return b;
}

const SAMPLES: Record<IdxDtype, number[]> = {
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 100, 127],
  int16: [-32768, -300, 0, 1, 258, 32767],
  int32: [-2147483648, -70000, 0, 1, 65537, 2147483647],
  float32: [-1.5, 0, 0.25, 3.0e38, -7, 1e-30].map(Math.fround),
  float64: [-1.5, 0, 0.1, 1e300, -7e-300, Math.PI],
};

describe('IDX reader', () => {
  const dir = tempDir();

  it.each(Object.keys(CODES) as IdxDtype[])('decodes big-endian %s values and the shape', (dtype) => {
    const a = parseIdx(encodeIdx(dtype, [2, 3], SAMPLES[dtype]));
    expect(a.dtype).toBe(dtype);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(SAMPLES[dtype]);
  });

  it('reads gzip-compressed files transparently, whole and by rows', () => {
    const values = Array.from({ length: 5 * 4 }, (_, i) => i * 3);
    const plain = join(dir, 'x-idx2-ubyte');
    const gz = join(dir, 'x-idx2-ubyte.gz');
    writeFileSync(plain, encodeIdx('uint8', [5, 4], values));
    writeFileSync(gz, gzipSync(encodeIdx('uint8', [5, 4], values)));
    expect(Array.from(readIdx(gz).data)).toEqual(values);
    const a = readIdxRows(plain, [4, 0, 2]);
    const b = readIdxRows(gz, [4, 0, 2]);
    expect(Array.from(a.data)).toEqual([16, 17, 18, 19, 0, 1, 2, 3, 8, 9, 10, 11].map((i) => i * 3));
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(a.shape).toEqual([3, 4]);
  });

  it.each(['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as IdxDtype[])('reads selected rows of %s by positional reads', (dtype) => {
    const cycle = SAMPLES[dtype];
    const values = Array.from({ length: 200 * 3 }, (_, i) => cycle[i % cycle.length]);
    const p = join(dir, `rows-${dtype}`);
    writeFileSync(p, encodeIdx(dtype, [200, 3], values));
    const rows = [199, 3, 150, 4, 4];
    const a = readIdxRows(p, rows);
    expect(a.dtype).toBe(dtype);
    expect(Array.from(a.data)).toEqual(rows.flatMap((r) => values.slice(r * 3, r * 3 + 3)));
  });

  it('names the file and the shortfall for a truncated file', () => {
    const p = join(dir, 'trunc-idx3-ubyte');
    writeFileSync(p, encodeIdx('uint8', [3, 2, 2], new Array(12).fill(1)).subarray(0, 20));
    expect(() => readIdx(p)).toThrow(DataFormatError);
    expect(() => readIdx(p)).toThrow(new RegExp(`${p}.*truncated.*needs 28 bytes, 20 present`));
    expect(() => readIdxRows(p, [0])).toThrow(/truncated/);
  });

  it('rejects a bad magic number, an unknown type code, a truncated header and trailing bytes', () => {
    const good = encodeIdx('uint8', [2], [1, 2]);
    const bad1 = good.slice();
    bad1[0] = 1;
    expect(() => parseIdx(bad1, 'f')).toThrow(/not an IDX file/);
    const bad2 = good.slice();
    bad2[2] = 0x0a;
    expect(() => parseIdx(bad2, 'f')).toThrow(/unknown IDX type code 0a/);
    expect(() => parseIdx(good.subarray(0, 6), 'f')).toThrow(/truncated header/);
    const extra = new Uint8Array(good.length + 3);
    extra.set(good);
    expect(() => parseIdx(extra, 'f')).toThrow(/3 unexpected trailing bytes/);
  });

  it('rejects a corrupt gzip stream as a DataFormatError naming the file', () => {
    const p = join(dir, 'broken.gz');
    const gz = gzipSync(encodeIdx('uint8', [100], new Array(100).fill(7)));
    writeFileSync(p, gz.subarray(0, gz.length - 10));
    expect(() => readIdx(p)).toThrow(DataFormatError);
    expect(() => readIdx(p)).toThrow(/broken\.gz: gzip stream is corrupt or truncated/);
  });

  it('rejects out-of-range row indices with a typed error', () => {
    const p = join(dir, 'rows-range');
    writeFileSync(p, encodeIdx('uint8', [2, 2], [1, 2, 3, 4]));
    expect(() => readIdxRows(p, [2])).toThrow(/`rows` must be integers in \[0, 2\)/);
  });

  it('loads a Fashion-MNIST-like pair of files and checks they agree on N', () => {
    const images = join(dir, 'img');
    const labels = join(dir, 'lab');
    const short = join(dir, 'lab-short');
    writeFileSync(images, encodeIdx('uint8', [4, 2, 2], Array.from({ length: 16 }, (_, i) => i * 17)));
    writeFileSync(labels, encodeIdx('uint8', [4], [1, 0, 1, 0]));
    writeFileSync(short, encodeIdx('uint8', [3], [1, 0, 1]));
    const ds = loadIdxDataset({ images, labels }, { perClass: 1, scale: 'raw' });
    expect(Array.from(ds.labels)).toEqual([0, 1]);
    expect(Array.from(ds.x.data)).toEqual([4, 5, 6, 7, 0, 1, 2, 3].map((i) => i * 17));
    expect(() => loadIdxDataset({ images, labels: short })).toThrow(/holds 4 images but .* holds 3 labels/);
    expect(() => loadIdxDataset({ images, labels: short }, { perClass: 1 })).toThrow(/holds 4 images/);
  });
});
