/**
 * The one checkpoint container of nclab's resumable jobs (Node only). A checkpoint is a directory:
 *
 * - `state.json`, the manifest: `{ version, config, completed, meta, arrays }`, where `config` is
 *   the configuration the run belongs to (a resume must match it field by field), `completed` the
 *   number of finished steps (layers, epochs), `meta` free JSON (result rows so far) and `arrays`
 *   names each binary array with its file, dtype, shape and byte size;
 * - one raw little-endian file per array (`{name}.{completed}.bin`).
 *
 * Arrays are written first and `state.json` last, each through a temporary name unique to the
 * process and renamed into place, so a reader sees either the previous complete state or the new
 * one; files of earlier states are removed afterwards. Readers verify every array's byte size.
 */
import { fs, path as nodePath } from './node.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { ensureDir } from './guard.js';
import { canonicalJson } from './identity.js';

/** Format version written into every `state.json`. */
export const CHECKPOINT_VERSION = 1;

/** Element types a checkpoint array may have. */
export const CHECKPOINT_DTYPES = ['float64', 'float32'] as const;
/** One of {@link CHECKPOINT_DTYPES}. */
export type CheckpointDtype = (typeof CHECKPOINT_DTYPES)[number];

/** A named binary array of a checkpoint: row-major data and its shape. */
export interface CheckpointArray {
  readonly data: Float64Array | Float32Array;
  readonly shape: readonly number[];
}

/** What a job saves and gets back. */
export interface CheckpointState<Meta> {
  /** The configuration the run belongs to (plain JSON); a resume requires equal fields. */
  readonly config: Record<string, unknown>;
  /** Finished steps (layers, epochs). */
  readonly completed: number;
  /** Free JSON: rows computed so far, histories. */
  readonly meta: Meta;
  /** Binary arrays by name (letters, digits, `_`, `-`, `.`). */
  readonly arrays: Readonly<Record<string, CheckpointArray>>;
}

interface ArrayEntry {
  file: string;
  dtype: CheckpointDtype;
  shape: number[];
  bytes: number;
}

interface Manifest {
  version: number;
  config: Record<string, unknown>;
  completed: number;
  meta: unknown;
  arrays: Record<string, ArrayEntry>;
}

const MANIFEST = 'state.json';
const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The fields in which two configurations differ (union of keys, compared by canonical JSON).
 *
 * @param a - one configuration.
 * @param b - the other.
 * @returns the differing field names, sorted.
 * @example
 * configDifferences({ seed: 0, depth: 2 }, { seed: 1, depth: 2 }); // ['seed']
 */
export function configDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).sort();
}

/**
 * Saves a checkpoint state into `dir` (created if needed): arrays first, `state.json` last by
 * rename, then the array files of earlier states removed.
 *
 * @param dir - the checkpoint directory.
 * @param state - configuration, finished steps, JSON meta and binary arrays.
 * @returns when the state is on disk.
 * @throws {InvalidArgumentError} for an array name outside `[A-Za-z0-9_.-]` or data whose length
 *   does not match its shape.
 * @throws {Error} from `node:fs` when the directory cannot be written.
 * @example
 * await saveCheckpoint('runs/a/checkpoint', { config: { seed: 0 }, completed: 3, meta: { rows },
 *   arrays: { train: { data: x.data, shape: [x.rows, x.cols] } } });
 */
