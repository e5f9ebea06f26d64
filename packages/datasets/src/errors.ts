import { NclabError } from '@nclab/backend/host';

/**
 * A data file is corrupt, truncated or in a layout we do not read.
 * `file` names the file (or `'<bytes>'` for in-memory input); `problem` says what was wrong.
 *
 * @example
 * // message: corrupt or unsupported data in /tmp/x.npy: truncated: header says 12 float32 values (48 bytes), 40 bytes present.
 * throw new DataFormatError('/tmp/x.npy', 'truncated: header says 12 float32 values (48 bytes), 40 bytes present');
 */
export class DataFormatError extends NclabError {
  /** The file (or source label) that was being read. */
  readonly file: string;
  /** What was wrong, without the file name. */
  readonly problem: string;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super('DATA_FORMAT', `corrupt or unsupported data in ${file}: ${problem}.`, options);
    this.file = file;
    this.problem = problem;
  }
}
