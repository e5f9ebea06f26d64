import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { solveUfm } from '../src/index.js';
import { classifyCriticalPoint, classifyUfmSolution } from '../src/theory/classify-critical.js';

describe('classifyCriticalPoint', () => {
  it('K = 3, n = 4, d = 6, depth 3, λ = 0.02, init scale 0.3: the solver stops at the rank-1 local minimum, 2.34× the closed form', () => {
    const r = solveUfm({ model: 'deep-linear', K: 3, n: 4, d: 6, depth: 3, lambdaW: 0.02, lambdaH: 0.02, initScale: 0.3 });
    const c = classifyUfmSolution(r.objective, r.theory);
    expect(c).not.toBeNull();
    expect(c!.global).toBe(false);
    expect(c!.rank).toBe(1);
    expect(c!.matched).toBe(true);
    expect(c!.globalRank).toBe(3);
    expect(c!.ratioToGlobal).toBeCloseTo(2.342, 3);
    expect(c!.gapToGlobal).toBeCloseTo(0.3886460903701 - 0.1659382711104, 9);
  });

  it('the default initialisation reaches the global optimum (rank K)', () => {
    const r = solveUfm({ model: 'deep-linear', K: 3, n: 4, d: 6, depth: 3, lambdaW: 0.02, lambdaH: 0.02, solver: { method: 'lbfgs', maxSteps: 3000 } });
    const c = classifyUfmSolution(r.objective, r.theory, 1e-6)!;
    expect(c.global).toBe(true);
    expect(c.rank).toBe(3);
    expect(c.gapToGlobal).toBeLessThan(1e-8);
  });

  it('classifies plain numbers, skips null ranks, flags an unmatched objective, and rejects bad input', () => {
    const c = classifyCriticalPoint({ objective: 0.3, globalObjective: 0.2, rankObjectives: [0.5, null, 0.2] });
    expect(c).toMatchObject({ global: false, rank: 2, matched: false, globalRank: 2 });
    expect(classifyCriticalPoint({ objective: 0.5, globalObjective: 0.5, rankObjectives: [0.5, null] })).toMatchObject({ global: true, rank: 0, matched: true });
    expect(classifyUfmSolution(1, null)).toBeNull();
    expect(() => classifyCriticalPoint({ objective: NaN, globalObjective: 0.2, rankObjectives: [0.5] })).toThrow(InvalidArgumentError);
    expect(() => classifyCriticalPoint({ objective: 0.3, globalObjective: 0.2, rankObjectives: [null] })).toThrow(InvalidArgumentError);
    expect(() => classifyCriticalPoint(undefined as never)).toThrow(InvalidArgumentError);
  });
});
