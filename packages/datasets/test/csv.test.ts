import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { DataFormatError, parseCsv, readCsv } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('CSV reader', () => {
  const dir = tempDir();

  it('parses a header, a named label column, quotes, CRLF and blank lines', () => {
    const t = parseCsv('"a","b",label\r\n1, 2.5 ,0\r\n\r\n-3,4e-2,2\r\n');
    expect(t.columns).toEqual(['a', 'b', 'label']);
    const u = parseCsv('"a","b",label\r\n1, 2.5 ,0\r\n\r\n-3,4e-2,2\r\n5,6,1\r\n', { labelColumn: 'label' });
    expect(u.x).toEqual({ rows: 3, cols: 2, data: Float64Array.from([1, 2.5, -3, 0.04, 5, 6]) });
    expect(Array.from(u.labels!)).toEqual([0, 2, 1]);
    expect(u.numClasses).toBe(3);
    expect(u.columns).toEqual(['a', 'b']);
  });

  it('detects a missing header and takes a label column by (negative) index', () => {
    const t = parseCsv('1;2;1\n3;4;0\n', { delimiter: ';', labelColumn: -1 });
    expect(t.columns).toEqual(['c0', 'c1']);
    expect(Array.from(t.x.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.labels!)).toEqual([1, 0]);
    const first = parseCsv('1,2\n3,4\n', { labelColumn: 0, numClasses: 5 });
    expect(Array.from(first.labels!)).toEqual([1, 3]);
    expect(first.numClasses).toBe(5);
  });

  it('honours header: false and header: true explicitly', () => {
    expect(parseCsv('1,2\n3,4', { header: true }).x.rows).toBe(1);
    expect(() => parseCsv('x,y\n1,2', { header: false })).toThrow(/line 1, column 1 \(c0\): "x" is not a finite number/);
  });

  it('reads files, gzip too, and names the file, line and column of a bad cell', () => {
    const p = join(dir, 'bad.csv');
    writeFileSync(p, 'a,b\n1,2\n3,oops\n');
    expect(() => readCsv(p)).toThrow(DataFormatError);
    expect(() => readCsv(p)).toThrow(new RegExp(`${p}: line 3, column 2 \\(b\\): "oops" is not a finite number`));
    const g = join(dir, 'ok.csv.gz');
    writeFileSync(g, gzipSync('a,b\n1,2\n'));
    expect(Array.from(readCsv(g).x.data)).toEqual([1, 2]);
  });

  it('rejects ragged rows, empty files, NaN/Infinity cells and non-integer labels', () => {
    expect(() => parseCsv('1,2\n3\n')).toThrow(/line 2 has 1 fields, expected 2/);
    expect(() => parseCsv('\n\n')).toThrow(/no data rows/);
    expect(() => parseCsv('a,b\n')).toThrow(/no data rows/);
    expect(() => parseCsv('1,2\n1,NaN\n')).toThrow(/"NaN" is not a finite number/);
    expect(() => parseCsv('1,2\n1,Infinity\n')).toThrow(/not a finite number/);
    // only decimal notation: hexadecimal, binary and digit separators are not numbers here
    expect(() => parseCsv('1,2\n1,0x10\n')).toThrow(/line 2, column 2 \(c1\): "0x10" is not a finite number/);
    expect(() => parseCsv('1,2\n0b1,2\n')).toThrow(/"0b1" is not a finite number/);
    // overflow is reported with its row and column (a one-row file is data, not a header)
    expect(() => parseCsv('1,1e400\n')).toThrow(/line 1, column 2 \(c1\): "1e400" is not a finite number: it overflows/);
    expect(() => parseCsv('1,2\n1,1e400\n')).toThrow(DataFormatError);
    expect(() => parseCsv('1,2\n', { header: false })).not.toThrow();
    expect(() => parseCsv('1,0.5\n', { labelColumn: 1 })).toThrow(/label column "c1".*integers/);
    expect(() => parseCsv('1,-1\n', { labelColumn: 1 })).toThrow(DataFormatError);
  });

  it('rejects a label column that does not exist with a typed error', () => {
    expect(() => parseCsv('a,b\n1,2\n', { labelColumn: 'y' })).toThrow(InvalidArgumentError);
    expect(() => parseCsv('1,2\n', { labelColumn: 2 })).toThrow(/`labelColumn` must be a column index in \[-2, 2\)/);
    expect(() => parseCsv('1,2\n', { delimiter: '' })).toThrow(/`delimiter`/);
  });
});
