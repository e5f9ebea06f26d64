import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type Matrix } from '@nclab/backend/host';
import { balancedIndices, classCounts, scalePixels, subsetDataset } from '../src/index.js';

const labelsArb = fc.integer({ min: 1, max: 6 }).chain((K) =>
  fc.tuple(fc.constant(K), fc.array(fc.integer({ min: 0, max: K - 1 }), { minLength: 1, maxLength: 200 })),
);

describe('balancedIndices', () => {
  it("'first': class-blocked, each block the smallest n indices of its class (property)", () => {
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 1, max: 10 }), ([K, labels], want) => {
        const counts = classCounts(labels, K);
        const n = Math.min(want, ...counts);
        if (n < 1) {
          expect(() => balancedIndices(labels, { perClass: 1, numClasses: K })).toThrow(InvalidArgumentError);
          return;
        }
        const idx = balancedIndices(labels, { perClass: n, numClasses: K });
        expect(idx.length).toBe(K * n);
        for (let c = 0; c < K; c++) {
          const expected = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0).slice(0, n);
          expect(Array.from(idx.subarray(c * n, (c + 1) * n))).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("'random': class-blocked, sorted within blocks, distinct, seed-reproducible (property)", () => {
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 0, max: 1000 }), ([K, labels], seed) => {
        const n = Math.min(...classCounts(labels, K));
        if (n < 1) return;
        const idx = balancedIndices(labels, { perClass: n, numClasses: K, selection: 'random', seed });
        expect(new Set(idx).size).toBe(idx.length);
        for (let k = 0; k < idx.length; k++) expect(labels[idx[k]]).toBe(Math.floor(k / n));
        for (let k = 1; k < idx.length; k++) if (k % n !== 0) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
        expect(Array.from(balancedIndices(labels, { perClass: n, numClasses: K, selection: 'random', seed }))).toEqual(Array.from(idx));
      }),
      { numRuns: 200 },
    );
  });

  it('draws every sample of a class with roughly equal frequency over seeds', () => {
    const labels = new Int32Array(10); // one class of 10 samples, draw 3
    const hits = new Array(10).fill(0);
    for (let s = 0; s < 2000; s++) for (const i of balancedIndices(labels, { perClass: 3, selection: 'random', seed: s })) hits[i]++;
    for (const h of hits) expect(Math.abs(h - 600)).toBeLessThan(100); // binomial sd ≈ 20
  });

  it('rejects bad arguments', () => {
    expect(() => balancedIndices([0, 1], { perClass: 1.5 })).toThrow(/`perClass`/);
    expect(() => balancedIndices([0, 3], { perClass: 1, numClasses: 2 })).toThrow(/`labels` must be integers in \[0, 2\)/);
    expect(() => balancedIndices([0, 1], { perClass: 1, selection: 'last' as never })).toThrow(/`selection`/);
  });
});

describe('scalePixels and subsetDataset', () => {
  it('maps 0 and 255 to the ends of each range, exactly', () => {
    const px = Uint8Array.from([0, 255, 51]);
    expect(Array.from(scalePixels(px, 1, 3, { scale: 'unit', dtype: 'float64' }).data)).toEqual([0, 1, 0.2]);
    expect(Array.from(scalePixels(px, 1, 3, { scale: 'symmetric', dtype: 'float64' }).data)).toEqual([-1, 1, (2 * 51 - 255) / 255]);
    expect(Array.from(scalePixels(px, 3, 1, { scale: 'standardize', dtype: 'float64' }).data).map((v) => +v.toFixed(12))).toEqual(
      [0, 255, 51].map((v) => +((v - 102) / Math.sqrt(((0 - 102) ** 2 + (255 - 102) ** 2 + (51 - 102) ** 2) / 3)).toFixed(12)),
    );
    expect(() => scalePixels(px, 2, 2)).toThrow(/`pixels` must be of length rows\*cols = 4/);
  });

  it('subsetDataset copies the chosen rows and labels in order', () => {
    const x: Matrix = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const s = subsetDataset({ x, labels: Int32Array.from([0, 1, 2]), numClasses: 3 }, [2, 0, 2]);
    expect(Array.from(s.x.data)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(Array.from(s.labels)).toEqual([2, 0, 2]);
    expect(s.x.data).toBeInstanceOf(Float64Array);
    expect(() => subsetDataset({ x, labels: Int32Array.from([0, 1, 2]), numClasses: 3 }, [3])).toThrow(/`indices`/);
  });
});
