/**
 * What a CLI command receives besides its parsed flags: output streams and the command line.
 */
import { writeFileAtomic, toJson } from '@nclab/backend';
import { createProgress, type Progress } from './progress.js';
import type { ParsedArgs } from './spec.js';

/** Text sinks; the real CLI passes process.stdout/stderr, tests pass buffers. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Per-invocation context handed to a command. */
export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  /** The full command line as typed (`nclab deep-rfm --depth 8 ...`), for reports. */
  commandLine: string;
  /** A progress reporter on stderr honouring `--quiet`. */
  progress(label: string, total: number): Progress;
  /** Writes a status line on stderr unless `--quiet`. */
  info(message: string): void;
  /** Runs another nclab command line in-process (used by `run` and `sweep`); returns its exit code. */
  invoke(argv: string[], io: CliIo): Promise<number>;
}

/** Builds a {@link CommandContext}. */
export function createContext(io: CliIo, args: ParsedArgs, commandLine: string, invoke: CommandContext['invoke']): CommandContext {
  const quiet = args.values.quiet === true;
  return {
    io,
    args,
    commandLine,
    progress: (label, total) => createProgress({ label, total, quiet, stream: io.stderr }),
    info: (message) => {
      if (!quiet) io.stderr.write(`${message}\n`);
    },
    invoke,
  };
}

/**
 * Emits a command's JSON result according to `--json`: to stdout for `-`, else atomically to the
 * file named. Returns whether JSON was emitted (so the caller skips its human-readable output
 * when JSON went to stdout).
 *
 * @param ctx - the command context.
 * @param value - the JSON-ready result.
 * @returns `'stdout'`, `'file'`, or `'none'` when `--json` was not given.
 */
export async function emitJson(ctx: CommandContext, value: unknown): Promise<'stdout' | 'file' | 'none'> {
  const target = ctx.args.values.json;
  if (typeof target !== 'string') return 'none';
  if (target === '-') {
    ctx.io.stdout.write(toJson(value));
    return 'stdout';
  }
  await writeFileAtomic(target, toJson(value));
  ctx.info(`wrote ${target}`);
  return 'file';
}
