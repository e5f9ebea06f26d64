import { InvalidArgumentError } from '@nclab/backend';
import { UFM_MODELS, type UfmModel } from './models.js';
import type { UfmBias } from './objective.js';
import type { SolverMethod } from './solvers/minimize.js';
import type { SolveUfmConfig, SolveUfmResult } from './solve-ufm.js';

/**
 * Flag declarations of `nclab ufm` (kebab-case names, as the meta package's CLI spec expects).
 * `--n`, `--d` and `--lambda-w` accept comma lists (per-class counts, per-layer widths and λ's).
 */
export const UFM_CLI_OPTIONS = [
  { name: 'model', kind: 'string', required: true, choices: UFM_MODELS, valueName: 'M', description: 'mse | ce | extended-linear | extended-relu | deep-linear | deep-relu' },
  { name: 'K', kind: 'string', required: true, valueName: 'K', description: 'number of classes (≥ 2)' },
  { name: 'n', kind: 'string', required: true, valueName: 'n', description: 'samples per class, or a comma list of K counts (class imbalance)' },
  { name: 'd', kind: 'string', required: true, valueName: 'd', description: 'feature width, or a comma list of widths d_1,…,d_L (each ≥ K)' },
  { name: 'depth', kind: 'string', valueName: 'L', description: 'weight layers of the deep models (default 3)' },
  { name: 'lambda-w', kind: 'string', required: true, valueName: 'λ', description: 'weight decay λ_W, or a comma list per layer' },
  { name: 'lambda-h', kind: 'string', valueName: 'λ', description: 'feature decay λ_H (default: λ_W)' },
  { name: 'lambda-b', kind: 'string', valueName: 'λ', description: 'bias decay λ_b (selects the regularised bias)' },
  { name: 'bias', kind: 'string', choices: ['none', 'free', 'regularized'], valueName: 'B', description: 'bias: none | free | regularized (default none; ce: regularized with λ_b = λ_W)' },
  { name: 'solver', kind: 'string', choices: ['gd', 'momentum', 'adam', 'lbfgs'], valueName: 'S', description: 'optimiser (default gd)' },
  { name: 'steps', kind: 'string', valueName: 'S', description: 'maximum iterations (default 10000)' },
  { name: 'lr', kind: 'string', valueName: 'η', description: 'step size (default 0.1; adam 0.01; lbfgs 1)' },
  { name: 'grad-tol', kind: 'string', valueName: 'ε', description: 'stop when ‖∇f‖ ≤ ε (default 1e-10)' },
  { name: 'restarts', kind: 'string', valueName: 'R', description: 'seeded starts, best kept (default 1; ReLU models 4)' },
  { name: 'seed', kind: 'string', valueName: 's', description: 'seed of the first start (default 0)' },
  { name: 'init-scale', kind: 'string', valueName: 's', description: 'initialisation scale (default 1; small values fall into zero/low-rank minima)' },
] as const;

type FlagValue = string | number | boolean | readonly (string | number)[] | undefined;

function num(flag: string, v: FlagValue, integer: boolean, min: number): number {
  const s = Array.isArray(v) ? v.join(',') : String(v);
  const x = typeof v === 'number' ? v : Number(s);
  if (s.trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < min) {
    throw new InvalidArgumentError(flag, integer ? `an integer ≥ ${min}` : `a number ≥ ${min}`, s);
  }
  return x;
}

function list(flag: string, v: FlagValue, integer: boolean, min: number): number | number[] {
  const parts = Array.isArray(v) ? v.map(String) : String(v).split(',');
  const vals = parts.map((p) => num(flag, p.trim(), integer, min));
  return vals.length === 1 ? vals[0] : vals;
}

