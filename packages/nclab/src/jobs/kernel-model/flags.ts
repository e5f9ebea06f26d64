/**
 * The flags of the kernel-model job (`nclab kernel-model`). `--K` and `--n` are spelled as in
 * `nclab ufm` and `nclab spectra ufm`.
 */
import { OUTPUT_FLAGS } from '../output-flags.js';

/** Kernel families of `--realize` (those `realizeCollapsedGram` inverts entrywise). */
export const REALIZE_KERNELS = ['laplace', 'gaussian'] as const;

/** The `nclab kernel-model` declaration. */
export const KERNEL_MODEL_SPEC = {
  name: 'kernel-model',
  summary: 'the unconstrained kernel model (Theorem 4.4): numerical optimum over unit-diagonal PSD Grams vs the closed form',
  usage: 'kernel-model --K K --n n --ridge μ [--restarts R] [--realize laplace|gaussian --scales s,…] [--json [OUT]] [--out DIR]',
  description:
    'Maximises the normalised objective (1/K) Σ_c y_cᵀ (k + μI)⁻¹ k y_c (unit-norm class indicators y_c) over\n' +
    'PSD kernel matrices k with unit diagonal (Riemannian ascent from seeded random starts) and compares with\n' +
    'Theorem 4.4 of Beaglehole et al. (2024): optimum I_K ⊗ 1_n1_nᵀ with value n/(n + μ).\n' +
    'JSON keys: objective, theory_objective, objective_gap, gram_error (relative Frobenius distance to\n' +
    'I_K ⊗ 11ᵀ), converged, steps, grad_norm, starts[]. With --realize: realize {kernel, bandwidth, d,\n' +
    'scales: [{scale, gram_error, theory_gram_error}]}: the Mahalanobis M_s that drives k_M(X, X) towards the\n' +
    'collapsed Gram on seeded Gaussian data X [K·n, d] (d ≥ K·n), per scale s of the construction.',
  options: [
    { name: 'K', kind: 'integer', min: 2, required: true, valueName: 'K', description: 'number of classes (≥ 2)' },
    { name: 'n', kind: 'integer', min: 1, required: true, valueName: 'n', description: 'samples per class' },
    { name: 'ridge', kind: 'number', greaterThan: 0, required: true, valueName: 'μ', description: 'ridge μ > 0 of the kernel regression' },
    { name: 'restarts', kind: 'integer', min: 1, default: 3, valueName: 'R', description: 'seeded random starts (the best is reported)' },
    { name: 'steps', kind: 'integer', min: 1, default: 5000, valueName: 'S', description: 'maximum ascent steps per start' },
    { name: 'grad-tol', kind: 'number', greaterThan: 0, default: 1e-8, valueName: 'ε', description: 'converged when the Riemannian gradient norm ≤ ε' },
    { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed of the first start (start r uses seed + r) and of the data of --realize' },
    { name: 'realize', kind: 'string', choices: REALIZE_KERNELS, description: 'also realise the collapsed Gram with a Mahalanobis kernel of this family' },
    { name: 'scales', kind: 'number', multiple: true, valueName: 's,…', description: 'scales s of the construction (default 1,2,4,8)' },
    { name: 'bandwidth', kind: 'number', greaterThan: 0, default: 1, valueName: 'L', description: 'bandwidth of the --realize kernel' },
    { name: 'd', kind: 'integer', min: 1, valueName: 'd', description: 'dimension of the --realize data (default K·n; must be ≥ K·n)' },
    ...OUTPUT_FLAGS,
  ],
  examples: [
    'nclab kernel-model --K 3 --n 4 --ridge 0.5 --json -',
    'nclab kernel-model --K 3 --n 4 --ridge 0.5 --realize laplace --scales 1,2,4,8,16 --out runs/kernel-model',
  ],
} as const;
