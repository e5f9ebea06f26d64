import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError } from '@nclab/backend';
import { denseOperator, hutchinsonTrace, hutchPlusPlusTrace, lambdaOperator, spectralDensity } from '../src/index.js';
import { withSpectrum } from './helpers/matrices.js';

function trapezoid(grid: Float64Array, y: Float64Array, lo = -Infinity, hi = Infinity): number {
  let s = 0;
  for (let j = 0; j < grid.length - 1; j++) {
    const mid = 0.5 * (grid[j] + grid[j + 1]);
    if (mid < lo || mid > hi) continue;
    s += 0.5 * (grid[j + 1] - grid[j]) * (y[j] + y[j + 1]);
  }
  return s;
}

describe('spectralDensity (SLQ)', () => {
  it('integrates to 1 and its quadrature weights sum to 1 per run (diagonal spectrum 1..5)', async () => {
    const values = Array.from({ length: 50 }, (_, i) => 1 + (4 * i) / 49);
    const d = await spectralDensity(denseOperator(withSpectrum(values, 1)), { runs: 5, steps: 30, seed: 1 });
    expect(trapezoid(d.grid, d.density)).toBeCloseTo(1, 10);
    expect(d.massBeforeNormalisation).toBeGreaterThan(0.95);
    expect(d.massBeforeNormalisation).toBeLessThan(1.05);
    for (const run of d.runs) expect(run.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.density.every((x) => x >= 0)).toBe(true);
  });

  it('puts mass 1/2 on each of two clusters {1, 5} with peaks within 0.3 of 1 and 5', async () => {
    const values = [...new Array(30).fill(1), ...new Array(30).fill(5)];
    const d = await spectralDensity(denseOperator(withSpectrum(values, 2)), { runs: 20, steps: 50, sigma: 0.1, seed: 3 });
    const left = trapezoid(d.grid, d.density, -Infinity, 3);
    const right = trapezoid(d.grid, d.density, 3, Infinity);
    expect(left).toBeGreaterThan(0.35);
    expect(left).toBeLessThan(0.65);
    expect(left + right).toBeCloseTo(1, 8);
    let peakL = 0;
    let peakR = 0;
    d.grid.forEach((t, j) => {
      if (t < 3 && d.density[j] > (d.density[peakL] ?? 0)) peakL = j;
      if (t >= 3 && (d.grid[peakR] < 3 || d.density[j] > d.density[peakR])) peakR = j;
    });
    expect(Math.abs(d.grid[peakL] - 1)).toBeLessThan(0.3);
    expect(Math.abs(d.grid[peakR] - 5)).toBeLessThan(0.3);
  });

  it('counts outliers: n · (weight above the gap) estimates the 9 outliers of a rank-9 spectrum', async () => {
    const values = [...new Array(9).fill(0.2), ...new Array(91).fill(0)];
    const d = await spectralDensity(denseOperator(withSpectrum(values, 4)), { runs: 30, steps: 20, seed: 5 });
    let mass = 0;
    for (const run of d.runs) run.nodes.forEach((t, i) => { if (t > 0.1) mass += run.weights[i] / d.runs.length; });
    expect(mass * 100).toBeGreaterThan(9 - 4);
    expect(mass * 100).toBeLessThan(9 + 4);
  });

  it('rejects non-positive runs/steps, tiny grids and bad sigma; reports the run and step of a NaN product', async () => {
    const op = denseOperator(withSpectrum([1, 2, 3], 6));
    await expect(spectralDensity(op, { runs: 0 })).rejects.toThrow(/`runs` must be a positive integer/);
    await expect(spectralDensity(op, { steps: -1 })).rejects.toThrow(/`steps`/);
    await expect(spectralDensity(op, { gridPoints: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(spectralDensity(op, { sigma: 0 })).rejects.toThrow(/`sigma`/);
    let calls = 0;
    const nan = lambdaOperator(5, (v) => (++calls === 7 ? v.map(() => Number.NaN) : v.map((x, i) => (i + 1) * x)));
    await expect(spectralDensity(nan, { runs: 3, steps: 5 })).rejects.toThrow(NumericalError);
    calls = 0;
    await expect(spectralDensity(nan, { runs: 3, steps: 5 })).rejects.toThrow(/run 2 step 2/);
  });
});

describe('trace estimators', () => {
  const n = 80;
  const values = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const exact = values.reduce((a, b) => a + b, 0);
  const op = denseOperator(withSpectrum(values, 7));

  it('Hutchinson (400 Rademacher probes) lands within 3 standard errors of the exact trace', async () => {
    const r = await hutchinsonTrace(op, { matvecs: 400, seed: 1 });
    expect(r.stderr).toBeGreaterThan(0);
    expect(Math.abs(r.estimate - exact)).toBeLessThan(3 * r.stderr);
    const g = await hutchinsonTrace(op, { matvecs: 400, distribution: 'gaussian', seed: 2 });
    expect(Math.abs(g.estimate - exact)).toBeLessThan(3 * g.stderr);
  });

  it('Hutch++ lands within 3 standard errors too, and is exact (stderr 0) for a rank-10 operator', async () => {
    const r = await hutchPlusPlusTrace(op, { matvecs: 150, seed: 3 });
    expect(r.matvecs).toBeLessThanOrEqual(150);
    expect(Math.abs(r.estimate - exact)).toBeLessThan(3 * r.stderr + 1e-12);
    const low = [...new Array(10).fill(2), ...new Array(70).fill(0)];
    const lowOp = denseOperator(withSpectrum(low, 8));
    const h = await hutchPlusPlusTrace(lowOp, { matvecs: 60, seed: 4 });
    expect(h.estimate).toBeCloseTo(20, 8);
    expect(h.deflatedPart).toBeCloseTo(20, 8);
  });

  it('Rademacher probes of a diagonal operator give its trace exactly (zero variance)', async () => {
    const diag = lambdaOperator(5, (v) => v.map((x, i) => (i + 1) * x));
    const r = await hutchinsonTrace(diag, { matvecs: 4 });
    expect(r.estimate).toBe(15);
    expect(r.stderr).toBe(0);
  });

  it('rejects too few matvecs and unknown distributions', async () => {
    await expect(hutchinsonTrace(op, { matvecs: 1 })).rejects.toThrow(/`matvecs` must be an integer ≥ 2/);
    await expect(hutchPlusPlusTrace(op, { matvecs: 5 })).rejects.toThrow(/`matvecs` must be an integer ≥ 6/);
    await expect(hutchinsonTrace(op, { distribution: 'uniform' as never })).rejects.toThrow(/`distribution`/);
  });
});
