import { describe, expect, it } from 'vitest';
import { identityError, naiveMul, randomSymmetric } from './helpers.js';

// The portable eigensolver runs its hot loops as WebAssembly SIMD kernels; where WebAssembly is
// unavailable it uses TypeScript twins over the same memory layout. This file forces the twins.
describe('portable eigh without WebAssembly kernels', () => {
  it('gives the same decomposition as the WebAssembly kernels (A·V = V·D, VᵀV = I)', async () => {
    process.env.NCLAB_NO_WASM = '1';
    const { eighPortable } = await import('../src/linalg/portable/eigh.js');
    const { eighKernelModule } = await import('../src/linalg/portable/wasm-kernels.js');
    expect(eighKernelModule()).toBeNull();
    const n = 77; // not a multiple of 8: exercises the padded rows
    const a = randomSymmetric(n, 31);
    const { values, vectors } = eighPortable(a);
    const av = naiveMul(a, vectors);
    let res = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) res = Math.max(res, Math.abs(av.data[i * n + j] - vectors.data[i * n + j] * values[j]));
    expect(res).toBeLessThan(1e-11 * Math.max(Math.abs(values[0]), Math.abs(values[n - 1])));
    expect(identityError(vectors, false)).toBeLessThan(1e-12);
    delete process.env.NCLAB_NO_WASM;
  });

  it('the WebAssembly module assembles and validates', async () => {
    const { assembleEighKernels } = await import('../src/linalg/portable/wasm-kernels.js');
    expect(WebAssembly.validate(assembleEighKernels())).toBe(true);
  });
});
