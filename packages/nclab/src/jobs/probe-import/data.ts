/**
 * The data of the probe-import job: activations, weights and labels saved from PyTorch or JAX as
 * `.npy` files or `.npz` members (`file.npz:name`), or given in memory, read into the matrices
 * `probeImported` takes. Activations of any rank are flattened per sample (`[N, C, H, W]` → `[N, C·H·W]`).
 */
import { InvalidArgumentError, type Matrix } from '@nclab/backend';
import type { FeatureSource, MatrixSource, ProbeImportedOptions, WeightSource } from '@nclab/nn-probes';

/** A matrix in memory or the path of a `.npy` file. */
export type MatrixOrFile = string | MatrixSource;

/** Options of the probe-import job: `probeImported`'s, with `.npy` paths allowed for every array. */
export type ProbeImportJobOptions = Omit<ProbeImportedOptions, 'layers' | 'labels' | 'weights'> & {
  /** Features per capture point: `[N, d_i]` matrices or `.npy` / `file.npz:name` paths (any rank, flattened per sample). */
  readonly layers: readonly MatrixOrFile[];
  /** Labels `[N]`: an array or a `.npy` path (any integer or integer-valued float dtype). */
  readonly labels: string | ArrayLike<number>;
  /**
   * Weights `[out, in]` (PyTorch layout): matrices or `.npy` paths. A rank-4 `.npy` `[C_out, C_in, k, k]`
   * is a conv layer (stride 1, 'same' padding): reshaped to `[C_out, C_in·k·k]`, its features must be
   * `[N, C_in, H, W]`.
   */
  readonly weights?: readonly MatrixOrFile[];
  /**
   * Several checkpoints of one run: a folder with one sub-folder per epoch (see `checkpointFolders`);
   * the paths above are then file names inside each sub-folder. Read by the job, not by {@link readImported}.
   */
  readonly checkpoints?: string;
};

async function readMatrix(name: string, src: MatrixOrFile, anyRank: boolean): Promise<FeatureSource & WeightSource> {
  if (typeof src !== 'string') return src;
  const { loadArrayFiles } = await import('../../io/load.js');
  const arrays = loadArrayFiles(name, src);
  if (arrays.length !== 1) throw new InvalidArgumentError(name, 'one array: name the .npz member as FILE.npz:NAME', src);
  const [arr] = arrays;
  const conv = !anyRank && arr.shape.length === 4 && arr.shape[2] === arr.shape[3];
  if (anyRank ? arr.shape.length < 2 : arr.shape.length !== 2 && !conv) {
    throw new InvalidArgumentError(name, anyRank ? 'an array [N, d, …] of rank 2 or more' : 'a 2-D array [out, in] or conv filters [C_out, C_in, k, k]', `shape [${arr.shape.join(', ')}]`, src);
  }
  if (conv) return { ...arr.matrix, kernel: arr.shape[3] };
  return anyRank && arr.shape.length === 4 ? { ...arr.matrix, sampleShape: arr.shape.slice(1) } : arr.matrix;
}

async function readLabels(src: string | ArrayLike<number>): Promise<ArrayLike<number>> {
  if (typeof src !== 'string') return src;
  const { loadArrayFiles } = await import('../../io/load.js');
  const arrays = loadArrayFiles('labels', src);
  if (arrays.length !== 1) throw new InvalidArgumentError('labels', 'one array: name the .npz member as FILE.npz:NAME', src);
  const [arr] = arrays;
  if (arr.shape.length !== 1 && !(arr.shape.length === 2 && arr.shape[1] === 1)) {
    throw new InvalidArgumentError('labels', 'a 1-D array [N]', `shape [${arr.shape.join(', ')}]`, src);
  }
  return arr.matrix.data;
}

/**
 * Reads every `.npy` path of the options into memory.
 *
 * @param options - the job's options.
 * @returns `probeImported` options with matrices only.
 * @throws {InvalidArgumentError} naming `layers[i]`, `weights[i]` or `labels` for an array of the wrong rank;
 *   the `.npy` reader's errors for unreadable files.
 */
export async function readImported(options: ProbeImportJobOptions): Promise<ProbeImportedOptions> {
  if (options.labels === undefined || options.labels === null) throw new InvalidArgumentError('labels', 'a .npy path or an array of class labels (activations need labels)', options.labels);
  const layers = Array.isArray(options.layers) ? await Promise.all(options.layers.map((s, i) => readMatrix(`layers[${i}]`, s, true))) : options.layers;
  const weights = options.weights ? await Promise.all(options.weights.map((s, i) => readMatrix(`weights[${i}]`, s, false))) : undefined;
  return { ...options, layers: layers as MatrixSource[], labels: await readLabels(options.labels), weights };
}
