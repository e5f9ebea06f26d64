/**
 * The flags of the metrics job (`nclab metrics`).
 */
import { PRESET_NAMES } from '@nclab/nc-metrics';

/** The `nclab metrics` declaration. */
export const METRICS_SPEC = {
  name: 'metrics',
  summary: 'neural collapse metrics (NC1–NC4, CDNV, ETF errors) of features from .npy/.csv files',
  usage: 'metrics --features F --labels L [--classifier W] [--bias B] [--preset P] [--json [OUT]] [--out DIR]',
  description:
    'F: features [N, d]; L: labels [N] (integers, or floats holding integers); W: classifier [K, d]; B: bias [K].\n' +
    'Files are .npy (float32/float64/integer, C order) or .csv. Repeat --features to analyse several layers\n' +
    '(same labels); the per-layer table is printed and the last layer is reported in full.\n' +
    'JSON keys: n, K, d, nc1_trace_ratio, nc1_pinv (tr(Σ_W Σ_B^†)/K, top K−1, class-mean-average global\n' +
    'mean, Σ_W/N, Σ_B/K), nc1_cdnv, nc2_etf, nc2_equinorm, nc2_equiangular, and nc3, nc4 with a classifier.',
  options: [
    { name: 'features', kind: 'string', valueName: 'FILE', required: true, multiple: true, description: 'features [N, d] (repeat for several layers)' },
    { name: 'labels', kind: 'string', valueName: 'FILE', required: true, description: 'labels [N]' },
    { name: 'classifier', kind: 'string', valueName: 'FILE', description: 'last-layer weights W [K, d] (enables NC3/NC4)' },
    { name: 'bias', kind: 'string', valueName: 'FILE', description: 'last-layer bias b [K] (with --classifier)' },
    { name: 'preset', kind: 'string', choices: PRESET_NAMES, description: "also report a paper's convention" },
    { name: 'num-classes', kind: 'integer', min: 2, valueName: 'K', description: 'number of classes (default: max label + 1)' },
    { name: 'drop-empty-classes', kind: 'boolean', description: 'drop classes without samples instead of failing' },
    { name: 'linear-probe', kind: 'boolean', description: 'also compute the linear-probe NC1 (O(N·d²))' },
    { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
    { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
  ],
  examples: [
    'nclab metrics --features feats.npy --labels labels.npy',
    'nclab metrics --features feats.npy --labels labels.npy --classifier W.npy --preset papyan2020 --json metrics.json',
    'nclab metrics --features h1.npy --features h2.npy --features h3.npy --labels y.npy --out runs/layers',
  ],
} as const;
