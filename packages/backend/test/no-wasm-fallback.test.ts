import { describe, expect, it } from 'vitest';
import { identityError, maxAbsDiff, naiveMul, randn, randomSymmetric } from './helpers.js';

// The portable path runs its hot loops (GEMM micro-kernel, eigensolver, Jacobi SVD) as WebAssembly
// SIMD kernels; where WebAssembly is unavailable it uses TypeScript twins. This file forces the twins
// (NCLAB_NO_WASM is read when the kernels are first compiled, i.e. on first use in this process).
process.env.NCLAB_NO_WASM = '1';

describe('portable path without WebAssembly kernels', () => {
  it('gemm (TypeScript 4×4 micro-kernel) matches the triple loop', async () => {
    const { gemmPortable } = await import('../src/linalg/portable/products.js');
    const a = randn(29, 70, 41);
    const b = randn(70, 11, 42);
    expect(maxAbsDiff(gemmPortable(a, b, { alpha: 2 }).data, naiveMul(a, b).data.map((v) => 2 * v))).toBeLessThan(1e-12);
  });

  it('makes no kernel arena (callers keep plain arrays), and thin products take the TypeScript loops', async () => {
    const { createKernelArena } = await import('../src/linalg/portable/kernel-arena.js');
    const { runThin } = await import('../src/linalg/portable/gemm-thin.js');
    const { gemmPortable } = await import('../src/linalg/portable/products.js');
    expect(createKernelArena(1024)).toBeNull();
    const a = randn(10, 64, 44);
    const b = randn(64, 300, 45);
    const job = { m: 10, n: 300, k: 64, alpha: 1, a: a.data, aOff: 0, lda: 64, transA: false, b: b.data, bOff: 0, ldb: 300, transB: false, c: new Float64Array(3000), cOff: 0, ldc: 300, lower: false };
    expect(runThin(job)).toBe(false);
    expect(maxAbsDiff(gemmPortable(a, b).data, naiveMul(a, b).data)).toBeLessThan(1e-12);
  });

  it('svd (TypeScript Jacobi) reconstructs A with orthonormal factors', async () => {
    const { svdPortable } = await import('../src/linalg/portable/svd.js');
    const a = randn(23, 9, 43);
    const { u, s, vt } = svdPortable(a);
    const us = { rows: 23, cols: 9, data: u.data.map((v, i) => v * s[i % 9]) };
    expect(maxAbsDiff(naiveMul(us, vt).data, a.data)).toBeLessThan(1e-12 * s[0] * 9);
    expect(identityError(u, false)).toBeLessThan(1e-12);
  });

  it('eigh (TypeScript twins of the kernels) satisfies A·V = V·D, VᵀV = I', async () => {
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
  });

  it('float32 Cholesky and its blocked solve (float64 loops on the operands they read) refine to a float64 answer', async () => {
    const { solveSpdMixed } = await import('../src/linalg/refine.js');
    const { setLinalgPath } = await import('../src/linalg/path.js');
    setLinalgPath('portable');
    try {
      const n = 300; // two 192-row blocks: the panel, trailing and substitution updates all run, with offsets and transposes
      const x = randn(n, n, 51);
      const a = naiveMul(x, x, true, false);
      for (let i = 0; i < n * n; i++) a.data[i] /= n;
      for (let i = 0; i < n; i++) a.data[i * n + i] += 1;
      const b = randn(n, 3, 52);
      const { x: sol, iterations, residual } = solveSpdMixed(a, b);
      expect(iterations).toBeGreaterThan(0);
      expect(residual).toBeLessThanOrEqual(1e-13);
      expect(maxAbsDiff(naiveMul(a, sol).data, b.data)).toBeLessThan(1e-11);
    } finally {
      setLinalgPath('auto');
    }
  });

  it('the WebAssembly module assembles and validates', async () => {
    const { assembleEighKernels } = await import('../src/linalg/portable/wasm-kernels.js');
    expect(WebAssembly.validate(assembleEighKernels())).toBe(true);
  });
});

describe('relu passes without WebAssembly kernels', () => {
  it('reluInPlace and reluMaskInPlace take the scalar loops and keep max(z, 0) semantics', async () => {
    const { reluInPlace, reluMaskInPlace, getKernels } = await import('../src/host/relu.js');
    expect(getKernels()).toBeNull();
    const z = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? -i : i));
    z[299] = NaN;
    const h = z.slice();
    reluInPlace(z);
    z.forEach((v, i) => expect(Object.is(v, i === 299 ? NaN : i % 3 === 2 ? i : 0)).toBe(true));
    const g = new Float32Array(300).fill(1);
    reluMaskInPlace(g, h);
    g.forEach((v, i) => expect(v).toBe(i === 299 || i % 3 === 2 ? 1 : 0));
  });
});
