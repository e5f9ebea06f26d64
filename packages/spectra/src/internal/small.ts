import type { Matrix } from '@nclab/backend';

/** C = A B for small row-major float64 matrices (internal). */
export function mul(a: Matrix, b: Matrix): Matrix {
  const { rows: m, cols: k } = a;
  const n = b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const x = a.data[i * k + t];
      if (x === 0) continue;
      const row = t * n;
      for (let j = 0; j < n; j++) out[i * n + j] += x * b.data[row + j];
    }
  }
  return { rows: m, cols: n, data: out };
}

/** Column j of a row-major matrix as a new vector. */
export function column(a: Matrix, j: number): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + j];
  return out;
}
