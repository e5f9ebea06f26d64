/**
 * Label vectors and label (target) matrices.
 */
import { InvalidArgumentError, assertInteger, type Matrix } from '@nclab/backend/host';

/** Options of {@link labelMatrix}. */
export interface LabelMatrixOptions {
  /** `'zero-one'` (default): 1 for the true class, 0 elsewhere; `'plus-minus'`: +1 and −1. */
  coding?: 'zero-one' | 'plus-minus';
  /** `'classes-by-samples'` (default): Y is `[K, N]`; `'samples-by-classes'`: Yᵀ, `[N, K]`. */
  layout?: 'classes-by-samples' | 'samples-by-classes';
}

/**
 * Class-blocked labels `[0 × n, 1 × n, …, (K−1) × n]`, the order every synthetic generator uses.
 * @param numClasses - K ≥ 1.
 * @param perClass - n ≥ 1.
 * @returns `Int32Array` of length K·n.
 * @example
 * blockLabels(2, 3); // Int32Array [0, 0, 0, 1, 1, 1]
 */
export function blockLabels(numClasses: number, perClass: number): Int32Array {
  assertInteger('numClasses', numClasses, 1);
  assertInteger('perClass', perClass, 1);
  const out = new Int32Array(numClasses * perClass);
  for (let k = 0; k < numClasses; k++) out.fill(k, k * perClass, (k + 1) * perClass);
  return out;
}

/**
 * The label matrix of `labels`: Y[k, i] = 1 if labels[i] = k, else 0 (`'zero-one'`) or −1 (`'plus-minus'`).
 * For class-blocked labels ({@link blockLabels}) this is
 * ```math
 * Y = I_K ⊗ 1_nᵀ  (zero-one),   Y = 2 (I_K ⊗ 1_nᵀ) − 1_K 1_{Kn}ᵀ  (plus-minus)
 * ```
 * @param labels - `[N]` integers in `[0, K)`.
 * @param numClasses - K.
 * @param options - `coding`, `layout`.
 * @returns float64 `Matrix` `[K, N]` (or `[N, K]`).
 * @throws {InvalidArgumentError} on a label outside `[0, K)` or a bad option.
 * @example
 * labelMatrix(Int32Array.from([0, 1, 1]), 2, { coding: 'plus-minus' }); // [[1, -1, -1], [-1, 1, 1]]
 */
export function labelMatrix(labels: ArrayLike<number>, numClasses: number, options: LabelMatrixOptions = {}): Matrix {
  const coding = options.coding ?? 'zero-one';
  const layout = options.layout ?? 'classes-by-samples';
  if (coding !== 'zero-one' && coding !== 'plus-minus') throw new InvalidArgumentError('coding', "'zero-one' or 'plus-minus'", coding);
  if (layout !== 'classes-by-samples' && layout !== 'samples-by-classes') {
    throw new InvalidArgumentError('layout', "'classes-by-samples' or 'samples-by-classes'", layout);
  }
  assertInteger('numClasses', numClasses, 1);
  const K = numClasses;
  const N = labels.length;
  const off = coding === 'plus-minus' ? -1 : 0;
  const data = new Float64Array(K * N).fill(off);
  const byClass = layout === 'classes-by-samples';
  for (let i = 0; i < N; i++) {
    const k = labels[i];
    if (!Number.isInteger(k) || k < 0 || k >= K) throw new InvalidArgumentError('labels', `integers in [0, ${K})`, k, `at index ${i}`);
    data[byClass ? k * N + i : i * K + k] = 1;
  }
  return byClass ? { rows: K, cols: N, data } : { rows: N, cols: K, data };
}

/**
 * Y = I_K ⊗ 1_nᵀ (or its ±1 coding): the label matrix of K classes with n samples each, class-blocked.
 * Same as `labelMatrix(blockLabels(K, n), K, options)`.
 * @returns float64 `Matrix` `[K, K·n]` (or `[K·n, K]`).
 * @example
 * blockLabelMatrix(2, 2); // [[1, 1, 0, 0], [0, 0, 1, 1]]
 */
export function blockLabelMatrix(numClasses: number, perClass: number, options: LabelMatrixOptions = {}): Matrix {
  return labelMatrix(blockLabels(numClasses, perClass), numClasses, options);
}
