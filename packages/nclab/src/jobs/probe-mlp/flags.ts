/**
 * The flags of the probe-mlp job (`nclab probe mlp`).
 */
import { OUTPUT_FLAGS } from '../output-flags.js';
import { TRAINING_FLAGS } from '../training-flags.js';

/** The choices of `--train-route` (see `TrainOptions.route` of `@nclab/nn-probes`). */
export const TRAIN_ROUTES = ['auto', 'host', 'tfjs'] as const;

/** Training data of `--dataset`. */
export const PROBE_DATASETS = ['mnist'] as const;

/** The `nclab probe mlp` declaration. */
export const PROBE_MLP_SPEC = {
    name: 'probe mlp',
    summary: 'train a bias-free MLP on MNIST and probe sub-layer NC1 (S Vᵀ vs ReLU) and the NFA',
    usage: 'probe mlp --dataset mnist --per-class N --depth L --width W --epochs E --lr η --init-scale s --loss mse|ce [--out DIR]',
    description:
      'Bias-free ReLU MLP, Xavier-uniform init with gain --init-scale, SGD batch 128, raw pixels in [0, 1], ±1 one-hot\n' +
      'targets for MSE. result.json: checkpoints: [{epoch, layer, train_loss, nc1_input, nc1_right, nc1_output,\n' +
      'nc1_pinv_input, nc1_pinv_right, nc1_pinv_output, nc1_right_share, nc1_pinv_right_share, nfa_corr, nfa_corr_sqrt,\n' +
      'nfa_corr_sqrt_delta}], history, summary; with --probe-test the *_test keys of the test images; with --linear-layers m\n' +
      'linear_head: [{epoch, train_error, feature_condition, feature_rank, balancedness[m], nc1[m+1], nc2[m+1], nc3[m+1]}];\n' +
      'with --entk-samples n entk: [{epoch, samples, alignment, centred_alignment, within_mean, across_mean, within_std, across_std,\n' +
      'layers: [{layer, agop_corr, nfa_corr_sqrt_entk, nfa_corr_sqrt_network}]}].',
    options: [
      { name: 'dataset', kind: 'string', choices: PROBE_DATASETS, default: 'mnist', description: 'training data' },
      { name: 'per-class', kind: 'integer', min: 1, required: true, valueName: 'N', description: 'training images per class' },
      { name: 'test-per-class', kind: 'integer', min: 0, default: 0, valueName: 'N', description: 'test images per class evaluated each epoch' },
      { name: 'probe-test', kind: 'boolean', description: 'also probe the test images (nc1_input_test, nc1_pinv_*_test, nc2_output_test, … per row; needs --test-per-class)' },
      { name: 'depth', kind: 'integer', min: 1, required: true, valueName: 'L', description: 'hidden layers' },
      { name: 'width', kind: 'integer', min: 1, required: true, valueName: 'W', description: 'hidden width' },
      { name: 'first-width', kind: 'integer', min: 1, valueName: 'W1', description: 'width of the first hidden layer (default --width; the others keep --width): a wide first layer before a narrower stack or linear head' },
      ...TRAINING_FLAGS,
      { name: 'linear-layers', kind: 'integer', min: 0, default: 0, valueName: 'm', description: 'the last m hidden layers without non-linearity (a deep linear head); adds linear_head rows: balancedness, feature conditioning, NC1–NC3 per level, training error' },
      { name: 'entk-samples', kind: 'integer', min: 1, valueName: 'n', description: 'at every probe, the empirical NTK on n class-balanced training points (seeded by --seed, the same points each time; n ≥ classes): alignment with yyᵀ, within/across-class means, and the AGOP of the eNTK predictor vs the network AGOP and the NFA (entk rows; costs n² memory and K backward sweeps per probe)' },
      { name: 'train-route', kind: 'string', choices: TRAIN_ROUTES, default: 'auto', description: 'where training runs: host (backend sgemm; auto) or tfjs (the engine)' },
      { name: 'batch-size', kind: 'integer', min: 1, default: 128, valueName: 'B', description: 'mini-batch size' },
      { name: 'probe-every', kind: 'integer', min: 1, default: 10, valueName: 'k', description: 'probe every k epochs (and at 0 and the end)' },
      { name: 'metric-dependence', kind: 'boolean', description: 'also the Fisher and linear-probe NC1 at the three sub-layer points (nc1_fisher_*, nc1_probe_*; null without it) and the table of S Vᵀ shares per metric (a [d, d] scatter and eigendecomposition per point)' },
      { name: 'no-nfa', kind: 'boolean', description: 'skip the AGOP / NFA correlations (faster)' },
      { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed' },
      { name: 'resume', kind: 'boolean', description: 'resume from the newest checkpoint in DIR/checkpoints' },
      ...OUTPUT_FLAGS,
    ],
    examples: ['nclab probe mlp --dataset mnist --per-class 200 --depth 5 --width 256 --epochs 300 --lr 0.05 --init-scale 0.5 --loss mse --seed 0 --out runs/probe']
} as const;
