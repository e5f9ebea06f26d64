import { describe, expect, it } from 'vitest';
import { solveUfm, type SolveUfmConfig } from '../src/index.js';

const LBFGS = { method: 'lbfgs' as const, maxSteps: 3000 };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

function solved(cfg: SolveUfmConfig) {
  const r = solveUfm(cfg);
  expect(r.comparison).not.toBeNull();
  return r;
}

describe('MSE UFM from random initialisation reaches Thms 3.1/3.2 and the regularised-bias solution (§6.1–6.3)', () => {
  const base = { model: 'mse' as const, K: 4, n: 5, d: 10, solver: LBFGS };
  for (const [lw, lh] of [[0.1, 0.1], [0.02, 0.5], [0.9, 0.9]]) {
    it(`bias-free λ = (${lw}, ${lh}): objective, norms, alignment within 1e-6; OF geometry (NC1, NC2, NC3 ≈ 0)`, () => {
      const r = solved({ ...base, lambdaW: lw, lambdaH: lh });
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
      const m = r.metrics[0];
      expect(m.nc1TraceRatio!).toBeLessThan(1e-10);
      expect(m.nc2Orthogonal!).toBeLessThan(1e-6);
      expect(m.nc2Etf!).toBeLessThan(1e-6);
      expect(m.nc3!).toBeLessThan(1e-6);
    });
  }
  it('bias-free above the threshold (c = 1.2) collapses to W = H = 0 with objective ½', () => {
    const r = solved({ ...base, lambdaW: 1.2, lambdaH: 1.2 });
    expect(r.objective).toBeCloseTo(0.5, 10);
    expect(r.layers[0].sqSingularValues[0]).toBeLessThan(1e-10);
    expect(r.warnings.join(' ')).toMatch(/zero point/);
  });
  for (const [lw, lh, f] of [[0.02, 0.5, 0.07125], [0.9, 0.9, 0.37125], [1.2, 1.2, 0.375]]) {
    it(`unregularised bias λ = (${lw}, ${lh}): f* = ${f}, b, Gram entries and logits within 1e-6`, () => {
      const r = solved({ ...base, lambdaW: lw, lambdaH: lh, bias: 'free' });
      expect(rel(r.objective, f)).toBeLessThan(1e-9);
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    });
  }
  it('unregularised bias: simplex ETF (NC2_ETF ≈ 0, NC2_OF = 0.5176381), b = 1/4, f* = 0.07125', () => {
    const r = solved({ ...base, lambdaW: 0.1, lambdaH: 0.1, bias: 'free' });
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    expect(r.metrics[0].nc2Etf!).toBeLessThan(1e-6);
    expect(r.metrics[0].nc2Orthogonal!).toBeCloseTo(0.5176381, 6);
    expect(rel(r.objective, 0.07125)).toBeLessThan(1e-9);
  });
  for (const lb of [0.05, 0.5, 1, 10]) {
    it(`regularised bias λ_b = ${lb}: objective, b, ‖h_G‖² and Gram entries within 1e-6`, () => {
      const r = solved({ ...base, lambdaW: 0.1, lambdaH: 0.1, lambdaB: lb });
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
      expect(r.metrics[0].nc2Etf!).toBeLessThan(1e-6);
    });
  }
  it('reproduces the paper with plain GD (step 0.5) on λ = 0.1', () => {
    const r = solved({ ...base, lambdaW: 0.1, lambdaH: 0.1, solver: { method: 'gd', lr: 0.5, maxSteps: 20_000 } });
    expect(r.reason).toBe('gradTol');
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    expect(r.history[0].objective).toBeGreaterThan(r.objective);
  });
  for (const solver of [{ method: 'momentum' as const, lr: 0.1, maxSteps: 8000 }, { method: 'adam' as const, lr: 0.01, maxSteps: 8000 }]) {
    it(`${solver.method} also reaches Thm 3.1 within 1e-6 (λ = 0.1)`, () => {
      const r = solved({ ...base, lambdaW: 0.1, lambdaH: 0.1, solver });
      expect(r.converged).toBe(true);
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    });
  }
  it('class imbalance: per-class closed form (norms ‖μ_k‖² differ by class) within 1e-6', () => {
    const r = solved({ model: 'mse', K: 3, n: [6, 3, 1], d: 6, lambdaW: 0.3, lambdaH: 0.3, solver: LBFGS });
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    const norms = r.comparison!.checks.find((c) => c.quantity === 'classMeanSqNorm[1]')!.predicted;
    expect(norms[0]).not.toBeCloseTo(norms[2], 3);
  });
});

