/**
 * Loading user data files named on the command line: `.npy` (float32/float64/integer, C or Fortran
 * order, any rank), `.npz` archives (every array, or one member named as `file.npz:name`) and `.csv`
 * (numbers; a header line is detected). Arrays of rank > 2 are flattened per sample (`[N, …]` → `[N, d]`).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InvalidArgumentError, type Matrix } from '@nclab/backend';
import { flattenSamples, npyToMatrix, readCsv, readNpy, readNpz, type NpyArray } from '@nclab/datasets';

/** One array read from a file: its name (npz member or file name), original shape and `[N, d]` matrix. */
export interface LoadedArray {
  /** The `.npz` member name, or the file's base name. */
  readonly name: string;
  /** The shape as stored (before flattening each sample). */
  readonly shape: readonly number[];
  /** The float64 matrix `[N, d]` (a 1-D array becomes one column). */
  readonly matrix: Matrix;
}

/**
 * Splits `layers.npz:y` into the archive and the member name; any other path has no member.
 * @example
 * splitMember('runs/layers.npz:h3'); // { file: 'runs/layers.npz', member: 'h3' }
 */
export function splitMember(path: string): { file: string; member?: string } {
  const m = /^(.*\.npz):([^/\\]+)$/i.exec(path);
  return m ? { file: m[1], member: m[2] } : { file: path };
}

function checkFile(flag: string, file: string): 'npy' | 'npz' | 'csv' {
  if (!existsSync(file) || !statSync(file).isFile()) throw new InvalidArgumentError(flag, 'an existing .npy, .npz or .csv file', file, 'file not found');
  const ext = extname(file).toLowerCase();
  if (ext === '.npy' || ext === '.npz') return ext.slice(1) as 'npy' | 'npz';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new InvalidArgumentError(flag, 'a file ending in .npy, .npz or .csv', file);
}

function toMatrix(flag: string, name: string, a: NpyArray): LoadedArray {
  if (a.shape.length === 0) throw new InvalidArgumentError(flag, 'an array with samples along the first axis', `a 0-D array (${name})`);
  return { name, shape: a.shape, matrix: npyToMatrix(flattenSamples(a), 'float64') };
}

/**
 * Reads every array a path names: one for `.npy`, `.csv` or `file.npz:member`, all members (in archive
 * order) for a bare `.npz`, except the members listed in `exclude` (e.g. the labels taken from the same archive).
 *
 * @param flag - the flag naming the file, for error messages (`--features`).
 * @param path - the file, or `archive.npz:member`.
 * @param exclude - `archive.npz:member` paths not to return from a bare archive.
 * @returns the arrays, flattened per sample, with their names and original shapes.
 * @throws {InvalidArgumentError} missing file, unsupported extension, unknown member, 0-D array.
 * @throws DataFormatError (from `@nclab/datasets`) for a corrupt file.
 * @example
 * loadArrayFiles('--features', 'layers.npz', ['layers.npz:y']); // [{ name: 'h1', shape: [N, 64, 8, 8], matrix }, …]
 */
export function loadArrayFiles(flag: string, path: string, exclude: readonly string[] = []): LoadedArray[] {
  const { file, member } = splitMember(path);
  const kind = checkFile(flag, file);
  if (member !== undefined && kind !== 'npz') throw new InvalidArgumentError(flag, 'a member name only after an .npz archive', path);
  if (kind === 'csv') {
    const x = readCsv(file, { header: 'auto' }).x;
    return [{ name: basename(file), shape: [x.rows, x.cols], matrix: x }];
  }
  if (kind === 'npy') return [toMatrix(flag, basename(file), readNpy(file))];
  const arrays = readNpz(file);
  if (member !== undefined) {
    const a = arrays.get(member);
    if (!a) throw new InvalidArgumentError(flag, `a member of ${file} (${[...arrays.keys()].join(', ')})`, member);
    return [toMatrix(flag, member, a)];
  }
  const skip = new Set(exclude.map(splitMember).filter((s) => s.file === file && s.member !== undefined).map((s) => s.member));
  const out = [...arrays].filter(([name]) => !skip.has(name)).map(([name, a]) => toMatrix(flag, name, a));
  if (out.length === 0) throw new InvalidArgumentError(flag, 'an .npz archive with at least one array', file);
  return out;
}

/**
 * Reads one numeric array as a float64 matrix `[rows, cols]` (a 1-D array becomes one column; rank > 2
 * is flattened per sample). An `.npz` path must name its member (`file.npz:W`) unless it holds one array.
 *
 * @param flag - the flag or option naming the file, for error messages (`--features`).
 * @param path - a `.npy`, `.csv` or `.npz` file, or `archive.npz:member`.
 * @returns a float64 `Matrix`.
 * @throws {InvalidArgumentError} missing file, unsupported extension, an archive of several arrays without a member name.
 * @throws DataFormatError (from `@nclab/datasets`) for a corrupt file.
 * @example
 * const x = loadMatrixFile('--features', 'feats.npy'); // { rows: N, cols: d, data: Float64Array }
 */
export function loadMatrixFile(flag: string, path: string): Matrix {
  const arrays = loadArrayFiles(flag, path);
  if (arrays.length !== 1) throw new InvalidArgumentError(flag, `one array: name the member, e.g. ${path}:${arrays[0].name}`, `${path} (${arrays.map((a) => a.name).join(', ')})`);
  return arrays[0].matrix;
}

/**
 * Reads class labels: a 1-D array (or an `[N, 1]` column) of integers, or floats holding
 * integers. Validation of the values (integers in [0, K)) is left to the consumer, which knows N.
 *
 * @param flag - the flag naming the file (`--labels`).
 * @param path - a `.npy`, `.csv` file or `archive.npz:member`.
 * @returns the label values as float64.
 * @throws {InvalidArgumentError} missing file, unsupported extension, or more than one column.
 */
export function loadLabelsFile(flag: string, path: string): Float64Array {
  const m = loadMatrixFile(flag, path);
  if (m.cols !== 1) throw new InvalidArgumentError(flag, 'a 1-D array of labels (or one column)', `[${m.rows}, ${m.cols}]`);
  return m.data;
}
