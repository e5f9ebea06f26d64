import { describe, expect, it } from 'vitest';
import { ceUfmTheory } from '../src/theory/ce.js';
import { deepLinearUfmTheory } from '../src/theory/deep-linear.js';
import { extendedLinearUfmTheory } from '../src/theory/extended.js';
import { mseUfmTheory } from '../src/theory/mse.js';
import { theory } from '../src/theory/index.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('Thm 3.1 (bias-free MSE UFM), notes-extended-ufm §6.1, K = 4', () => {
  const rows: [number, number, number, number, number, number][] = [
    // λ_W, λ_H, ρ, ‖w‖², logit, f*
    [0.1, 0.1, 0.9, 0.9, 0.9, 0.095],
    [0.02, 0.5, 0.18, 4.5, 0.9, 0.095],
    [0.9, 0.9, 0.1, 0.1, 0.1, 0.495],
    [1.2, 1.2, 0, 0, 0, 0.5],
  ];
  for (const [lw, lh, rho, w, logit, f] of rows) {
    it(`λ_W = ${lw}, λ_H = ${lh}: ρ = ${rho}, ‖w_k‖² = ${w}, WH̄ = ${logit}·I, f* = ${f}`, () => {
      const t = mseUfmTheory({ K: 4, lambdaW: lw, lambdaH: lh, bias: 'none' });
      expect(t.classMeanSqNorm).toBeCloseTo(rho, 13);
      expect(t.weightRowSqNorm).toBeCloseTo(w, 12);
      expect(t.logitCorrect).toBeCloseTo(logit, 13);
      expect(t.logitOther).toBeCloseTo(0, 14);
      expect(t.classMeanInner).toBeCloseTo(0, 14);
      expect(t.objective).toBeCloseTo(f, 14);
    });
  }
  it('K = 3, λ = 0.3: ρ = 0.7, f* = 0.255', () => {
    const t = mseUfmTheory({ K: 3, lambdaW: 0.3, lambdaH: 0.3, bias: 'none' });
    expect(t.classMeanSqNorm).toBeCloseTo(0.7, 14);
    expect(t.objective).toBeCloseTo(0.255, 14);
  });
  it('equals the deep linear closed form with L = 1 after the scaling map (λ_W/K, λ_H/N)', () => {
    for (const lam of [0.05, 0.3, 0.9]) {
      const a = mseUfmTheory({ K: 5, lambdaW: lam, lambdaH: 2 * lam, bias: 'none' });
      const b = deepLinearUfmTheory({ K: 5, n: 7, L: 1, widths: 9, lambdaW: lam / 5, lambdaH: (2 * lam) / 35 });
      expect(rel(b.objective, a.objective)).toBeLessThan(1e-13);
      expect(b.classMeanSqNorms[0][0]).toBeCloseTo(a.classMeanSqNorm, 12);
    }
  });
});

describe('Thm 3.2 (unregularised bias), §6.2, K = 4', () => {
  const rows: [number, number, number, number, number, number, number][] = [
    [0.1, 0.1, 0.675, -0.225, 0.925, 0.025, 0.07125],
    [0.02, 0.5, 0.135, -0.045, 0.925, 0.025, 0.07125],
    [0.9, 0.9, 0.075, -0.025, 0.325, 0.225, 0.37125],
    [1.2, 1.2, 0, 0, 0.25, 0.25, 0.375],
  ];
  for (const [lw, lh, nrm, inner, lc, lo, f] of rows) {
    it(`λ_W = ${lw}, λ_H = ${lh}: ‖h‖² = ${nrm}, inner ${inner}, b = 1/4, logits ${lc}/${lo}, f* = ${f}`, () => {
      const t = mseUfmTheory({ K: 4, lambdaW: lw, lambdaH: lh, bias: 'free' });
      expect(t.classMeanSqNorm).toBeCloseTo(nrm, 13);
      expect(t.classMeanInner).toBeCloseTo(inner, 13);
      expect(t.bias).toBe(0.25);
      expect(t.logitCorrect).toBeCloseTo(lc, 13);
      expect(t.logitOther).toBeCloseTo(lo, 13);
      expect(t.objective).toBeCloseTo(f, 14);
      expect(t.globalMeanSqNorm).toBe(0);
    });
  }
});

