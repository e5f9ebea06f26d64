import { assertPositive, type Rng } from '@nclab/backend/host';
import type { ParamLayout } from './layout.js';

/**
 * Random starting point: W_l ~ N(0, s²/d_l) (fan-in scaling, so products stay O(s^L)),
 * H_1 ~ N(0, s²), b = 0.
 *
 * The default s = 1 starts the output W_L⋯W_1H_1 at unit scale, away from the zero and low-rank
 * local minima that small starts fall into for three or more factors (the origin is a strict local
 * minimum of every model with L ≥ 2; deep-linear notes §5 show s = 0.3 reaching a rank-1 minimum).
 *
 * @param layout - the flat layout of the model.
 * @param rng - seeded generator (consumed).
 * @param scale - s > 0 (default 1).
 * @returns a new flat parameter vector.
 * @throws {InvalidArgumentError} when scale is not positive.
 * @example
 * const { layout } = objectiveSpec({ model: 'deep-linear', K: 3, n: 2, d: 6, lambdaW: 0.01 });
 * initParams(layout, createRng(0)).length; // returns layout.size
 */
export function initParams(layout: ParamLayout, rng: Rng, scale = 1): Float64Array {
  assertPositive('initScale', scale);
  const x = new Float64Array(layout.size);
  for (const b of layout.weights) {
    const std = scale / Math.sqrt(b.cols);
    for (let i = 0; i < b.rows * b.cols; i++) x[b.offset + i] = std * rng.normal();
  }
  const h = layout.h;
  for (let i = 0; i < h.rows * h.cols; i++) x[h.offset + i] = scale * rng.normal();
  return x;
}
