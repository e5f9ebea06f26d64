import { describe, expect, it } from 'vitest';
import { eigh, InvalidArgumentError, NumericalError } from '@nclab/backend';
import { denseOperator, lambdaOperator, lanczos, applyOperator } from '../src/index.js';
import { wishart, withSpectrum } from './helpers/matrices.js';

function sortedEigenvalues(m: { rows: number; cols: number; data: Float64Array }): number[] {
  return Array.from(eigh(m).values);
}

describe('lanczos', () => {
  it('finds the top 5 eigenvalues of a Wishart matrix as dense eigh does', async () => {
    const a = wishart(40, 60, 1);
    const exact = sortedEigenvalues(a).reverse();
    const res = await lanczos(denseOperator(a), { k: 5, maxIter: 40, tol: 1e-10 });
    expect(res.converged).toBe(true);
    for (let i = 0; i < 5; i++) expect(res.values[i]).toBeCloseTo(exact[i], 9);
  });

  it('with tol 0 runs every step (no early stop) and reaches the same Ritz values as a converging run', async () => {
    const a = wishart(80, 120, 3);
    const exact = sortedEigenvalues(a).reverse();
    const fixed = await lanczos(denseOperator(a), { k: 4, maxIter: 50, tol: 0 });
    const early = await lanczos(denseOperator(a), { k: 4, maxIter: 50, tol: 1e-6 });
    expect(fixed.iterations).toBe(50);
    expect(early.iterations).toBeLessThan(50); // the checks stop a converging run early
    for (let i = 0; i < 4; i++) {
      expect(fixed.values[i]).toBeCloseTo(exact[i], 10);
      expect(Math.abs(early.values[i] - exact[i])).toBeLessThan(1e-5 * exact[0]);
    }
  });

  it('finds the smallest (SA) and largest-magnitude (LM) ends of a shifted Wishart matrix', async () => {
    const a = wishart(30, 50, 2);
    for (let i = 0; i < 30; i++) a.data[i * 30 + i] -= 1.2; // spectrum straddles 0
    const asc = sortedEigenvalues(a);
    const sa = await lanczos(denseOperator(a), { k: 3, which: 'SA', maxIter: 30 });
    for (let i = 0; i < 3; i++) expect(sa.values[i]).toBeCloseTo(asc[i], 9);
    const byMag = [...asc].sort((x, y) => Math.abs(y) - Math.abs(x));
    const lm = await lanczos(denseOperator(a), { k: 3, which: 'LM', maxIter: 30 });
    for (let i = 0; i < 3; i++) expect(lm.values[i]).toBeCloseTo(byMag[i], 9);
  });

  it('returns unit Ritz vectors with small true residuals ‖Ay − θy‖ matching the reported bounds', async () => {
    const a = wishart(25, 40, 3);
    const op = denseOperator(a);
    const res = await lanczos(op, { k: 4, maxIter: 25 });
    for (let i = 0; i < 4; i++) {
      const y = res.vectors[i];
      const ay = await applyOperator(op, y);
      let r = 0;
      let nrm = 0;
      for (let j = 0; j < y.length; j++) {
        r += (ay[j] - res.values[i] * y[j]) ** 2;
        nrm += y[j] ** 2;
      }
      expect(Math.sqrt(nrm)).toBeCloseTo(1, 12);
      expect(Math.sqrt(r)).toBeLessThan(1e-8);
      expect(Math.abs(Math.sqrt(r) - res.residuals[i])).toBeLessThan(1e-8);
    }
  });

  it('recovers a degenerate block of 9 equal outliers with its multiplicity (restarts on exhaustion)', async () => {
    const values = new Array(30).fill(0);
    for (let i = 0; i < 9; i++) values[i] = 0.2037454515;
    const op = denseOperator(withSpectrum(values, 4));
    const res = await lanczos(op, { k: 9 });
    expect(res.restarts).toBeGreaterThanOrEqual(8);
    expect(res.converged).toBe(true);
    for (const v of res.values) expect(v).toBeCloseTo(0.2037454515, 12);
    const k2 = await lanczos(op, { k: 2 });
    expect(Array.from(k2.values)).toEqual([expect.closeTo(0.2037454515, 12), expect.closeTo(0.2037454515, 12)]);
  });

  it('is deterministic for a fixed seed', async () => {
    const op = denseOperator(wishart(20, 30, 5));
    const a = await lanczos(op, { k: 3, seed: 7 });
    const b = await lanczos(op, { k: 3, seed: 7 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('rejects k larger than the dimension, non-positive step counts and unknown `which`', async () => {
    const op = denseOperator(wishart(5, 8, 6));
    await expect(lanczos(op, { k: 6 })).rejects.toThrow(InvalidArgumentError);
    await expect(lanczos(op, { k: 0 })).rejects.toThrow(/`k` must be an integer in 1..5/);
    await expect(lanczos(op, { k: 2, maxIter: 0 })).rejects.toThrow(/`maxIter` must be a positive integer/);
    await expect(lanczos(op, { k: 3, maxIter: 2 })).rejects.toThrow(/`maxIter` must be an integer ≥ k = 3/);
    await expect(lanczos(op, { k: 1, which: 'XX' as never })).rejects.toThrow(/`which`/);
  });

  it('stops with a NumericalError naming the step when a product is not finite', async () => {
    let calls = 0;
    const op = lambdaOperator(10, (v) => {
      calls++;
      const out = Float64Array.from(v);
      if (calls === 4) out[3] = Number.NaN;
      return out;
    });
    await expect(lanczos(op, { k: 2 })).rejects.toThrow(NumericalError);
    calls = 0;
    await expect(lanczos(op, { k: 2 })).rejects.toThrow(/lanczos step 4/);
  });

  it('rejects an operator whose product has the wrong length', async () => {
    const op = lambdaOperator(4, () => new Float64Array(3));
    await expect(lanczos(op, { k: 1 })).rejects.toThrow(/length 3, expected 4/);
  });
});

describe('lanczos start vector', () => {
  it('uses a given start vector (normalised) and rejects a zero or mis-sized one', async () => {
    const op = denseOperator(wishart(10, 20, 9));
    const v0 = new Float64Array(10).fill(3);
    const a = await lanczos(op, { k: 2, startVector: v0 });
    const b = await lanczos(op, { k: 2, startVector: v0.map((x) => x / 3) });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    await expect(lanczos(op, { k: 1, startVector: new Float64Array(10) })).rejects.toThrow(/`startVector` must be a non-zero/);
    await expect(lanczos(op, { k: 1, startVector: new Float64Array(3) })).rejects.toThrow(/`startVector`/);
  });
});
