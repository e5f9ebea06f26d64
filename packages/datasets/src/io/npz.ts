/**
 * NumPy `.npz` archives (what `np.savez` and `np.savez_compressed` write): a ZIP file with one
 * `.npy` entry per array, stored or deflated.
 * @see https://numpy.org/doc/stable/reference/generated/numpy.savez.html
 */
import { DataFormatError } from '../errors.js';
import { readBytes } from './bytes.js';
import { parseNpy, type NpyArray } from './npy.js';
import { readZipEntries } from './zip.js';

/**
 * Decodes an `.npz` archive already in memory.
 * @param bytes - the whole archive.
 * @param source - named in error messages.
 * @returns the arrays in archive order, keyed by their NumPy names (`np.savez(f, h1=a)` gives `h1`;
 *   positional arrays are `arr_0`, `arr_1`, …): the entry name without `.npy`.
 * @throws {DataFormatError} for a malformed archive, an entry that is not `.npy`, or a bad `.npy` entry.
 * @example
 * const layers = parseNpz(readFileSync('layers.npz')); // Map { 'h1' => { dtype, shape, data }, … }
 */
export function parseNpz(bytes: Uint8Array, source = '<bytes>'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [name, entry] of readZipEntries(bytes, source)) {
    if (name.endsWith('/')) continue; // a folder entry
    if (!name.endsWith('.npy')) throw new DataFormatError(source, `entry '${name}' is not a .npy array`);
    out.set(name.slice(0, -4), parseNpy(entry, `${source}:${name}`));
  }
  return out;
}

/**
 * Reads an `.npz` archive.
 * @param path - the archive, e.g. `layers.npz`.
 * @returns its arrays by name, in archive order (see {@link parseNpz}).
 * @throws {InvalidArgumentError} when the file cannot be read.
 * @throws {DataFormatError} when it is not a readable `.npz` archive; the message names the file.
 * @example
 * const { shape } = readNpz('layers.npz').get('h3')!; // e.g. [5000, 512]
 */
export function readNpz(path: string): Map<string, NpyArray> {
  return parseNpz(readBytes(path), path);
}
