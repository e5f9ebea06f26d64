import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@nclab/backend';
import { encodeNpy, readNpy } from '@nclab/datasets';
import { validateSpec } from './mlp.js';
import type { OptimizerState } from './optimizers.js';
import type { LayerParams, MlpParams, MlpSpec } from './types.js';

/** The format tag written into every checkpoint's `meta.json`. */
export const CHECKPOINT_FORMAT = 'nclab-nn-probes-checkpoint/1';

/** What a checkpoint holds. */
export interface Checkpoint {
  /** Epochs completed when it was written (0 = initialisation). */
  epoch: number;
  params: MlpParams;
  /** Optimiser buffers and step count, absent for the initialisation snapshot. */
  optimizerState?: OptimizerState;
  /** Free-form JSON the trainer stores (config, loss history). */
  extra?: Record<string, unknown>;
}

interface MetaFile {
  format: string;
  epoch: number;
  spec: MlpSpec;
  layers: { weight: string; shape: [number, number]; bias: string | null }[];
  optimizer: { step: number; buffers: Record<string, string> } | null;
  extra: Record<string, unknown>;
}

/** The directory name of the checkpoint after `epoch` epochs, e.g. `epoch-000010`.
 * @returns the directory name.
 * @example
 * checkpointName(10); // returns 'epoch-000010' */
export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(6, '0')}`;
}

/**
 * Writes a checkpoint as a directory of `.npy` files (weights `[out, in]` float32, loadable with
 * `numpy.load`) plus `meta.json`. The directory appears atomically (written under a temporary name,
 * then renamed), so an interrupted run never leaves a half-written checkpoint.
 * @param dir - the directory to create (replaced if it exists).
 * @returns `dir`.
 * @throws {Error} from node:fs when the directory cannot be written.
 * @example
 * await saveCheckpoint('runs/a/checkpoints/epoch-000010', { epoch: 10, params });
 */
export async function saveCheckpoint(dir: string, ckpt: Checkpoint): Promise<string> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  const layers: MetaFile['layers'] = [];
  for (let l = 0; l < ckpt.params.layers.length; l++) {
    const p = ckpt.params.layers[l];
    await writeFile(join(tmp, `layer${l}.weight.npy`), encodeNpy({ data: p.weight, shape: [p.outDim, p.inDim] }));
    if (p.bias) await writeFile(join(tmp, `layer${l}.bias.npy`), encodeNpy({ data: p.bias, shape: [p.outDim] }));
    layers.push({ weight: `layer${l}.weight.npy`, shape: [p.outDim, p.inDim], bias: p.bias ? `layer${l}.bias.npy` : null });
  }
  let optimizer: MetaFile['optimizer'] = null;
  if (ckpt.optimizerState) {
    const buffers: Record<string, string> = {};
    for (const [name, data] of Object.entries(ckpt.optimizerState.buffers)) {
      buffers[name] = `opt.${name}.npy`;
      await writeFile(join(tmp, buffers[name]), encodeNpy({ data, shape: [data.length] }));
    }
    optimizer = { step: ckpt.optimizerState.step, buffers };
  }
  const meta: MetaFile = { format: CHECKPOINT_FORMAT, epoch: ckpt.epoch, spec: ckpt.params.spec, layers, optimizer, extra: ckpt.extra ?? {} };
  await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta, null, 1));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

async function readFloat32(path: string, expected: number, argument: string): Promise<Float32Array> {
  const arr = readNpy(path);
  const data = Float32Array.from(arr.data as ArrayLike<number>);
  if (data.length !== expected) throw new InvalidArgumentError(argument, `${expected} values`, data.length, path);
  return data;
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}.
 * @throws {InvalidArgumentError} when `meta.json` is missing or not a checkpoint, or a file's size does not
 *   match the recorded shape.
 * @returns the epoch, parameters, optimiser state (if saved) and extra JSON.
 * @example
 * const { epoch, params } = await loadCheckpoint('runs/a/checkpoints/epoch-000010');
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  let meta: MetaFile;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as MetaFile;
  } catch (cause) {
    throw new InvalidArgumentError('checkpoint', 'a directory with a readable meta.json', dir, String(cause));
  }
  if (meta.format !== CHECKPOINT_FORMAT) throw new InvalidArgumentError('checkpoint', `format ${CHECKPOINT_FORMAT}`, meta.format, dir);
  const spec = validateSpec(meta.spec);
  const layers: LayerParams[] = [];
  for (const [l, entry] of meta.layers.entries()) {
    const [outDim, inDim] = entry.shape;
    const weight = await readFloat32(join(dir, entry.weight), outDim * inDim, `layers[${l}].weight`);
    const bias = entry.bias ? await readFloat32(join(dir, entry.bias), outDim, `layers[${l}].bias`) : null;
    layers.push({ outDim, inDim, weight, bias });
  }
  let optimizerState: OptimizerState | undefined;
  if (meta.optimizer) {
    const buffers: Record<string, Float32Array> = {};
    for (const [name, file] of Object.entries(meta.optimizer.buffers)) {
      const arr = readNpy(join(dir, file));
      buffers[name] = Float32Array.from(arr.data as ArrayLike<number>);
    }
    optimizerState = { step: meta.optimizer.step, buffers };
  }
  return { epoch: meta.epoch, params: { spec, layers }, optimizerState, extra: meta.extra };
}

/** The newest `epoch-NNNNNN` checkpoint directory under `root`, or null when there is none.
 * @returns a path or null.
 * @example
 * await latestCheckpoint('runs/a/checkpoints'); // returns 'runs/a/checkpoints/epoch-000300' */
export async function latestCheckpoint(root: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return null;
  }
  const epochs = names.filter((n) => /^epoch-\d{6}$/.test(n)).sort();
  return epochs.length ? join(root, epochs[epochs.length - 1]) : null;
}

/** Deletes all but the newest `keep` epoch checkpoints under `root`.
 * @returns when done.
 * @example
 * await pruneCheckpoints('runs/a/checkpoints', 2); */
export async function pruneCheckpoints(root: string, keep: number): Promise<void> {
  const names = (await readdir(root)).filter((n) => /^epoch-\d{6}$/.test(n)).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) await rm(join(root, n), { recursive: true, force: true });
}
