/**
 * The data of the probe-import job: activations, weights and labels saved from PyTorch or JAX as
 * `.npy` files (or given in memory), read into the matrices `probeImported` takes.
 */
import { InvalidArgumentError, type Matrix } from '@nclab/backend';
import type { MatrixSource, ProbeImportedOptions } from '@nclab/nn-probes';

/** A matrix in memory or the path of a `.npy` file. */
export type MatrixOrFile = string | MatrixSource;

/** Options of the probe-import job: `probeImported`'s, with `.npy` paths allowed for every array. */
export type ProbeImportJobOptions = Omit<ProbeImportedOptions, 'layers' | 'labels' | 'weights'> & {
  /** Features per capture point: `[N, d_i]` matrices or `.npy` paths. */
  readonly layers: readonly MatrixOrFile[];
  /** Labels `[N]`: an array or a `.npy` path (any integer or integer-valued float dtype). */
  readonly labels: string | ArrayLike<number>;
  /** Weights `[out, in]` (PyTorch layout): matrices or `.npy` paths. */
  readonly weights?: readonly MatrixOrFile[];
};

async function readMatrix(name: string, src: MatrixOrFile): Promise<MatrixSource> {
  if (typeof src !== 'string') return src;
  const { npyToMatrix, readNpy } = await import('@nclab/datasets');
  const arr = readNpy(src);
  if (arr.shape.length !== 2) throw new InvalidArgumentError(name, 'a 2-D array [N, d]', `shape [${arr.shape.join(', ')}]`, src);
  return npyToMatrix(arr, 'float64') as Matrix;
}

async function readLabels(src: string | ArrayLike<number>): Promise<ArrayLike<number>> {
  if (typeof src !== 'string') return src;
  const { readNpy } = await import('@nclab/datasets');
  const arr = readNpy(src);
  if (arr.shape.length !== 1 && !(arr.shape.length === 2 && arr.shape[1] === 1)) {
    throw new InvalidArgumentError('labels', 'a 1-D array [N]', `shape [${arr.shape.join(', ')}]`, src);
  }
  return Array.from(arr.data as ArrayLike<number | bigint>, (v) => Number(v));
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
  const layers = Array.isArray(options.layers) ? await Promise.all(options.layers.map((s, i) => readMatrix(`layers[${i}]`, s))) : options.layers;
  const weights = options.weights ? await Promise.all(options.weights.map((s, i) => readMatrix(`weights[${i}]`, s))) : undefined;
  return { ...options, layers: layers as MatrixSource[], labels: await readLabels(options.labels), weights };
}
