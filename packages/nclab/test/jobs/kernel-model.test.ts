/**
 * `nclab kernel-model` (issue 19, item 4): the numerical optimum of the unconstrained kernel model
 * against Theorem 4.4's closed form n/(n + μ) and Gram I_K ⊗ 11ᵀ, and the Mahalanobis realisation
 * against its closed form √(K−1)·κ(s).
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers.js';

describe('nclab kernel-model', () => {
  it('reaches n/(n + μ) and the collapsed Gram; the realisation error is √(K−1)·e^{−s/L}', async () => {
    const r = await runInProcess(['kernel-model', '--K', '3', '--n', '4', '--ridge', '0.5', '--realize', 'laplace', '--scales', '1,2,4', '--bandwidth', '2', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.theory_objective).toBeCloseTo(4 / 4.5, 14);
    expect(j.objective).toBeCloseTo(4 / 4.5, 10);
    expect(j.objective_gap).toBeLessThan(1e-12);
    expect(j.gram_error).toBeLessThan(1e-6);
    expect(j.converged).toBe(true);
    expect(j.starts).toHaveLength(3);
    expect(j.realize).toMatchObject({ kernel: 'laplace', bandwidth: 2, d: 12 });
    for (const s of j.realize.scales) {
      expect(s.theory_gram_error).toBeCloseTo(Math.sqrt(2) * Math.exp(-s.scale / 2), 12);
      expect(Math.abs(s.gram_error - s.theory_gram_error)).toBeLessThan(1e-6);
    }
  });
  it('another ridge moves the optimum as n/(n + μ); no realisation without --realize', async () => {
    const r = await runInProcess(['kernel-model', '--K', '2', '--n', '3', '--ridge', '3', '--restarts', '1', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.objective).toBeCloseTo(0.5, 8);
    expect(j.realize).toBeNull();
  });
  it('a non-positive ridge or too small a realisation dimension is a usage error naming the flag', async () => {
    const a = await runInProcess(['kernel-model', '--K', '3', '--n', '2', '--ridge', '0', '--quiet']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--ridge');
    const b = await runInProcess(['kernel-model', '--K', '3', '--n', '2', '--ridge', '1', '--realize', 'gaussian', '--d', '4', '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--d');
  });
});
