import { describe, expect, it } from 'vitest';
import { eye, fromRows, InvalidArgumentError } from '@nclab/backend';
import {
  applyOperator,
  clusterEigenvalues,
  compareOutlierCount,
  deflateOperator,
  denseOperator,
  detectOutliers,
  lambdaOperator,
  lanczos,
  operatorToDense,
  orthonormalBasis,
  outerProductOperator,
  outerProductSpectrum,
  parameterLayout,
  powerIteration,
  principalAngleCosines,
  restrictOperator,
  selectBlocks,
  shiftOperator,
  subspaceFraction,
  subspaceIteration,
  sumOperator,
  weightSpectrum,
} from '../src/index.js';
import { withSpectrum } from './helpers/matrices.js';

describe('operators', () => {
  it('compose: shift, sum and deflation act as their formulas', async () => {
    const a = denseOperator(fromRows([[2, 1], [1, 2]]));
    const v = new Float64Array([1, -2]);
    expect(Array.from(await applyOperator(shiftOperator(a, { alpha: 2, shift: 3 }), v))).toEqual([3, -12]);
    expect(Array.from(await applyOperator(sumOperator([{ op: a }, { op: a, coefficient: -1 }]), v))).toEqual([0, 0]);
    const s = Math.SQRT1_2;
    const d = deflateOperator(a, [3], [new Float64Array([s, s])]);
    const { matrix } = await operatorToDense(d);
    expect(matrix.data[0]).toBeCloseTo(0.5, 14);
    expect(matrix.data[1]).toBeCloseTo(-0.5, 14);
  });

  it('rejects operators of mismatched size', () => {
    const a = denseOperator(eye(2));
    const b = denseOperator(eye(3));
    expect(() => sumOperator([{ op: a }, { op: b }])).toThrow(/`terms\[1\].op.size` must be equal to terms\[0\].op.size = 2/);
    expect(() => deflateOperator(a, [1], [new Float64Array(3)])).toThrow(InvalidArgumentError);
    expect(() => denseOperator(fromRows([[1, 2, 3]]))).toThrow(/square/);
    expect(() => lambdaOperator(0, (v) => v)).toThrow(/`size` must be a positive integer/);
  });

  it('operatorToDense reports asymmetry and refuses operators above maxSize', async () => {
    const { asymmetry } = await operatorToDense(denseOperator(fromRows([[1, 1], [0, 1]])), { symmetrize: false });
    expect(asymmetry).toBeGreaterThan(0.5);
    await expect(operatorToDense(denseOperator(eye(5)), { maxSize: 4 })).rejects.toThrow(/at most maxSize = 4/);
  });

  it('parameter layouts and filters: names, RegExp and predicates select blocks; restriction is the principal sub-matrix', async () => {
    const layout = parameterLayout([
      { name: 'layer1.weight', shape: [2, 2] },
      { name: 'layer1.bias', shape: [2] },
      { name: 'layer2.weight', shape: [1, 2] },
    ]);
    expect(layout.size).toBe(8);
    expect(selectBlocks(layout, /bias/).map((b) => b.name)).toEqual(['layer1.bias']);
    expect(selectBlocks(layout, (b) => b.shape.length === 2).length).toBe(2);
    expect(() => selectBlocks(layout, ['layer3.weight'])).toThrow(/`filter` must be names among/);
    expect(() => selectBlocks(layout, /nothing/)).toThrow(/selects at least one/);
    expect(() => parameterLayout([{ name: 'a', shape: [2] }, { name: 'a', shape: [1] }])).toThrow(/unique/);
    const full = denseOperator({ rows: 8, cols: 8, data: Float64Array.from({ length: 64 }, (_, i) => i) });
    const { op, layout: sub } = restrictOperator(full, layout, ['layer1.bias', 'layer2.weight']);
    expect(sub.size).toBe(4);
    const { matrix } = await operatorToDense(op, { symmetrize: false });
    // rows/cols 4..7 of the 8×8 matrix
    expect(Array.from(matrix.data.subarray(0, 4))).toEqual([36, 37, 38, 39]);
    expect(() => restrictOperator(denseOperator(eye(3)), layout, undefined)).toThrow(/`op.size` must be equal to layout.size = 8/);
  });

  it('outer-product operators and their Gram spectrum: G = Σ w_r f_r f_rᵀ', async () => {
    const rows = [new Float64Array([3, 4, 0]), new Float64Array([0, 0, 1])];
    expect(outerProductSpectrum([new Float64Array([3, 4])])).toEqual([expect.closeTo(25, 12)]);
    const spec = outerProductSpectrum(rows, [1, 2]);
    expect(spec[0]).toBeCloseTo(25, 12);
    expect(spec[1]).toBeCloseTo(2, 12);
    const g = outerProductOperator(rows, [1, 2]);
    expect(Array.from(await applyOperator(g, new Float64Array([1, 0, 1])))).toEqual([9, 12, 2]);
    expect(() => outerProductOperator(rows, [1, -1])).toThrow(/non-negative/);
  });
});

