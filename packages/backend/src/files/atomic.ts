/**
 * Atomic file writes (Node only): content goes to a temporary name in the same directory, unique to
 * this process and call, and is renamed over the target, so a crash or an error never leaves a
 * partial file under the target's name, and two processes writing beside each other never share a
 * temporary file.
 */
import { fs, fsSync, path as nodePath } from './node.js';
import { toJson } from './json.js';
import { trackTemp, untrackTemp } from './cleanup.js';
import { ensureDir } from './guard.js';

let counter = 0;

/**
 * A temporary path beside `path`, unique per process and per call:
 * `.{name}.{pid}.{time}.{counter}.tmp` in the same directory (so the final rename stays on one
 * file system).
 *
 * @param path - the destination file.
 * @returns the temporary path.
 * @example
 * tempPathFor('runs/a/result.json'); // 'runs/a/.result.json.4711.1733240000000.0.tmp'
 */
export function tempPathFor(path: string): string {
  const { basename, dirname, join } = nodePath();
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
}

/**
 * Writes `content` to `path` atomically (temp file + rename in the same directory). Creates the
 * parent directory if needed. On failure (a full disk included) the temp file is removed and the
 * target is untouched; a signal or exit while writing removes it too ({@link trackTemp}).
 *
 * @param path - destination file.
 * @param content - text (UTF-8) or bytes.
 * @returns the destination path.
 * @throws {Error} from `node:fs` when the directory or file cannot be written.
 * @example
 * await writeFileAtomic('runs/x/result.json', JSON.stringify(result));
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const { rename, rm, writeFile } = fs();
  await ensureDir(nodePath().dirname(path), 'path');
  const tmp = trackTemp(tempPathFor(path));
  try {
    // `wx`: created new (O_EXCL), so a symbolic link planted under the temporary name is not followed
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    untrackTemp(tmp);
  }
  return path;
}

/**
 * The synchronous twin of {@link writeFileAtomic} (same temporary name, same clean-up), for sync
 * APIs such as `writeNpy` of `@nclab/datasets`.
 *
 * @param path - destination file.
 * @param content - text (UTF-8) or bytes.
 * @returns the destination path.
 * @throws {Error} from `node:fs` when the directory or file cannot be written (the temporary is removed).
 * @example
 * writeFileAtomicSync('runs/x/features.npy', bytes);
 */
export function writeFileAtomicSync(path: string, content: string | Uint8Array): string {
  const { mkdirSync, renameSync, rmSync, writeFileSync } = fsSync();
  const tmp = trackTemp(tempPathFor(path));
  try {
    mkdirSync(nodePath().dirname(path), { recursive: true });
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unusable: there is no temporary to remove
    }
    throw e;
  } finally {
    untrackTemp(tmp);
  }
  return path;
}

/**
 * Writes `value` as pretty JSON ({@link toJson}: typed arrays as arrays, non-finite numbers as
 * `null`) to `path` atomically.
 *
 * @param path - destination file.
 * @param value - JSON-like value (typed arrays allowed).
 * @returns the destination path.
 * @example
 * await writeJsonAtomic('runs/x/result.json', { nc1: 0.5, curve: new Float64Array([1, 2]) });
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<string> {
  return writeFileAtomic(path, toJson(value));
}