export async function saveCheckpoint<Meta>(dir: string, state: CheckpointState<Meta>): Promise<void> {
  const { lstat, readdir, rm } = fs();
  const { join } = nodePath();
  await ensureDir(dir, 'checkpoint');
  // never write through a link planted as the checkpoint folder
  if ((await lstat(dir)).isSymbolicLink()) throw new InvalidArgumentError('checkpoint', 'a real directory (not a symbolic link)', dir);
  const arrays: Record<string, ArrayEntry> = {};
  for (const [name, arr] of Object.entries(state.arrays)) {
    if (!NAME.test(name)) throw new InvalidArgumentError('arrays', 'named by letters, digits, `_`, `-` and `.`', name);
    const count = arr.shape.reduce((p, s) => p * s, 1);
    if (count !== arr.data.length) throw new InvalidArgumentError(`arrays.${name}`, `${count} values (shape ${arr.shape.join('×')})`, arr.data.length);
    const file = `${name}.${state.completed}.bin`;
    await writeFileAtomic(join(dir, file), new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength));
    arrays[name] = { file, dtype: arr.data instanceof Float32Array ? 'float32' : 'float64', shape: [...arr.shape], bytes: arr.data.byteLength };
  }
  const manifest: Manifest = { version: CHECKPOINT_VERSION, config: state.config, completed: state.completed, meta: state.meta, arrays };
  await writeJsonAtomic(join(dir, MANIFEST), manifest);
  const keep = new Set(Object.values(arrays).map((a) => a.file));
  for (const f of await readdir(dir)) if (f.endsWith('.bin') && !keep.has(f)) await rm(join(dir, f), { force: true });
}

/**
 * Loads the checkpoint in `dir` if it has a `state.json`.
 *
 * @param dir - the checkpoint directory.
 * @param config - the configuration of the run that wants to resume; `undefined` skips the check
 *   (for callers whose algorithm checks the saved `config` itself).
 * @param argument - the argument name used in errors (default `'checkpoint'`).
 * @returns the saved state, or `undefined` when `dir` holds no `state.json`.
 * @throws {InvalidArgumentError} when `state.json` is unreadable or of another version, the
 *   configuration differs (the message names the differing fields), or an array file is missing or
 *   has the wrong size.
 * @example
 * const saved = await loadCheckpoint<{ rows: Row[] }>('runs/a/checkpoint', { seed: 0 });
 * if (saved) resumeFrom(saved.completed, saved.arrays.train);
 */
export async function loadCheckpoint<Meta>(dir: string, config: Record<string, unknown> | undefined, argument = 'checkpoint'): Promise<CheckpointState<Meta> | undefined> {
  const { lstat, readFile } = fs();
  const { join } = nodePath();
  const st = await lstat(dir).catch(() => undefined);
  if (st?.isSymbolicLink()) throw new InvalidArgumentError(argument, 'a real directory (not a symbolic link)', dir);
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidArgumentError(argument, 'a folder with a readable state.json', dir, (e as Error).message);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new InvalidArgumentError(argument, 'a folder with a readable state.json', dir, (e as Error).message);
  }
  if (manifest?.version !== CHECKPOINT_VERSION || typeof manifest.arrays !== 'object' || manifest.arrays === null) {
    throw new InvalidArgumentError(argument, `a checkpoint of format version ${CHECKPOINT_VERSION}`, manifest?.version, dir);
  }
  const diff = config ? configDifferences(manifest.config ?? {}, config) : [];
  if (diff.length) {
    throw new InvalidArgumentError(argument, 'a checkpoint of the same configuration (or an empty folder)', dir, `it was written by a run with other ${diff.join(', ')}; use another folder`);
  }
  const arrays: Record<string, CheckpointArray> = {};
  for (const [name, entry] of Object.entries(manifest.arrays)) {
    const size = entry.shape.reduce((p, s) => p * s, 1) * (entry.dtype === 'float32' ? 4 : 8);
    let buf: Buffer;
    try {
      buf = await readFile(join(dir, entry.file));
    } catch (e) {
      throw new InvalidArgumentError(argument, `a checkpoint with its array file ${entry.file}`, dir, (e as Error).message);
    }
    if (buf.byteLength !== size || entry.bytes !== size) throw new InvalidArgumentError(argument, `an array file ${entry.file} of ${size} bytes`, buf.byteLength, dir);
    const data = entry.dtype === 'float32' ? new Float32Array(size / 4) : new Float64Array(size / 8);
    new Uint8Array(data.buffer).set(buf);
    arrays[name] = { data, shape: entry.shape };
  }
  return { config: manifest.config, completed: manifest.completed, meta: manifest.meta as Meta, arrays };
}
