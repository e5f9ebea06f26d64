/**
 * The flags of the ufm job (`nclab ufm`). `--per-class`, `--dim` and `--lambda-w` accept comma lists
 * (per-class counts, per-layer widths and λ's); numbers are checked by `ufmConfigFromFlags`.
 */
import { SOLVER_METHODS, UFM_BIASES, UFM_MODELS } from '@nclab/ufm';
import { OUTPUT_FLAGS } from '../output-flags.js';

/** The model and solver flags of `nclab ufm`. */
export const UFM_CLI_OPTIONS = [
  { name: 'model', kind: 'string', required: true, choices: UFM_MODELS, valueName: 'M', description: 'mse | ce | extended-linear | extended-relu | deep-linear | deep-relu' },
  { name: 'K', word: 'num-classes', kind: 'string', required: true, valueName: 'K', description: 'number of classes (≥ 2)' },
  { name: 'n', word: 'per-class', kind: 'string', required: true, valueName: 'n', description: 'samples per class, or a comma list of K counts (class imbalance)' },
  { name: 'd', word: 'dim', kind: 'string', required: true, valueName: 'd', description: 'feature width, or a comma list of widths d_1,…,d_L (each ≥ K)' },
  { name: 'depth', kind: 'string', valueName: 'L', description: 'weight layers of the deep models (default 3)' },
  { name: 'lambda-w', kind: 'string', required: true, valueName: 'λ', description: 'weight decay λ_W, or a comma list per layer' },
  { name: 'lambda-h', kind: 'string', valueName: 'λ', description: 'feature decay λ_H (default: λ_W)' },
  { name: 'lambda-b', kind: 'string', valueName: 'λ', description: 'bias decay λ_b (selects the regularised bias)' },
  { name: 'bias', kind: 'string', choices: UFM_BIASES, valueName: 'B', description: 'bias: none | free | regularized (default none; ce: regularized with λ_b = λ_W)' },
  { name: 'solver', kind: 'string', choices: SOLVER_METHODS, valueName: 'S', description: 'optimiser (default gd)' },
  { name: 'steps', kind: 'string', valueName: 'S', description: 'maximum iterations (default 10000)' },
  { name: 'lr', kind: 'string', valueName: 'η', description: 'step size (default 0.1; adam 0.01; lbfgs 1)' },
  { name: 'grad-tol', kind: 'string', valueName: 'ε', description: 'stop when ‖∇f‖ ≤ ε (default 1e-10)' },
  { name: 'restarts', kind: 'string', valueName: 'R', description: 'seeded starts, best kept (default 1; ReLU models 4)' },
  { name: 'seed', kind: 'string', valueName: 's', description: 'seed of the first start (default 0)' },
  { name: 'init-scale', kind: 'string', valueName: 's', description: 'initialisation scale (default 1; small values fall into zero/low-rank minima)' },
] as const;

/** The `nclab ufm` declaration. */
export const UFM_SPEC = {
  name: 'ufm',
  summary: 'solve an unconstrained features model and compare with its closed-form optimum',
  usage: 'ufm --model M --num-classes K --per-class n --dim d --lambda-w λ [options] [--json [OUT]] [--out DIR]',
  description:
    "Models: mse, ce, extended-linear, extended-relu, deep-linear, deep-relu (each with its paper's objective\n" +
    'scaling). JSON keys: objective, theory_objective (null without a closed form), nc1_trace_ratio, nc2_etf,\n' +
    'nc2_orthogonal, nc3 (uncentred class means vs classifier, last layer), layers: [{singular_values}]\n' +
    '(squared singular values of each weight matrix, descending). deep-linear: critical_point {global, rank,\n' +
    'gap_to_global, ratio_to_global} names the rank-r critical point reached; a warning when it is not global.',
  options: [
    ...UFM_CLI_OPTIONS,
    ...OUTPUT_FLAGS,
  ],
  examples: [
    'nclab ufm --model mse --num-classes 4 --per-class 5 --dim 10 --lambda-w 0.1 --lambda-h 0.1 --solver lbfgs --json -',
    'nclab ufm --model deep-linear --num-classes 3 --per-class 10 --dim 20 --depth 4 --lambda-w 0.01 --out runs/dlufm',
  ],
} as const;