/**
 * Turns parsed `nclab ufm` flag values into a {@link SolveUfmConfig}. Keys may be kebab-case
 * (`lambda-w`) or camelCase (`lambdaW`); values may be strings, numbers or arrays (comma lists).
 * Errors name the flag.
 *
 * @param flags - parsed flag values.
 * @returns the configuration for `solveUfm`.
 * @throws {InvalidArgumentError} naming the flag (`--model`, `--K`, `--lambda-w`, …) for unknown models,
 *   K < 2, n < 1, depth < 1, negative λ's, malformed numbers or conflicting bias flags.
 * @example
 * ufmConfigFromFlags({ model: 'deep-linear', K: '3', n: '10', d: '20', depth: '4', 'lambda-w': '0.01' });
 * // returns { model: 'deep-linear', K: 3, n: 10, d: 20, depth: 4, lambdaW: 0.01, … }
 */
export function ufmConfigFromFlags(flags: Record<string, FlagValue>): SolveUfmConfig {
  const get = (kebab: string): FlagValue => {
    const camel = kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    return flags[kebab] ?? flags[camel];
  };
  const model = get('model');
  if (typeof model !== 'string' || !UFM_MODELS.includes(model as UfmModel)) {
    throw new InvalidArgumentError('--model', `one of ${UFM_MODELS.join(', ')}`, model);
  }
  const required = (f: string): FlagValue => {
    const v = get(f);
    if (v === undefined || v === '') throw new InvalidArgumentError(`--${f}`, 'given', v);
    return v;
  };
  const K = num('--K', required('K'), true, 2);
  const n = list('--n', required('n'), true, 1);
  const d = list('--d', required('d'), true, 1);
  const lambdaW = list('--lambda-w', required('lambda-w'), false, 0);
  const cfg: SolveUfmConfig = { model: model as UfmModel, K, n, d, lambdaW };
  const depth = get('depth');
  if (depth !== undefined) cfg.depth = num('--depth', depth, true, 1);
  const lh = get('lambda-h');
  if (lh !== undefined) cfg.lambdaH = num('--lambda-h', lh, false, 0);
  const lb = get('lambda-b');
  const bias = get('bias');
  if (lb !== undefined) {
    cfg.lambdaB = num('--lambda-b', lb, false, 0);
    if (bias !== undefined && bias !== 'regularized') {
      throw new InvalidArgumentError('--bias', "omitted or 'regularized' when --lambda-b is given", bias);
    }
  }
  if (bias !== undefined) {
    if (!['none', 'free', 'regularized'].includes(String(bias))) throw new InvalidArgumentError('--bias', 'none, free or regularized', bias);
    cfg.bias = bias as UfmBias;
  }
  const solver: SolveUfmConfig['solver'] = {};
  const method = get('solver');
  if (method !== undefined) {
    if (!['gd', 'momentum', 'adam', 'lbfgs'].includes(String(method))) throw new InvalidArgumentError('--solver', 'gd, momentum, adam or lbfgs', method);
    solver.method = method as SolverMethod;
  }
  const steps = get('steps');
  if (steps !== undefined) solver.maxSteps = num('--steps', steps, true, 0);
  const lr = get('lr');
  if (lr !== undefined) {
    solver.lr = num('--lr', lr, false, 0);
    if (solver.lr === 0) throw new InvalidArgumentError('--lr', 'a positive number', lr);
  }
  const gt = get('grad-tol');
  if (gt !== undefined) solver.gradTol = num('--grad-tol', gt, false, 0);
  cfg.solver = solver;
  const restarts = get('restarts');
  if (restarts !== undefined) cfg.restarts = num('--restarts', restarts, true, 1);
  const seed = get('seed');
  if (seed !== undefined) cfg.seed = num('--seed', seed, true, -Infinity);
  const s = get('init-scale');
  if (s !== undefined) {
    cfg.initScale = num('--init-scale', s, false, 0);
    if (cfg.initScale === 0) throw new InvalidArgumentError('--init-scale', 'a positive number', s);
  }
  return cfg;
}

/** The names `solveUfm` should use in errors when called from the CLI. */
export const UFM_FLAG_NAMES = {
  model: '--model', K: '--K', n: '--n', d: '--d', depth: '--depth', lambdaW: '--lambda-w', lambdaH: '--lambda-h',
  lambdaB: '--lambda-b', bias: '--bias', restarts: '--restarts', seed: '--seed',
} as const;

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
