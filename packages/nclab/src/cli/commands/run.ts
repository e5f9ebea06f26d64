/**
 * `nclab run CONFIG.json`: runs the experiments of a JSON file, one after another.
 */
import { escapeControl } from '../terminal-text.js';
import { existsSync, readFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { optionsToArgv } from '../experiments.js';

/** One experiment of a config file. */
export interface ExperimentSpec {
  /** Command name, e.g. `deep-rfm` or `spectra ufm`. */
  command: string;
  /** Flags as an object (kebab- or camelCase keys). */
  options?: Record<string, unknown>;
  /** Optional name shown in progress and the summary. */
  name?: string;
}

/**
 * Reads and checks an experiment file: `{ "command": ..., "options": {...} }`, an array of those,
 * or `{ "experiments": [...] }`.
 *
 * @param path - the JSON file.
 * @returns the experiments in order.
 * @throws {UsageError} when the file is missing, not JSON, or an entry has no `command`.
 */
export function readExperiments(path: string): ExperimentSpec[] {
  if (!existsSync(path)) throw new UsageError('run', `config file \`${path}\` not found`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError('run', `config file \`${path}\` is not valid JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && 'experiments' in doc ? (doc as { experiments: unknown }).experiments : [doc];
  if (!Array.isArray(list) || list.length === 0) throw new UsageError('run', `config file \`${path}\` holds no experiments`);
  return list.map((e, i) => {
    if (!e || typeof e !== 'object' || typeof (e as ExperimentSpec).command !== 'string') {
      throw new UsageError('run', `experiment ${i} in \`${path}\` needs a "command" string (e.g. "deep-rfm")`);
    }
    const spec = e as ExperimentSpec;
    if (spec.options !== undefined && (typeof spec.options !== 'object' || Array.isArray(spec.options))) {
      throw new UsageError('run', `experiment ${i} in \`${path}\`: "options" must be an object of flags`);
    }
    if (spec.command === 'run' || spec.command === 'sweep') throw new UsageError('run', `experiment ${i}: \`${spec.command}\` cannot be nested`);
    return spec;
  });
}

export const runCommand: CliCommand = {
  spec: {
    name: 'run',
    summary: 'run the experiments described in a JSON file',
    usage: 'run CONFIG.json [--keep-going]',
    description:
      'CONFIG.json: {"command": "deep-rfm", "options": {"per-class": 100, "depth": 8, "out": "runs/a"}}, an array\n' +
      'of such objects, or {"experiments": [...]}. Options are the command\'s flags (true = a bare flag, arrays =\n' +
      'the flag repeated). Experiments run in order; the exit code is the first failure\'s (2 for bad options).',
    positionals: [{ name: 'CONFIG.json', required: true, description: 'the experiment file' }],
    options: [{ name: 'keep-going', kind: 'boolean', description: 'continue after a failed experiment' }],
    examples: ['nclab run experiments/deep-rfm.json'],
  },
  async run(ctx) {
    const experiments = readExperiments(ctx.args.positionals[0]);
    const quiet = ctx.args.values.quiet === true;
    const summary: { name: string; command: string; exit_code: number }[] = [];
    let code = EXIT_OK;
    for (const [i, e] of experiments.entries()) {
      const name = e.name ?? `${i + 1}: ${e.command}`;
      const argv = [...e.command.split(' '), ...optionsToArgv('run', e.options ?? {}), ...(quiet ? ['--quiet'] : [])];
      ctx.info(`run [${i + 1}/${experiments.length}] nclab ${escapeControl(argv.join(' '))}`);
      // each experiment writes its own output; its stdout goes to stderr to keep ours for the summary
      const c = await ctx.invoke(argv, { stdout: ctx.io.stderr, stderr: ctx.io.stderr });
      summary.push({ name, command: `nclab ${argv.join(' ')}`, exit_code: c });
      if (c !== EXIT_OK) {
        if (code === EXIT_OK) code = c === EXIT_USAGE ? EXIT_USAGE : EXIT_FAILURE;
        if (ctx.args.values.keepGoing !== true) break;
      }
    }
    if ((await emitJson(ctx, { experiments: summary })) !== 'stdout') {
      for (const s of summary) ctx.io.stdout.write(`${s.exit_code === 0 ? 'ok  ' : `FAIL(${s.exit_code})`} ${escapeControl(s.name)}\n`);
    }
    return code;
  },
};
