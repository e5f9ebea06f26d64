import { InvalidArgumentError, assertInteger, createRng, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { compareWithTheory, type TheoryComparison } from './compare.js';
import { initParams } from './init.js';
import { packParams, unpackParams, type UfmParams } from './layout.js';
import { layerMetrics, lowRankReport, preActivationMetrics, sqSingularValues, type LowRankReport, type UfmLayerMetrics } from './metrics.js';
import { objectiveSpec, type ResolvedModelConfig, type UfmModelConfig } from './models.js';
import { makeObjective } from './objective.js';
import { minimize, resolveSolverOptions, type HistoryPoint, type MinimizeResult, type SolverOptions, type StopReason } from './solvers/minimize.js';
import { theory, type UfmTheory } from './theory/index.js';

/** Everything `solveUfm` needs: the model, the solver and the seeds. */
export interface SolveUfmConfig extends UfmModelConfig {
  /** Solver settings (method, lr, maxSteps, tolerances). Default: gd, lr 0.1, 10 000 steps. */
  solver?: SolverOptions;
  /** Independent seeded starts; the lowest final objective wins. Default 1 (4 for the ReLU models). */
  restarts?: number;
  /** Seed of the first start; start r uses seed + r. Default 0. */
  seed?: number;
  /** Initialisation scale s (W_l ~ N(0, s²/d_l), H_1 ~ N(0, s²)). Default 1; small s falls into zero/low-rank minima. */
  initScale?: number;
  /** A starting point instead of random starts (restarts then must be 1). */
  init?: UfmParams;
  /** Relative tolerance of the numerical ranks in the low-rank report (ReLU models). Default 1e-3. */
  rankTol?: number;
  /** Float64 path of the objective's products (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  linalg?: LinalgRequest;
}

/** Summary of one start. */
export interface RestartSummary {
  readonly seed: number;
  readonly objective: number;
  readonly steps: number;
  readonly converged: boolean;
  readonly reason: StopReason;
}

/** What `solveUfm` returns. */
export interface SolveUfmResult {
  readonly config: ResolvedModelConfig;
  /** Final objective of the best start (model's own scaling). */
  readonly objective: number;
  readonly gradNorm: number;
  readonly steps: number;
  readonly converged: boolean;
  readonly reason: StopReason;
  /** The best start's factors. */
  readonly params: UfmParams;
  /** Objective history of the best start, for plotting. */
  readonly history: HistoryPoint[];
  readonly restarts: RestartSummary[];
  /** Index of the best start in `restarts`. */
  readonly best: number;
  /** Closed form (null where none exists). */
  readonly theory: UfmTheory | null;
  /** Solution vs closed form (null without theory). */
  readonly comparison: TheoryComparison | null;
  /** NC metrics per feature layer: index 0 is H_1, index l the input of W_{l+1}; nc3 on the last layer only. */
  readonly metrics: UfmLayerMetrics[];
  /** ReLU models: NC1/NC2 of the pre-activations W_l(⋯) before each ReLU (empty for linear models). */
  readonly preActivationMetrics: UfmLayerMetrics[];
  /** Squared singular values of each weight matrix W_1 … W_L, descending. */
  readonly layers: { readonly sqSingularValues: number[] }[];
  /** DNC reference vs the solution, ranks and singular values of the class means (ReLU models). */
  readonly lowRank: LowRankReport | null;
  readonly warnings: string[];
}

/**
 * Solves a UFM from seeded random starts (or a given start), keeps the best, and reports the
 * closed-form comparison, per-layer NC metrics, weight spectra and the objective history.
 *
 * The objective of each model is its paper's exact scaling (see {@link UfmModel}); gradients are
 * analytic, in float64 on the host.
 *
 * @param config - model (model, K, n, d, depth, λ's, bias), solver options, restarts, seed, initScale.
 * @returns the best solution with its diagnostics.
 * @throws {InvalidArgumentError} for an invalid configuration (naming the option; the CLI maps it to its flag).
 * @throws {UfmDivergenceError} when a start diverges (the message suggests a smaller lr).
 * @example
 * const r = solveUfm({ model: 'mse', K: 4, n: 5, d: 10, lambdaW: 0.1, lambdaH: 0.1, solver: { method: 'lbfgs', maxSteps: 2000 } });
 * r.objective; // returns 0.095 (Thm 3.1: c − c²/2 with c = 0.1)
 * r.metrics[0].nc2Orthogonal; // returns ≈ 0
 */
export function solveUfm(config: SolveUfmConfig): SolveUfmResult {
  const mo = objectiveSpec(config);
  const r = mo.config;
  const solver = resolveSolverOptions(config.solver);
  const relu = mo.spec.activation === 'relu';
  const restarts = config.restarts ?? (relu && !config.init ? 4 : 1);
  assertInteger('restarts', restarts, 1);
  const seed = config.seed ?? 0;
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', 'a finite number', seed);
  if (config.init && restarts !== 1) throw new InvalidArgumentError('restarts', '1 when a starting point is given', restarts);
  const fg = makeObjective(mo.spec, { linalg: config.linalg });
  const runs: { res: MinimizeResult; seed: number }[] = [];
  for (let i = 0; i < restarts; i++) {
    const x0 = config.init ? packParams(config.init, mo.layout) : initParams(mo.layout, createRng(seed + i), config.initScale ?? 1);
    runs.push({ res: minimize(fg, x0, solver), seed: seed + i });
  }
  let best = 0;
  runs.forEach((run, i) => { if (run.res.objective < runs[best].res.objective) best = i; });
  const res = runs[best].res;
  const params = unpackParams(res.x, mo.layout);
  const layers = params.weights.map((w: Matrix) => ({ sqSingularValues: sqSingularValues(w) }));
  const t = theory(r);
  const comparison = t ? compareWithTheory(mo, res.x, res.objective, t, layers.map((l) => l.sqSingularValues)) : null;
  const metrics = layerMetrics(mo, res.x);
  const lowRank = relu ? lowRankReport(mo, res.x, res.objective, config.rankTol ?? 1e-3) : null;
  return {
    config: r,
    objective: res.objective,
    gradNorm: res.gradNorm,
    steps: res.steps,
    converged: res.converged,
    reason: res.reason,
    params,
    history: res.history,
    restarts: runs.map(({ res: q, seed: s }) => ({ seed: s, objective: q.objective, steps: q.steps, converged: q.converged, reason: q.reason })),
    best,
    theory: t,
    comparison,
    metrics,
    preActivationMetrics: relu ? preActivationMetrics(mo, res.x) : [],
    layers,
    lowRank,
    warnings: collapsedToZero(layers) ? [...r.warnings, 'the solution is the zero point (a weight matrix has σ_max² < 1e-12, so the output is 0): the NC metrics of its near-zero features are not meaningful'] : [...r.warnings],
  };
}

function collapsedToZero(layers: { sqSingularValues: number[] }[]): boolean {
  return layers.some((l) => (l.sqSingularValues[0] ?? 0) < 1e-12);
}
