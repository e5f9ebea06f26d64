import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError } from '@nclab/backend/host';
import { fitKernelRidge, oneHot, predictKernel, resolveKernel, solveKernelBudgeted } from '../src/index.js';
import { maxAbs, maxAbsDiff, randn } from './helpers.js';

const x = randn(300, 8, 17, 0.5);
const labels = Array.from({ length: 300 }, (_, i) => i % 3);
const y = oneHot(labels, 3);
const kernel = { kind: 'laplace' as const, bandwidth: 2 };

describe('kernel ridge regression under a memory budget', () => {
  it('without the N×N kernel (row blocks of 40) matches the direct Cholesky solve', () => {
    const direct = fitKernelRidge(x, y, { kernel, ridge: 1e-2 });
    const budget = 40 * 300 * 8; // far below N²·8
    const it = fitKernelRidge(x, y, { kernel, ridge: 1e-2, budgetBytes: budget });
    expect(direct.iterative).toBeUndefined();
    expect(it.iterative!.iterations).toBeGreaterThan(1);
    expect(it.iterative!.residual).toBeLessThanOrEqual(1e-8);
    expect(it.iterative!.landmarks).toBe(40);
    expect(maxAbsDiff(it.alpha.data, direct.alpha.data) / maxAbs(direct.alpha.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(predictKernel(it, x).data, predictKernel(direct, x).data)).toBeLessThan(1e-7);
  });

  it('the Nyström preconditioner cuts the iterations (more landmarks, fewer steps)', () => {
    const k = resolveKernel(kernel);
    const few = solveKernelBudgeted(x, k, y, 1e-3, { budgetBytes: 2 ** 20, landmarks: 5 });
    const many = solveKernelBudgeted(x, k, y, 1e-3, { budgetBytes: 2 ** 20, landmarks: 150 });
    expect(many.iterations).toBeLessThan(few.iterations);
  });

  it('refuses μ = 0 and a budget below one kernel row; reports non-convergence as NumericalError', () => {
    expect(() => fitKernelRidge(x, y, { kernel, ridge: 0, budgetBytes: 1e4 })).toThrow(InvalidArgumentError);
    expect(() => fitKernelRidge(x, y, { kernel, ridge: 0, budgetBytes: 1e4 })).toThrow(/`ridge`/);
    expect(() => solveKernelBudgeted(x, resolveKernel(kernel), y, 1e-3, { budgetBytes: 100 })).toThrow(/`budgetBytes`/);
    expect(() => solveKernelBudgeted(x, resolveKernel(kernel), y, 1e-6, { budgetBytes: 2 ** 20, landmarks: 1, maxIter: 2 })).toThrow(NumericalError);
  });
});
