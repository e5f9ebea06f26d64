/**
 * The `nclab` command line: dispatch to a command, `--help` everywhere, errors mapped to exit
 * codes (0 ok, 1 runtime/numerical failure, 2 usage/invalid input).
 */
import type { CliCommand } from './command.js';
import { createContext, type CliIo } from './context.js';
import { EXIT_OK, EXIT_USAGE, UsageError, exitCodeFor } from './errors.js';
import { applyLinalg } from './engine.js';
import { InsufficientMemoryError, InvalidArgumentError, type LinalgRequest } from '@nclab/backend';
import { GLOBAL_OPTIONS, camelCase, closest, formatCommandHelp, parseCommandArgs, type CommandSpec } from './spec.js';
import { COMMANDS } from './registry.js';
import { escapeControl } from './terminal-text.js';
import { packageVersion } from './versions.js';

function commandGroups(): Map<string, CliCommand[]> {
  const groups = new Map<string, CliCommand[]>();
  for (const c of COMMANDS) {
    const head = c.spec.name.split(' ')[0];
    groups.set(head, [...(groups.get(head) ?? []), c]);
  }
  return groups;
}

/** The top-level `nclab --help` text. */
export function formatTopHelp(): string {
  // commands whose name starts with `_` are internal (e.g. `_task`, run by Slurm array tasks)
  const rows = COMMANDS.filter((c) => !c.spec.name.startsWith('_')).map((c) => [c.spec.name, c.spec.summary] as const);
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return [
    'nclab: neural collapse research toolkit',
    '',
    'Usage: nclab <command> [options]',
    '       nclab <command> --help',
    '',
    'Commands:',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}${b}`),
    '',
    'Global options: --json [OUT] (machine-readable output; `-` or no value: stdout), --engine NAME,',
    '                --linalg auto|native|portable, --quiet (no progress on stderr), --allow-nonfinite',
    '                (write non-finite results as null with warnings instead of exit 1), --help, --version',
    '                (global options may also come before the command)',
    'Environment:    NCLAB_ENGINE (default engine), NCLAB_LINALG (native|portable|auto)',
    'Exit codes:     0 ok, 1 runtime or numerical failure, 2 usage error or invalid input',
    '',
  ].join('\n');
}

function formatGroupHelp(head: string, group: CliCommand[]): string {
  const w = Math.max(...group.map((c) => c.spec.name.length)) + 2;
  return [
    `Usage: nclab ${head} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...group.map((c) => `  ${c.spec.name.padEnd(w)}${c.spec.summary}`),
    '',
    `Run \`nclab ${head} <subcommand> --help\` for the options of each.`,
    '',
  ].join('\n');
}

function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } {
  const groups = commandGroups();
  const head = argv[0];
  const group = groups.get(head);
  if (!group) {
    const guess = closest(head, [...groups.keys()]);
    throw new UsageError('', `unknown command \`${head}\`${guess ? `; did you mean \`${guess}\`?` : ''} (commands: ${[...groups.keys()].join(', ')})`);
  }
  const exact = group.find((c) => c.spec.name === head);
  if (exact) return { command: exact, rest: argv.slice(1) };
  const sub = argv[1];
  const found = group.find((c) => c.spec.name === `${head} ${sub}`);
  if (found) return { command: found, rest: argv.slice(2) };
  const names = group.map((c) => c.spec.name.split(' ')[1]).join(', ');
  if (sub === undefined || sub === '--help' || sub === '-h') {
    throw new UsageError(head, `\`nclab ${head}\` needs a subcommand: ${names}`);
  }
  throw new UsageError(head, `unknown subcommand \`${sub}\` of \`${head}\`; expected one of ${names}`);
}

/**
 * Checks a command line without running it: the command exists, its flags parse (types, choices,
 * required flags) and, for a job, they convert to the job's options (documented constraints).
 * `nclab run` checks every experiment this way before running the first.
 *
 * @param argv - the command and its flags (`['ufm', '--num-classes', '3', …]`).
 * @throws {UsageError} or {InvalidArgumentError} as running the command would.
 * @example
 * await checkCommandLine(['ufm', '--model', 'mse', '--num-classes', '5', '--dim', '4']); // throws: d ≥ K
 */
export async function checkCommandLine(argv: readonly string[]): Promise<void> {
  const { command, rest } = findCommand(hoistGlobalFlags(argv));
  const args = parseCommandArgs(command.spec, rest);
  if (args.values.help !== true) await command.check?.(args.values);
}

