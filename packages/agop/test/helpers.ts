import { createRng, type Matrix } from '@nclab/backend/host';

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
