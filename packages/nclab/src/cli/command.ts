/** The shape of one CLI command module. */
import type { CommandContext } from './context.js';
import type { CommandSpec, ParsedArgs } from './spec.js';

/** A CLI command: its declaration and its handler (returns the exit code, default 0). */
export interface CliCommand {
  spec: CommandSpec;
  run(ctx: CommandContext): Promise<number | void>;
  /** Validates parsed flags without running (a job: flags → options); `nclab run` calls it for every experiment first. */
  check?(values: ParsedArgs['values']): Promise<void> | void;
}
