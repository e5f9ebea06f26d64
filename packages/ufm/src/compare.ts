import type { ModelObjective } from './models.js';
import { forwardFeatures } from './objective.js';
import { classMeanRows, diagOffMeans, rowGram } from './measure.js';
import type { UfmTheory } from './theory/index.js';

/** One predicted quantity against the solved model. */
export interface TheoryCheck {
  /** What is compared, e.g. `objective`, `classMeanSqNorm[2]` (layer 2, per class), `weightSqSingularValues[1]`. */
  readonly quantity: string;
  /** Predicted values (one per class or per singular value where that applies). */
  readonly predicted: number[];
  readonly measured: number[];
  /**
   * max_i |measured_i − predicted_i| / |predicted_i|; where a prediction is 0 (|p| < 1e-12) the absolute
   * error is used instead (`absolute: true`).
   */
  readonly relativeError: number;
  readonly absolute: boolean;
}

/** All checks plus the worst one. */
export interface TheoryComparison {
  readonly checks: TheoryCheck[];
  /** The largest relativeError among the checks. */
  readonly maxRelativeError: number;
}

function check(quantity: string, predicted: number[], measured: number[]): TheoryCheck {
  let err = 0;
  let absolute = false;
  predicted.forEach((p, i) => {
    const m = measured[i];
    if (Math.abs(p) < 1e-12) {
      absolute = true;
      err = Math.max(err, Math.abs(m));
    } else {
      err = Math.max(err, Math.abs(m - p) / Math.abs(p));
    }
  });
  return { quantity, predicted, measured, relativeError: err, absolute };
}

/**
 * Compares a solved model with its closed form: the objective, and for the deep-linear family the
 * class-mean norms ‖μ^l_k‖² of every layer, the output class means x_k and the top-K squared
 * singular values of each weight matrix (ReLU models: the last layer only); for the MSE bias
 * models the Gram entries, bias and logits; for CE the norms and the logit margin.
 *
 * @param mo - the model objective (config, spec, layout).
 * @param x - the flat solution.
 * @param objective - f at x.
 * @param t - the theory record (from `theory`).
 * @param sqSingularValues - squared singular values of W_1 … W_L, descending.
 * @returns the list of checks and the maximum relative error.
 */
export function compareWithTheory(
  mo: ModelObjective,
  x: Float64Array,
  objective: number,
  t: UfmTheory,
  sqSingularValues: number[][],
): TheoryComparison {
  const { config, spec, layout } = mo;
  const { K } = config;
  const checks: TheoryCheck[] = [];
  const fw = forwardFeatures(spec, x);
  const means = fw.inputs.map((f, l) => classMeanRows(f, spec.dims[l], config.classes));
  const outMeans = classMeanRows(fw.output, K, config.classes);
  const sqNorms = means.map((m, l) => {
    const g = rowGram(m, K, spec.dims[l]);
    return Array.from({ length: K }, (_, k) => g[k * K + k]);
  });
  if (t.kind === 'dnc-reference') {
    checks.push(check('objective (vs the DNC reference)', [t.dncObjective], [objective]));
  } else {
    checks.push(check('objective', [t.objective], [objective]));
  }
  if (t.kind === 'deep-linear') {
    const c = t.deepLinear;
    const relu = spec.activation === 'relu';
    for (let l = 0; l < config.depth; l++) checks.push(check(`classMeanSqNorm[${l + 1}]`, c.classMeanSqNorms[l], sqNorms[l]));
    checks.push(check('outputClassMean', c.xStar, Array.from({ length: K }, (_, k) => outMeans[k * K + k])));
    for (let l = relu ? config.depth - 1 : 0; l < config.depth; l++) {
      checks.push(check(`weightSqSingularValues[${l + 1}]`, c.weightSqSingularValues[l], sqSingularValues[l].slice(0, K)));
    }
  } else if (t.kind === 'mse-bias' || t.kind === 'ce') {
    const d = spec.dims[0];
    const g = diagOffMeans(rowGram(means[0], K, d), K);
    const w = x.subarray(layout.weights[0].offset, layout.weights[0].offset + K * d);
    const gw = diagOffMeans(rowGram(w, K, d), K);
    const lo = diagOffMeans(outMeans, K);
    if (t.kind === 'mse-bias') {
      const m = t.mse;
      let hg = 0;
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += means[0][k * d + j];
        hg += (s / K) ** 2;
      }
      const b = layout.bias ? x.subarray(layout.bias.offset, layout.bias.offset + K) : new Float64Array(K);
      checks.push(check('classMeanSqNorm', [m.classMeanSqNorm], [g.diag]));
      checks.push(check('classMeanInner', [m.classMeanInner], [g.off]));
      checks.push(check('globalMeanSqNorm', [m.globalMeanSqNorm], [hg]));
      checks.push(check('weightRowSqNorm', [m.weightRowSqNorm], [gw.diag]));
      checks.push(check('bias', new Array(K).fill(m.bias), Array.from(b)));
      checks.push(check('logitCorrect', [m.logitCorrect], [lo.diag]));
      checks.push(check('logitOther', [m.logitOther], [lo.off]));
    } else {
      checks.push(check('classMeanSqNorm', [t.ce.classMeanSqNorm], [g.diag]));
      checks.push(check('weightRowSqNorm', [t.ce.weightRowSqNorm], [gw.diag]));
      checks.push(check('margin', [t.ce.margin], [lo.diag - lo.off]));
    }
  }
  return { checks, maxRelativeError: Math.max(...checks.map((c) => c.relativeError)) };
}
