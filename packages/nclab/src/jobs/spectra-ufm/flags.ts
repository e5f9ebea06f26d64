/**
 * The flags of the spectra jobs (`nclab spectra ufm`, `nclab spectra density`): the deep UFM they
 * analyse, and the parts of each.
 */
import { DEEP_UFM_MODELS } from '@nclab/ufm';

/** Flags of the deep UFM shared by both spectra jobs. */
export const DEEP_UFM_FLAGS = [
  { name: 'model', kind: 'string', choices: DEEP_UFM_MODELS, default: 'deep-linear', description: 'deep UFM variant' },
  { name: 'K', kind: 'integer', min: 2, required: true, valueName: 'K', description: 'number of classes' },
  { name: 'n', kind: 'integer', min: 1, required: true, valueName: 'n', description: 'samples per class' },
  { name: 'd', kind: 'integer', min: 1, required: true, multiple: true, valueName: 'd', description: 'width, or a comma list d_1,…,d_L (each ≥ K)' },
  { name: 'depth', kind: 'integer', min: 1, required: true, valueName: 'L', description: 'number of weight layers' },
  { name: 'lambda-w', kind: 'number', greaterThan: 0, required: true, multiple: true, valueName: 'λ', description: 'weight decay λ_W, or a comma list per layer' },
  { name: 'lambda-h', kind: 'number', greaterThan: 0, required: true, valueName: 'λ', description: 'feature decay λ_H' },
  { name: 'layer', kind: 'integer', min: 1, multiple: true, valueName: 'l', description: 'layers to analyse (repeat or comma list; default all)' },
  { name: 'at-optimum', kind: 'boolean', description: 'use the closed-form global optimum instead of gradient descent (deep-linear)' },
  { name: 'steps', kind: 'integer', min: 1, valueName: 'S', description: 'gradient-descent steps when solving' },
  { name: 'lr', kind: 'number', greaterThan: 0, valueName: 'η', description: 'gradient-descent step size' },
  { name: 'init-scale', kind: 'number', greaterThan: 0, valueName: 's', description: 'initialisation scale' },
  { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed of the initialisation, Lanczos and SLQ' },
  { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
  { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
] as const;

/** The `nclab spectra ufm` declaration. */
export const SPECTRA_UFM_SPEC = {
  name: 'spectra ufm',
  summary: 'layer-wise Hessian spectra of a deep UFM: outliers vs the closed form, Papyan decomposition',
  usage: 'spectra ufm --model deep-linear --K K --n n --d d --depth L --lambda-w λ --lambda-h λ [--layer l] [--top k] [--at-optimum]',
  description:
    'Solves the model (or builds its closed-form optimum with --at-optimum) and analyses the Hessian of the\n' +
    'MSE term with respect to each W_l. JSON: layers: [{layer, outliers (descending), bulk_size, rank, …}].',
  options: [...DEEP_UFM_FLAGS, { name: 'top', kind: 'integer', min: 1, valueName: 'k', description: 'Lanczos top-k per layer (default min(size, K² + K))' }],
  examples: ['nclab spectra ufm --model deep-linear --K 3 --n 2 --d 6,5,7 --depth 3 --lambda-w 0.05,0.03,0.08 --lambda-h 0.05 --at-optimum --json -'],
} as const;
