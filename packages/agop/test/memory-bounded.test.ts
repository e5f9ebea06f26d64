import { describe, expect, it } from 'vitest';
import { NumericalError } from '@nclab/backend/host';
import { fitKernelRidge, kernelAgop, kernelAgopBlocked, kernelMatrix, oneHot, resolveKernel, solveKernelMixed, solveKernelSystem } from '../src/index.js';
import { randn, relErr } from './helpers.js';

/** Unit-norm rows of a seeded Gaussian sample with 3 class-shifted clusters (as Deep RFM feeds its kernels). */
function data(n: number, d: number, seed: number) {
  const x = randn(n, d, seed);
  const labels = new Int32Array(n).map((_, i) => i % 3);
  for (let i = 0; i < n; i++) {
    x.data[i * d + labels[i]] += 2;
    let s = 0;
    for (let k = 0; k < d; k++) s += x.data[i * d + k] ** 2;
    for (let k = 0; k < d; k++) x.data[i * d + k] /= Math.sqrt(s);
  }
  return { x, y: oneHot(labels, 3) };
}

describe('solveKernelMixed (float32 kernel factored in place, float64 refinement)', () => {
  it('reaches a float64 residual and the float64 Cholesky solution (Laplace kernel, ridge 1e-3)', () => {
    const { x, y } = data(400, 12, 1);
    const kernel = resolveKernel({ kind: 'laplace', bandwidth: 2 });
    const mixed = solveKernelMixed(x, kernel, y, 1e-3, { blockBytes: 8 * 400 * 64 }); // 64-row blocks: several passes
    const exact = solveKernelSystem(kernelMatrix(x, undefined, { kernel }), y, 1e-3);
    expect(mixed.refinement.residual).toBeLessThanOrEqual(1e-11);
    expect(mixed.refinement.iterations).toBeGreaterThan(0);
    // the residual bound times cond(K + μI) (≤ 1e4 here) bounds the difference
    expect(relErr(mixed.alpha.data, exact.alpha.data)).toBeLessThan(1e-8);
  });

  it('throws NumericalError for a ridgeless system that is singular in float32 (duplicated points)', () => {
    const { x, y } = data(60, 4, 2);
    x.data.set(x.data.subarray(0, 4), 4); // rows 0 and 1 equal: K is singular
    expect(() => solveKernelMixed(x, resolveKernel({ kind: 'gaussian', bandwidth: 1 }), y, 0)).toThrow(NumericalError);
  });
});

describe('kernelAgopBlocked (per-output gradient form in row blocks)', () => {
  const { x, y } = data(300, 10, 3);
  const model = fitKernelRidge(x, y, { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 1e-3 });

  it('equals the direct and the Gram methods to 1e-8 relative in float64', () => {
    const blocked = kernelAgopBlocked(model, { blockBytes: 8 * 300 * 37 }).agop; // uneven 37-row blocks
    const direct = kernelAgop(model, { method: 'direct', precision: 'float64' }).agop as { data: Float64Array };
    const gram = kernelAgop(model, { method: 'gram', precision: 'float64' }).agop as { data: Float64Array };
    expect(relErr(blocked.data, direct.data)).toBeLessThan(1e-8);
    expect(relErr(blocked.data, gram.data)).toBeLessThan(1e-8);
  });

  it('with float32 products stays within 1e-5 relative (Frobenius) of float64', () => {
    const f64 = kernelAgopBlocked(model, { normalize: 'max' });
    const f32 = kernelAgopBlocked(model, { normalize: 'max', precision: 'mixed' });
    expect(f32.precision).toBe('mixed');
    expect(relErr(f32.agop.data, f64.agop.data)).toBeLessThan(1e-5);
    expect(Math.abs(f32.scale / f64.scale - 1)).toBeLessThan(1e-5);
  });
});
