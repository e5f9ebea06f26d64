/**
 * The flags of the deep-rfm job (`nclab deep-rfm`, and its `nclab run` / `nclab sweep` entries).
 * Enum choices come from the libraries' constants.
 */
import { KERNEL_NAMES } from '@nclab/agop';
import { AGOP_PRECISIONS, FEATURE_MAP_KINDS, LAYER_PRECISIONS, NORMALIZE_MODES, SQRT_METHODS } from '@nclab/deep-rfm';

/** Data sources of `--dataset`. */
export const DEEP_RFM_DATASETS = ['mnist', 'files'] as const;

/** The `nclab deep-rfm` declaration. */
export const DEEP_RFM_SPEC = {
    name: 'deep-rfm',
    summary: 'Deep Recursive Feature Machine with per-layer neural collapse (Beaglehole et al. 2024)',
    usage: 'deep-rfm --dataset mnist --per-class N --depth L [options] [--out DIR]',
    description:
      'Runs Algorithm 1 (normalise, kernel ridge regression, AGOP M_l, X_{l+1} = Φ(M_l^½ X_l)) and records NC1\n' +
      '(tr Σ_W / tr Σ_B, nc1_pinv_*, Fisher nc1_fisher_*) and NC2 (ETF error) per layer at the input, after the\n' +
      'AGOP step and after the feature map, on the training data and (nc1_test_*, …) on the test data; the Gram\n' +
      'error of Theorem 4.3 per layer (gram_error, relative_gram_error) and its fitted rate (gram_error_rate,\n' +
      'gram_error_r2). With --out it writes DIR/result.json, nc1.svg, nc1-train-test.svg, nc2.svg, accuracy.svg,\n' +
      'gram-error.svg, gram.svg and report.html.\n' +
      'MNIST pixels are scaled to [0, 1]; the first N images per class are used (train and test splits).',
    options: [
      { name: 'dataset', kind: 'string', choices: DEEP_RFM_DATASETS, default: 'mnist', description: 'data source: MNIST, or .npy/.csv files given by --features/--labels' },
      { name: 'per-class', kind: 'integer', min: 1, max: 5421, valueName: 'N', description: 'MNIST training images per class (required for mnist)' },
      { name: 'test-per-class', kind: 'integer', min: 0, max: 892, valueName: 'N', description: 'MNIST test images per class (default: min(per-class, 892); 0 = none)' },
      { name: 'fisher', kind: 'boolean', description: 'also the Fisher NC1 nc1_fisher_* (null without this flag). Opt-in because it needs the full [d, d] within-class scatter and one [d, d] eigendecomposition per point (train and test): on the main job it takes the metric phase from 2.2 s to 27 s, and the trace ratio and pinv form already answer most runs' },
      { name: 'no-test', kind: 'boolean', description: 'no test data: no test accuracy and no test-set metrics (nc1_test_*, …)' },
      { name: 'features', kind: 'string', valueName: 'FILE', description: 'training features [N, d] (.npy or .csv), --dataset files' },
      { name: 'labels', kind: 'string', valueName: 'FILE', description: 'training labels [N] (.npy or .csv), --dataset files' },
      { name: 'test-features', kind: 'string', valueName: 'FILE', description: 'test features (optional), --dataset files' },
      { name: 'test-labels', kind: 'string', valueName: 'FILE', description: 'test labels (optional), --dataset files' },
      { name: 'depth', kind: 'integer', min: 1, valueName: 'L', required: true, description: 'number of layers' },
      { name: 'kernel', kind: 'string', choices: KERNEL_NAMES, default: 'laplace', description: 'predictor kernel' },
      { name: 'ntk-depth', kind: 'integer', min: 1, valueName: 'h', description: 'hidden ReLU layers h of the ntk predictor kernel (default 1; --kernel ntk only)' },
      { name: 'bandwidth', kind: 'number', greaterThan: 0, default: 2, valueName: 'L', description: 'kernel bandwidth' },
      { name: 'ridge', kind: 'number', min: 0, default: 0, valueName: 'MU', description: 'ridge μ of the kernel regression (0 = ridgeless)' },
      { name: 'width', kind: 'integer', min: 1, default: 1024, valueName: 'D', description: 'number of random features' },
      { name: 'feature-map', kind: 'string', choices: FEATURE_MAP_KINDS, default: 'relu', description: 'feature map Φ: random ReLU, random Fourier (cosine) or linear' },
      { name: 'feature-bias', kind: 'boolean', description: 'ReLU features with a uniform bias on [−1, 1)' },
      { name: 'normalize', kind: 'string', choices: NORMALIZE_MODES, default: 'unit', description: 'per-layer sample normalisation' },
      { name: 'sqrt', kind: 'string', choices: SQRT_METHODS, default: 'eigh', description: 'how M^½X is formed (cholesky: a factor equal in distribution, faster)' },
      { name: 'agop-samples', kind: 'integer', min: 1, valueName: 'N', description: 'AGOP on a seeded subsample of N training points (default: all)' },
      { name: 'agop-precision', kind: 'string', choices: AGOP_PRECISIONS, default: 'float64', description: "arithmetic of the AGOP's N³ product GᵀG (float64; mixed: float32; auto: float32 on the portable path, float64 with native BLAS)" },
      { name: 'precision', kind: 'string', choices: LAYER_PRECISIONS, default: 'auto', description: 'kernel solve of every layer: float64 Cholesky; refined: a float32 factor of the float64 kernel, refined in float64 to the float64 answer (4·N² bytes more); mixed: the kernel once in float32, factored in place, refined in float64 (4·N² bytes); auto: below N = 16,384 Cholesky, or refined from N = 4,096 on the portable path, else mixed (solver in layers[].solver)' },
      { name: 'memory-budget', kind: 'number', greaterThan: 0, valueName: 'BYTES', description: 'memory the layer may use; beyond it the solve falls back to Nyström block CG over recomputed kernel rows (default: 75 % of the free memory at start)' },
      { name: 'gram-samples', kind: 'integer', min: 0, default: 200, valueName: 'N', description: 'class-balanced samples in each Gram heat map' },
      { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed of the random feature maps' },
      { name: 'out', kind: 'string', valueName: 'DIR', description: 'output directory for result.json, plots and report.html' },
      { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
      { name: 'resume', kind: 'boolean', description: 'continue from DIR/checkpoint (written after every finished layer) instead of starting over' },
    ],
    examples: [
      'nclab deep-rfm --dataset mnist --per-class 100 --depth 8 --kernel laplace --bandwidth 2 --ridge 1e-3 --width 1024 --feature-map relu --seed 0 --out runs/deep-rfm-mnist',
      'nclab deep-rfm --dataset files --features x.npy --labels y.npy --depth 4 --json -',
    ],
  } as const;
