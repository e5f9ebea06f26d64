/** Shared inputs: files that both our benchmark and its NumPy peer read. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, type NpyInput } from './npy.js';

/**
 * The folder for benchmark inputs (`$NCLAB_BENCH_TMP`, else `<os tmpdir>/nclab-bench`), created if needed.
 * @returns its absolute path.
 * @example
 * benchTempDir(); // '/tmp/nclab-bench'
 */
export function benchTempDir(): string {
  const dir = process.env.NCLAB_BENCH_TMP || join(tmpdir(), 'nclab-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes an input array as `.npy` for the peer (`np.load(path)` reads it) and returns its path.
 * Call it in `setup` and pass the path through `peerArgs`, e.g. `['--input', path]`.
 * @param name - file stem, e.g. `'ncmetrics-features-n5000'` (letters, digits, `.`, `_`, `-`).
 * @param input - `{ data, shape }` in C order (see {@link encodeNpy}).
 * @returns the absolute path of the `.npy` file.
 * @throws {TypeError} on a bad `name`; also for an unsupported array type or a mismatched shape.
 * @example
 * const path = writeNpyInput('x-1000x64', { data: x.data, shape: [x.rows, x.cols] });
 * return { x, peerArgs: ['--input', path] };
 */
export function writeNpyInput(name: string, input: NpyInput): string {
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) {
    throw new TypeError(`invalid argument. \`name\` must be a file stem of letters, digits, '.', '_' or '-'. Value: \`${String(name)}\`.`);
  }
  const path = join(benchTempDir(), `${name}.npy`);
  writeFileSync(path, encodeNpy(input));
  return path;
}
