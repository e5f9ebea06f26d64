import { createRng, type Matrix } from '@nclab/backend/host';

/**
 * Two classes that no linear map separates: class 0 near ±e₀, class 1 near ±e₁ (each point's sign
 * random), Gaussian noise of the given size in all d coordinates.
 */
export function antipodalClusters(perClass: number, d: number, noise: number, seed: number): { x: Matrix; labels: number[] } {
  const rng = createRng(seed);
  const n = 2 * perClass;
  const data = new Float64Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i < perClass ? 0 : 1;
    labels.push(c);
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    for (let k = 0; k < d; k++) data[i * d + k] = noise * rng.normal();
    data[i * d + c] += sign;
  }
  return { x: { rows: n, cols: d, data }, labels };
}

/** K Gaussian blobs with random means of norm 1 in d dimensions. */
export function blobs(perClass: number, K: number, d: number, noise: number, seed: number): { x: Matrix; labels: number[] } {
  const rng = createRng(seed);
  const means = rng.normalArray(K * d) as Float64Array;
  for (let c = 0; c < K; c++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += means[c * d + k] ** 2;
    for (let k = 0; k < d; k++) means[c * d + k] /= Math.sqrt(s);
  }
  const n = K * perClass;
  const data = new Float64Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / perClass);
    labels.push(c);
    for (let k = 0; k < d; k++) data[i * d + k] = means[c * d + k] + noise * rng.normal();
  }
  return { x: { rows: n, cols: d, data }, labels };
}
