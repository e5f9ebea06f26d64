/**
 * CLI errors and the exit-code policy scripts can rely on.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success |
 * | 1 | runtime or numerical failure (a solver diverged, an engine is unavailable, I/O failed) |
 * | 2 | usage error or invalid input (unknown flag, bad value, malformed or missing data file) |
 */
import { InvalidArgumentError, NclabError } from '@nclab/backend';

/** Exit code of a successful command. */
export const EXIT_OK = 0;
/** Exit code of a runtime or numerical failure. */
export const EXIT_FAILURE = 1;
/** Exit code of a usage error or invalid input. */
export const EXIT_USAGE = 2;

/**
 * A command-line usage error: an unknown command or flag, a missing or malformed value.
 * The CLI prints the message plus a pointer to `--help` and exits with code 2.
 *
 * @example
 * throw new UsageError('deep-rfm', '`--depth` must be an integer ≥ 1, got `0`');
 */
export class UsageError extends NclabError {
  /** The command the error belongs to (`''` for the top level). */
  readonly command: string;
  constructor(command: string, message: string) {
    super('USAGE', message);
    this.command = command;
  }
}

/** `NclabError.code`s that mean "bad input" (exit 2): usage, invalid argument, corrupt data file, a size too large for memory. */
const INPUT_CODES = new Set(['USAGE', 'INVALID_ARGUMENT', 'DATA_FORMAT', 'INSUFFICIENT_MEMORY']);

/**
 * Maps any thrown value to the CLI exit code: 2 for bad input ({@link UsageError},
 * `InvalidArgumentError`, a corrupt data file), 1 for
 * everything else (numerical failures, unavailable engines, bugs).
 *
 * @param error - the thrown value.
 * @returns 1 or 2.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidArgumentError) return EXIT_USAGE;
  if (error instanceof NclabError && INPUT_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}
