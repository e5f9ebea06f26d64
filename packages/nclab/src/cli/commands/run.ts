/**
 * `nclab run CONFIG.json`: runs the experiments of a JSON file, one after another in this process, or
 * through an executor (`--workers P`, `--executor slurm`) with a plan directory (`--plan DIR`).
 */
import { escapeControl } from '../terminal-text.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cliCommand } from '../../executors/cli-entry.js';
import { collectPlan, formatUnfinished } from '../../executors/collect.js';
import { executePlan } from '../../executors/execute.js';
import { EXECUTOR_OPTIONS, executorSettings } from '../../executors/options.js';
import { PLAN_VERSION, runDirName, writePlan, type PlanFile, type PlanPoint } from '../../executors/plan.js';
import { readStatus } from '../../executors/point.js';
import { InvalidArgumentError } from '@nclab/backend';
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

/** `nclab run CONFIG.json`. */
export const runCommand: CliCommand = {
  spec: {
    name: 'run',
    summary: 'run the experiments described in a JSON file',
    usage: 'run CONFIG.json [--keep-going] [--plan DIR --executor local|slurm ...]',
    description:
      'CONFIG.json: {"command": "deep-rfm", "options": {"per-class": 100, "depth": 8, "out": "runs/a"}}, an array\n' +
      'of such objects, or {"experiments": [...]}. Options are the command\'s flags (true = a bare flag, arrays =\n' +
      'the flag repeated). Every experiment\'s flags are checked before any runs; then they run in order and the exit code is\n' +
      'the first failure\'s (2 for bad options).\n' +
      'With --workers P > 1 or --executor slurm, experiment i runs as a point of a plan in DIR (--plan):\n' +
      'DIR/run-i holds its status.json and log.txt (its outputs go where its options say);\n' +
      '`nclab collect DIR` lists the failed ones.',
    positionals: [{ name: 'CONFIG.json', required: true, description: 'the experiment file' }],
    options: [
      { name: 'keep-going', kind: 'boolean', description: 'continue after a failed experiment' },
      { name: 'plan', kind: 'string', valueName: 'DIR', description: 'plan directory (needed with --workers > 1 or --executor slurm)' },
      ...EXECUTOR_OPTIONS,
    ],
    examples: ['nclab run experiments/deep-rfm.json', 'nclab run experiments/seeds.json --executor slurm --plan runs/seeds-plan --slurm-arg=--time=02:00:00'],
  },
  async run(ctx) {
    const experiments = readExperiments(ctx.args.positionals[0]);
    const quiet = ctx.args.values.quiet === true;
    const settings = executorSettings('run', ctx.args.values);
    const summary: { name: string; command: string; exit_code: number }[] = [];
    // every experiment's flags are checked before the first runs: a typo in the last fails at once
    const { checkCommandLine } = await import('../main.js');
    const problems: string[] = [];
    for (const [i, e] of experiments.entries()) {
      const argv = [...e.command.split(' '), ...optionsToArgv('run', e.options ?? {})];
      try {
        await checkCommandLine(argv);
      } catch (err) {
        if (!(err instanceof UsageError || err instanceof InvalidArgumentError)) throw err;
        problems.push(`experiment ${i + 1} (${e.name ?? e.command}): ${err.message}`);
      }
    }
    if (problems.length > 0) {
      throw new UsageError('run', `${problems.length} of ${experiments.length} experiments in \`${ctx.args.positionals[0]}\` are invalid; none was run:\n  ${problems.join('\n  ')}`);
    }
    if (settings.executor === 'slurm' || settings.workers > 1 || ctx.args.values.plan !== undefined) return runPlanned(ctx, experiments, settings);
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

/** `nclab run` through an executor: one plan point per experiment. */
async function runPlanned(ctx: Parameters<CliCommand['run']>[0], experiments: ExperimentSpec[], settings: PlanFile['settings']): Promise<number> {
  const v = ctx.args.values;
  if (typeof v.plan !== 'string') throw new UsageError('run', '`--workers` > 1 and `--executor slurm` need `--plan DIR` (the plan directory)');
  const dir = resolve(v.plan);
  const points: PlanPoint[] = experiments.map((e, index) => ({
    index,
    dir: resolve(dir, runDirName(index, experiments.length)),
    argv: [...e.command.split(' '), ...optionsToArgv('run', e.options ?? {}), ...['engine', 'linalg'].flatMap((f) => (ctx.args.given.has(f) ? [`--${f}`, String(v[f])] : [])), '--quiet'],
    point: { name: e.name ?? `${index + 1}: ${e.command}` },
  }));
  const plan: PlanFile = { version: PLAN_VERSION, kind: 'run', command: 'run', grid: [], fixed: [], summary: [], aggregate: null, cli: cliCommand(), cwd: process.cwd(), settings, commandLine: ctx.commandLine, jobs: [] };
  await writePlan(dir, plan, points);
  const state = await executePlan(dir, plan, points, points.map((p) => p.index), { invoke: ctx.invoke, keepGoing: v.keepGoing === true, wait: v.noWait !== true, log: (l) => ctx.info(l) });
  if (state === 'submitted') {
    ctx.info(`not waiting: \`nclab collect ${dir}\` lists failed experiments once the array is done`);
    return EXIT_OK;
  }
  const collected = collectPlan(dir, plan, points);
  const summary = points.map((p) => {
    const s = readStatus(p.dir);
    return { name: p.point.name, command: `nclab ${p.argv.join(' ')}`, exit_code: s ? s.exit_code : -1 };
  });
  if (collected.unfinished.length) ctx.io.stderr.write(`${formatUnfinished(collected.unfinished)}\n`);
  if ((await emitJson(ctx, { experiments: summary, plan: dir })) !== 'stdout') {
    for (const s of summary) ctx.io.stdout.write(`${s.exit_code === 0 ? 'ok  ' : s.exit_code < 0 ? 'MISSING ' : `FAIL(${s.exit_code})`} ${s.name}\n`);
  }
  const failed = summary.find((s) => s.exit_code !== 0);
  return !failed ? EXIT_OK : failed.exit_code === EXIT_USAGE ? EXIT_USAGE : EXIT_FAILURE;
}
