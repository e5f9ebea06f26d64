/**
 * `nclab sweep`: a grid over parameters of one command (e.g. bandwidth × depth × seed), each point
 * with its own output directory, run by an executor (in-process, local worker processes, or a Slurm
 * job array), and a summary of chosen result values (optionally mean ± sd over one axis).
 */
import { formatTextTable } from '../../report/table.js';
import { cliCommand } from '../../executors/cli-entry.js';
import { collectPlan, formatUnfinished } from '../../executors/collect.js';
import { executePlan } from '../../executors/execute.js';
import { EXECUTOR_OPTIONS, executorSettings } from '../../executors/options.js';
import { PLAN_VERSION, readPlan, runDirName, writePlan, type PlanFile, type PlanPoint } from '../../executors/plan.js';
import { readStatus } from '../../executors/point.js';
import { queued } from '../../executors/slurm.js';
import { summaryDocument, summaryTables, writeSummary } from '../../executors/summary.js';
import type { CliCommand } from '../command.js';
import { emitJson, type CommandContext } from '../context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { parseCommandArgs } from '../spec.js';
import { getPath } from '../experiments.js';
import { InvalidArgumentError } from '@nclab/backend';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Result values summarised by default, per command (dotted paths into result.json). */
export const DEFAULT_SUMMARY: Record<string, string[]> = {
  'deep-rfm': ['layers.0.nc1_in', 'layers.-1.nc1_in', 'layers.-1.nc1_out', 'layers.-1.nc2_out', 'final.train_acc', 'final.test_acc'],
  metrics: ['nc1_trace_ratio', 'nc1_pinv', 'nc1_cdnv', 'nc2_etf'],
  ufm: ['objective', 'theory_objective', 'nc1_trace_ratio', 'nc2_etf', 'nc2_orthogonal'],
  'spectra ufm': ['layers.0.outliers.length', 'layers.0.outliers.0', 'layers.0.predicted_outlier', 'layers.0.rank'],
  'spectra density': ['layers.0.sigma'],
  'probe mlp': ['summary.final_train_loss', 'summary.final_train_acc', 'summary.nfa_corr_sqrt_delta_mean', 'summary.layers_where_right_dominates'],
  'probe import': ['layers.0.nc1_input', 'layers.-1.nc1_input'],
};

/** One axis of the grid: a flag and its values. */
export interface GridAxis {
  flag: string;
  values: string[];
}

/**
 * Parses `name=v1,v2,...` grid specifications.
 *
 * @param specs - e.g. `['bandwidth=1,2,4', 'seed=0,1']`.
 * @returns the axes in order.
 * @throws {UsageError} for a malformed spec, an empty value list or a repeated flag.
 */
export function parseGrid(specs: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const s of specs) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(s);
    if (!m) throw new UsageError('sweep', `\`--grid\` must look like name=v1,v2 (e.g. bandwidth=1,2,4), got \`${s}\``);
    const values = m[2].split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) throw new UsageError('sweep', `\`--grid ${s}\` lists no values`);
    if (axes.some((a) => a.flag === m[1])) throw new UsageError('sweep', `\`--grid\` repeats \`${m[1]}\``);
    axes.push({ flag: m[1], values });
  }
  return axes;
}

/**
 * Every combination of the axes' values (the first axis varies slowest).
 *
 * @param axes - grid axes.
 * @returns one `flag → value` map per grid point; `[{}]` for no axes.
 */
export function gridPoints(axes: readonly GridAxis[]): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.flag]: v })));
  return points;
}

function parseSet(specs: readonly string[]): string[] {
  return specs.flatMap((s) => {
    const m = /^([A-Za-z][\w-]*)(?:=(.*))?$/.exec(s);
    if (!m) throw new UsageError('sweep', `\`--set\` must look like name=value or name (a bare flag), got \`${s}\``);
    return m[2] === undefined ? [`--${m[1]}`] : [`--${m[1]}`, m[2]];
  });
}

/**
 * Checks a point's argv against the swept command's flag declarations before anything runs (so a
 * typo fails at once, not in every array task).
 * @throws {UsageError} naming the swept command line.
 */
async function validateArgv(argv: readonly string[]): Promise<void> {
  const [{ COMMANDS }, { JOBS }, { cliMessage }] = await Promise.all([import('../registry.js'), import('../../jobs/index.js'), import('../main.js')]);
  const two = COMMANDS.find((c) => c.spec.name === `${argv[0]} ${argv[1]}`);
  const command = two ?? COMMANDS.find((c) => c.spec.name === argv[0]);
  if (!command) throw new UsageError('sweep', `unknown command \`${argv[0]}\``);
  try {
    const parsed = parseCommandArgs(command.spec, argv.slice(two ? 2 : 1));
    // the job's own flag checks (lists such as ufm's --K, combinations) too: they compute nothing
    const job = Object.values(JOBS).find((j) => j.spec.name === command.spec.name);
    if (job && parsed.values.help !== true) await job.fromFlags(parsed.values as never);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InvalidArgumentError) throw new UsageError('sweep', `\`nclab ${argv.join(' ')}\` failed: ${cliMessage(e, command.spec)}`);
    throw e;
  }
}