describe('regularised bias (derived closed form), §6.3, K = 4, λ_W = λ_H = 0.1', () => {
  const rows: [number, number, number, number, number, number][] = [
    [0.05, 0.2380952, 0, 0.675, -0.225, 0.07720238],
    [0.5, 0.05, 0.175, 0.85, -0.05, 0.0925],
    [1, 0.025, 0.2, 0.875, -0.025, 0.09375],
    [10, 0.0025, 0.2225, 0.8975, -0.0025, 0.094875],
  ];
  for (const [lb, b, hg, diag, off, f] of rows) {
    it(`λ_b = ${lb}: b = ${b}, ‖h_G‖² = ${hg}, Gram ${diag}/${off}, f* = ${f}`, () => {
      const t = mseUfmTheory({ K: 4, lambdaW: 0.1, lambdaH: 0.1, bias: 'regularized', lambdaB: lb });
      expect(t.bias).toBeCloseTo(b, 7);
      expect(t.globalMeanSqNorm).toBeCloseTo(hg, 13);
      expect(t.classMeanSqNorm).toBeCloseTo(diag, 13);
      expect(t.classMeanInner).toBeCloseTo(off, 13);
      expect(t.objective).toBeCloseTo(f, 8);
    });
  }
  it('tends to the Thm 3.1 objective as λ_b → ∞ and to Thm 3.2 as λ_b → 0', () => {
    const big = mseUfmTheory({ K: 4, lambdaW: 0.1, lambdaH: 0.1, bias: 'regularized', lambdaB: 1e9 });
    expect(big.objective).toBeCloseTo(0.095, 8);
    const small = mseUfmTheory({ K: 4, lambdaW: 0.1, lambdaH: 0.1, bias: 'regularized', lambdaB: 1e-12 });
    expect(small.objective).toBeCloseTo(0.07125, 10);
  });
});

describe('extended linear UFM (Thm 4.1 constants), §6.4', () => {
  const rows: [number, number, number, number, number, number, number, number, number][] = [
    [0.05, 0.05, 0.05, 0.94912208, 0.96578707, 0.96578707, 0.96578707, 0.93274466, 0.07372831],
    [0.02, 0.1, 0.05, 0.95283048, 2.2472278, 0.44944556, 0.89889112, 0.40400262, 0.06852932],
    [0.1, 0.1, 0.1, 0.89628259, 0.92960112, 0.92960112, 0.92960112, 0.86415825, 0.14481882],
    [0.2, 0.2, 0.2, 0.78300935, 0.84952853, 0.84952853, 0.84952853, 0.72169872, 0.27840103],
  ];
  for (const [w2, w1, h1, sigma, a2, b2, c2, h2, f] of rows) {
    it(`(${w2}, ${w1}, ${h1}): σ = ${sigma}, f* = ${f}`, () => {
      const t = extendedLinearUfmTheory({ lambdaW2: w2, lambdaW1: w1, lambdaH1: h1 });
      expect(rel(t.sigma, sigma)).toBeLessThan(1e-7);
      expect(rel(t.w2RowSqNorm, a2)).toBeLessThan(1e-7);
      expect(rel(t.w1SqSingularValue, b2)).toBeLessThan(1e-7);
      expect(rel(t.h1ClassMeanSqNorm, c2)).toBeLessThan(1e-7);
      expect(rel(t.h2ClassMeanSqNorm, h2)).toBeLessThan(1e-7);
      expect(rel(t.objective, f)).toBeLessThan(1e-7);
      const u = t.u as number;
      expect(u ** 4 - u + t.mu).toBeCloseTo(0, 14);
      // Same optimum as the deep linear closed form with L = 2 in the deep scaling.
      const d = theory({ model: 'extended-linear', K: 4, n: 5, d: 10, lambdaW: [w1, w2], lambdaH: h1 });
      expect(rel(d!.objective as number, t.objective)).toBeLessThan(1e-12);
    });
  }
  it('threshold λ³ = 1/16: σ = ½ and f_nonzero = f_zero = ½', () => {
    const lam = Math.pow(16, -1 / 3);
    const t = extendedLinearUfmTheory({ lambdaW2: lam, lambdaW1: lam, lambdaH1: lam });
    expect(t.u! ** 3).toBeCloseTo(0.5, 12);
    expect(t.nonzeroObjective).toBeCloseTo(0.5, 12);
  });
  it('λ = 0.39: non-zero global (0.4934718); λ = 0.41: zero global (non-zero 0.5122138); λ = 0.5: no non-zero point', () => {
    const a = extendedLinearUfmTheory({ lambdaW2: 0.39, lambdaW1: 0.39, lambdaH1: 0.39 });
    expect(a.nonzeroIsGlobal).toBe(true);
    expect(a.objective).toBeCloseTo(0.4934718, 7);
    const b = extendedLinearUfmTheory({ lambdaW2: 0.41, lambdaW1: 0.41, lambdaH1: 0.41 });
    expect(b.nonzeroIsGlobal).toBe(false);
    expect(b.nonzeroObjective).toBeCloseTo(0.5122138, 7);
    expect(b.objective).toBe(0.5);
    const c = extendedLinearUfmTheory({ lambdaW2: 0.5, lambdaW1: 0.5, lambdaH1: 0.5 });
    expect(c.u).toBeNull();
    expect(c.objective).toBe(0.5);
  });
});

