import type { AnyMatrix } from './matrix.js';

/**
 * Labelled data on the host: `x` `[N, d]` (one sample per row, float64 or float32) and its N
 * integer class labels in [0, K). The one labelled-data type every nclab package takes.
 * @example
 * const data: LabelledData = { x: fromRows([[0, 1], [1, 0]]), labels: [0, 1] };
 */
export interface LabelledData {
  /** Features `[N, d]`, one sample per row. */
  readonly x: AnyMatrix;
  /** N integer labels in [0, K). */
  readonly labels: ArrayLike<number>;
}