/**
 * Moves global flags written before the command (`nclab --linalg portable deep-rfm ...`) behind it,
 * where the command's parser reads them; `--help`/`--version` alone keep their place.
 *
 * @param argv - raw arguments.
 * @returns the arguments with leading global flags (and their values) after the command words.
 */
export function hoistGlobalFlags(argv: readonly string[]): readonly string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('--')) {
    const name = argv[i].slice(2).split('=')[0];
    const o = GLOBAL_OPTIONS.find((g) => g.name === name);
    if (!o || name === 'help') break;
    const takesValue = o.kind !== 'boolean' && !argv[i].includes('=') && name !== 'json';
    lead.push(...argv.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  if (lead.length === 0 || i >= argv.length) return argv;
  const rest = argv.slice(i);
  // the command is one word, or two for a group (`spectra ufm`)
  const words = rest.length > 1 && !rest[1].startsWith('-') && commandGroups().get(rest[0])?.some((c) => c.spec.name === `${rest[0]} ${rest[1]}`) ? 2 : 1;
  return [...rest.slice(0, words), ...lead, ...rest.slice(words)];
}

/**
 * The message of an error as the CLI prints it: an `InvalidArgumentError` whose argument is an
 * option of the command (camelCase, `lambdaW`) names the flag instead (`--lambda-w`); libraries
 * know option names only.
 *
 * @param error - the thrown value.
 * @param spec - the command's declaration, when known.
 * @returns the message.
 */
export function cliMessage(error: unknown, spec?: CommandSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof InvalidArgumentError || error instanceof InsufficientMemoryError) || !spec) return message;
  const flag = spec.options.find((o) => camelCase(o.name) === error.argument);
  return flag ? message.replace(`\`${error.argument}\``, `\`--${flag.name}\``) : message;
}

function writeError(io: CliIo, error: unknown, command: string, spec?: CommandSpec): void {
  const where = command ? `nclab ${command}` : 'nclab';
  // user strings (file names, experiment names, flag values) reach messages: never let them drive the terminal
  const message = escapeControl(cliMessage(error, spec));
  io.stderr.write(`${where}: error: ${message}\n`);
  if (error instanceof UsageError) io.stderr.write(`Run \`${where} --help\` for usage.\n`);
  else if (process.env.NCLAB_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
}

/**
 * Runs the CLI with the given arguments (without `node` and the script path).
 *
 * @param argv - e.g. `['deep-rfm', '--depth', '8']`.
 * @param io - stdout / stderr sinks.
 * @returns the exit code: 0 ok, 1 runtime or numerical failure, 2 usage error or invalid input.
 * @example
 * const code = await main(['info', '--json'], process);
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  argv = hoistGlobalFlags(argv);
  if (argv.length === 0) {
    io.stderr.write(formatTopHelp());
    return EXIT_USAGE;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    if (argv[0] === 'help' && argv[1]) return main([...argv.slice(1), '--help'], io);
    io.stdout.write(formatTopHelp());
    return EXIT_OK;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout.write(`${packageVersion('nclab')}\n`);
    return EXIT_OK;
  }
  let commandName = '';
  let commandSpec: CommandSpec | undefined;
  try {
    if (argv[0].startsWith('-')) throw new UsageError('', `expected a command before \`${argv[0]}\``);
    const group = commandGroups().get(argv[0]);
    if (group && !group.some((c) => c.spec.name === argv[0]) && (argv[1] === '--help' || argv[1] === '-h')) {
      io.stdout.write(formatGroupHelp(argv[0], group));
      return EXIT_OK;
    }
    const { command, rest } = findCommand(argv);
    commandName = command.spec.name;
    commandSpec = command.spec;
    const args = parseCommandArgs(command.spec, rest);
    if (args.values.help === true) {
      io.stdout.write(formatCommandHelp(command.spec));
      return EXIT_OK;
    }
    // the linear-algebra path and the backend's notices are set before the command runs
    applyLinalg(args.values.linalg as LinalgRequest | undefined, args.values.quiet === true);
    const ctx = createContext(io, args, ['nclab', ...argv].join(' '), main);
    const code = await command.run(ctx);
    return code ?? EXIT_OK;
  } catch (error) {
    writeError(io, error, commandName || (error instanceof UsageError ? error.command : ''), commandSpec);
    return exitCodeFor(error);
  }
}
