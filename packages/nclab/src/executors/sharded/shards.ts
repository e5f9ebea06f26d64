/**
 * Shards of one dataset (`--shard F.npy:L.npy`, repeatable): row blocks in the order given. Reading a
 * shard, its `.npy` header alone (shape check before any work), and the up-front validation.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError, validateLabels, type AnyMatrix } from '@nclab/backend';
import { npyToMatrix, readNpy } from '@nclab/datasets';
import { loadLabelsFile, loadMatrixFile } from '../../io/load.js';

/** One shard: a features file `[N_s, d]` and its labels `[N_s]`. */
export interface Shard {
  features: string;
  labels: string;
}

/**
 * Parses `F.npy:L.npy` (split at the last `:`).
 * @param spec - the flag value.
 * @returns the two paths.
 * @throws {InvalidArgumentError} (argument `--shard`) when one side is missing.
 */
export function parseShard(spec: string): Shard {
  const i = spec.lastIndexOf(':');
  if (i <= 0 || i === spec.length - 1) throw new InvalidArgumentError('--shard', 'FEATURES:LABELS (e.g. h-0.npy:y-0.npy)', spec);
  return { features: spec.slice(0, i), labels: spec.slice(i + 1) };
}

/**
 * Shape of a `.npy` file from its header only (the data is not read). Should move to
 * `@nclab/datasets` as a header reader next to `parseNpy`.
 * @param path - a `.npy` file.
 * @returns `[rows, cols]` (a 1-D array is one column).
 * @throws Error when the file cannot be opened or is not `.npy`.
 */
export function npyShape(path: string): [number, number] {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(65536 + 12);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < 10 || head.toString('latin1', 1, 6) !== 'NUMPY') throw new Error('not an NPY file');
    const major = head[6];
    const len = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
    const start = major === 1 ? 10 : 12;
    const text = head.toString('latin1', start, Math.min(n, start + len));
    const m = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
    if (!m) throw new Error('header has no shape');
    const dims = m[1].split(',').map((s) => s.trim()).filter(Boolean).map((s) => Number.parseInt(s, 10));
    if (dims.length === 1) return [dims[0], 1];
    if (dims.length !== 2) throw new Error(`expected a 2-D array, shape (${m[1]})`);
    return [dims[0], dims[1]];
  } finally {
    closeSync(fd);
  }
}

/** The features of a shard: float32 `.npy` files stay float32 (half the memory; same float64 sums). */
export function loadShardFeatures(flag: string, path: string): AnyMatrix {
  if (extname(path).toLowerCase() === '.npy' && existsSync(path)) {
    const a = readNpy(path);
    if (a.dtype === 'float32') return npyToMatrix(a, 'float32');
  }
  return loadMatrixFile(flag, path);
}

/** What {@link validateShards} learns: rows and dimension per shard, the class sets, K. */
export interface ShardCheck {
  rows: number[];
  d: number;
  /** Number of label values K (max label + 1, or `--num-classes`). */
  numClasses: number;
}

/** `--shard i (F)` for error messages. */
export function shardName(i: number, s: Shard): string {
  return `--shard ${i + 1} (${s.features}:${s.labels})`;
}

/**
 * Checks every shard before any pass runs: the files open, features are 2-D with the same d, the
 * label count equals the row count, labels are integers in range, and no class appears in only one
 * shard while the others lack it (a sign of shards from different label sets).
 * @param shards - the shards in order.
 * @param numClasses - `--num-classes`, if given.
 * @returns rows per shard, d and K.
 * @throws {InvalidArgumentError} naming the shard (`--shard 3 (h-2.npy:y-2.npy)`).
 */
export function validateShards(shards: readonly Shard[], numClasses?: number): ShardCheck {
  if (shards.length === 0) throw new InvalidArgumentError('--shard', 'at least one FEATURES:LABELS pair', 'none');
  const rows: number[] = [];
  const present: Set<number>[] = [];
  let d = -1;
  let maxLabel = -1;
  shards.forEach((s, i) => {
    const name = shardName(i, s);
    let shape: [number, number];
    try {
      shape = extname(s.features).toLowerCase() === '.npy' ? npyShape(s.features) : (({ rows: r, cols: c }) => [r, c] as [number, number])(loadMatrixFile(name, s.features));
    } catch (e) {
      throw new InvalidArgumentError(name, 'a readable features file', s.features, (e as Error).message);
    }
    if (d >= 0 && shape[1] !== d) throw new InvalidArgumentError(name, `features with d = ${d} columns like --shard 1`, `d = ${shape[1]}`);
    d = shape[1];
    let labels: Float64Array;
    try {
      labels = loadLabelsFile(name, s.labels);
    } catch (e) {
      throw new InvalidArgumentError(name, 'a readable labels file', s.labels, (e as Error).message);
    }
    if (labels.length !== shape[0]) throw new InvalidArgumentError(name, `${shape[0]} labels (one per feature row)`, labels.length);
    let lab: Int32Array;
    try {
      lab = validateLabels('labels', labels, shape[0], numClasses).labels;
    } catch (e) {
      throw new InvalidArgumentError(name, 'integer labels in [0, K)', s.labels, (e as Error).message);
    }
    const set = new Set<number>();
    for (const y of lab) {
      set.add(y);
      if (y > maxLabel) maxLabel = y;
    }
    present.push(set);
    rows.push(shape[0]);
  });
  if (shards.length > 1) {
    present.forEach((set, i) => {
      for (const c of set) {
        if (!present.some((other, j) => j !== i && other.has(c))) {
          throw new InvalidArgumentError(shardName(i, shards[i]), `labels whose classes also occur in the other shards`, `class ${c}, which no other shard has`);
        }
      }
    });
  }
  return { rows, d, numClasses: numClasses ?? maxLabel + 1 };
}
