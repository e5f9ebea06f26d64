/**
 * Pass 1 of the metric suite: class counts and class means, accumulated in float64 over batches.
 */
import { InvalidArgumentError, assertFinite, assertMatrix, validateLabels } from '@nclab/backend/host';
import type { AnyMatrix, Matrix } from '@nclab/backend/host';
import { ANY_ROWS, compactClasses } from './inputs.js';

/** Class counts and means after pass 1 (empty classes dropped or rejected). */
export interface ClassMeans {
  /** Number of samples N. */
  readonly n: number;
  /** Feature dimension d. */
  readonly d: number;
  /** Number of (non-empty) classes K. */
  readonly K: number;
  /** Samples per class, `[K]`. */
  readonly counts: Float64Array;
  /** Class means μ_k as rows, `[K, d]`, float64. */
  readonly means: Matrix;
  /** Original label of each class (differs from 0..K−1 only when empty classes were dropped). */
  readonly classIds: Int32Array;
  /** Original label → class index (−1 for a dropped class), `[numClasses]`. */
  readonly labelToClass: Int32Array;
  /** Notes on dropped classes and unbalanced counts. */
  readonly warnings: readonly string[];
}

/**
 * Streaming accumulator of class counts and class sums (float64), pass 1 of the suite.
 *
 * Method: per class, s_k ← s_k + Σ_{i in batch, y_i = k} x_i and n_k ← n_k + #; μ_k = s_k / n_k at
 * the end. Float64 sums of float32 features keep a relative error ≈ N·2⁻⁵³ (1e-10 at N = 1e6).
 * Empty state: `finalize()` on no data throws (every class is empty).
 *
 * @example
 * const acc = new ClassMeanAccumulator({ numClasses: 10, dim: 512 });
 * for (const { features, labels } of batches) acc.update(features, labels);
 * const means = acc.finalize(); // { n, d, K, counts, means: [K, d], ... }
 */
export class ClassMeanAccumulator {
  /** Number of label values accepted (labels in 0..numClasses−1). */
  readonly numClasses: number;
  /** Feature dimension d. */
  readonly dim: number;
  private readonly sums: Float64Array;
  private readonly rawCounts: Float64Array;
  private rows = 0;

  /**
   * @param options.numClasses - K: labels must lie in `[0, K)`.
   * @param options.dim - d: every batch must have d columns.
   * @throws {InvalidArgumentError} when K < 2 or d < 1 is not an integer.
   */
  constructor(options: { numClasses: number; dim: number }) {
    const { numClasses, dim } = options ?? ({} as { numClasses: number; dim: number });
    if (!Number.isInteger(numClasses) || numClasses < 2) throw new InvalidArgumentError('numClasses', 'an integer >= 2', numClasses);
    if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError('dim', 'a positive integer', dim);
    this.numClasses = numClasses;
    this.dim = dim;
    this.sums = new Float64Array(numClasses * dim);
    this.rawCounts = new Float64Array(numClasses);
  }

  /** Samples seen so far. */
  get count(): number {
    return this.rows;
  }

  /**
   * Adds a batch.
   * @param features - `[B, d]` float32 or float64 rows.
   * @param labels - `[B]` integer labels in `[0, numClasses)`.
   * @returns this accumulator.
   * @throws {InvalidArgumentError} on a wrong shape, a NaN/Inf (naming the first offending row of the
   *   whole stream), or a bad label.
   */
  update(features: AnyMatrix, labels: ArrayLike<number>): this {
    assertMatrix('features', features, ANY_ROWS);
    if (features.cols !== this.dim) throw new InvalidArgumentError('features', `of shape [B, ${this.dim}]`, `[${features.rows}, ${features.cols}]`);
    const b = features.rows;
    const lab = validateLabels('labels', labels, b, this.numClasses).labels;
    const d = this.dim;
    const x = features.data;
    // batch-local sums: NaN/Inf make one non-finite, and nothing is committed before the check
    const sums = new Float64Array(this.sums.length);
    for (let i = 0; i < b; i++) {
      const y = lab[i];
      const o = y * d;
      const xo = i * d;
      for (let j = 0; j < d; j++) sums[o + j] += x[xo + j];
    }
    for (let k = 0; k < sums.length; k++) {
      if (!Number.isFinite(sums[k])) {
        assertFinite('features', features.data, features.cols, this.rows);
        throw new InvalidArgumentError('features', 'of moderate magnitude (class sums overflow float64)', 'entries near ±1.8e308');
      }
    }
    for (let k = 0; k < sums.length; k++) this.sums[k] += sums[k];
    for (let i = 0; i < b; i++) this.rawCounts[lab[i]]++;
    this.rows += b;
    return this;
  }

  /**
   * Adds another accumulator's data (same numClasses and dim) into this one.
   * @param other - a partial accumulator, e.g. from another worker or file.
   * @returns this accumulator.
   * @throws {InvalidArgumentError} when the shapes differ.
   */
  merge(other: ClassMeanAccumulator): this {
    if (!(other instanceof ClassMeanAccumulator) || other.numClasses !== this.numClasses || other.dim !== this.dim) {
      throw new InvalidArgumentError('other', `a ClassMeanAccumulator with numClasses ${this.numClasses} and dim ${this.dim}`, other);
    }
    for (let k = 0; k < this.sums.length; k++) this.sums[k] += other.sums[k];
    for (let k = 0; k < this.numClasses; k++) this.rawCounts[k] += other.rawCounts[k];
    this.rows += other.rows;
    return this;
  }

  /**
   * Class means of everything seen.
   * @param options.dropEmptyClasses - drop classes with no sample (renumbering the rest) instead of throwing.
   * @returns counts, means `[K, d]` and the class-id mapping.
   * @throws {InvalidArgumentError} when a class is empty (unless dropped) or fewer than 2 classes have samples.
   */
  finalize(options: { dropEmptyClasses?: boolean } = {}): ClassMeans {
    const raw = this.numClasses;
    const d = this.dim;
    const ids = new Int32Array(raw);
    for (let k = 0; k < raw; k++) ids[k] = k;
    const compact = compactClasses(ids, this.rawCounts, options.dropEmptyClasses ?? false);
    const K = compact.K;
    const means = new Float64Array(K * d);
    const labelToClass = new Int32Array(raw).fill(-1);
    for (let c = 0; c < K; c++) {
      const k = compact.classIds[c];
      labelToClass[k] = c;
      const inv = 1 / compact.counts[c];
      for (let j = 0; j < d; j++) means[c * d + j] = this.sums[k * d + j] * inv;
    }
    return {
      n: this.rows,
      d,
      K,
      counts: compact.counts,
      means: { rows: K, cols: d, data: means },
      classIds: compact.classIds,
      labelToClass,
      warnings: compact.warnings,
    };
  }
}
