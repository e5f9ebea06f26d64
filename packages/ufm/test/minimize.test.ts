import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { minimize, UfmDivergenceError, type SolverMethod } from '../src/index.js';

// f(x) = ½ Σ a_i (x_i − c_i)², minimiser c, f* = 0.
const a = Float64Array.from([1, 3, 0.5, 2]);
const c = Float64Array.from([1, -2, 0.5, 3]);
const quad = (x: Float64Array, g: Float64Array): number => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const r = x[i] - c[i];
    f += 0.5 * a[i] * r * r;
    g[i] = a[i] * r;
  }
  return f;
};

describe('minimize on a convex quadratic', () => {
  const settings: [SolverMethod, number][] = [['gd', 0.3], ['momentum', 0.05], ['adam', 0.05], ['lbfgs', 1]];
  for (const [method, lr] of settings) {
    it(`${method} reaches the minimiser and stops on the gradient norm`, () => {
      const r = minimize(quad, new Float64Array(4), { method, lr, maxSteps: 20_000, gradTol: 1e-9 });
      expect(r.reason).toBe('gradTol');
      expect(r.converged).toBe(true);
      for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(c[i], 7);
      expect(r.gradNorm).toBeLessThanOrEqual(1e-9);
    });
  }
  it('gd takes the exact step x ← x − η∇f', () => {
    const r = minimize(quad, new Float64Array(4), { method: 'gd', lr: 0.1, maxSteps: 1 });
    for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(0.1 * a[i] * c[i], 15);
    expect(r.reason).toBe('maxSteps');
    expect(r.converged).toBe(false);
  });
  it('stops on the relative objective change when objTol is set', () => {
    const r = minimize(quad, new Float64Array(4), { method: 'gd', lr: 0.01, maxSteps: 100_000, gradTol: 0, objTol: 1e-8 });
    expect(r.reason).toBe('objTol');
    expect(r.steps).toBeLessThan(100_000);
  });
  it('records a history starting at step 0 and ending at the last step, monotone for small gd steps', () => {
    const r = minimize(quad, new Float64Array(4), { method: 'gd', lr: 0.1, maxSteps: 250, gradTol: 0, historyEvery: 50 });
    expect(r.history.map((h) => h.step)).toEqual([0, 50, 100, 150, 200, 250]);
    for (let i = 1; i < r.history.length; i++) expect(r.history[i].objective).toBeLessThan(r.history[i - 1].objective);
  });
  it('throws UfmDivergenceError suggesting a smaller step when gd explodes', () => {
    let err: unknown;
    try {
      minimize(quad, new Float64Array(4), { method: 'gd', lr: 2, maxSteps: 1000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UfmDivergenceError);
    const d = err as UfmDivergenceError;
    expect(d.lr).toBe(2);
    expect(d.suggestedLr).toBe(0.2);
    expect(d.message).toMatch(/smaller step, e\.g\. lr = 0\.2/);
  });
  it('throws on NaN objectives', () => {
    expect(() => minimize((x, g) => { g.fill(0); return NaN; }, new Float64Array(2))).toThrow(UfmDivergenceError);
  });
  it('rejects invalid options with a typed error naming the option', () => {
    expect(() => minimize(quad, new Float64Array(4), { lr: -1 })).toThrow(InvalidArgumentError);
    expect(() => minimize(quad, new Float64Array(4), { lr: -1 })).toThrow(/`lr`/);
    expect(() => minimize(quad, new Float64Array(4), { method: 'sgd' as SolverMethod })).toThrow(/`method`/);
    expect(() => minimize(quad, new Float64Array(4), { maxSteps: 1.5 })).toThrow(/`maxSteps`/);
    expect(() => minimize(quad, new Float64Array(4), { momentum: 1 })).toThrow(/`momentum`/);
  });
});