describe('cross-entropy UFM reaches the simplex-ETF closed form', () => {
  it('K = 4, n = 5, λ = 0.01: objective, norms and margin within 1e-6; NC2_ETF ≈ 0', () => {
    const r = solved({ model: 'ce', K: 4, n: 5, d: 10, lambdaW: 0.01, lambdaH: 0.01, solver: LBFGS });
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    expect(r.metrics[0].nc2Etf!).toBeLessThan(1e-6);
    expect(r.metrics[0].nc1TraceRatio!).toBeLessThan(1e-10);
  });
});

describe('extended UFM (§6.4, §6.5)', () => {
  const rows: [number, number, number, number][] = [[0.05, 0.05, 0.05, 0.07372831], [0.02, 0.1, 0.05, 0.06852932], [0.2, 0.2, 0.2, 0.27840103]];
  for (const [w2, w1, h1, f] of rows) {
    it(`linear (${w2}, ${w1}, ${h1}): f* = ${f}, per-layer norms and W spectra within 1e-6; both levels OF`, () => {
      const r = solved({ model: 'extended-linear', K: 4, n: 5, d: 10, lambdaW: [w1, w2], lambdaH: h1, solver: LBFGS });
      expect(rel(r.objective, f)).toBeLessThan(1e-6);
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
      for (const m of r.metrics) {
        expect(m.nc1TraceRatio!).toBeLessThan(1e-10);
        expect(m.nc2Orthogonal!).toBeLessThan(1e-6);
      }
    });
  }
  it('ReLU (λ = 0.05): the best of several restarts reaches 0.07372831; H_2 ≥ 0 is an OF, H_1 is not', () => {
    const r = solved({ model: 'extended-relu', K: 4, n: 5, d: 10, lambdaW: 0.05, lambdaH: 0.05, solver: LBFGS, restarts: 6 });
    expect(rel(r.objective, 0.07372831124871)).toBeLessThan(1e-6);
    expect(r.restarts.some((s) => s.objective > 0.08)).toBe(true); // some starts stop in worse minima
    expect(r.metrics[1].nc2Orthogonal!).toBeLessThan(1e-6);
    expect(r.metrics[1].nc3!).toBeLessThan(1e-6);
    expect(r.metrics[0].nc1TraceRatio!).toBeLessThan(1e-8);
    expect(r.metrics[0].nc2Orthogonal!).toBeGreaterThan(0.05);
    const norms = r.comparison!.checks.find((c) => c.quantity === 'classMeanSqNorm[1]')!;
    expect(norms.relativeError).toBeLessThan(1e-6); // ‖h̄1_k‖² = 0.96578707
  });
});

describe('deep linear UFM (deep-linear notes §6)', () => {
  it('O1 (mixed λ and widths), plain GD lr 0.5: objective, norms per layer and W_lW_lᵀ eigenvalues within 1e-6', () => {
    const r = solved({ model: 'deep-linear', K: 3, n: 2, d: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05, solver: { method: 'gd', lr: 0.5, maxSteps: 50_000 } });
    expect(rel(r.objective, 0.335853941229)).toBeLessThan(1e-9);
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    [1.054800034, 1.758000057, 0.6592500214].forEach((v, l) => expect(rel(r.layers[l].sqSingularValues[2], v)).toBeLessThan(1e-6));
    expect(r.layers[0].sqSingularValues[3]).toBeLessThan(1e-10); // rank K
  });
  it('O2 (K = 3, n = 10, L = 4, d = 20, λ = 0.01) and O7 (K = 10, L = 3): closed form within 1e-6', () => {
    const o2 = solved({ model: 'deep-linear', K: 3, n: 10, d: 20, depth: 4, lambdaW: 0.01, lambdaH: 0.01, solver: LBFGS });
    expect(rel(o2.objective, 0.117702523918)).toBeLessThan(1e-9);
    expect(o2.comparison!.maxRelativeError).toBeLessThan(1e-6);
    expect(rel(o2.layers[2].sqSingularValues[0], 1.553359036)).toBeLessThan(1e-6);
    const o7 = solved({ model: 'deep-linear', K: 10, n: 5, d: 16, depth: 3, lambdaW: 5e-3, lambdaH: 5e-3, solver: LBFGS });
    expect(o7.comparison!.maxRelativeError).toBeLessThan(1e-6);
    expect(rel(o7.layers[1].sqSingularValues[9], 1.435955383)).toBeLessThan(1e-6);
    for (const m of o7.metrics) expect(m.nc2Orthogonal!).toBeLessThan(1e-6);
  });
  it('O3 (plain UFM in the deep scaling, K = 4, n = 5, d = 8, λ = 0.01): objective 0.0854427191, 16… WWᵀ = 2.036067977', () => {
    const r = solved({ model: 'deep-linear', K: 4, n: 5, d: 8, depth: 1, lambdaW: 0.01, lambdaH: 0.01, solver: LBFGS });
    expect(rel(r.objective, 0.0854427191)).toBeLessThan(1e-9);
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    for (const v of r.layers[0].sqSingularValues) expect(rel(v, 2.036067977)).toBeLessThan(1e-6);
  });
  it('O4 (K = 2 near the threshold): x* = 0.681051722071, objective 0.485304549867', () => {
    const r = solved({ model: 'deep-linear', K: 2, n: 3, d: 4, depth: 3, lambdaW: 0.1, lambdaH: 0.1, solver: { method: 'gd', lr: 0.2, maxSteps: 20_000 } });
    expect(rel(r.objective, 0.485304549867)).toBeLessThan(1e-9);
    expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
  });
  it('O5: for b = 0.33 GD converges to the local-only DNC point (objective 0.590698 > ½ of the global zero)', () => {
    const lam = 0.33 / (3 * Math.pow(2, 0.25));
    const r = solveUfm({ model: 'deep-linear', K: 3, n: 2, d: 6, depth: 3, lambdaW: lam, lambdaH: lam, solver: { method: 'gd', lr: 0.5, maxSteps: 20_000 } });
    if (r.theory?.kind !== 'deep-linear') throw new Error('expected deep-linear theory');
    expect(r.theory.objective).toBe(0.5);
    expect(rel(r.objective, 0.590697980549)).toBeLessThan(1e-8);
    expect(r.objective).toBeGreaterThan(0.5);
  });
  it('O6: for b = 0.5 > b_loc GD converges to zero', () => {
    const lam = 0.5 / (3 * Math.pow(2, 0.25));
    const r = solveUfm({ model: 'deep-linear', K: 3, n: 2, d: 6, depth: 3, lambdaW: lam, lambdaH: lam, solver: { method: 'gd', lr: 0.5, maxSteps: 20_000 } });
    expect(r.objective).toBeCloseTo(0.5, 9);
  });
});

