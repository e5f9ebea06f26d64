import { createRng, type Matrix } from '../src/index.js';

/** A random [r, c] float64 matrix with standard normal entries. */
export function randn(r: number, c: number, seed: number): Matrix {
  return { rows: r, cols: c, data: createRng(seed).normalArray(r * c) as Float64Array };
}

/** Naive triple-loop product (the reference for GEMM). */
export function naiveMul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a.data[p * a.cols + i] : a.data[i * a.cols + p];
        const bv = transB ? b.data[j * b.cols + p] : b.data[p * b.cols + j];
        s += av * bv;
      }
      out[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: out };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** A random symmetric [n, n] matrix (X + Xᵀ). */
export function randomSymmetric(n: number, seed: number): Matrix {
  const x = randn(n, n, seed);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = x.data[i * n + j] + x.data[j * n + i];
  return { rows: n, cols: n, data: out };
}

/** A random SPD [n, n] matrix XᵀX/n + I. */
export function randomSpd(n: number, seed: number): Matrix {
  const x = randn(n, n, seed);
  const g = naiveMul(x, x, true, false);
  for (let i = 0; i < g.data.length; i++) g.data[i] /= n;
  for (let i = 0; i < n; i++) g.data[i * n + i] += 1;
  return g;
}

/** A random [m, n] matrix of exact rank r (product of [m, r] and [r, n] Gaussians). */
export function randomRank(m: number, n: number, r: number, seed: number): Matrix {
  return naiveMul(randn(m, r, seed), randn(r, n, seed + 1));
}

export function identityError(q: Matrix, trans: boolean): number {
  // trans false: QᵀQ − I (orthonormal columns); true: Q Qᵀ − I (orthonormal rows).
  const g = trans ? naiveMul(q, q, false, true) : naiveMul(q, q, true, false);
  let m = 0;
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) m = Math.max(m, Math.abs(g.data[i * g.cols + j] - (i === j ? 1 : 0)));
  return m;
}
