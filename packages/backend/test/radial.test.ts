import { describe, expect, it } from 'vitest';
import { radialFromGram } from '../src/index.js';
import { expFast } from '../src/host/exp.js';
import { getRadialKernels, radialFromGramScalar, type RadialSpec } from '../src/host/radial.js';
import { createRng } from '../src/random/rng.js';

const SPECS: RadialSpec[] = [
  { map: 'sqdist' },
  { map: 'laplace', bandwidth: 2 },
  { map: 'gaussian', bandwidth: 0.7 },
  // a narrow Gaussian: results down to subnormals and exact zeros (exp arguments below −745.2)
  { map: 'gaussian', bandwidth: 0.012 },
  { map: 'laplace-weight', bandwidth: 1.5, selfPairEps: 1e-10 },
];

/** Points with duplicates and near-duplicates, their Gram block against a second set, and the norms. */
function block(rows: number, cols: number, d: number, seed: number) {
  const rng = createRng(seed);
  const x = Float64Array.from(rng.normalArray(rows * d) as Float64Array, (v) => v * 0.3);
  const z = Float64Array.from(rng.normalArray(cols * d) as Float64Array, (v) => v * 0.3);
  // z_j = x_j for the first rows (exact self-pairs), z_{j} ≈ x_{j−rows} + 1e-7 after them (near pairs)
  for (let j = 0; j < Math.min(rows, cols); j++) for (let k = 0; k < d; k++) z[j * d + k] = x[j * d + k];
  for (let j = rows; j < Math.min(2 * rows, cols); j++) for (let k = 0; k < d; k++) z[j * d + k] = x[(j - rows) * d + k] + 1e-7;
  const g = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[r * d + k] * z[j * d + k];
    g[r * cols + j] = s;
  }
  const norm = (a: Float64Array, i: number): number => {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k] ** 2;
    return s;
  };
  const rowSq = Float64Array.from({ length: rows }, (_, i) => norm(x, i));
  const colSq = Float64Array.from({ length: cols }, (_, j) => norm(z, j));
  const calls: Array<[number, number]> = [];
  const exact = (r: number, j: number): number => {
    calls.push([r, j]);
    let s = 0;
    for (let k = 0; k < d; k++) s += (x[r * d + k] - z[j * d + k]) ** 2;
    return s;
  };
  return { g, rowSq, colSq, exact, calls, x, z };
}

const sameBits = (a: Float64Array, b: Float64Array): number => {
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff++;
  return diff;
};

