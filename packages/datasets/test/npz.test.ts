import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, encodeNpy, flattenSamples, parseNpz, readNpz } from '../src/index.js';
import { hasNumpy, python, tempDir } from './helpers.js';

/** CRC-32 (IEEE), bitwise: only for writing test archives. */
function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A ZIP archive of `entries` (deflated when `deflate`), written independently of the reader under test. */
function zip(entries: [string, Uint8Array][], deflate: boolean): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = new TextEncoder().encode(name);
    const body = deflate ? deflateRawSync(data) : data;
    const local = new Uint8Array(30 + nameBytes.length + body.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(8, deflate ? 8 : 0, true);
    l.setUint32(14, crc32(data), true);
    l.setUint32(18, body.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    local.set(body, 30 + nameBytes.length);
    const central = new Uint8Array(46 + nameBytes.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(10, deflate ? 8 : 0, true);
    c.setUint32(16, crc32(data), true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, nameBytes.length, true);
    c.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const dirSize = centrals.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, dirSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let p = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

const h1 = encodeNpy({ data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [4, 3] });
const h2 = encodeNpy({ data: Float64Array.from({ length: 32 }, (_, i) => -i), shape: [4, 2, 2, 2] });
const y = encodeNpy({ data: Int32Array.from([0, 1, 0, 1]) });

describe('NPZ archives', () => {
  it.each([false, true])('reads every array by name, in order (deflate: %s)', (deflate) => {
    const arrays = parseNpz(zip([['h1.npy', h1], ['h2.npy', h2], ['y.npy', y]], deflate));
    expect([...arrays.keys()]).toEqual(['h1', 'h2', 'y']);
    expect(arrays.get('h1')!.shape).toEqual([4, 3]);
    expect(Array.from(arrays.get('h1')!.data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(arrays.get('h2')!.shape).toEqual([4, 2, 2, 2]);
    expect(Array.from(arrays.get('y')!.data as Int32Array)).toEqual([0, 1, 0, 1]);
  });

  it('flattens each sample of an any-rank array in C order, keeping the data', () => {
    const a = parseNpz(zip([['h2.npy', h2]], true)).get('h2')!;
    const f = flattenSamples(a);
    expect(f.shape).toEqual([4, 8]);
    expect(f.data).toBe(a.data);
    expect(flattenSamples(parseNpz(zip([['h1.npy', h1]], false)).get('h1')!).shape).toEqual([4, 3]);
  });

  it('refuses what is not an archive of .npy arrays, with DataFormatError', () => {
    expect(() => parseNpz(h1, 'x.npz')).toThrow(DataFormatError);
    expect(() => parseNpz(zip([['notes.txt', new Uint8Array([1, 2])]], false))).toThrow(/not a .npy array/);
    const broken = zip([['h1.npy', h1]], true);
    broken[40] ^= 0xff; // inside the deflate stream
    expect(() => parseNpz(broken)).toThrow(DataFormatError);
  });
});

describe.skipIf(!hasNumpy)('NPZ against NumPy', () => {
  const dir = tempDir();

  it('reads np.savez and np.savez_compressed archives (named and positional arrays, Fortran order)', () => {
    python(
      `
import numpy as np, sys, os
d = sys.argv[1]
x = np.arange(60, dtype='<f4').reshape(5, 3, 4)
np.savez(os.path.join(d, 'plain.npz'), x, conv=x, w=np.asfortranarray(np.arange(6.0).reshape(2, 3)))
np.savez_compressed(os.path.join(d, 'small.npz'), conv=x, y=np.array([0, 1, 2, 0, 1]))
`,
      [dir],
    );
    for (const file of ['plain.npz', 'small.npz']) {
      const a = readNpz(join(dir, file));
      expect(a.get('conv')!.shape).toEqual([5, 3, 4]);
      expect(Array.from(a.get('conv')!.data as Float32Array)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    }
    const plain = readNpz(join(dir, 'plain.npz'));
    expect([...plain.keys()].sort()).toEqual(['arr_0', 'conv', 'w']);
    expect(Array.from(plain.get('w')!.data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
    writeFileSync(join(dir, 'bad.npz'), 'not a zip');
    expect(() => readNpz(join(dir, 'bad.npz'))).toThrow(DataFormatError);
  });
});
