import { createRng } from '@nclab/backend';
import type { TrainingSet } from '../src/index.js';

/** Gaussian blobs: K classes, n per class, dimension d, class means of norm `sep`. */
export function blobs(K: number, n: number, d: number, sep: number, seed = 0): TrainingSet {
  const rng = createRng(seed);
  const means = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal() * sep / Math.sqrt(d)));
  const x = new Float32Array(K * n * d);
  const labels = new Int32Array(K * n);
  for (let c = 0; c < K; c++) {
    for (let i = 0; i < n; i++) {
      const r = c * n + i;
      labels[r] = c;
      for (let j = 0; j < d; j++) x[r * d + j] = means[c][j] + rng.normal();
    }
  }
  return { x, n: K * n, dim: d, labels, numClasses: K };
}

/** Max |a_i − b_i| / max |b_i|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / (s || 1);
}
