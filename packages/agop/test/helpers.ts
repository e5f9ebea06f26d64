import { createRng, type Matrix } from '@nclab/backend/host';
import { predictKernel, type KernelModel } from '../src/index.js';

/** A seeded standard-normal matrix. */
export function randn(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  return { rows, cols, data: rng.normalArray(rows * cols, 0, scale) as Float64Array };
}

/** A random symmetric PSD matrix AᵀA/d. */
export function randomPsd(d: number, seed: number): Matrix {
  const a = randn(d, d, seed);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += a.data[k * d + i] * a.data[k * d + j];
    out[i * d + j] = s / d;
  }
  return { rows: d, cols: d, data: out };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function row(m: Matrix, i: number): Float64Array {
  return m.data.slice(i * m.cols, (i + 1) * m.cols);
}

/** Central finite differences of every output at point z (row vector). */
export function fdGradient(model: KernelModel, z: Float64Array, h = 1e-6): Float64Array {
  const d = z.length;
  const K = model.alpha.cols;
  const out = new Float64Array(K * d);
  for (let k = 0; k < d; k++) {
    const p = Float64Array.from(z);
    const m = Float64Array.from(z);
    p[k] += h;
    m[k] -= h;
    const fp = predictKernel(model, { rows: 1, cols: d, data: p });
    const fm = predictKernel(model, { rows: 1, cols: d, data: m });
    for (let c = 0; c < K; c++) out[c * d + k] = (fp.data[c] - fm.data[c]) / (2 * h);
  }
  return out;
}

/** Relative Frobenius error ‖a − b‖ / ‖b‖. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

