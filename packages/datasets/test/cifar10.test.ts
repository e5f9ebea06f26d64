import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, DataFormatError, cifar10Files, classCounts, loadCifar10, parseCifar10Batch } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A batch where record i has label labels[i] and pixel (c, k) = (i + 3c + k) mod 256. */
function makeBatch(labels: number[]): Uint8Array {
  const b = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((l, i) => {
    const o = i * CIFAR10_RECORD_BYTES;
    b[o] = l;
    for (let c = 0; c < 3; c++) for (let k = 0; k < 1024; k++) b[o + 1 + c * 1024 + k] = (i + 3 * c + k) % 256;
  });
  return b;
}

describe('CIFAR-10 binary batches', () => {
  const dir = tempDir();
  const labelsA = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 0, 2, 0, 4, 6, 7, 8];
  const labelsB = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const a = join(dir, 'data_batch_1.bin');
  const b = join(dir, 'data_batch_2.bin');
  writeFileSync(a, makeBatch(labelsA));
  writeFileSync(b, makeBatch(labelsB));

  it('decodes labels and channel-major pixels', () => {
    const { pixels, labels } = parseCifar10Batch(makeBatch([7, 2]));
    expect(Array.from(labels)).toEqual([7, 2]);
    expect(pixels.length).toBe(2 * 3072);
    expect(pixels[3072 + 1024 + 5]).toBe((1 + 3 + 5) % 256); // record 1, green, pixel 5
  });

  it('concatenates files in order and scales like MNIST', () => {
    const ds = loadCifar10([a, b], { scale: 'raw', dtype: 'float64' });
    expect([ds.x.rows, ds.x.cols, ds.numClasses]).toEqual([31, 3072, 10]);
    expect(Array.from(ds.labels)).toEqual([...labelsA, ...labelsB]);
    expect(ds.x.data[21 * 3072 + 2 * 1024 + 10]).toBe((0 + 6 + 10) % 256); // first record of file b, blue, pixel 10
    const unit = loadCifar10(a);
    expect(unit.x.data[5]).toBe(Math.fround(5 / 255));
  });

  it("reorders features to per-pixel r, g, b with layout 'hwc'", () => {
    const chw = loadCifar10(a, { scale: 'raw', dtype: 'float64' });
    const hwc = loadCifar10(a, { scale: 'raw', dtype: 'float64', layout: 'hwc' });
    for (const [k, c] of [[0, 0], [17, 1], [1023, 2]]) expect(hwc.x.data[3072 + k * 3 + c]).toBe(chw.x.data[3072 + c * 1024 + k]);
  });

  it('takes balanced subsets (2 per class) grouped by class', () => {
    const ds = loadCifar10([a, b], { perClass: 2, scale: 'raw' });
    expect(Array.from(ds.labels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    expect(Array.from(classCounts(ds.labels, 10))).toEqual(new Array(10).fill(2));
    // the first class-0 record is record 14 of file a
    expect(ds.x.data[0]).toBe(14 % 256);
  });

  it('reports a truncated batch and a bad label byte, naming the file', () => {
    const t = join(dir, 'trunc.bin');
    writeFileSync(t, makeBatch([1, 2]).subarray(0, 5000));
    expect(() => loadCifar10(t)).toThrow(DataFormatError);
    expect(() => loadCifar10(t)).toThrow(new RegExp(`${t}: length 5000 is not a positive multiple of 3073 bytes \\(1 whole records, 1927 bytes left over\\)`));
    const bad = makeBatch([1, 2]);
    bad[CIFAR10_RECORD_BYTES] = 10;
    expect(() => parseCifar10Batch(bad, 'b.bin')).toThrow(/record 1 has label byte 10/);
    expect(() => parseCifar10Batch(new Uint8Array(0))).toThrow(/not a positive multiple/);
  });

  it('lists the standard batch files and reports a missing one', () => {
    expect(() => cifar10Files(dir, 'train')).toThrow(/data_batch_3\.bin/);
    expect(() => cifar10Files(dir, 'test')).toThrow(/test_batch\.bin/);
  });
});
