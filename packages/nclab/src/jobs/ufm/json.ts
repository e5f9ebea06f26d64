/**
 * The `result.json` document of the ufm job (snake_case keys, unchanged since the first release).
 */
import { classifyUfmSolution, type CriticalPointClass, type SolveUfmResult } from '@nclab/ufm';
import { toJsonKeys } from '../json-keys.js';

/** Relative tolerance of "the solver reached this critical point" (a gradient solver's final objective). */
export const CRITICAL_POINT_RTOL = 1e-4;

/**
 * Names the critical point a deep-linear solve reached against the closed form's rank-r objectives
 * (`classifyUfmSolution` of `@nclab/ufm`, relative tolerance {@link CRITICAL_POINT_RTOL}), and the
 * warning to give when it is not the global minimum.
 *
 * @param r - a `solveUfm` result.
 * @returns the classification (null without a deep-linear closed form) and a warning or null.
 * @example
 * criticalPointOf(solveUfm({ model: 'deep-linear', K: 3, n: 4, d: 6, depth: 3, lambdaW: 0.02, lambdaH: 0.02, initScale: 0.3 }));
 * // { criticalPoint: { global: false, rank: 1, ratioToGlobal: 2.34, … }, warning: 'the solver stopped at …' }
 */
export function criticalPointOf(r: SolveUfmResult): { criticalPoint: CriticalPointClass | null; warning: string | null } {
  const criticalPoint = Number.isFinite(r.objective) ? classifyUfmSolution(r.objective, r.theory, CRITICAL_POINT_RTOL) : null;
  if (criticalPoint === null || criticalPoint.global) return { criticalPoint, warning: null };
  const where = criticalPoint.matched
    ? `the rank-${criticalPoint.rank} critical point (the global minimum has rank ${criticalPoint.globalRank})`
    : `no critical point of the closed form (nearest: rank ${criticalPoint.rank})`;
  const warning =
    `the solver did not reach the global minimum: it stopped at ${where}, objective ${r.objective.toPrecision(6)} = ` +
    `${criticalPoint.ratioToGlobal.toPrecision(4)}× the closed form ${(r.objective - criticalPoint.gapToGlobal).toPrecision(6)}; ` +
    'try a larger --init-scale or more --restarts';
  return { criticalPoint, warning };
}

/**
 * The JSON document of `nclab ufm --json OUT` (snake_case). Top-level NC metrics are those of the
 * last feature layer (the classifier's input); `layers[l].singular_values` are the squared singular
 * values of W_{l+1}, descending; `theory_objective` is null where no closed form exists (deep-relu:
 * see `low_rank.dnc_objective`). `critical_point` (deep-linear only, else null) says whether the solver
 * reached the global minimum and which rank-r critical point it reached (`global`, `rank`,
 * `gap_to_global`, `ratio_to_global`, `matched`, `rank_objective`, `global_rank`); when it is not
 * global, `warnings` says so.
 *
 * @param r - a `solveUfm` result.
 * @returns a plain JSON-serialisable object.
 */
export function ufmResultToJson(r: SolveUfmResult): Record<string, unknown> {
  const last = r.metrics[r.metrics.length - 1];
  const c = r.config;
  const theoryObjective = r.theory && r.theory.objective !== null ? r.theory.objective : null;
  const { criticalPoint, warning } = criticalPointOf(r);
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
    critical_point: criticalPoint
      ? toJsonKeys({ global: criticalPoint.global, rank: criticalPoint.rank, gapToGlobal: criticalPoint.gapToGlobal, ratioToGlobal: criticalPoint.ratioToGlobal, matched: criticalPoint.matched, rankObjective: criticalPoint.rankObjective, globalRank: criticalPoint.globalRank })
      : null,
    restarts: r.restarts,
    best_restart: r.best,
    history: r.history,
    warnings: warning === null ? r.warnings : [...r.warnings, warning],
  };
}
