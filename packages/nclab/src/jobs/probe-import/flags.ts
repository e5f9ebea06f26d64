/**
 * The flags of the probe-import job (`nclab probe import`).
 */
import { MLP_ACTIVATIONS } from '@nclab/nn-probes';
import { OUTPUT_FLAGS } from '../output-flags.js';


/** The `nclab probe import` declaration. */
export const PROBE_IMPORT_SPEC = {
    name: 'probe import',
    summary: 'sub-layer NC1, spectra and NFA of activations/weights saved from PyTorch or JAX (.npy, .npz members)',
    usage: 'probe import --layer-features F1 --layer-features F2 ... --labels L [--weights W1 --weights W2 ...] [--nfa]',
    description: 'F_i: features [N, d_i] at each capture point (e.g. the input of each linear layer); W_i: the weight [out, in]\napplied to F_i (PyTorch layout); L: labels [N]. Each a .npy file or an .npz member FILE.npz:NAME; features\nof any rank are flattened per sample. From PyTorch: np.save(path, tensor.detach().cpu().numpy()). A rank-4 weight\n[C_out, C_in, k, k] is a conv layer, taken as stride 1 with "same" zero padding (odd k): reshaped to [C_out, C_in·k·k]\nand applied to the k×k patches of its features [N, C_in, H, W] (the input point is then the unfolded patches).\nWith --checkpoints DIR every sub-folder of DIR is one checkpoint (its epoch: the last number in its name, e.g.\nepoch_10) and the file flags name files inside each sub-folder (labels may sit in DIR instead); result rows carry the epoch.',
    options: [
      { name: 'layer-features', kind: 'string', multiple: true, required: true, valueName: 'FILE', description: 'features of one capture point (repeat, in network order)' },
      { name: 'labels', kind: 'string', required: true, valueName: 'FILE', description: 'labels [N]' },
      { name: 'weights', kind: 'string', multiple: true, valueName: 'FILE', description: "weight applied to each capture point (repeat, same order); [out, in], or conv filters [C_out, C_in, k, k] (stride 1, 'same' padding only)" },
      { name: 'checkpoints', kind: 'string', valueName: 'DIR', description: 'several checkpoints of one run: one sub-folder per epoch (name ending in the epoch number), each holding the files named by the other flags' },
      { name: 'activation', kind: 'string', choices: MLP_ACTIVATIONS, default: 'relu', description: 'non-linearity after each weight' },
      { name: 'nfa', kind: 'boolean', description: 'NFA correlations (the weights must be the bias-free MLP the features came from)' },
      { name: 'metric-dependence', kind: 'boolean', description: 'also the pinv, Fisher and linear-probe NC1 at every point (nc1_pinv_*, nc1_fisher_*, nc1_probe_*) and the table of S Vᵀ shares per metric' },
      ...OUTPUT_FLAGS,
    ],
    examples: [
      'nclab probe import --layer-features h0.npy --layer-features h1.npy --labels y.npy --weights w0.npy --weights w1.npy --json -',
      'nclab probe import --checkpoints run/ckpt --layer-features x0.npy --layer-features h1.npy --labels y.npy --weights conv0.npy --weights fc1.npy --out runs/import',
    ]
} as const;