describe('radialFromGram', () => {
  it('compiles its WebAssembly SIMD maps here', () => {
    expect(getRadialKernels()).not.toBeNull();
  });

  it('gives the scalar route’s bits on every map: chunk boundaries, odd tails, cancelled pairs, NaN and ±∞ entries', () => {
    // 4,096 entries a chunk: 9,011 columns cross two boundaries and end in a tail of 3
    const rows = 7;
    const cols = 9011;
    const { g, rowSq, colSq, exact } = block(rows, cols, 5, 11);
    g[3] = NaN;
    g[cols + 8] = -Infinity; // s = +∞: every kernel value 0
    g[2 * cols + 9] = Infinity; // s = −∞, clamped to 0
    for (const spec of SPECS) {
      const simd = g.slice();
      const scalar = g.slice();
      radialFromGram(simd, rows, cols, rowSq, colSq, spec, exact);
      radialFromGramScalar(scalar, rows, cols, rowSq, colSq, spec, exact);
      expect(sameBits(simd, scalar), spec.map).toBe(0);
      expect(simd[3]).toBeNaN();
    }
  });

  it('covers exp’s whole range: subnormal results and exact zeros, bit for bit with expFast', () => {
    const cols = 4000;
    const L = Math.SQRT1_2;
    const spec: RadialSpec = { map: 'gaussian', bandwidth: L }; // k ≈ e^{−s}
    const a = -1 / (2 * L * L);
    // s from 0 to 760 across the row: results normal, subnormal (s > 708.4), zero (s ≥ 745.2)
    const colSq = Float64Array.from({ length: cols }, (_, j) => (760 * j) / (cols - 1));
    const g = new Float64Array(cols);
    radialFromGram(g, 1, cols, [0], colSq, spec, () => 0);
    let subnormal = 0;
    let zero = 0;
    for (let j = 0; j < cols; j++) {
      expect(Object.is(g[j], expFast(colSq[j] * a))).toBe(true);
      if (g[j] > 0 && g[j] < 2.2250738585072014e-308) subnormal++;
      if (g[j] === 0) zero++;
    }
    expect(subnormal).toBeGreaterThan(100);
    expect(zero).toBeGreaterThan(50);
  });

  it('asks for the exact distance exactly where the expanded form cancels, and uses it', () => {
    const rows = 6;
    const cols = 64;
    const { g, rowSq, colSq, exact, calls } = block(rows, cols, 4, 12);
    const sq = g.slice();
    radialFromGram(sq, rows, cols, rowSq, colSq, { map: 'sqdist' }, exact);
    // the self-pairs (r, r) and the near pairs (r, r + rows), nothing else
    const expected = new Set<string>();
    for (let r = 0; r < rows; r++) expected.add(`${r},${r}`).add(`${r},${r + rows}`);
    expect(new Set(calls.map(([r, j]) => `${r},${j}`))).toEqual(expected);
    for (let r = 0; r < rows; r++) {
      expect(Object.is(sq[r * cols + r], 0)).toBe(true);
      // 4 coordinates each 1e-7 apart: s = 4e-14, where the expanded form has only rounding left
      expect(sq[r * cols + r + rows]).toBeCloseTo(4e-14, 20);
    }
  });

  it('matches the closed forms: e^{−d/L}, e^{−d²/(2L²)}, and the Laplace gradient weight with self-pairs 0', () => {
    // x = [[0, 0], [3, 4]] against itself, d = 5 off the diagonal; 40 copies of the columns reach the SIMD route
    const reps = 40;
    const cols = 2 * reps;
    const colSq = Float64Array.from({ length: cols }, (_, j) => (j % 2 === 0 ? 0 : 25));
    const gram = (r: number, j: number): number => (r === 1 && j % 2 === 1 ? 25 : 0);
    const make = (): Float64Array => Float64Array.from({ length: 2 * cols }, (_, t) => gram(Math.floor(t / cols), t % cols));
    const exact = (r: number, j: number): number => (r === j % 2 ? 0 : 25);
    const value = (spec: RadialSpec): Float64Array => {
      const g = make();
      radialFromGram(g, 2, cols, [0, 25], colSq, spec, exact);
      return g;
    };
    const lap = value({ map: 'laplace', bandwidth: 5 });
    const gau = value({ map: 'gaussian', bandwidth: 5 });
    const wgt = value({ map: 'laplace-weight', bandwidth: 5 });
    for (let j = 0; j < cols; j++) {
      const self = j % 2 === 0;
      expect(lap[j]).toBeCloseTo(self ? 1 : Math.exp(-1), 15);
      expect(gau[j]).toBeCloseTo(self ? 1 : Math.exp(-0.5), 15);
      expect(wgt[j]).toBeCloseTo(self ? 0 : Math.exp(-1) / 25, 15);
      expect(lap[cols + j]).toBeCloseTo(self ? Math.exp(-1) : 1, 15);
      expect(wgt[cols + j]).toBeCloseTo(self ? Math.exp(-1) / 25 : 0, 15);
    }
  });

  it('maps a block of a larger matrix in place (ld > cols) and leaves the rest untouched', () => {
    const rows = 5;
    const cols = 100;
    const ld = 130;
    const { g, rowSq, colSq, exact } = block(rows, cols, 3, 13);
    const big = new Float64Array(rows * ld).fill(-7);
    for (let r = 0; r < rows; r++) big.set(g.subarray(r * cols, (r + 1) * cols), r * ld);
    const spec: RadialSpec = { map: 'laplace', bandwidth: 1 };
    radialFromGram(big, rows, cols, rowSq, colSq, spec, exact, ld);
    radialFromGramScalar(g, rows, cols, rowSq, colSq, spec, exact);
    for (let r = 0; r < rows; r++) {
      expect(sameBits(big.subarray(r * ld, r * ld + cols), g.subarray(r * cols, (r + 1) * cols))).toBe(0);
      for (let j = cols; j < ld; j++) expect(big[r * ld + j]).toBe(-7);
    }
  });
});
