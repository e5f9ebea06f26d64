import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError, cholesky, choleskySolve, gemm, type Matrix } from '@nclab/backend/host';
import { fitKernelRidge, kernelMatrix, oneHot, predictKernel, solveKernelSystem, solveKernelSystemInPlace } from '../src/index.js';
import { maxAbs, maxAbsDiff, randn } from './helpers.js';

const x = randn(40, 6, 11);
const labels = Array.from({ length: 40 }, (_, i) => i % 3);
const y = oneHot(labels, 3);

describe('fitKernelRidge', () => {
  it('solves (K + μI) α = Y to float64 accuracy', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 1e-3 });
    const k = kernelMatrix(x, undefined, { kernel: { kind: 'laplace', bandwidth: 2 } });
    const r = gemm(k, model.alpha);
    for (let i = 0; i < r.data.length; i++) r.data[i] += 1e-3 * model.alpha.data[i] - y.data[i];
    expect(maxAbs(r.data)).toBeLessThan(1e-10);
    expect(model.ridgeUsed).toBe(1e-3);
    expect(model.fallback).toBeUndefined();
  });
  it('interpolates the training targets when μ = 0', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'gaussian', bandwidth: 3 }, ridge: 0 });
    expect(maxAbsDiff(predictKernel(model, x).data, y.data)).toBeLessThan(1e-6);
  });
  it('±1 one-hot targets follow the paper (+1 for the class, −1 elsewhere)', () => {
    expect(Array.from(oneHot([1, 0], 2).data)).toEqual([-1, 1, 1, -1]);
  });
  it('a singular interpolation system (duplicated points, μ = 0) falls back to a reported ridge', () => {
    const dup: Matrix = { rows: 41, cols: 6, data: new Float64Array(41 * 6) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, 6), 240);
    const yd = oneHot([...labels, 0], 3);
    const model = fitKernelRidge(dup, yd, { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 0 });
    expect(model.fallback).toBeDefined();
    expect(model.fallback!.ridgeAdded).toBeGreaterThan(0);
    expect(model.ridgeUsed).toBe(model.fallback!.ridgeAdded);
    expect(model.alpha.data.every(Number.isFinite)).toBe(true);
    // the smallest grid ridge: one decade less must fail the test, so it is below 1e-2
    expect(model.fallback!.ridgeAdded).toBeLessThan(1e-2);
    expect(() => fitKernelRidge(dup, yd, { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 0, onSingular: 'throw' })).toThrow(NumericalError);
  });
  it('rejects a negative ridge, NaN data and a labels/features mismatch', () => {
    expect(() => fitKernelRidge(x, y, { kernel: 'laplace', ridge: -1 })).toThrow(/`ridge`/);
    expect(() => fitKernelRidge(x, oneHot(labels.slice(1), 3), { kernel: 'laplace' })).toThrow(/`y`/);
    const bad = randn(40, 6, 1);
    bad.data[17] = NaN;
    expect(() => fitKernelRidge(bad, y, { kernel: 'laplace' })).toThrow(InvalidArgumentError);
    expect(() => fitKernelRidge(bad, y, { kernel: 'laplace' })).toThrow(/row 2, column 5/);
  });
});

describe('solveKernelSystem precision', () => {
  it('the mixed-precision solve (float32 factor, float64 refinement) matches the float64 solve', () => {
    const xs = randn(600, 8, 5, 0.4);
    const ys = oneHot(Array.from({ length: 600 }, (_, i) => i % 4), 4);
    const k = kernelMatrix(xs, undefined, { kernel: { kind: 'laplace', bandwidth: 2 } });
    const f64 = solveKernelSystem(k, ys, 1e-3, 'fallback', 'float64');
    const mixed = solveKernelSystem(k, ys, 1e-3, 'fallback', 'mixed');
    expect(f64.refinement).toBeUndefined();
    expect(mixed.refinement!.residual).toBeLessThanOrEqual(1e-13);
    expect(maxAbsDiff(mixed.alpha.data, f64.alpha.data) / maxAbs(f64.alpha.data)).toBeLessThan(1e-9);
    expect(() => solveKernelSystem(k, ys, 1e-3, 'fallback', 'half' as 'mixed')).toThrow(InvalidArgumentError);
  });
  it('a singular system under mixed precision still takes the float64 path and reports its fallback ridge', () => {
    const dup: Matrix = { rows: 41, cols: 6, data: new Float64Array(41 * 6) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, 6), 240);
    const k = kernelMatrix(dup, undefined, { kernel: { kind: 'laplace', bandwidth: 2 } });
    const kBefore = Float64Array.from(k.data);
    const s = solveKernelSystem(k, oneHot([...labels, 0], 3), 0, 'fallback', 'mixed');
    expect(s.refinement).toBeUndefined();
    expect(s.refinementFailure).toMatch(/float32|refinement/); // why the float32 route gave way
    expect(s.fallback!.ridgeAdded).toBeGreaterThan(0);
    expect(k.data).toEqual(kBefore); // both attempts leave K as it was
  });
  it('the mixed solve reads K without writing it and reuses a workspace', () => {
    const xs = randn(300, 8, 6, 0.4);
    const ys = oneHot(Array.from({ length: 300 }, (_, i) => i % 3), 3);
    const k = kernelMatrix(xs, undefined, { kernel: { kind: 'laplace', bandwidth: 2 } });
    const kBefore = Float64Array.from(k.data);
    const ws = new Float32Array(300 * 300);
    const a = solveKernelSystem(k, ys, 1e-3, 'fallback', 'mixed', undefined, ws);
    const b = solveKernelSystem(k, ys, 1e-3, 'fallback', 'mixed');
    expect(k.data).toEqual(kBefore);
    expect(a.refinementFailure).toBeUndefined();
    expect(Array.from(a.alpha.data)).toEqual(Array.from(b.alpha.data));
    expect(ws[0]).toBeGreaterThan(0); // the factor went into the workspace (L_00 = √(K_00 + μ))
  });
});

