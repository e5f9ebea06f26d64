import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { resolveKernel } from '@nclab/agop';
import { chooseLayerRoute, deepRfm, float64LayerBytes, mixedLayerBytes, refinedFromN, refinedLayerBytes, solveFinal, solveLayer } from '../src/index.js';
import { blobs } from './helpers.js';

const train = blobs(60, 4, 20, 0.8, 3);
const test = blobs(20, 4, 20, 0.8, 4);
const base = { depth: 2, kernel: 'laplace' as const, bandwidth: 2, ridge: 1e-3, width: 64, gramSamples: 0 };

function rel(a: number, b: number): number {
  return Math.abs(a / b - 1);
}

describe('Deep RFM solve routes (memory-bounded layer)', () => {
  it('the mixed route (float32 kernel factored in place, float64 refinement, float32 AGOP products) matches float64: NC1 to 1e-6 relative, same accuracies', async () => {
    const exact = await deepRfm(train, test, { ...base, precision: 'float64' });
    const mixed = await deepRfm(train, test, { ...base, precision: 'mixed', agopPrecision: 'mixed' });
    expect(exact.resources.route).toBe('cholesky');
    expect(mixed.resources.route).toBe('mixed');
    for (let l = 0; l < base.depth; l++) {
      const a = exact.layers[l];
      const b = mixed.layers[l];
      expect(b.solver).toBe('mixed');
      expect(b.solverResidual).toBeLessThanOrEqual(1e-11);
      expect(b.agopMethod).toBe('blocked');
      expect(b.agopPrecision).toBe('mixed');
      for (const key of ['nc1In', 'nc1Agop', 'nc1Out', 'nc2Agop', 'nc2Out'] as const) expect(rel(b[key], a[key])).toBeLessThan(1e-6);
      expect(b.trainAcc).toBe(a.trainAcc);
      expect(b.testAcc).toBe(a.testAcc);
    }
    expect(mixed.final.testAcc).toBe(exact.final.testAcc);
    expect(mixed.resources.peakRssBytes).toBeGreaterThan(0);
  });

  it('the refined route (float32 factor of the float64 kernel, float64 refinement) answers the float64 system: NC1 to 1e-9 relative, same accuracies', async () => {
    const exact = await deepRfm(train, test, { ...base, precision: 'float64' });
    const refined = await deepRfm(train, test, { ...base, precision: 'refined' });
    expect(refined.resources.route).toBe('refined');
    for (let l = 0; l < base.depth; l++) {
      const a = exact.layers[l];
      const b = refined.layers[l];
      expect(b.solver).toBe('refined');
      expect(b.solverIterations).toBeGreaterThan(0); // the float32 factor alone is not the float64 answer
      expect(b.solverResidual).toBeLessThanOrEqual(1e-11);
      expect(b.agopMethod).toBe(a.agopMethod); // the float64 kernel stays, so the AGOP route is float64's
      for (const key of ['nc1In', 'nc1Agop', 'nc1Out', 'nc2Agop', 'nc2Out'] as const) expect(rel(b[key], a[key])).toBeLessThan(1e-9);
      expect(b.trainAcc).toBe(a.trainAcc);
      expect(b.testAcc).toBe(a.testAcc);
    }
    expect(refined.final.testAcc).toBe(exact.final.testAcc);
    expect(rel(refined.final.nc1, exact.final.nc1)).toBeLessThan(1e-9);
  });

  it('a refined solve that cannot converge falls back to float64 Cholesky and says why', () => {
    const kernel = resolveKernel({ kind: 'laplace', bandwidth: 2 });
    // a repeated point and no ridge: singular for float32; the float64 solve adds its fallback ridge
    const dup = { rows: train.x.rows + 1, cols: train.x.cols, data: new Float64Array((train.x.rows + 1) * train.x.cols) };
    dup.data.set(train.x.data);
    dup.data.set(train.x.data.subarray(0, train.x.cols), train.x.rows * train.x.cols);
    const y = { rows: dup.rows, cols: 4, data: Float64Array.from({ length: dup.rows * 4 }, (_, i) => (i % 4 === (i < train.x.rows * 4 ? train.labels[Math.floor(i / 4)] : train.labels[0]) ? 1 : 0)) };
    const s = solveLayer(dup, y, kernel, 0, 'refined', { budget: Infinity });
    expect(s.solver).toBe('cholesky');
    expect(s.solverFallback).toMatch(/^refined solve failed/);
    expect(s.fallback!.ridgeAdded).toBeGreaterThan(0);
    expect(s.k).toBeDefined(); // the float64 kernel, intact for the AGOP
    const f = solveFinal(dup, y, kernel, 0, 'refined', { budget: Infinity });
    expect(f.solver).toBe('cholesky');
    expect(f.detail).toMatch(/^cholesky \(refined solve failed/);
  });

  it('the final solve factors the kernel in place with the α of the copying solve, and rebuilds it for a singular system', () => {
    const kernel = resolveKernel({ kind: 'laplace', bandwidth: 2 });
    const y = { rows: train.x.rows, cols: 4, data: Float64Array.from({ length: train.x.rows * 4 }, (_, i) => (i % 4 === train.labels[Math.floor(i / 4)] ? 1 : -1)) };
    const opts = { budget: Infinity };
    const copying = solveLayer(train.x, y, kernel, 1e-3, 'cholesky', opts);
    const inPlace = solveFinal(train.x, y, kernel, 1e-3, 'cholesky', opts);
    expect(inPlace.detail).toBe('cholesky (in place)');
    expect(inPlace.ridgeUsed).toBe(1e-3);
    let d = 0;
    for (let i = 0; i < y.data.length; i++) d = Math.max(d, Math.abs(inPlace.alpha.data[i] - copying.alpha.data[i]));
    expect(d).toBeLessThan(1e-10);
    // a repeated point and no ridge: singular; the in-place factor gives up, K is rebuilt and the fallback ridge added
    const dup = { rows: train.x.rows + 1, cols: train.x.cols, data: new Float64Array((train.x.rows + 1) * train.x.cols) };
    dup.data.set(train.x.data);
    dup.data.set(train.x.data.subarray(0, train.x.cols), train.x.rows * train.x.cols);
    const yd = { rows: dup.rows, cols: 4, data: new Float64Array(dup.rows * 4) };
    yd.data.set(y.data);
    yd.data.set(y.data.subarray(0, 4), y.data.length);
    const s = solveFinal(dup, yd, kernel, 0, 'cholesky', opts);
    expect(s.detail).toBe('cholesky');
    expect(s.fallback!.ridgeAdded).toBeGreaterThan(0);
    expect(s.ridgeUsed).toBe(s.fallback!.ridgeAdded);
  });

  it('a memory budget below the mixed layer falls back to Nyström block CG, recorded per layer', async () => {
    const n = train.x.rows;
    const budget = Math.min(float64LayerBytes(n), mixedLayerBytes(n, 4, 64)) - 1;
    const run = await deepRfm(train, test, { ...base, depth: 1, memoryBudget: budget });
    expect(run.resources.route).toBe('cg');
    expect(run.resources.memoryBudgetBytes).toBe(budget);
    expect(run.layers[0].solver).toBe('cg');
    expect(run.layers[0].solverIterations).toBeGreaterThan(0);
    expect(run.layers[0].solverResidual).toBeLessThanOrEqual(1e-8);
  });

  it('chooses by size: float64 below the refined threshold, refined from it, mixed beyond the budget or from N = 16,384, CG only with a ridge', () => {
    expect(chooseLayerRoute(1000, 10, 1024, 'auto', Infinity, 0).route).toBe('cholesky');
    const portable = refinedFromN('portable');
    expect(chooseLayerRoute(portable - 1, 10, 1024, 'auto', Infinity, 0, portable).route).toBe('cholesky');
    expect(chooseLayerRoute(5000, 10, 1024, 'auto', Infinity, 0, portable).route).toBe('refined');
    expect(chooseLayerRoute(10_000, 10, 1024, 'auto', Infinity, 0, refinedFromN('native')).route).toBe('cholesky');
    expect(chooseLayerRoute(10_000, 10, 1024, 'auto', Infinity, 0).route).toBe('cholesky'); // the default threshold is native's
    // the refined layer keeps a 4·N² float32 factor beside the float64 layer: a budget between the two takes float64
    expect(refinedLayerBytes(10_000)).toBe(float64LayerBytes(10_000) + 4e8);
    const tight = chooseLayerRoute(10_000, 10, 1024, 'auto', refinedLayerBytes(10_000) - 1, 0, portable);
    expect(tight.route).toBe('cholesky');
    expect(tight.reason).toMatch(/refined layer .* exceeds the budget/);
    expect(chooseLayerRoute(10_000, 10, 1024, 'auto', refinedLayerBytes(10_000), 0, portable).route).toBe('refined');
    expect(chooseLayerRoute(100, 10, 1024, 'refined', Infinity, 0).route).toBe('refined');
    expect(chooseLayerRoute(50_000, 10, 1024, 'auto', 18e9, 0).route).toBe('mixed');
    expect(chooseLayerRoute(20_000, 10, 1024, 'auto', Infinity, 0).route).toBe('mixed');
    expect(chooseLayerRoute(20_000, 10, 1024, 'float64', float64LayerBytes(20_000), 0).route).toBe('cholesky');
    expect(chooseLayerRoute(50_000, 10, 1024, 'auto', 4e9, 1e-3).route).toBe('cg');
    expect(() => chooseLayerRoute(50_000, 10, 1024, 'auto', 4e9, 0)).toThrow(InvalidArgumentError);
  });
});