describe('cross-entropy UFM closed form', () => {
  it('m* is the stationary point of log(1 + (K−1)e^{−m}) + c′(K−1)m and beats nearby margins', () => {
    const t = ceUfmTheory({ K: 4, n: 5, lambdaW: 0.01, lambdaH: 0.01 });
    const f = (m: number): number => Math.log(1 + 3 * Math.exp(-m)) + t.c * 3 * m;
    expect(f(t.margin)).toBeCloseTo(t.objective, 14);
    expect(f(t.margin + 1e-3)).toBeGreaterThan(t.objective);
    expect(f(t.margin - 1e-3)).toBeGreaterThan(t.objective);
    // Balanced norms: λ_W‖W‖² = nλ_H‖H̄‖² (AM–GM equality).
    expect(0.01 * 4 * t.weightRowSqNorm).toBeCloseTo(5 * 0.01 * 4 * t.classMeanSqNorm, 12);
  });
  it('collapses to zero (objective log K) once K·√(nλ_Wλ_H) ≥ 1', () => {
    const t = ceUfmTheory({ K: 4, n: 25, lambdaW: 0.05, lambdaH: 0.05 });
    expect(t.margin).toBe(0);
    expect(t.objective).toBeCloseTo(Math.log(4), 14);
  });
});

describe('theory(config)', () => {
  it('returns null where no closed form exists', () => {
    expect(theory({ model: 'mse', K: 3, n: [2, 3, 4], d: 5, lambdaW: 0.1, bias: 'free' })).toBeNull();
    expect(theory({ model: 'ce', K: 3, n: [2, 3, 4], d: 5, lambdaW: 0.1 })).toBeNull();
    expect(theory({ model: 'deep-linear', K: 4, n: 2, d: 3, lambdaW: 0.1 })).toBeNull();
  });
  it('gives deep-relu a DNC reference, not a claimed optimum', () => {
    const t = theory({ model: 'deep-relu', K: 3, n: 2, d: 6, depth: 3, lambdaW: 0.01 })!;
    expect(t.kind).toBe('dnc-reference');
    expect(t.objective).toBeNull();
  });
  it('imbalanced bias-free MSE: minority classes collapse to zero once their b_k crosses b_g', () => {
    const t = theory({ model: 'mse', K: 3, n: [50, 50, 1], d: 4, lambdaW: 0.5, lambdaH: 0.5 });
    if (t?.kind !== 'deep-linear') throw new Error('expected deep-linear theory');
    expect(t.deepLinear.xStar[0]).toBeGreaterThan(0);
    expect(t.deepLinear.xStar[2]).toBe(0);
  });
});