describe('solveKernelSystemInPlace', () => {
  it('gives the α of solveKernelSystem with the factor written over K, and null for a singular system', () => {
    const xs = randn(300, 8, 5, 0.4);
    const ys = oneHot(Array.from({ length: 300 }, (_, i) => i % 4), 4);
    const kernel = { kind: 'laplace', bandwidth: 2 } as const;
    const k = kernelMatrix(xs, undefined, { kernel });
    const ref = solveKernelSystem(k, ys, 1e-3);
    const spent = kernelMatrix(xs, undefined, { kernel });
    const s = solveKernelSystemInPlace(spent, ys, 1e-3)!;
    expect(s.ridgeUsed).toBe(1e-3);
    expect(maxAbsDiff(s.alpha.data, ref.alpha.data) / maxAbs(ref.alpha.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(spent.data, k.data)).toBeGreaterThan(0.1); // K is spent: its lower triangle holds the factor
    // two identical points and no ridge: singular, so null (solveKernelSystem then adds a ridge)
    const dup: Matrix = { rows: 41, cols: 6, data: new Float64Array(41 * 6) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, 6), 240);
    expect(solveKernelSystemInPlace(kernelMatrix(dup, undefined, { kernel }), oneHot([...labels, 0], 3), 0)).toBeNull();
    expect(solveKernelSystem(kernelMatrix(dup, undefined, { kernel }), oneHot([...labels, 0], 3), 0).fallback!.ridgeAdded).toBeGreaterThan(0);
  });
});

describe('solveKernelSystem factors over K and puts it back', () => {
  it('leaves K bit for bit as it was (solved, fallback and thrown) and gives the α of a separate factor', () => {
    const kernel = { kind: 'laplace', bandwidth: 2 } as const;
    const xs = randn(250, 8, 7, 0.4);
    const ys = oneHot(Array.from({ length: 250 }, (_, i) => i % 4), 4);
    for (const linalg of ['portable', 'native'] as const) {
      const k = kernelMatrix(xs, undefined, { kernel });
      const before = Float64Array.from(k.data);
      const s = solveKernelSystem(k, ys, 1e-3, 'fallback', 'float64', linalg);
      expect(maxAbsDiff(k.data, before)).toBe(0);
      const ref = choleskySolve(cholesky(k, { shift: 1e-3, linalg }), ys, { linalg });
      expect(maxAbsDiff(s.alpha.data, ref.data) / maxAbs(ref.data)).toBeLessThan(1e-13);
    }
    // singular (a repeated point, no ridge): the fallback factors K + (μ + δ)I after putting K back
    const dup: Matrix = { rows: 41, cols: 6, data: new Float64Array(41 * 6) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, 6), 240);
    const kd = kernelMatrix(dup, undefined, { kernel });
    const kb = Float64Array.from(kd.data);
    const yd = oneHot([...labels, 0], 3);
    const f = solveKernelSystem(kd, yd, 0);
    expect(f.fallback!.ridgeAdded).toBeGreaterThan(0);
    expect(maxAbsDiff(kd.data, kb)).toBe(0);
    const r = gemm(kd, f.alpha);
    for (let i = 0; i < r.data.length; i++) r.data[i] += f.ridgeUsed * f.alpha.data[i] - yd.data[i];
    // a backward-stable solve: residual ≲ n·ε·‖K + μI‖·‖α‖ (max norms; ‖K‖ ≤ n since the Laplace entries are ≤ 1)
    expect(maxAbs(r.data)).toBeLessThan(41 * 2.3e-16 * 42 * maxAbs(f.alpha.data) * 10);
    expect(() => solveKernelSystem(kd, yd, 0, 'throw')).toThrow(NumericalError);
    expect(maxAbsDiff(kd.data, kb)).toBe(0);
  });
});

