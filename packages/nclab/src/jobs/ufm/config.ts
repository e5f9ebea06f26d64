/**
 * Parsed `nclab ufm` flags → the `solveUfm` configuration (comma lists, bias and solver flags).
 */
import { InvalidArgumentError } from '@nclab/backend';
import { UFM_MODELS, type SolveUfmConfig, type SolverMethod, type UfmBias, type UfmModel } from '@nclab/ufm';

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A parsed flag value (string, number, boolean or list). */
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
 * Errors name the option (camelCase: `lambdaW`); the CLI prints the flag (`--lambda-w`).
 *
 * @param flags - parsed flag values.
 * @returns the configuration for `solveUfm`.
 * @throws {InvalidArgumentError} naming the option (`model`, `K`, `lambdaW`, …) for unknown models,
 *   K < 2, n < 1, depth < 1, negative λ's, malformed numbers or conflicting bias flags.
 * @example
 * ufmConfigFromFlags({ model: 'deep-linear', K: '3', n: '10', d: '20', depth: '4', 'lambda-w': '0.01' });
 * // returns { model: 'deep-linear', K: 3, n: 10, d: 20, depth: 4, lambdaW: 0.01, … }
 */
export function ufmConfigFromFlags(flags: Record<string, FlagValue>): SolveUfmConfig {
  const get = (kebab: string): FlagValue => flags[kebab] ?? flags[camel(kebab)];
  const model = get('model');
  if (typeof model !== 'string' || !UFM_MODELS.includes(model as UfmModel)) {
    throw new InvalidArgumentError('model', `one of ${UFM_MODELS.join(', ')}`, model);
  }
  const required = (f: string): FlagValue => {
    const v = get(f);
    if (v === undefined || v === '') throw new InvalidArgumentError(camel(f), 'given', v);
    return v;
  };
  const K = num('K', required('K'), true, 2);
  const n = list('n', required('n'), true, 1);
  const d = list('d', required('d'), true, 1);
  const widths = typeof d === 'number' ? [d] : d;
  if (widths.some((w) => w < K)) throw new InvalidArgumentError('d', `feature widths d ≥ K = ${K}`, d, 'the simplex ETF of K class means needs d ≥ K');
  const lambdaW = list('lambdaW', required('lambda-w'), false, 0);
  const cfg: SolveUfmConfig = { model: model as UfmModel, K, n, d, lambdaW };
  const depth = get('depth');
  if (depth !== undefined) cfg.depth = num('depth', depth, true, 1);
  const lh = get('lambda-h');
  if (lh !== undefined) cfg.lambdaH = num('lambdaH', lh, false, 0);
  const lb = get('lambda-b');
  const bias = get('bias');
  if (lb !== undefined) {
    cfg.lambdaB = num('lambdaB', lb, false, 0);
    if (bias !== undefined && bias !== 'regularized') {
      throw new InvalidArgumentError('bias', "omitted or 'regularized' when lambdaB is given", bias);
    }
  }
  if (bias !== undefined) {
    if (!['none', 'free', 'regularized'].includes(String(bias))) throw new InvalidArgumentError('bias', 'none, free or regularized', bias);
    cfg.bias = bias as UfmBias;
  }
  const solver: SolveUfmConfig['solver'] = {};
  const method = get('solver');
  if (method !== undefined) {
    if (!['gd', 'momentum', 'adam', 'lbfgs'].includes(String(method))) throw new InvalidArgumentError('solver', 'gd, momentum, adam or lbfgs', method);
    solver.method = method as SolverMethod;
  }
  const steps = get('steps');
  if (steps !== undefined) solver.maxSteps = num('steps', steps, true, 0);
  const lr = get('lr');
  if (lr !== undefined) {
    solver.lr = num('lr', lr, false, 0);
    if (solver.lr === 0) throw new InvalidArgumentError('lr', 'a positive number', lr);
  }
  const gt = get('grad-tol');
  if (gt !== undefined) solver.gradTol = num('gradTol', gt, false, 0);
  cfg.solver = solver;
  const restarts = get('restarts');
  if (restarts !== undefined) cfg.restarts = num('restarts', restarts, true, 1);
  const seed = get('seed');
  if (seed !== undefined) cfg.seed = num('seed', seed, true, -Infinity);
  const s = get('init-scale');
  if (s !== undefined) {
    cfg.initScale = num('initScale', s, false, 0);
    if (cfg.initScale === 0) throw new InvalidArgumentError('initScale', 'a positive number', s);
  }
  return cfg;
}

