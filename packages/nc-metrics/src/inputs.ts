/**
 * Validation of the inputs every metric takes: a feature matrix `[N, d]`, integer labels `[N]`,
 * an optional classifier `[K, d]` and bias `[K]`.
 */
import { InvalidArgumentError, assertFinite, assertMatrix, validateLabels } from '@nclab/backend/host';
import type { MatrixCheckOptions } from '@nclab/backend/host';

/** Matrix check of every metric input: at least one row and one column (finiteness is scanned separately). */
export const NON_EMPTY: MatrixCheckOptions = { minRows: 1, minCols: 1, finite: false };

/** Matrix check of a stream batch: any number of rows (even 0), at least one column. */
export const ANY_ROWS: MatrixCheckOptions = { minRows: 0, minCols: 1, finite: false };

/**
 * Validates a classifier `[K, d]` and optional bias `[K]` against the data's K and d.
 * @param classifier - the last-layer weights W, one row per class.
 * @param bias - the last-layer bias b (optional).
 * @param K - number of classes.
 * @param d - feature dimension.
 * @throws {InvalidArgumentError} on a wrong shape or a non-finite entry.
 */
export function assertClassifier(classifier: unknown, bias: ArrayLike<number> | undefined, K: number, d: number): void {
  assertMatrix('classifier', classifier, NON_EMPTY);
  if (classifier.rows !== K || classifier.cols !== d) {
    throw new InvalidArgumentError('classifier', `of shape [K, d] = [${K}, ${d}]`, `[${classifier.rows}, ${classifier.cols}]`);
  }
  assertFinite('classifier', classifier.data, classifier.cols);
  if (bias !== undefined) {
    if (bias === null || typeof bias.length !== 'number' || bias.length !== K) {
      throw new InvalidArgumentError('bias', `of length K = ${K}`, bias === null ? null : bias.length);
    }
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(bias[k])) throw new InvalidArgumentError('bias', 'finite (no NaN or Inf)', bias[k], `at index ${k}`);
    }
  }
}

/** Labels mapped to compact class indices, with what was dropped. */
export interface PreparedLabels {
  /** Class index in `0..K-1` of each sample. */
  readonly labels: Int32Array;
  /** Number of classes kept. */
  readonly K: number;
  /** Original label of each kept class (`classIds[k]` is the label of class k). */
  readonly classIds: Int32Array;
  /** Samples per kept class. */
  readonly counts: Float64Array;
  /** Human-readable notes (dropped classes, unbalanced counts). */
  readonly warnings: string[];
}

/**
 * Validates labels and handles classes with no sample.
 * @param labels - `[N]` integers (or integer-valued floats) in `[0, numClasses)`.
 * @param n - number of samples N.
 * @param numClasses - K if known; otherwise max label + 1.
 * @param dropEmptyClasses - drop classes with no sample (renumbering the rest) instead of throwing.
 * @returns compact labels, K, the original ids and the counts.
 * @throws {InvalidArgumentError} on a length mismatch, a non-integer or out-of-range label, an empty
 *   class (unless dropped), or fewer than 2 classes.
 */
export function prepareLabels(
  labels: ArrayLike<number>,
  n: number,
  numClasses?: number,
  dropEmptyClasses = false,
): PreparedLabels {
  if (labels === null || typeof labels !== 'object' || typeof (labels as { length?: unknown }).length !== 'number') {
    throw new InvalidArgumentError('labels', 'an array of integer class labels', labels);
  }
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 2)) {
    throw new InvalidArgumentError('numClasses', 'an integer >= 2', numClasses);
  }
  const v = validateLabels('labels', labels, n, numClasses);
  const rawK = v.numClasses;
  const rawCounts = new Float64Array(rawK);
  for (let i = 0; i < n; i++) rawCounts[v.labels[i]]++;
  return compactClasses(v.labels, rawCounts, dropEmptyClasses);
}

/**
 * Renumbers classes after removing empty ones (or throws when one is empty and dropping is off).
 * @param labels - raw class indices, rewritten in place to compact indices.
 * @param rawCounts - samples per raw class.
 * @param dropEmptyClasses - drop empty classes instead of throwing.
 * @throws {InvalidArgumentError} on an empty class (unless dropped) or fewer than 2 classes left.
 */
export function compactClasses(labels: Int32Array, rawCounts: Float64Array, dropEmptyClasses: boolean): PreparedLabels {
  const warnings: string[] = [];
  const rawK = rawCounts.length;
  const empty: number[] = [];
  for (let k = 0; k < rawK; k++) if (rawCounts[k] === 0) empty.push(k);
  if (empty.length > 0 && !dropEmptyClasses) {
    throw new InvalidArgumentError(
      'labels',
      `to contain every class 0..${rawK - 1} at least once (or pass dropEmptyClasses: true)`,
      `no sample of class ${empty.slice(0, 8).join(', ')}${empty.length > 8 ? ', ...' : ''}`,
    );
  }
  const K = rawK - empty.length;
  if (K < 2) throw new InvalidArgumentError('labels', 'to contain at least 2 non-empty classes (K >= 2)', `K = ${K}`);
  const map = new Int32Array(rawK).fill(-1);
  const classIds = new Int32Array(K);
  const counts = new Float64Array(K);
  let next = 0;
  for (let k = 0; k < rawK; k++) {
    if (rawCounts[k] > 0) {
      map[k] = next;
      classIds[next] = k;
      counts[next] = rawCounts[k];
      next++;
    }
  }
  if (empty.length > 0) {
    warnings.push(`dropped ${empty.length} empty class(es) (${empty.slice(0, 8).join(', ')}${empty.length > 8 ? ', ...' : ''}); K = ${K}`);
    for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]];
  }
  let lo = Infinity;
  let hi = 0;
  for (let k = 0; k < K; k++) {
    lo = Math.min(lo, counts[k]);
    hi = Math.max(hi, counts[k]);
  }
  if (lo !== hi) warnings.push(`unbalanced classes: ${lo}..${hi} samples per class`);
  return { labels, K, classIds, counts, warnings };
}
