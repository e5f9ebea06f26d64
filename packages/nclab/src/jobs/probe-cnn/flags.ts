/**
 * The flags of the probe-cnn job (`nclab probe cnn`).
 */
import { OUTPUT_FLAGS } from '../output-flags.js';
import { TRAINING_FLAGS } from '../training-flags.js';
import { CNN_DATASETS } from './data.js';

/** The `nclab probe cnn` declaration. */
export const PROBE_CNN_SPEC = {
    name: 'probe cnn',
    summary: 'train a VGG-style CNN (conv blocks, MLP head) and probe sub-layer NC1 per layer (S Vᵀ vs ReLU) and the NFA',
    usage: 'probe cnn --dataset mnist --per-class N [--channels 16,32 --kernel 3 --pool 2 --hidden 64] --epochs E --lr η [--out DIR]',
    description:
      "Conv blocks (k×k 'same' convolution, stride 1, no bias, no batch norm, ReLU, max pool), flatten, hidden FC layers\n" +
      'with ReLU, linear head; Xavier-uniform init with gain --init-scale. A conv layer is W reshaped to [C_out, C_in·k·k]\n' +
      'acting on unfolded patches: NC1 at the input patches, after S Vᵀ (= the pre-activation, U orthonormal) and after U and\n' +
      'ReLU (before pooling), on the flattened maps. result.json: checkpoints: [{epoch, layer, kind, nc1_input, nc1_right,\n' +
      'nc1_output, nc1_right_share, nc1_pinv_*, nfa_corr_sqrt, …}], history, logits, summary.',
    options: [
      { name: 'dataset', kind: 'string', choices: CNN_DATASETS, default: 'mnist', description: 'MNIST, image .npy files (--images/--labels), or CIFAR-10 binary batches (--cifar-dir)' },
      { name: 'per-class', kind: 'integer', min: 1, valueName: 'N', description: 'training images per class (first N; required for mnist and cifar10, optional for npy)' },
      { name: 'test-per-class', kind: 'integer', min: 0, default: 0, valueName: 'N', description: 'test images per class evaluated each epoch (mnist, cifar10)' },
      { name: 'images', kind: 'string', valueName: 'FILE', description: 'npy: training images [N, C, H, W] (PyTorch), [N, H, W], or [N, H, W, C] with --channels-last' },
      { name: 'labels', kind: 'string', valueName: 'FILE', description: 'npy: training labels [N]' },
      { name: 'test-images', kind: 'string', valueName: 'FILE', description: 'npy: test images (optional)' },
      { name: 'test-labels', kind: 'string', valueName: 'FILE', description: 'npy: test labels (optional)' },
      { name: 'channels-last', kind: 'boolean', description: 'npy: the image arrays are [N, H, W, C]' },
      { name: 'cifar-dir', kind: 'string', valueName: 'DIR', description: 'cifar10: folder with data_batch_1..5.bin and test_batch.bin' },
      { name: 'probe-test', kind: 'boolean', description: 'also probe the test images (nc1_*_test per row)' },
      { name: 'channels', kind: 'integer', min: 1, multiple: true, valueName: 'C,…', description: 'output channels of each conv block (default 16,32)' },
      { name: 'kernel', kind: 'integer', min: 1, default: 3, valueName: 'k', description: 'odd kernel size of every conv block' },
      { name: 'pool', kind: 'integer', min: 1, default: 2, valueName: 'p', description: 'max-pool window and stride of every block (1 = none)' },
      { name: 'hidden', kind: 'integer', min: 1, multiple: true, valueName: 'W,…', description: 'widths of the hidden FC layers (default 64)' },
      ...TRAINING_FLAGS,
      { name: 'batch-size', kind: 'integer', min: 1, default: 64, valueName: 'B', description: 'mini-batch size' },
      { name: 'probe-every', kind: 'integer', min: 1, default: 5, valueName: 'k', description: 'probe every k epochs (and at 0 and the end)' },
      { name: 'agop-samples', kind: 'integer', min: 0, default: 200, valueName: 'n', description: 'class-balanced training samples the AGOP averages over (K backward passes each; 0 = all)' },
      { name: 'metric-dependence', kind: 'boolean', description: 'also Fisher and linear-probe NC1 where the feature dimension is ≤ 2048 (the FC layers; conv maps are larger) and the S Vᵀ-share table' },
      { name: 'no-nfa', kind: 'boolean', description: 'skip the AGOP / NFA correlations (faster)' },
      { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed (initialisation, shuffles, AGOP subsample)' },
      { name: 'resume', kind: 'boolean', description: 'resume from the newest checkpoint in DIR/checkpoints' },
      ...OUTPUT_FLAGS,
    ],
    examples: ['nclab probe cnn --dataset mnist --per-class 100 --test-per-class 50 --channels 16,32 --hidden 64 --epochs 20 --lr 0.05 --momentum 0.9 --out runs/probe-cnn'],
} as const;
