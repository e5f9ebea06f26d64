import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockLabelMatrix, gaussianMixture, loadMnist, readNpy, writeNpy } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('README example', () => {
  const dir = tempDir();
  it('runs as written and gives the values it claims', () => {
    const train = loadMnist({ perClass: 500 });
    expect([train.x.rows, train.x.cols]).toEqual([5000, 784]);
    expect(train.x.data).toBeInstanceOf(Float32Array);
    expect(train.labels[0]).toBe(0);
    expect(train.labels[4999]).toBe(9);
    const test = loadMnist({ split: 'test', scale: 'symmetric', dtype: 'float64' });
    expect(test.x.data).toBeInstanceOf(Float64Array);
    const mix = gaussianMixture({ numClasses: 4, perClass: 1000, dim: 6, radius: 2, noise: 0.3, seed: 1 });
    expect(mix.theory.traceRatio).toBeCloseTo(0.135, 12);
    const Y = blockLabelMatrix(4, 1000, { coding: 'plus-minus' });
    expect([Y.rows, Y.cols]).toEqual([4, 4000]);
    const path = join(dir, 'features.npy');
    writeNpy(path, { data: train.x.data, shape: [train.x.rows, train.x.cols] });
    const back = readNpy(path);
    expect(back.dtype).toBe('float32');
    expect(back.shape).toEqual([5000, 784]);
  });
});
