/**
 * The flags of the ufm job (`nclab ufm`).
 * TODO(merge, issue 14 item 1): the declarations still come from `@nclab/ufm`'s `cli.ts`; move them
 * here (and `ufmConfigFromFlags`) when ufm's library stops passing flag names (`ArgNames`).
 */
import { UFM_CLI_OPTIONS } from '@nclab/ufm';

/** The `nclab ufm` declaration. */
export const UFM_SPEC = {
  name: 'ufm',
  summary: 'solve an unconstrained features model and compare with its closed-form optimum',
  usage: 'ufm --model M --K K --n n --d d --lambda-w λ [options] [--json [OUT]] [--out DIR]',
  description:
    "Models: mse, ce, extended-linear, extended-relu, deep-linear, deep-relu (each with its paper's objective\n" +
    'scaling). JSON keys: objective, theory_objective (null without a closed form), nc1_trace_ratio, nc2_etf,\n' +
    'nc2_orthogonal, nc3 (uncentred class means vs classifier, last layer), layers: [{singular_values}]\n' +
    '(squared singular values of each weight matrix, descending).',
  options: [
    ...UFM_CLI_OPTIONS,
    { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
    { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
  ],
  examples: [
    'nclab ufm --model mse --K 4 --n 5 --d 10 --lambda-w 0.1 --lambda-h 0.1 --solver lbfgs --json -',
    'nclab ufm --model deep-linear --K 3 --n 10 --d 20 --depth 4 --lambda-w 0.01 --out runs/dlufm',
  ],
} as const;
