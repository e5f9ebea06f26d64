import { beforeAll, describe, expect, it } from 'vitest';
import { getTf, initEngine, transpose, gemm, type Matrix } from '../src/index.js';
import { maxAbsDiff, randn } from './helpers.js';

const op = (m: Matrix, t: boolean): Matrix => (t ? transpose(m) : m);

// L = Σ (op(A)·op(B)) ⊙ G. With P = op(A), Q = op(B): dL/dP = G Qᵀ, dL/dQ = Pᵀ G, mapped back through op.
describe.each(['wasm', 'cpu'] as const)('BatchMatMul gradient on %s (no transpose flags on the fast path)', (engine) => {
  beforeAll(async () => {
    await initEngine({ engine });
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('matches the float64 closed form for transposeA=%s, transposeB=%s', (ta, tb) => {
    const tf = getTf();
    const [m, k, n] = [5, 4, 3];
    const A = randn(ta ? k : m, ta ? m : k, 1);
    const B = randn(tb ? n : k, tb ? k : n, 2);
    const G = randn(m, n, 3);
    const P = op(A, ta);
    const Q = op(B, tb);
    const dP = gemm(G, Q, { transB: true });
    const dQ = gemm(P, G, { transA: true });
    const wantA = op(dP, ta);
    const wantB = op(dQ, tb);
    const g = tf.tensor2d(Float32Array.from(G.data), [m, n]);
    const [gA, gB] = tf.grads((a: any, b: any) => tf.sum(tf.mul(tf.matMul(a, b, ta, tb), g)))([
      tf.tensor2d(Float32Array.from(A.data), [A.rows, A.cols]),
      tf.tensor2d(Float32Array.from(B.data), [B.rows, B.cols]),
    ]);
    expect(gA.shape).toEqual([A.rows, A.cols]);
    expect(gB.shape).toEqual([B.rows, B.cols]);
    expect(maxAbsDiff(gA.dataSync(), wantA.data)).toBeLessThan(1e-4);
    expect(maxAbsDiff(gB.dataSync(), wantB.data)).toBeLessThan(1e-4);
  });

  it('runs the backward pass as explicit transposes and flag-free products', async () => {
    const tf = getTf();
    const a = tf.tensor2d(Float32Array.from(randn(6, 4, 8).data), [6, 4]);
    const b = tf.tensor2d(Float32Array.from(randn(4, 3, 9).data), [4, 3]);
    const info = await tf.profile(() => tf.grads((x: any, y: any) => tf.sum(tf.matMul(x, y)))([a, b]));
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain('Transpose');
    expect(names.filter((n) => n === 'BatchMatMul').length).toBeGreaterThanOrEqual(3);
  });

  it('supports double backward: d/dA Σ (∂L/∂B ⊙ V) = G Vᵀ for L = Σ (AB) ⊙ G', () => {
    const tf = getTf();
    const [m, k, n] = [4, 3, 5];
    const A = randn(m, k, 4);
    const B = randn(k, n, 5);
    const G = randn(m, n, 6);
    const V = randn(k, n, 7);
    const t = (x: Matrix) => tf.tensor2d(Float32Array.from(x.data), [x.rows, x.cols]);
    const g = t(G);
    const v = t(V);
    const b = t(B);
    const f = (a: any) => {
      const gradB = tf.grad((bb: any) => tf.sum(tf.mul(tf.matMul(a, bb), g)))(b);
      return tf.sum(tf.mul(gradB, v));
    };
    const got = tf.grad(f)(t(A));
    const want = gemm(G, V, { transB: true });
    expect(maxAbsDiff(got.dataSync(), want.data)).toBeLessThan(1e-4);
  });
});
