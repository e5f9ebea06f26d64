import { describe, expect, it } from 'vitest';
import { createRng, gemm, InvalidArgumentError, type Matrix } from '@nclab/backend/host';
import { classIndicators, collapsedGram, gramDistance, kernelModelObjective } from '../src/kernel-model/objective.js';
import { realizeCollapsedGram, solveKernelModel } from '../src/kernel-model/index.js';

/** A random PSD unit-diagonal N×N matrix VᵀV (unit columns). */
function randomCorrelation(N: number, seed: number): Matrix {
  const v = Float64Array.from(createRng(seed).normalArray(N * N));
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += v[i * N + j] ** 2;
    for (let i = 0; i < N; i++) v[i * N + j] /= Math.sqrt(s);
  }
  const m = { rows: N, cols: N, data: v };
  return gemm(m, m, { transA: true });
}

describe('kernel model objective', () => {
  it('closed forms: f(I_K ⊗ 11ᵀ) = n/(n+μ), f(I) = 1/(1+μ)', () => {
    const y = classIndicators(3, 4);
    expect(kernelModelObjective(collapsedGram(3, 4), y, 0.5).value).toBeCloseTo(4 / 4.5, 12);
    const eye = { rows: 12, cols: 12, data: Float64Array.from({ length: 144 }, (_, p) => (p % 13 === 0 ? 1 : 0)) };
    expect(kernelModelObjective(eye, y, 0.5).value).toBeCloseTo(1 / 1.5, 12);
    expect(gramDistance(collapsedGram(3, 4), 3, 4)).toBe(0);
  });

  it('gradient equals central finite differences along a symmetric direction', () => {
    const N = 6;
    const y = classIndicators(2, 3);
    const k = randomCorrelation(N, 3);
    const { grad } = kernelModelObjective(k, y, 0.3);
    const dRaw = createRng(4).normalArray(N * N);
    const d = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) d[i * N + j] = 0.5 * (dRaw[i * N + j] + dRaw[j * N + i]);
    const h = 1e-5;
    const at = (s: number): number => kernelModelObjective({ rows: N, cols: N, data: k.data.map((v, p) => v + s * d[p]) }, y, 0.3).value;
    const fd = (at(h) - at(-h)) / (2 * h);
    let an = 0;
    for (let p = 0; p < d.length; p++) an += grad.data[p] * d[p];
    expect(Math.abs(fd - an)).toBeLessThan(1e-8 * Math.max(1, Math.abs(an)));
  });

  it('no feasible k beats the closed form (random correlation matrices)', () => {
    const y = classIndicators(3, 2);
    for (let s = 0; s < 20; s++) expect(kernelModelObjective(randomCorrelation(6, s), y, 1).value).toBeLessThan(2 / 3);
  });
});

describe('solveKernelModel (Theorem 4.4)', () => {
  for (const [K, n, mu] of [[3, 4, 0.5], [2, 5, 2], [4, 2, 0.1]] as const) {
    it(`K = ${K}, n = ${n}, μ = ${mu}: reaches n/(n+μ) at the collapsed Gram from every seeded start`, () => {
      const r = solveKernelModel({ K, n, ridge: mu, seed: 1 });
      expect(r.theoryObjective).toBeCloseTo(n / (n + mu), 15);
      expect(Math.abs(r.objective - r.theoryObjective)).toBeLessThan(1e-9);
      expect(r.gramError).toBeLessThan(1e-4);
      for (const s of r.starts) expect(Math.abs(s.objective - r.theoryObjective)).toBeLessThan(1e-8);
      expect(r.starts.length).toBe(3);
      expect(r.converged).toBe(true);
    });
  }

  it('rejects bad configurations with typed errors', () => {
    expect(() => solveKernelModel({ K: 1, n: 2, ridge: 1 })).toThrow(InvalidArgumentError);
    expect(() => solveKernelModel({ K: 2, n: 2, ridge: 0 })).toThrow(InvalidArgumentError);
    expect(() => solveKernelModel(undefined as never)).toThrow(InvalidArgumentError);
  });
});

describe('realizeCollapsedGram (Mahalanobis construction)', () => {
  const K = 3;
  const n = 3;
  const N = K * n;
  const x: Matrix = { rows: N, cols: 12, data: Float64Array.from(createRng(11).normalArray(N * 12)) };
  const labels = Array.from({ length: N }, (_, i) => i % K); // interleaved classes: no block order needed

  for (const kernel of ['laplace', 'gaussian'] as const) {
    it(`${kernel}: X M_s Xᵀ has the target distances and the Gram error follows √(K−1)·κ(s) → 0`, () => {
      const scales = [0.5, 1, 2, 3];
      const res = realizeCollapsedGram(x, labels, { kernel, bandwidth: 1.5, scales });
      res.forEach((r, i) => {
        const kap = kernel === 'laplace' ? Math.exp(-scales[i] / 1.5) : Math.exp(-(scales[i] ** 2) / (2 * 1.5 ** 2));
        expect(r.theoryGramError).toBeCloseTo(Math.sqrt(K - 1) * kap, 12);
        expect(Math.abs(r.gramError - r.theoryGramError)).toBeLessThan(1e-6);
        if (i > 0) expect(r.gramError).toBeLessThan(res[i - 1].gramError);
      });
      const far = realizeCollapsedGram(x, labels, { kernel, scales: [30] })[0];
      expect(far.gramError).toBeLessThan(1e-5);
    });
  }

  it('rejects a non-invertible Gram, bad kernels and scales with typed errors', () => {
    const tall: Matrix = { rows: 6, cols: 2, data: Float64Array.from(createRng(1).normalArray(12)) };
    expect(() => realizeCollapsedGram(tall, [0, 0, 0, 1, 1, 1], { kernel: 'laplace', scales: [1] })).toThrow(InvalidArgumentError);
    expect(() => realizeCollapsedGram(x, labels, { kernel: 'linear' as never, scales: [1] })).toThrow(InvalidArgumentError);
    expect(() => realizeCollapsedGram(x, labels, { kernel: 'gaussian', scales: [0] })).toThrow(InvalidArgumentError);
  });
});
