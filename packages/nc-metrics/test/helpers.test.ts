import { describe, expect, it } from 'vitest';
import { fromRows } from '@nclab/backend/host';
import {
  betweenClassCovariance,
  betweenClassEigen,
  cdnv,
  centreMeans,
  classMeans,
  equiangularity,
  equinorm,
  globalMean,
  maxAngleDeviation,
  withinClassCovariance,
} from '../src/index.js';

describe('building blocks', () => {
  it('classMeans and globalMean follow both conventions', () => {
    const m = classMeans(fromRows([[0, 0], [2, 0], [0, 4]]), [0, 0, 1]);
    expect(Array.from(m.means.data)).toEqual([1, 0, 0, 4]);
    expect(Array.from(m.counts)).toEqual([2, 1]);
    expect(Array.from(globalMean(m.means, m.counts, 'classMeanAverage'))).toEqual([0.5, 2]);
    expect(Array.from(globalMean(fromRows([[0, 0], [2, 2]]), [1, 3], 'sampleWeighted'))).toEqual([1.5, 1.5]);
  });

  it('explicit covariances match the hand-computed example (notes-extended-ufm.md §6.8, example 1)', () => {
    const x = fromRows([[1, 0], [3, 0], [0, 1], [0, 1]]);
    expect(Array.from(withinClassCovariance(x, [0, 0, 1, 1]).data)).toEqual([0.5, 0, 0, 0]);
    const m = classMeans(x, [0, 0, 1, 1]);
    const sb = betweenClassCovariance(m.means, m.counts);
    [1, -0.5, -0.5, 0.25].forEach((v, i) => expect(sb.data[i]).toBeCloseTo(v, 15));
    const eig = betweenClassEigen(centreMeans(m.means, globalMean(m.means, m.counts, 'classMeanAverage')));
    expect(eig.rank).toBe(1);
    expect(eig.values[0]).toBeCloseTo(1.25, 14);
    expect(Math.abs(eig.vectors.data[0] * 1 + eig.vectors.data[1] * -0.5)).toBeCloseTo(Math.sqrt(1.25), 14);
  });

  it('Σ_B eigenvectors from the Gram are unit eigenvectors of the explicit Σ_B', () => {
    const means = fromRows([[1, 2, 0, 1], [0, -1, 3, 2], [2, 2, 2, -1], [-1, 0, 1, 0]]);
    const centred = centreMeans(means, globalMean(means, [1, 1, 1, 1], 'classMeanAverage'));
    const eig = betweenClassEigen(centred);
    const sb = betweenClassCovariance(means, [1, 1, 1, 1]);
    expect(eig.rank).toBe(3);
    for (let j = 0; j < eig.rank; j++) {
      const v = eig.vectors.data.subarray(j * 4, j * 4 + 4);
      expect(Math.hypot(...v)).toBeCloseTo(1, 14);
      for (let a = 0; a < 4; a++) {
        let s = 0;
        for (let b = 0; b < 4; b++) s += sb.data[a * 4 + b] * v[b];
        expect(s).toBeCloseTo(eig.values[j] * v[a], 12);
      }
    }
  });

  it('cdnv, equinorm, equiangularity and maxAngleDeviation on hand-checked inputs', () => {
    expect(cdnv(fromRows([[0, 0], [2, 0]]), [1, 1])).toBe(0.25);
    expect(equinorm(fromRows([[1, 0], [0, 3]]))).toBeCloseTo(Math.SQRT2 / 2, 15);
    expect(equiangularity(fromRows([[1, 0], [-1, 0]]))).toBe(0);
    // K=3, orthogonal pair: |0 + 1/2| twice, |−1 + 1/2| twice... over 6 ordered pairs: (0.5·4 + 0.5·2)/6
    expect(equiangularity(fromRows([[1, 0], [0, 1], [-1, 0]]))).toBeCloseTo(0.5, 15);
    expect(maxAngleDeviation(fromRows([[1, 0], [0, 1], [-1, 0]]))).toBeCloseTo(60, 10);
  });
});
