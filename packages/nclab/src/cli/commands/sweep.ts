/**
 * `nclab sweep`: a grid over parameters of one command (e.g. bandwidth × depth × seed), each point
 * run in-process with its own output directory, and a summary table of chosen result values.
 */
import { join } from 'node:path';
import { writeRunReport } from '../../report/write.js';
import { formatTextTable } from '../../report/table.js';
import { lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { getPath, TextSink } from '../experiments.js';
import { InvalidArgumentError } from '@nclab/backend';
import { parseCommandArgs } from '../spec.js';

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

export const sweepCommand: CliCommand = {
  spec: {
    name: 'sweep',
    summary: 'run a command over a grid of parameters (e.g. bandwidth × depth × seed) with a summary table',
    usage: 'sweep COMMAND [SUBCOMMAND] --grid name=v1,v2 [--grid ...] [--set name=value ...] --out DIR [--summary path ...]',
    description:
      'Runs COMMAND once per grid point with --set flags fixed; point i writes DIR/run-i (its result.json, plots,\n' +
      'report). The summary (DIR/summary.json, DIR/report.html, stdout) has one row per point with the grid\n' +
      'values and the --summary values: dotted paths into result.json, negative indices from the end\n' +
      '(default for deep-rfm: layers.0.nc1_in, layers.-1.nc1_in, layers.-1.nc1_out, layers.-1.nc2_out,\n' +
      'final.train_acc, final.test_acc).',
    positionals: [
      { name: 'COMMAND', required: true, description: 'the command to sweep (deep-rfm, metrics, ufm, spectra, probe)' },
      { name: 'SUBCOMMAND', required: false, description: 'its subcommand (spectra ufm, probe mlp, …)' },
    ],
    options: [
      { name: 'grid', kind: 'string', multiple: true, keepCommas: true, required: true, valueName: 'NAME=V1,V2', description: 'a swept flag and its values (repeat for more axes)' },
      { name: 'set', kind: 'string', multiple: true, keepCommas: true, valueName: 'NAME=VALUE', description: 'a fixed flag (repeat; NAME alone for a bare flag)' },
      { name: 'summary', kind: 'string', multiple: true, valueName: 'PATH', description: 'result value to tabulate (repeat; dotted path)' },
      { name: 'out', kind: 'string', required: true, valueName: 'DIR', description: 'output directory' },
      { name: 'keep-going', kind: 'boolean', description: 'continue after a failed run (default: stop at the first failure)' },
    ],
    examples: ['nclab sweep deep-rfm --grid bandwidth=1,2,4 --grid seed=0,1 --set per-class=20 --set depth=4 --set width=256 --out runs/sweep'],
  },
  async run(ctx) {
    const v = ctx.args.values;
    const command = ctx.args.positionals.join(' ');
    if (command === 'run' || command === 'sweep') throw new UsageError('sweep', `\`${command}\` cannot be swept`);
    const axes = parseGrid(v.grid as string[]);
    const fixed = parseSet((v.set as string[] | undefined) ?? []);
    const paths = (v.summary as string[] | undefined) ?? DEFAULT_SUMMARY[command] ?? [];
    const out = v.out as string;
    const points = gridPoints(axes);
    // every point's flags are checked before the first run: a non-numeric grid value is a usage error (exit 2)
    // loaded here, not at the top: the registry imports this command
    const [{ COMMANDS }, { JOBS }, { cliMessage }] = await Promise.all([import('../registry.js'), import('../../jobs/index.js'), import('../main.js')]);
    const target = COMMANDS.find((c) => c.spec.name === command);
    if (!target) throw new UsageError('sweep', `unknown command \`${command}\` to sweep`);
    for (const point of points) {
      try {
        const parsed = parseCommandArgs(target.spec, [...fixed, ...Object.entries(point).flatMap(([f, val]) => [`--${f}`, val])]);
        // a job's own flag checks (lists, combinations) run too: they compute nothing
        const job = Object.values(JOBS).find((j) => j.spec.name === command);
        if (job && parsed.values.help !== true) await job.fromFlags(parsed.values as never);
      } catch (e) {
        if (e instanceof UsageError || e instanceof InvalidArgumentError) {
          throw new UsageError('sweep', `grid point ${Object.entries(point).map(([f, val]) => `${f}=${val}`).join(' ')}: ${cliMessage(e, target.spec)}`);
        }
        throw e;
      }
    }
    const progress = ctx.progress('sweep', points.length);
    const rows: Record<string, unknown>[] = [];
    let code = EXIT_OK;
    for (const [i, point] of points.entries()) {
      const dir = join(out, `run-${String(i + 1).padStart(String(points.length).length, '0')}`);
      const argv = [...command.split(' '), ...fixed, ...Object.entries(point).flatMap(([f, val]) => [`--${f}`, val]), '--out', dir, '--json', '-', '--quiet'];
      const stdout = new TextSink();
      const stderr = new TextSink();
      const c = await ctx.invoke(argv, { stdout, stderr });
      const row: Record<string, unknown> = { run: i + 1, ...point };
      if (c === EXIT_OK) {
        const result = JSON.parse(stdout.text) as unknown;
        for (const p of paths) {
          const value = getPath(result, p);
          // a mistyped path would give a column of nulls: name it and the keys that exist
          if (value === undefined && v.summary !== undefined) throw new UsageError('sweep', `\`--summary ${p}\` names nothing in the result of \`${command}\` (its top-level keys: ${Object.keys(result as object).join(', ')})`);
          row[p] = value ?? null;
        }
        row.status = 'ok';
      } else {
        row.status = `exit ${c}: ${stderr.text.trim().split('\n')[0]}`;
        if (c === EXIT_USAGE && i === 0) {
          // the same flags fail at every point
          throw new UsageError('sweep', `\`nclab ${argv.slice(0, -5).join(' ')}\` failed: ${stderr.text.trim().split('\n')[0]}`);
        }
        code = EXIT_FAILURE;
      }
      rows.push(row);
      progress.update(i + 1, Object.entries(point).map(([f, val]) => `${f}=${val}`).join(' '));
      if (c !== EXIT_OK && v.keepGoing !== true) break;
    }
    progress.done();
    const table = { title: `Sweep of ${command}`, columns: ['run', ...axes.map((a) => a.flag), ...paths, 'status'], rows };
    const plots = [];
    const xAxis = axes[0];
    if (xAxis && paths.length && xAxis.values.every((x) => Number.isFinite(Number(x)))) {
      const others = axes.slice(1).map((a) => a.flag);
      const curves: CurvePoint[] = rows
        .filter((r) => typeof r[paths[0]] === 'number')
        .map((r) => ({ x: Number(r[xAxis.flag]), y: r[paths[0]] as number, series: others.length ? others.map((f) => `${f}=${String(r[f])}`).join(' ') : paths[0] }));
      plots.push({
        name: 'sweep',
        title: `${paths[0]} vs ${xAxis.flag}`,
        spec: lineChartSpec(curves, { title: `${paths[0]} vs ${xAxis.flag}`, xTitle: xAxis.flag, yTitle: paths[0] }),
      });
    }
    await writeRunReport(out, {
      kind: 'sweep',
      title: `Sweep of nclab ${command}`,
      command: ctx.commandLine,
      config: { command, grid: Object.fromEntries(axes.map((a) => [a.flag, a.values.join(', ')])), fixed: fixed.join(' '), summary: paths.join(', ') },
      timings: {},
      result: { command, grid: axes, fixed, runs: rows },
      tables: [table],
      plots,
    });
    ctx.info(`wrote ${join(out, 'result.json')} and ${join(out, 'report.html')}`);
    if ((await emitJson(ctx, { command, grid: axes, runs: rows })) !== 'stdout') ctx.io.stdout.write(formatTextTable(table));
    return code;
  },
};
