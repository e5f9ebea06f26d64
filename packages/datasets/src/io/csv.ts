/**
 * Numeric CSV: one sample per line, optional header line, optional integer label column.
 */
import { InvalidArgumentError, validateLabels, type Matrix } from '@nclab/backend/host';
import { DataFormatError } from '../errors.js';
import { readBytes } from './bytes.js';

/** Options of {@link parseCsv} / {@link readCsv}. */
export interface CsvOptions {
  /** Field separator (default `','`). */
  delimiter?: string;
  /**
   * Whether the first non-empty line holds column names: `true`, `false`, or `'auto'` (default):
   * a header when any of its fields is not a number.
   */
  header?: boolean | 'auto';
  /**
   * The column holding integer class labels, taken out of `x`: a 0-based index (negative counts
   * from the end, `-1` = last) or a header name. Omitted = every column is a feature.
   */
  labelColumn?: number | string;
  /** K when known; otherwise K = max label + 1. */
  numClasses?: number;
}

/** A parsed CSV: features `[N, d]` in float64, and labels when a label column was named. */
export interface CsvTable {
  /** Features `[N, d]` (row-major float64). */
  x: Matrix;
  /** Class labels `[N]` when `labelColumn` was given. */
  labels?: Int32Array;
  /** K when `labelColumn` was given. */
  numClasses?: number;
  /** Names of the feature columns (from the header, else `c0, c1, …`). */
  columns: string[];
}

/** A cell as shown in a message: control characters escaped, at most 40 characters. */
function escapeCell(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

/** A decimal number as written in a CSV cell: sign, digits, point, exponent (no `0x10`, `Infinity`, `1_0`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a cell is written as a decimal number (finite or not: `1e400` is a number that overflows). */
function isNumber(s: string): boolean {
  return DECIMAL.test(s);
}

/**
 * Parses numeric CSV text. Empty lines are skipped; `\r\n` line ends are accepted; fields may be
 * wrapped in double quotes (no embedded delimiters).
 * @param text - the file's content.
 * @param options - see {@link CsvOptions}.
 * @param source - named in error messages.
 * @returns `{ x: [N, d], labels?, numClasses?, columns }`.
 * @throws {DataFormatError} on a row with the wrong number of fields, a cell that is not a decimal
 *   number (`0x10`, `Infinity`) or one that overflows (`1e400`) (message gives line and column), or a non-integer or negative label; also when there is no data row.
 * @throws {InvalidArgumentError} on a bad `delimiter` or a `labelColumn` that names no column.
 * @example
 * parseCsv('a,b,y\n1,2,0\n3,4,1\n', { labelColumn: 'y' });
 * // returns { x: { rows: 2, cols: 2, data: [1, 2, 3, 4] }, labels: Int32Array [0, 1], numClasses: 2, columns: ['a', 'b'] }
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = '<text>'): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /[\r\n"]/.test(delimiter)) {
    throw new InvalidArgumentError('delimiter', 'a non-empty string without quotes or line breaks', delimiter);
  }
  const lines = text.split(/\r?\n/);
  let li = 0;
  while (li < lines.length && lines[li].trim() === '') li++;
  if (li === lines.length) throw new DataFormatError(source, 'no data rows');
  const first = splitLine(lines[li], delimiter);
  const headerMode = options.header ?? 'auto';
  const hasHeader = headerMode === 'auto' ? first.some((f) => !isNumber(f)) : headerMode;
  const width = first.length;
  const names = hasHeader ? first : first.map((_, j) => `c${j}`);
  if (hasHeader) li++;

  let labelIdx = -1;
  if (options.labelColumn !== undefined) {
    const lc = options.labelColumn;
    if (typeof lc === 'string') {
      labelIdx = hasHeader ? names.indexOf(lc) : -1;
      if (labelIdx < 0) throw new InvalidArgumentError('labelColumn', hasHeader ? `one of the header names [${names.join(', ')}]` : 'a column index (the file has no header)', lc);
    } else {
      if (!Number.isInteger(lc) || lc >= width || lc < -width) throw new InvalidArgumentError('labelColumn', `a column index in [-${width}, ${width})`, lc);
      labelIdx = lc < 0 ? width + lc : lc;
    }
  }
  const d = labelIdx >= 0 ? width - 1 : width;
  const values: number[] = [];
  const labelValues: number[] = [];
  for (; li < lines.length; li++) {
    if (lines[li].trim() === '') continue;
    const f = splitLine(lines[li], delimiter);
    if (f.length !== width) throw new DataFormatError(source, `line ${li + 1} has ${f.length} fields, expected ${width}`);
    for (let j = 0; j < width; j++) {
      if (!isNumber(f[j])) {
        throw new DataFormatError(source, `line ${li + 1}, column ${j + 1} (${names[j]}): "${escapeCell(f[j])}" is not a finite number (decimal notation only)`);
      }
      const v = Number(f[j]);
      if (!Number.isFinite(v)) {
        throw new DataFormatError(source, `line ${li + 1}, column ${j + 1} (${names[j]}): "${f[j]}" is not a finite number: it overflows float64 (beyond ±1.8e308)`);
      }
      if (j === labelIdx) labelValues.push(v);
      else values.push(v);
    }
  }
  const n = d > 0 ? values.length / d : labelValues.length;
  if (n === 0) throw new DataFormatError(source, 'no data rows');
  const x: Matrix = { rows: n, cols: d, data: Float64Array.from(values) };
  const columns = names.filter((_, j) => j !== labelIdx);
  if (labelIdx < 0) return { x, columns };
  try {
    const { labels, numClasses } = validateLabels('labels', labelValues, n, options.numClasses);
    return { x, labels, numClasses, columns };
  } catch (e) {
    throw new DataFormatError(source, `label column "${names[labelIdx]}": ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads a numeric CSV file (gzip is gunzipped first). See {@link parseCsv}.
 * @throws {InvalidArgumentError} when the file cannot be read or options are bad.
 * @throws {DataFormatError} when the content is malformed (message names the file, line and column).
 * @example
 * const { x, labels } = readCsv('iris.csv', { labelColumn: -1 });
 */
export function readCsv(path: string, options: CsvOptions = {}): CsvTable {
  const text = new TextDecoder('utf-8').decode(readBytes(path));
  return parseCsv(text, options, path);
}
