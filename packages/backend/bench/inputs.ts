/**
 * Inputs shared by the backend benchmarks and their NumPy peers (written as .npy in setup).
 * All are O(n²) to build, so setup stays fast on either linear-algebra path.
 */
import { writeNpyInput } from '@nclab/bench';
import { createRng, type Matrix, type Matrix32 } from '../src/index.js';

/** A [n, n] standard-normal float64 matrix and its .npy path. */
export function gaussianInput(n: number, seed: number): { a: Matrix; path: string } {
  const a: Matrix = { rows: n, cols: n, data: createRng(seed).normalArray(n * n) as Float64Array };
  return { a, path: writeNpyInput(`backend-gauss-${n}-s${seed}`, { data: a.data, shape: [n, n] }) };
}

/** A symmetric [n, n] float64 matrix X + Xᵀ (X standard normal). */
export function symmetricInput(n: number, seed: number): { a: Matrix; path: string } {
  const x = createRng(seed).normalArray(n * n) as Float64Array;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = x[i * n + j] + x[j * n + i];
  const a: Matrix = { rows: n, cols: n, data: d };
  return { a, path: writeNpyInput(`backend-sym-${n}-s${seed}`, { data: d, shape: [n, n] }) };
}

/** A symmetric, strictly diagonally dominant (hence SPD) [n, n] matrix: 2I + S/n, S_ij ∈ [-1, 1). */
export function spdInput(n: number, seed: number): { a: Matrix; path: string } {
  const u = createRng(seed).uniformArray(n * n, -1, 1) as Float64Array;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = u[i * n + j] / n;
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
    d[i * n + i] = 2;
  }
  const a: Matrix = { rows: n, cols: n, data: d };
  return { a, path: writeNpyInput(`backend-spd-${n}-s${seed}`, { data: d, shape: [n, n] }) };
}

/** A [n, d] float32 matrix with uniform [0, 1) entries (pixel-like features). */
export function featuresInput(n: number, d: number, seed: number): { x: Matrix32; path: string } {
  const x: Matrix32 = { rows: n, cols: d, data: createRng(seed).uniformArray(n * d, 0, 1, Float32Array) as Float32Array };
  return { x, path: writeNpyInput(`backend-feat-${n}x${d}-s${seed}`, { data: x.data, shape: [n, d] }) };
}

/** Relative difference |a − b| / max(|b|, tiny): @nclab/bench's, re-exported for this folder's benches. */
export { rel } from '@nclab/bench';
