/**
 * `probe import --checkpoints DIR`: several checkpoints of one run, one sub-folder of DIR per epoch, each
 * holding the files the other flags name. The sub-layer analysis runs per checkpoint; rows carry the epoch.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InvalidArgumentError } from '@nclab/backend';
import type { ImportedResult, ProbeImportedOptions } from '@nclab/nn-probes';
import { readImported, type MatrixOrFile, type ProbeImportJobOptions } from './data.js';

/** One checkpoint folder: its epoch and path. */
export interface CheckpointFolder {
  epoch: number;
  dir: string;
}

/**
 * The checkpoint folders of `dir`, sorted by epoch: every sub-folder whose name ends in a number (`10`,
 * `epoch_10`, `ckpt-010`); that number is the epoch. Other entries are ignored.
 *
 * @param dir - the run's checkpoint folder.
 * @returns the folders, by increasing epoch.
 * @throws {InvalidArgumentError} (argument `checkpoints`) when `dir` is missing, holds no such
 *   sub-folder, or two sub-folders name the same epoch.
 */
export function checkpointFolders(dir: string): CheckpointFolder[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InvalidArgumentError('checkpoints', 'a folder with one sub-folder per epoch', dir);
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /\d+$/.test(e.name))
    .map((e) => ({ epoch: Number(/(\d+)$/.exec(e.name)![1]), dir: join(dir, e.name) }))
    .sort((a, b) => a.epoch - b.epoch);
  if (found.length === 0) throw new InvalidArgumentError('checkpoints', 'sub-folders named by epoch (e.g. epoch_10)', dir);
  found.forEach((f, i) => {
    if (i > 0 && f.epoch === found[i - 1].epoch) throw new InvalidArgumentError('checkpoints', 'one sub-folder per epoch', `${found[i - 1].dir} and ${f.dir} both name epoch ${f.epoch}`);
  });
  return found;
}

/**
 * Runs `probeImported` on every checkpoint folder of `dir`: relative file names of `options` are taken
 * inside each folder (labels fall back to `dir` itself when the folder has none).
 *
 * @param dir - the run's checkpoint folder.
 * @param options - the job's options (file names relative to each checkpoint folder).
 * @param probe - `probeImported`.
 * @returns one result whose rows (`layers`) carry their epoch, in epoch then layer order.
 * @throws {InvalidArgumentError} from {@link checkpointFolders}, the `.npy` reader or `probeImported`,
 *   or when the checkpoints have different N or classes.
 */
export async function probeCheckpoints(
  dir: string,
  options: ProbeImportJobOptions,
  probe: (o: ProbeImportedOptions) => Promise<ImportedResult>,
): Promise<ImportedResult & { epochs: number[] }> {
  const folders = checkpointFolders(dir);
  const inside = (d: string) => (src: MatrixOrFile): MatrixOrFile => (typeof src === 'string' && !isAbsolute(src) ? join(d, src) : src);
  const rows: ImportedResult['layers'] = [];
  let first: ImportedResult | undefined;
  for (const f of folders) {
    const labels = typeof options.labels === 'string' && !isAbsolute(options.labels) && !existsSync(join(f.dir, options.labels)) ? join(dir, options.labels) : inside(f.dir)(options.labels as MatrixOrFile);
    const r = await probe(await readImported({
      ...options,
      layers: options.layers.map(inside(f.dir)),
      weights: options.weights?.map(inside(f.dir)),
      labels: labels as string | ArrayLike<number>,
    }));
    if (first && (r.n !== first.n || r.numClasses !== first.numClasses)) {
      throw new InvalidArgumentError('checkpoints', `the same N = ${first.n} and ${first.numClasses} classes in every checkpoint`, `N = ${r.n}, ${r.numClasses} classes at epoch ${f.epoch}`);
    }
    first ??= r;
    rows.push(...r.layers.map((l) => ({ epoch: f.epoch, ...l })));
  }
  return { ...first!, layers: rows, epochs: folders.map((f) => f.epoch) };
}
