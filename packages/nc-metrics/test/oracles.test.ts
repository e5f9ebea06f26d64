import { describe, expect, it } from 'vitest';
import { fromRows } from '@nclab/backend/host';
import {
  computeMetrics,
  etfError,
  normalisedGramEtfError,
  orthogonalFrameError,
  selfDualityError,
} from '../src/index.js';
import { etfMeans } from './fixtures.js';

// notes-extended-ufm.md §6.8: hand-computed examples (samples are the columns of H there, rows here).
describe('Tirer & Bruna metric unit tests (notes-extended-ufm.md §6.8), NC3 with W = I', () => {
  it('example 1: K=2, n=2, d=2', () => {
    const x = fromRows([[1, 0], [3, 0], [0, 1], [0, 1]]);
    const W = fromRows([[1, 0], [0, 1]]);
    const r = computeMetrics(x, [0, 0, 1, 1], { classifier: W, preset: 'tirer2023' });
    expect(r.nc1Pinv).toBeCloseTo(0.16, 12);
    expect(r.nc2EtfGram).toBeLessThan(1e-12);
    expect(r.nc2OrthogonalFrame).toBeCloseTo(0.5338672, 7);
    expect(r.nc3Uncentered).toBeCloseTo(0.3203645, 7);
    expect(r.nc3).toBeCloseTo(0.8113934, 7);
    expect(r.preset!.values.nc2Of).toBeCloseTo(0.5338672, 7);
    expect(r.preset!.values.nc3).toBeCloseTo(0.3203645, 7);
    expect(r.preset!.values.nc3Centered).toBeCloseTo(0.8113934, 7);
  });

  it('example 2: K=3, n=2, d=3 (NC1 = 7/72)', () => {
    const x = fromRows([[1, 0, 0], [1, 0, 0], [0, 2, 0], [0, 2, 0], [0, 0, 1], [0, 0, 3]]);
    const W = fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const r = computeMetrics(x, [0, 0, 1, 1, 2, 2], { classifier: W });
    expect(r.nc1Pinv).toBeCloseTo(7 / 72, 12);
    expect(r.nc2EtfGram).toBeCloseTo(0.3203645, 7);
    expect(r.nc2OrthogonalFrame).toBeCloseTo(0.4369576, 7);
    expect(r.nc3Uncentered).toBeCloseTo(0.274771, 6);
    expect(r.nc3).toBeCloseTo(0.6547149, 7);
  });
});

describe('frame constants (notes-extended-ufm.md §4)', () => {
  it('a zero-mean ETF has NC2_OF = √(2 − 2√((K−1)/K))', () => {
    const expected: Record<number, number> = { 2: 0.76537, 3: 0.60581, 4: 0.51764, 10: 0.32036 };
    for (const [K, v] of Object.entries(expected)) {
      const M = etfMeans(Number(K), Number(K) + 1, 1.7);
      expect(orthogonalFrameError(M)).toBeCloseTo(v, 5);
      expect(Math.abs(orthogonalFrameError(M) - Math.sqrt(2 - 2 * Math.sqrt((Number(K) - 1) / Number(K))))).toBeLessThan(1e-12);
      expect(etfError(M)).toBeLessThan(1e-12);
      expect(normalisedGramEtfError(M)).toBeLessThan(1e-12);
    }
  });

  it('an orthogonal frame has centred NC3 = 0.5176381 (K=4) and 0.6058109 (K=3) against W = H̄ᵀ, uncentred NC3 = 0', () => {
    for (const [K, v] of [[4, 0.5176381], [3, 0.6058109]] as const) {
      const d = K + 2;
      const rows = Array.from({ length: K }, (_, k) => Array.from({ length: d }, (_, j) => (j === k ? 0.9 : 0)));
      // collapsed features: each class's samples sit at its (orthogonal-frame) mean
      const x = fromRows(rows.flatMap((row) => [row, row]));
      const labels = Array.from({ length: 2 * K }, (_, i) => Math.floor(i / 2));
      const W = fromRows(rows.map((row) => row.map((t) => 3 * t)));
      const r = computeMetrics(x, labels, { classifier: W });
      expect(r.nc3).toBeCloseTo(v, 7);
      expect(r.nc3Uncentered).toBeLessThan(1e-12);
      expect(r.nc2OrthogonalFrame).toBeLessThan(1e-12);
      expect(r.nc2Etf).toBeLessThan(1e-12);
      expect(selfDualityError(W, fromRows(rows))).toBeLessThan(1e-12);
    }
  });

  it('K = 2 with distinct means always gives NC2_ETF = 0', () => {
    expect(normalisedGramEtfError(fromRows([[1, 2, 3], [-1, -2, -3]]))).toBeLessThan(1e-15);
    expect(etfError(fromRows([[5, 0], [-1, 0]]))).toBe(0);
  });
});
