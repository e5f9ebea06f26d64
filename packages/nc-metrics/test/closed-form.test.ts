import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '@nclab/backend/host';
import { classMeans, computeMetrics, nc1Pinv, nc1TraceRatio } from '../src/index.js';
import { etfWithIsotropicNoise } from './fixtures.js';

describe('simplex ETF means with within-class scatter exactly s²I', () => {
  it('reproduces the oracle values for K=4, d=6, r=2, s=0.3 (reference-implementations.md §9.2)', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { offset: 1.5, seed: 11 });
    const r = computeMetrics(features, labels, { linearProbe: true });
    expect(r.nc1Pinv).toBeCloseTo(0.050625, 12);
    expect(r.nc1TraceRatio).toBeCloseTo(0.135, 12);
    expect(r.nc1Cdnv).toBeCloseTo(0.050625, 12);
    expect(r.nc2Etf).toBeLessThan(1e-12);
    expect(r.nc2EtfGram).toBeLessThan(1e-12);
    expect(r.nc2Equinorm).toBeLessThan(1e-12);
    expect(r.nc2Equiangular).toBeLessThan(1e-12);
    expect(r.nc2MaxAngleDeg).toBeLessThan(1e-6);
    // Σ_W ∝ I: the best linear map cannot improve on Papyan's NC1
    expect(r.nc1LinearProbe).toBeCloseTo(0.050625, 10);
    // balanced classes: Σ_T = Σ_W + Σ_B
    expect(r.nc1WithinTotal).toBeCloseTo(0.54 / 4.54, 12);
    expect(r.nc1BetweenTotal).toBeCloseTo(4 / 4.54, 12);
    // Σ_B has K−1 equal eigenvalues r²/(K−1)
    expect(r.sigmaBEigenvalues).toHaveLength(3);
    for (const v of r.sigmaBEigenvalues) expect(v).toBeCloseTo(4 / 3, 12);
    expect(r.meanRank).toBe(3);
    expect(r.meanCondition).toBeCloseTo(1, 12);
    expect(r.nccAccuracy).toBe(1);
  });

  it('matches the general closed forms for any K, d ≥ K, r, s', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (K, extra, r, s, seed) => {
          const d = K + extra;
          const { features, labels } = etfWithIsotropicNoise(K, d, r, s, { seed });
          const m = computeMetrics(features, labels);
          const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
          expect(rel(m.nc1Pinv, (s * s * (K - 1) ** 2) / (K * r * r))).toBeLessThan(1e-9);
          expect(rel(m.nc1TraceRatio, (s * s * d) / (r * r))).toBeLessThan(1e-9);
          expect(rel(m.nc1Cdnv, (s * s * d * (K - 1)) / (2 * r * r * K))).toBeLessThan(1e-9);
          expect(m.nc2Etf).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same NC1 values through the shortcuts', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { offset: -2, seed: 5 });
    expect(nc1TraceRatio(features, labels)).toBeCloseTo(0.135, 12);
    expect(nc1Pinv(features, labels)).toBeCloseTo(0.050625, 12);
    // with the class means passed in: the same bits, and means of other features are refused
    const means = classMeans(features, labels);
    expect(nc1TraceRatio(features, labels, { means })).toBe(nc1TraceRatio(features, labels));
    expect(nc1Pinv(features, labels, { means })).toBe(nc1Pinv(features, labels));
    const fewer = { rows: features.rows - 1, cols: features.cols, data: features.data.slice(0, (features.rows - 1) * features.cols) };
    expect(() => nc1Pinv(fewer, Array.from(labels).slice(0, -1), { means })).toThrow(InvalidArgumentError);
    expect(() => nc1TraceRatio(fewer, Array.from(labels).slice(0, -1), { means })).toThrow(/`means`/);
  });

  it('gives NC1 = 0 and NCC accuracy 1 for perfectly collapsed features', () => {
    const { features, labels } = etfWithIsotropicNoise(5, 7, 3, 0, { seed: 2 });
    const r = computeMetrics(features, labels);
    // rotated rows carry rounding of order 1e-16, so "0" means below 1e-25
    expect(r.nc1Pinv).toBeLessThan(1e-25);
    expect(r.nc1TraceRatio).toBeLessThan(1e-25);
    expect(r.nc1Cdnv).toBeLessThan(1e-25);
    expect(r.nc2Etf).toBeLessThan(1e-12);
    expect(r.nccAccuracy).toBe(1);
  });
});