describe('initialisation scale: small starts fall into the predicted bad minima, the default does not', () => {
  const cfg = { model: 'deep-linear' as const, K: 3, n: 4, d: 6, depth: 3, lambdaW: 0.02, lambdaH: 0.02, solver: { method: 'gd' as const, lr: 0.5, maxSteps: 20_000, gradTol: 1e-9 } };
  it('initScale 0.1 converges to the zero minimum (objective ½, rank 0)', () => {
    const r = solveUfm({ ...cfg, initScale: 0.1 });
    expect(r.objective).toBeCloseTo(0.5, 9);
    expect(r.layers[0].sqSingularValues[0]).toBeLessThan(1e-8);
  });
  it('initScale 0.3 converges to the rank-1 DNC minimum predicted by the closed form (0.388646)', () => {
    const r = solveUfm({ ...cfg, initScale: 0.3 });
    if (r.theory?.kind !== 'deep-linear') throw new Error('expected deep-linear theory');
    expect(rel(r.objective, r.theory.deepLinear.rankObjectives[1]!)).toBeLessThan(1e-8);
    expect(r.objective).toBeCloseTo(0.388646, 6);
    expect(r.layers[1].sqSingularValues[1] / r.layers[1].sqSingularValues[0]).toBeLessThan(1e-8);
  });
  it('the default scale reaches the global optimum for several seeds', () => {
    for (const seed of [0, 2, 3]) {
      const r = solveUfm({ ...cfg, seed, solver: { ...cfg.solver, lr: 0.2 } });
      expect(r.comparison!.maxRelativeError).toBeLessThan(1e-6);
    }
  });
});

describe('deep ReLU UFM: low-rank bias (Súkeník, Lampert & Mondelli)', () => {
  it('K = 3, L = 4, λ = 0.01: restarts find a solution below the DNC reference with a rank-2 layer', () => {
    const r = solveUfm({ model: 'deep-relu', K: 3, n: 3, d: 8, depth: 4, lambdaW: 0.01, lambdaH: 0.01, solver: { method: 'lbfgs', maxSteps: 2000 }, restarts: 4 });
    const lr = r.lowRank!;
    expect(lr.dncObjective).toBeCloseTo(0.0927151290227, 10);
    expect(lr.beatsDnc).toBe(true);
    expect(r.objective).toBeLessThan(lr.dncObjective! - 1e-3);
    expect(Math.min(...lr.layers.map((l) => l.rank))).toBeLessThan(3);
    expect(r.theory!.objective).toBeNull();
  });
  it('K = 2, L = 2 (DNC optimal for binary, two layers): GD reaches the DNC objective with rank-2 means', () => {
    const r = solveUfm({ model: 'deep-relu', K: 2, n: 3, d: 8, depth: 2, lambdaW: 0.05, lambdaH: 0.05, solver: LBFGS, restarts: 4 });
    expect(Math.abs(r.lowRank!.gap!)).toBeLessThan(1e-8);
    expect(r.lowRank!.layers.every((l) => l.rank === 2)).toBe(true);
  });
});