/**
 * Throws when a `--summary` path the user gave names nothing in the result of a finished point
 * (a typo would otherwise give a column of nulls).
 * @throws {UsageError} naming the path and the result's top-level keys.
 */
function checkSummaryPaths(plan: PlanFile, points: readonly PlanPoint[]): void {
  for (const p of points) {
    if (readStatus(p.dir)?.status !== 'ok' || !existsSync(join(p.dir, 'result.json'))) continue;
    const result = JSON.parse(readFileSync(join(p.dir, 'result.json'), 'utf8')) as Record<string, unknown>;
    for (const path of plan.summary) {
      if (getPath(result, path) === undefined) throw new UsageError('sweep', `\`--summary ${path}\` names nothing in the result of \`${plan.command}\` (its top-level keys: ${Object.keys(result).join(', ')})`);
    }
    return;
  }
}

/** Runs the given points, collects, writes the summary and prints it. */
async function runAndSummarise(ctx: CommandContext, dir: string, plan: PlanFile, points: PlanPoint[], indices: number[]): Promise<number> {
  const v = ctx.args.values;
  const state = await executePlan(dir, plan, points, indices, {
    invoke: ctx.invoke,
    keepGoing: v.keepGoing === true,
    wait: v.noWait !== true,
    log: (line) => ctx.info(line),
  });
  if (state === 'submitted') {
    ctx.info(`not waiting: \`nclab collect ${dir}\` builds the summary once the array is done`);
    await emitJson(ctx, { plan: dir, jobs: plan.jobs });
    return EXIT_OK;
  }
  const first = readStatus(points[0].dir);
  if (plan.settings.executor === 'local' && indices.includes(0) && first?.exit_code === EXIT_USAGE) {
    // the same flags fail at every point
    throw new UsageError('sweep', `\`nclab ${points[0].argv.join(' ')}\` failed: ${first.error ?? ''}`);
  }
  if (v.summary !== undefined) checkSummaryPaths(plan, points);
  const collected = collectPlan(dir, plan, points);
  const written = await writeSummary(dir, plan, collected);
  ctx.info(`wrote ${written} and ${resolve(dir, 'report.html')}`);
  if (collected.unfinished.length) ctx.io.stderr.write(`${formatUnfinished(collected.unfinished)}\n${collected.unfinished.length} of ${points.length} points did not finish: \`nclab sweep --resume ${dir}\` reruns them\n`);
  if ((await emitJson(ctx, summaryDocument(plan, collected))) !== 'stdout') {
    for (const t of summaryTables(plan, collected)) ctx.io.stdout.write(formatTextTable(t));
  }
  return collected.unfinished.length ? EXIT_FAILURE : EXIT_OK;
}

