/**
 * Checks a job command makes before any computation, and the run directory it holds while it
 * works: environment variables, `--out` and `--json` are validated first (usage errors, exit 2,
 * naming the flag or variable), then `--out` is locked for this run (one run per directory), the
 * temporary files of killed runs are removed, and checkpoint folders planted as symbolic links are
 * refused.
 */
import { LINALG_REQUESTS, acquireOutputLock, assertNoSymlinkBelow, assertOutputFile, InvalidArgumentError, removeLeftoverTemps, type OutputLock } from '@nclab/backend';
import { join } from 'node:path';
import { UsageError } from './errors.js';


/** Environment variables with a fixed set of values, checked before a command runs. */
const ENV_CHOICES: Readonly<Record<string, readonly string[]>> = { NCLAB_LINALG: LINALG_REQUESTS };

/**
 * Throws when an nclab environment variable has a value nclab does not know (`NCLAB_LINALG=bogus`),
 * instead of silently ignoring it.
 *
 * @param command - the command (for the error).
 * @param env - the environment (default `process.env`).
 * @throws {UsageError} naming the variable, its value and the accepted ones.
 * @example
 * checkEnvironment('deep-rfm', { NCLAB_LINALG: 'portable' }); // ok
 */
export function checkEnvironment(command: string, env: Record<string, string | undefined> = process.env): void {
  for (const [name, choices] of Object.entries(ENV_CHOICES)) {
    const v = env[name];
    if (v !== undefined && v !== '' && !choices.includes(v)) {
      throw new UsageError(command, `environment variable \`${name}\` must be one of ${choices.join(', ')}, got \`${v}\``);
    }
  }
}

/**
 * Validates `--out` and `--json` before any computation: `--out` must be a non-empty path that is or
 * can become a directory (it is created here); `--json` (unless `-`, stdout) a non-empty file path
 * in an existing directory, not a directory itself.
 *
 * @param command - the command (for the error).
 * @param values - parsed flag values (`out`, `json`).
 * @returns when both are usable.
 * @throws {UsageError} naming the flag.
 */
export async function checkOutputFlags(command: string, values: { out?: unknown; json?: unknown }): Promise<void> {
  try {
    if (values.json !== undefined && values.json !== '-') await assertOutputFile(String(values.json), '--json');
    if (values.out !== undefined && String(values.out).trim() === '') throw new InvalidArgumentError('--out', 'a non-empty directory path', values.out);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(command, e.message.replace(/^invalid argument\. /, ''));
    throw e;
  }
}

/** Sub-folders of `--out` where jobs keep checkpoints (never symbolic links). */
const CHECKPOINT_DIRS = ['checkpoint', 'checkpoints'];

/**
 * Takes `--out` for this run: creates it (one level at a time: fails at once on `/proc/x`), locks it
 * (a second run on the same directory fails with `OutputLockedError`), removes temporary files of
 * killed runs and refuses checkpoint folders that are symbolic links.
 *
 * @param command - the command (for errors).
 * @param out - the `--out` directory.
 * @param commandLine - recorded in the lock.
 * @returns the held lock; release it in a `finally`.
 * @throws {UsageError} when `--out` cannot be a directory or holds a symbolic link where a checkpoint goes.
 * @throws {OutputLockedError} (exit 1) when another live run holds `--out`.
 */
export async function openRunDir(command: string, out: string, commandLine?: string): Promise<OutputLock> {
  let lock: OutputLock;
  try {
    lock = await acquireOutputLock(out, commandLine);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(command, e.message.replace(/^invalid argument\. /, '').replace('`out`', '`--out`'));
    throw e;
  }
  try {
    for (const d of CHECKPOINT_DIRS) await assertNoSymlinkBelow(out, join(out, d, 'x'), '--out');
    await removeLeftoverTemps(out);
  } catch (e) {
    await lock.release();
    if (e instanceof InvalidArgumentError) throw new UsageError(command, e.message.replace(/^invalid argument\. /, ''));
    throw e;
  }
  return lock;
}
