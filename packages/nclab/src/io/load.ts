/**
 * Loading user data files named on the command line: `.npy` (float32/float64/integer, C order)
 * or `.csv` (numbers; a header line is detected).
 */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError, type Matrix } from '@nclab/backend';
import { npyToMatrix, readCsv, readNpy } from '@nclab/datasets';

function checkFile(flag: string, path: string): 'npy' | 'csv' {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InvalidArgumentError(flag, 'an existing .npy or .csv file', path, 'file not found');
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new InvalidArgumentError(flag, 'a file ending in .npy or .csv', path);
}

/**
 * Reads a 2-D numeric array `[rows, cols]` (a 1-D array becomes one column) as float64.
 *
 * @param flag - the flag or option naming the file, for error messages (`--features`).
 * @param path - a `.npy` or `.csv` file.
 * @returns a float64 `Matrix`.
 * @throws {InvalidArgumentError} (naming `flag`) for a missing file, an unsupported extension or an
 *   array of more than 2 dimensions.
 * @throws DataFormatError (from `@nclab/datasets`) for a corrupt file.
 * @example
 * const x = loadMatrixFile('--features', 'feats.npy'); // { rows: N, cols: d, data: Float64Array }
 */
export function loadMatrixFile(flag: string, path: string): Matrix {
  if (checkFile(flag, path) === 'csv') return readCsv(path, { header: 'auto' }).x;
  const array = readNpy(path);
  try {
    return npyToMatrix(array, 'float64');
  } catch (e) {
    // the converter names its own parameters (`a.shape`); the user knows the flag and the file
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(flag, 'a 1-D or 2-D array [rows, cols]', `shape [${array.shape.join(', ')}]`, path);
    throw e;
  }
}

/**
 * Reads class labels: a 1-D array (or an `[N, 1]` column) of integers, or floats holding
 * integers. Validation of the values (integers in [0, K)) is left to the consumer, which knows N.
 *
 * @param flag - the flag naming the file (`--labels`).
 * @param path - a `.npy` or `.csv` file.
 * @returns the label values as float64.
 * @throws {InvalidArgumentError} missing file, unsupported extension, or more than one column.
 */
export function loadLabelsFile(flag: string, path: string): Float64Array {
  const m = loadMatrixFile(flag, path);
  if (m.cols !== 1) throw new InvalidArgumentError(flag, 'a 1-D array of labels (or one column)', `[${m.rows}, ${m.cols}]`);
  return m.data;
}