/** `nclab sweep`. */
export const sweepCommand: CliCommand = {
  spec: {
    name: 'sweep',
    summary: 'run a command over a grid of parameters (e.g. bandwidth × depth × seed) with a summary table',
    usage: 'sweep COMMAND [SUBCOMMAND] --grid name=v1,v2 [--grid ...] [--set name=value ...] --out DIR [--summary path ...] [--aggregate AXIS] [--executor local|slurm ...]\n       nclab sweep --resume DIR',
    description:
      'Runs COMMAND once per grid point with --set flags fixed; point i writes DIR/run-i (its result.json, plots,\n' +
      'report, status.json, log.txt). The plan (DIR/plan.json, DIR/points.jsonl, and with slurm DIR/sbatch.sh,\n' +
      'DIR/jobs.txt, DIR/logs/) lets `nclab collect DIR` and `--resume DIR` pick the sweep up later.\n' +
      'The summary (DIR/summary.json, DIR/report.html, stdout) has one row per point with the grid\n' +
      'values and the --summary values: dotted paths into result.json, negative indices from the end\n' +
      '(default for deep-rfm: layers.0.nc1_in, layers.-1.nc1_in, layers.-1.nc1_out, layers.-1.nc2_out,\n' +
      'final.train_acc, final.test_acc). --aggregate AXIS adds mean, sample sd (n − 1) and count of every\n' +
      'summary value over AXIS at each remaining point (plots with 1-sd error bars); the per-run rows stay.\n' +
      '--grid and --out are required unless --resume is given.',
    positionals: [
      { name: 'COMMAND', required: false, description: 'the command to sweep (deep-rfm, metrics, ufm, spectra, probe)' },
      { name: 'SUBCOMMAND', required: false, description: 'its subcommand (spectra ufm, probe mlp, …)' },
    ],
    options: [
      { name: 'grid', kind: 'string', multiple: true, keepCommas: true, valueName: 'NAME=V1,V2', description: 'a swept flag and its values (repeat for more axes)' },
      { name: 'set', kind: 'string', multiple: true, keepCommas: true, valueName: 'NAME=VALUE', description: 'a fixed flag (repeat; NAME alone for a bare flag)' },
      { name: 'summary', kind: 'string', multiple: true, valueName: 'PATH', description: 'result value to tabulate (repeat; dotted path)' },
      { name: 'aggregate', kind: 'string', valueName: 'AXIS', description: 'report mean, sd (n − 1) and count over this grid axis (e.g. seed)' },
      { name: 'out', kind: 'string', valueName: 'DIR', description: 'output directory' },
      { name: 'resume', kind: 'string', valueName: 'DIR', description: 'rerun the failed or missing points of the sweep in DIR' },
      { name: 'keep-going', kind: 'boolean', description: 'local: continue after a failed run (default: stop at the first failure)' },
      ...EXECUTOR_OPTIONS,
    ],
    examples: [
      'nclab sweep deep-rfm --grid bandwidth=1,2,4 --grid seed=0,1 --set per-class=20 --set depth=4 --set width=256 --out runs/sweep',
      'nclab sweep ufm --grid lambda-w=0.05,0.1 --grid seed=0,1,2 --set model=mse --set K=3 --set n=2 --set d=4 --aggregate seed --executor slurm --max-parallel 8 --slurm-arg=--time=00:10:00 --out runs/ufm-seeds',
      'nclab sweep --resume runs/ufm-seeds',
    ],
  },
  async run(ctx) {
    const v = ctx.args.values;
    if (typeof v.resume === 'string') {
      const dir = resolve(v.resume);
      if (ctx.args.positionals.length || v.grid || v.out) throw new UsageError('sweep', '`--resume DIR` takes no COMMAND, `--grid` or `--out`: the plan in DIR has them');
      const { plan, points } = readPlan(dir);
      const still = queued(plan.jobs);
      if (still.length) throw new UsageError('sweep', `job ${still[0].job} of this sweep is still queued (${still.length} tasks); wait for it, or scancel it, before --resume`);
      // executor flags given now replace the recorded ones
      const given = [...ctx.args.given].some((f) => ['executor', 'workers', 'points-per-task', 'max-parallel', 'slurm-arg', 'signal'].includes(f));
      if (given) plan.settings = executorSettings('sweep', v);
      plan.cli = cliCommand();
      const todo = collectPlan(dir, plan, points).unfinished.map((u) => u.index);
      ctx.info(todo.length ? `resuming ${todo.length} of ${points.length} points: runs ${todo.map((i) => i + 1).join(', ')}` : 'every point has finished; rewriting the summary');
      return runAndSummarise(ctx, dir, plan, points, todo);
    }
    const command = ctx.args.positionals.join(' ');
    if (!command) throw new UsageError('sweep', 'missing argument COMMAND');
    if (command === 'run' || command === 'sweep' || command === 'collect') throw new UsageError('sweep', `\`${command}\` cannot be swept`);
    if (!v.grid) throw new UsageError('sweep', 'missing required flag `--grid`');
    if (!v.out) throw new UsageError('sweep', 'missing required flag `--out`');
    const axes = parseGrid(v.grid as string[]);
    // global flags given to the sweep (engine, linear-algebra path) hold for every point
    const globals = ['engine', 'linalg'].flatMap((f) => (ctx.args.given.has(f) ? [`--${f}`, String(v[f])] : []));
    const fixed = [...parseSet((v.set as string[] | undefined) ?? []), ...globals];
    const paths = (v.summary as string[] | undefined) ?? DEFAULT_SUMMARY[command] ?? [];
    const aggregate = (v.aggregate as string | undefined) ?? null;
    if (aggregate !== null && !axes.some((a) => a.flag === aggregate)) throw new UsageError('sweep', `\`--aggregate ${aggregate}\` must name a --grid axis (${axes.map((a) => a.flag).join(', ')})`);
    const settings = executorSettings('sweep', v);
    const dir = resolve(v.out as string);
    const grid = gridPoints(axes);
    const points: PlanPoint[] = grid.map((point, index) => {
      const runDir = resolve(dir, runDirName(index, grid.length));
      const argv = [...command.split(' '), ...fixed, ...Object.entries(point).flatMap(([f, val]) => [`--${f}`, val]), '--out', runDir, '--quiet'];
      return { index, dir: runDir, argv, point };
    });
    // every point: a non-numeric grid value at any point is a usage error before anything runs
    for (const p of points) await validateArgv(p.argv);
    const plan: PlanFile = {
      version: PLAN_VERSION,
      kind: 'sweep',
      command,
      grid: axes,
      fixed,
      summary: paths,
      aggregate,
      cli: cliCommand(),
      cwd: process.cwd(),
      settings,
      commandLine: ctx.commandLine,
      jobs: [],
    };
    await writePlan(dir, plan, points);
    return runAndSummarise(ctx, dir, plan, points, points.map((p) => p.index));
  },
};
