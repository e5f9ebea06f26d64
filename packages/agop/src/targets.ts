/**
 * Class labels to regression targets and predictions back to labels.
 */
import { validateLabels, type Matrix } from '@nclab/backend/host';

/**
 * One-hot targets `[N, K]`: `positive` (1) in the label's column, `negative` elsewhere.
 * The paper's Deep RFM uses ±1 coding (`negative = -1`).
 * @param labels - N integer labels in [0, K).
 * @param numClasses - K; default max label + 1.
 * @param negative - the off-class value. Default -1.
 * @throws {InvalidArgumentError} for non-integer or out-of-range labels.
 * @example
 * oneHot([0, 2], 3); // returns [[1, -1, -1], [-1, -1, 1]]
 */
export function oneHot(labels: ArrayLike<number>, numClasses?: number, negative = -1): Matrix {
  const { labels: l, numClasses: k } = validateLabels('labels', labels, labels.length, numClasses);
  const data = new Float64Array(l.length * k).fill(negative);
  for (let i = 0; i < l.length; i++) data[i * k + l[i]] = 1;
  return { rows: l.length, cols: k, data };
}

/** Row-wise argmax of `[N, K]` scores (first maximum on ties). */
export function argmaxRows(scores: Matrix): Int32Array {
  const out = new Int32Array(scores.rows);
  const k = scores.cols;
  for (let i = 0; i < scores.rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores.data[i * k + c] > scores.data[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction of rows whose argmax equals the label. */
export function accuracy(scores: Matrix, labels: ArrayLike<number>): number {
  const pred = argmaxRows(scores);
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hit++;
  return pred.length === 0 ? NaN : hit / pred.length;
}

/** Mean squared error over all entries: (1/(N·K)) Σ (f − y)². */
export function meanSquaredError(pred: Matrix, targets: Matrix): number {
  let s = 0;
  for (let i = 0; i < pred.data.length; i++) {
    const e = pred.data[i] - targets.data[i];
    s += e * e;
  }
  return s / pred.data.length;
}
