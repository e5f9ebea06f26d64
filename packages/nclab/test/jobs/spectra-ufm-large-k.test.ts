import { describe, expect, it } from 'vitest';
import { deepUfmSpectra } from '../../src/jobs/spectra-ufm/deep-ufm-spectra.js';

describe('deep UFM spectra at K ≥ 8 (100-fold degenerate outliers)', () => {
  it('O7: K = 10, n = 5, d = 16, depth 3, λ = 5e-3 at the optimum: 100 outliers of 0.05921787696 per layer', async () => {
    const r = await deepUfmSpectra({ K: 10, n: 5, d: 16, depth: 3, lambdaW: 5e-3, lambdaH: 5e-3, atOptimum: true, density: false, layers: [1], seed: 1 });
    expect(r.theory.xStar).toBeCloseTo(0.922140060731, 10);
    const l = r.layers[0];
    expect(l.outliers.length).toBe(100);
    for (const v of l.outliers) expect(v).toBeCloseTo(0.05921787696, 9);
    for (const s of l.weights.singularValues.slice(0, 10)) expect(s * s).toBeCloseTo(1.435955383, 8);
  }, 120_000);
});