describe('power and subspace iteration', () => {
  it('power iteration with deflation recovers the top 3 eigenvalues by magnitude', async () => {
    const op = denseOperator(withSpectrum([10, 6, 3, 1, 0.5, 0.1], 1));
    const r = await powerIteration(op, { k: 3, maxIter: 500, tol: 1e-12 });
    expect(r.converged.every(Boolean)).toBe(true);
    [10, 6, 3].forEach((v, i) => expect(r.values[i]).toBeCloseTo(v, 8));
    await expect(powerIteration(op, { k: 7 })).rejects.toThrow(/`k` must be an integer in 1..6/);
    await expect(powerIteration(op, { k: 1, maxIter: 0 })).rejects.toThrow(/`maxIter`/);
  });

  it('subspace iteration finds a degenerate top block of 3 (the C class outliers)', async () => {
    const values = [5, 5, 5, 1, 0.5, 0.2, 0.1, 0, 0, 0];
    const r = await subspaceIteration(denseOperator(withSpectrum(values, 2)), { k: 3, tol: 1e-10, maxIter: 200 });
    expect(r.converged).toBe(true);
    for (const v of r.values) expect(v).toBeCloseTo(5, 9);
  });
});

describe('outliers and subspaces', () => {
  it('detects the block above the largest gap, compares with K, K(K−1), K²', () => {
    const values = [...new Array(9).fill(0.2), ...new Array(21).fill(0)];
    const r = detectOutliers(values);
    expect(r.count).toBe(9);
    expect(r.bulk.length).toBe(21);
    expect(compareOutlierCount(r.count, 3).matches).toEqual(['K^2']);
    expect(compareOutlierCount(6, 3).matches).toEqual(['K(K-1)']);
    expect(compareOutlierCount(2, 2).matches).toEqual(['K', 'K(K-1)']);
    expect(detectOutliers([1, 1, 1, 1]).count).toBe(0);
    expect(() => detectOutliers([1])).toThrow(/at least 2/);
    expect(() => detectOutliers([1, Number.NaN])).toThrow(/finite/);
    expect(clusterEigenvalues([0.2, 0.2 + 1e-12, 0.1]).map((c) => c.multiplicity)).toEqual([2, 1]);
  });

  it('subspace fractions and principal angles compare whole subspaces', () => {
    const e1 = new Float64Array([1, 0, 0]);
    const e2 = new Float64Array([0, 1, 0]);
    expect(subspaceFraction(new Float64Array([1, 1, 0]), [e1])).toBeCloseTo(0.5, 15);
    expect(subspaceFraction(new Float64Array([1, 1, 0]), [e1, e2])).toBeCloseTo(1, 15);
    expect(orthonormalBasis([e1, e2, new Float64Array([1, 1, 0])]).length).toBe(2);
    const cos = principalAngleCosines([e1, e2], [new Float64Array([1, 1, 0]), new Float64Array([0, 0, 1])]);
    expect(cos[0]).toBeCloseTo(1, 12);
    expect(cos[1]).toBeCloseTo(0, 12);
    expect(() => subspaceFraction(new Float64Array(3), [e1])).toThrow(/non-zero/);
  });

  it('weight spectra: singular values, numerical rank and stable rank', () => {
    const s = weightSpectrum(fromRows([[3, 0], [0, 4], [0, 0]]));
    expect(s.singularValues[0]).toBeCloseTo(4, 12);
    expect(s.numericalRank).toBe(2);
    expect(s.stableRank).toBeCloseTo(25 / 16, 12);
    expect(weightSpectrum(fromRows([[1, 2], [2, 4]])).numericalRank).toBe(1);
    expect(() => weightSpectrum(fromRows([[Number.POSITIVE_INFINITY]]))).toThrow(/finite/);
  });

  it('lanczos agrees with the deflated operator: deflating the top 2 exposes the third', async () => {
    const op = denseOperator(withSpectrum([9, 7, 4, 2, 1], 3));
    const top = await lanczos(op, { k: 2 });
    const next = await lanczos(deflateOperator(op, top.values, top.vectors), { k: 1 });
    expect(next.values[0]).toBeCloseTo(4, 8);
  });
});
