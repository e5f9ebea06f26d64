/** Seeded, class-balanced subsamples (for the eNTK Gram and the CNN's AGOP on a subset). */
import { InvalidArgumentError, assertInteger, createRng } from '@nclab/backend';

/**
 * Picks ⌊n/K⌋ samples of every class (the first classes get one more while n mod K remain; a class with
 * fewer samples gives all it has), uniformly at random without replacement with a seeded generator, and
 * returns their indices sorted by class then by index. Same labels, n and seed: same indices.
 * @param labels - `[N]` in [0, K).
 * @param n - samples wanted (≥ K).
 * @param K - number of classes.
 * @param seed - generator seed.
 * @returns the indices.
 * @throws {InvalidArgumentError} when n < K or a label is outside [0, K).
 * @example
 * balancedSubsample(labels, 100, 10, 0); // 10 indices per class
 */
export function balancedSubsample(labels: ArrayLike<number>, n: number, K: number, seed: number): Int32Array {
  assertInteger('n', n, 1);
  assertInteger('K', K, 1);
  if (n < K) throw new InvalidArgumentError('n', `at least one sample per class (≥ ${K})`, n);
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < K)) throw new InvalidArgumentError('labels', `integers in [0, ${K})`, y, `at index ${i}`);
    byClass[y].push(i);
  }
  const rng = createRng(seed);
  const out: number[] = [];
  byClass.forEach((idx, c) => {
    const want = Math.min(idx.length, Math.floor(n / K) + (c < n % K ? 1 : 0));
    const perm = rng.fork().permutation(idx.length);
    const pick = Array.from(perm.subarray(0, want), (j) => idx[j]).sort((a, b) => a - b);
    out.push(...pick);
  });
  return Int32Array.from(out);
}

/**
 * The rows `idx` of an `[N, d]` row-major array.
 * @returns a new `[idx.length, d]` array.
 * @example
 * takeRows(x, 784, idx);
 */
export function takeRows(x: Float32Array, d: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) out.set(x.subarray(idx[i] * d, (idx[i] + 1) * d), i * d);
  return out;
}
