import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { deepUfmSpectra } from '../../src/jobs/spectra-ufm/deep-ufm-spectra.js';
import { deepUfmSpectraJson } from '../../src/jobs/spectra-ufm/json.js';

const O1 = { K: 3, n: 2, d: [6, 5, 7], depth: 3, lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 };
const O1_OUT = [0.2037454515, 0.1222472709, 0.3259927225];

describe('deepUfmSpectra (the `nclab spectra ufm` job: ufm optimum → spectra per layer)', () => {
  it('at the closed-form optimum (O1): 9 equal outliers per layer, predictions, ranks, overlaps and weight spectra', async () => {
    const r = await deepUfmSpectra({ ...O1, atOptimum: true, seed: 2 });
    expect(r.theory.xStar).toBeCloseTo(0.802952132955, 11);
    expect(r.point.objective).toBeCloseTo(0.335853941229, 11);
    expect(r.point.mse).toBeCloseTo(0.0194139309535, 11);
    expect(r.layers.map((l) => l.layer)).toEqual([1, 2, 3]);
    r.layers.forEach((l, i) => {
      expect(l.outliers.length).toBe(9);
      expect(l.countMatches).toEqual(['K^2']);
      expect(l.rank).toBe(9);
      expect(l.bulkSize).toBe(l.shape[0] * l.shape[1] - 9);
      expect(l.outlierClusters).toEqual([{ value: expect.closeTo(O1_OUT[i], 9), multiplicity: 9 }]);
      expect(l.predictedOutlier).toBeCloseTo(O1_OUT[i], 9);
      expect(l.maxRelativeError).toBeLessThan(1e-8);
      expect(l.lanczos.converged).toBe(true);
      for (const v of l.lanczos.values.slice(0, 9)) expect(v).toBeCloseTo(O1_OUT[i], 9);
      expect(l.regularised.predictedOutlier).toBeCloseTo(O1.lambdaW[i] / (1 - 0.802952132955), 9);
      l.regularised.outliers.forEach((v) => expect(v).toBeCloseTo(l.regularised.predictedOutlier!, 9));
      expect(l.regularised.bulkValue).toBeCloseTo(O1.lambdaW[i], 12);
      expect(l.decomposition.classRank).toBe(3);
      expect(l.decomposition.crossRank).toBe(6);
      expect(l.decomposition.withinMax).toBeLessThan(1e-12);
      expect(l.decomposition.knockoutRanks).toEqual({ withoutWithin: 9, withoutClass: 6, withoutCross: 3 });
      expect(l.gradientOverlap.label).toBeCloseTo(1, 9);
      expect(l.gradientOverlap.weights).toBeCloseTo(1, 9);
      expect(l.gradientOverlap.mse).toBeCloseTo(1, 9);
      expect(l.gradientCovariance.length).toBe(2);
      expect(l.weights.numericalRank).toBe(3);
      for (const s of l.weights.singularValues) expect(s * s).toBeCloseTo(l.weights.predictedSquaredSingularValue!, 9);
      const d = l.density!;
      let mass = 0;
      for (let j = 0; j < d.grid.length - 1; j++) mass += 0.5 * (d.grid[j + 1] - d.grid[j]) * (d.density[j] + d.density[j + 1]);
      expect(mass).toBeCloseTo(1, 10);
    });
    const json = deepUfmSpectraJson(r) as { layers: { layer: number; outliers: number[]; bulk_size: number; rank: number }[] };
    expect(json.layers[0]).toMatchObject({ layer: 1, rank: 9, bulk_size: 21 });
    expect(json.layers[2].outliers.length).toBe(9);
    expect(() => JSON.stringify(json)).not.toThrow();
  });

  it('solved by gradient descent from a random start (O1): converges to the same 9 outliers', async () => {
    const r = await deepUfmSpectra({ ...O1, solver: { steps: 30000, lr: 0.2 }, layers: [1, 3], density: false, seed: 1 });
    expect(r.point.source).toBe('gradient-descent');
    expect(r.point.objective).toBeCloseTo(0.335853941229, 9);
    expect(r.point.solver?.converged).toBe(true);
    expect(r.layers.map((l) => l.layer)).toEqual([1, 3]);
    expect(r.layers[0].outliers.length).toBe(9);
    expect(r.layers[0].maxRelativeError).toBeLessThan(1e-8);
    expect(r.layers[1].maxRelativeError).toBeLessThan(1e-8);
  }, 60_000);

  it('deep ReLU UFM: K² outliers that are close but not all equal', async () => {
    const r = await deepUfmSpectra({ model: 'deep-relu', K: 3, n: 4, d: 8, depth: 3, lambdaW: 5e-3, lambdaH: 5e-3, solver: { method: 'lbfgs', steps: 3000 }, layers: [3], density: false, seed: 3 });
    const l = r.layers[0];
    expect(l.method).toBe('dense-eigh');
    expect(l.predictedOutlier).toBeNull();
    expect(l.outliers.length).toBe(9);
    const spread = (l.outliers[0] - l.outliers[8]) / l.outliers[0];
    expect(spread).toBeGreaterThan(1e-6);
    expect(spread).toBeLessThan(0.5);
    expect(l.decomposition.classRank).toBe(3);
  }, 60_000);

  it('O5 (local, not global, minimum) analyses the non-zero DNC point; O6 (b > b_loc) is the all-zero point with no outliers', async () => {
    const lam5 = 0.33 / (3 * 2 ** 0.25);
    const o5 = await deepUfmSpectra({ K: 3, n: 2, d: 6, depth: 3, lambdaW: lam5, lambdaH: lam5, atOptimum: true, layers: [2], density: false });
    expect(o5.theory.regime).toBe('zero-global-nonzero-local');
    expect(o5.point.objective).toBeCloseTo(0.590697980549, 10);
    expect(o5.layers[0].outliers.length).toBe(9);
    expect(o5.layers[0].predictedOutlier).toBeCloseTo(0.1169541077, 9);
    const lam6 = 0.5 / (3 * 2 ** 0.25);
    const o6 = await deepUfmSpectra({ K: 3, n: 2, d: 6, depth: 3, lambdaW: lam6, lambdaH: lam6, atOptimum: true, layers: [1], density: false });
    expect(o6.theory.xStar).toBe(0);
    expect(o6.layers[0].outliers).toEqual([]);
    expect(o6.layers[0].rank).toBe(0);
    expect(o6.layers[0].weights.numericalRank).toBe(0);
  });

  it('rejects bad configurations with typed errors', async () => {
    await expect(deepUfmSpectra({ ...O1, layers: [4], atOptimum: true })).rejects.toThrow(/`layers` must be integers in 1..depth = 3/);
    await expect(deepUfmSpectra({ ...O1, top: 0, atOptimum: true })).rejects.toThrow(/`top`/);
    await expect(deepUfmSpectra({ ...O1, model: 'deep-relu', atOptimum: true })).rejects.toThrow(InvalidArgumentError);
    await expect(deepUfmSpectra({ ...O1, model: 'cnn' as never })).rejects.toThrow(/`model`/);
    await expect(deepUfmSpectra({ ...O1, n: 0 })).rejects.toThrow(/`n`/);
  });
});
