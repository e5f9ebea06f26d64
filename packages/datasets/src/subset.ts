/**
 * Balanced (equal count per class) subsets.
 */
import { InvalidArgumentError, assertInteger, createRng } from '@nclab/backend/host';

/** Options of {@link balancedIndices}. */
export interface BalancedOptions {
  /** n: samples to take from every class. */
  perClass: number;
  /** K; defaults to max label + 1. Every class in [0, K) must have at least n samples. */
  numClasses?: number;
  /** `'first'` (default): the first n of each class in file order; `'random'`: n drawn without replacement. */
  selection?: 'first' | 'random';
  /** Seed of the `'random'` draw (default 0); the same seed gives the same subset on every machine. */
  seed?: number;
}

/**
 * Indices of a balanced subset: n samples of each of the K classes, grouped by class
 * (class 0's block first) and in file order within a class, so the label vector is
 * `[0 × n, 1 × n, …, (K−1) × n]` and its one-hot matrix is `Y = I_K ⊗ 1_nᵀ`.
 * @param labels - `[N]` class labels in `[0, K)`.
 * @param options - see {@link BalancedOptions}.
 * @returns `Int32Array` of length `K·n`.
 * @throws {InvalidArgumentError} when `perClass` is not a positive integer, a label is outside `[0, K)`,
 *   or a class has fewer than `perClass` samples (the message names the class and its count).
 * @example
 * balancedIndices(Int32Array.from([1, 0, 1, 0, 0]), { perClass: 2 }); // returns Int32Array [1, 3, 0, 2]
 */
export function balancedIndices(labels: ArrayLike<number>, options: BalancedOptions): Int32Array {
  const { perClass, selection = 'first', seed = 0 } = options;
  assertInteger('perClass', perClass, 1);
  if (selection !== 'first' && selection !== 'random') throw new InvalidArgumentError('selection', "'first' or 'random'", selection);
  let K = options.numClasses;
  if (K === undefined) {
    K = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] + 1 > K) K = labels[i] + 1;
  }
  assertInteger('numClasses', K, 1);
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= K) throw new InvalidArgumentError('labels', `integers in [0, ${K})`, c, `at index ${i}`);
    byClass[c].push(i);
  }
  const out = new Int32Array(K * perClass);
  const rng = selection === 'random' ? createRng(seed) : null;
  for (let c = 0; c < K; c++) {
    const idx = byClass[c];
    if (idx.length < perClass) {
      throw new InvalidArgumentError('perClass', `at most the smallest class size`, perClass, `class ${c} has ${idx.length} samples`);
    }
    let chosen: number[];
    if (rng) {
      const p = rng.permutation(idx.length);
      chosen = Array.from(p.subarray(0, perClass), (k) => idx[k]).sort((a, b) => a - b);
    } else {
      chosen = idx.slice(0, perClass);
    }
    out.set(chosen, c * perClass);
  }
  return out;
}

/**
 * Counts per class.
 * @param labels - `[N]` labels in `[0, K)`.
 * @param numClasses - K.
 * @returns `Int32Array` of length K.
 * @example
 * classCounts(Int32Array.from([0, 2, 2]), 3); // returns Int32Array [1, 0, 2]
 */
export function classCounts(labels: ArrayLike<number>, numClasses: number): Int32Array {
  assertInteger('numClasses', numClasses, 1);
  const c = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= numClasses) throw new InvalidArgumentError('labels', `integers in [0, ${numClasses})`, l, `at index ${i}`);
    c[l]++;
  }
  return c;
}
