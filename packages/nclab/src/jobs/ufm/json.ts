/**
 * The `result.json` document of the ufm job (snake_case keys, unchanged since the first release).
 */
import type { SolveUfmResult } from '@nclab/ufm';

/**
 * The JSON document of `nclab ufm --json OUT` (snake_case). Top-level NC metrics are those of the
 * last feature layer (the classifier's input); `layers[l].singular_values` are the squared singular
 * values of W_{l+1}, descending; `theory_objective` is null where no closed form exists (deep-relu:
 * see `low_rank.dnc_objective`).
 *
 * @param r - a `solveUfm` result.
 * @returns a plain JSON-serialisable object.
 */
export function ufmResultToJson(r: SolveUfmResult): Record<string, unknown> {
  const last = r.metrics[r.metrics.length - 1];
  const c = r.config;
  const theoryObjective = r.theory && r.theory.objective !== null ? r.theory.objective : null;
  return {
    model: c.model,
    K: c.K,
    n: c.classes.balanced ? c.classes.counts[0] : [...c.classes.counts],
    d: c.dims,
    depth: c.depth,
    lambda_w: c.lambdaW,
    lambda_h: c.lambdaH,
    bias: c.bias,
    lambda_b: c.bias === 'regularized' ? c.lambdaB : null,
    objective: r.objective,
    theory_objective: theoryObjective,
    objective_relative_error: theoryObjective === null ? null : Math.abs(r.objective - theoryObjective) / Math.max(Math.abs(theoryObjective), 1e-300),
    max_relative_error: r.comparison ? r.comparison.maxRelativeError : null,
    converged: r.converged,
    stop_reason: r.reason,
    steps: r.steps,
    grad_norm: r.gradNorm,
    nc1_trace_ratio: last.nc1TraceRatio,
    nc1_pinv: last.nc1Pinv,
    nc2_etf: last.nc2Etf,
    nc2_orthogonal: last.nc2Orthogonal,
    nc3: last.nc3,
    layers: r.layers.map((l, i) => ({ layer: i + 1, singular_values: l.sqSingularValues })),
    feature_layers: r.metrics.map((m) => ({
      layer: m.layer, nc1_trace_ratio: m.nc1TraceRatio, nc1_pinv: m.nc1Pinv, nc2_etf: m.nc2Etf, nc2_orthogonal: m.nc2Orthogonal, nc3: m.nc3,
    })),
    pre_activation_layers: r.preActivationMetrics.map((m) => ({
      layer: m.layer, nc1_trace_ratio: m.nc1TraceRatio, nc1_pinv: m.nc1Pinv, nc2_etf: m.nc2Etf, nc2_orthogonal: m.nc2Orthogonal,
    })),
    comparison: r.comparison
      ? r.comparison.checks.map((k) => ({ quantity: k.quantity, predicted: k.predicted, measured: k.measured, relative_error: k.relativeError, absolute: k.absolute }))
      : null,
    low_rank: r.lowRank
      ? {
          dnc_objective: r.lowRank.dncObjective,
          gap: r.lowRank.gap,
          beats_dnc: r.lowRank.beatsDnc,
          dnc_rank: r.lowRank.dncRank,
          rank_tol: r.lowRank.rankTol,
          class_means: r.lowRank.layers.map((l) => ({ layer: l.layer, rank: l.rank, singular_values: l.singularValues })),
        }
      : null,
    restarts: r.restarts,
    best_restart: r.best,
    history: r.history,
    warnings: r.warnings,
  };
}
