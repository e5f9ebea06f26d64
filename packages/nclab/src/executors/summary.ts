/**
 * The sweep summary: `DIR/summary.json` (per-run rows, and the aggregate with mean/sd/count when an
 * axis is reduced), `DIR/report.html` with the table(s) and a plot (1-sd error bars for an aggregate).
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { lineChartSpec, type CurvePoint } from '../report/plots.js';
import type { ReportTable } from '../report/table.js';
import { writeRunReport } from '../report/write.js';
import type { Collected } from './collect.js';
import { errorBarChartSpec, type MeanSdPoint } from './error-bars.js';
import type { PlanFile } from './plan.js';

/** How `summary.json` names the standard deviation it reports. */
export const SD_KIND = 'sample standard deviation (n − 1 divisor)';

/**
 * The JSON summary of a sweep: `{ command, grid, fixed, runs, aggregate? }`.
 * @param plan - the plan.
 * @param collected - from `collectPlan`.
 * @returns the JSON-ready object (also what `--json` prints).
 */
export function summaryDocument(plan: PlanFile, collected: Collected): Record<string, unknown> {
  return {
    command: plan.command,
    grid: plan.grid,
    fixed: plan.fixed,
    runs: collected.rows,
    ...(collected.aggregate ? { aggregate: { axis: plan.aggregate, sd: SD_KIND, rows: collected.aggregate } } : {}),
  };
}

/**
 * The tables of the summary: per run, and (with an aggregate) per remaining point with
 * `PATH mean`, `PATH sd`, `PATH n` columns.
 */
export function summaryTables(plan: PlanFile, collected: Collected): ReportTable[] {
  const axes = plan.grid.map((a) => a.flag);
  const perRun: ReportTable = plan.kind === 'run'
    ? { title: 'Experiments', columns: ['run', 'name', 'status'], rows: collected.rows }
    : { title: `Sweep of ${plan.command}`, columns: ['run', ...axes, ...plan.summary, 'status'], rows: collected.rows };
  if (!collected.aggregate || !plan.aggregate) return [perRun];
  const rest = axes.filter((a) => a !== plan.aggregate);
  const rows = collected.aggregate.map((g) => {
    const row: Record<string, unknown> = { ...g.point };
    for (const p of plan.summary) {
      row[`${p} mean`] = g.values[p].mean;
      row[`${p} sd`] = g.values[p].sd;
      row[`${p} n`] = g.values[p].count;
    }
    return row;
  });
  const aggregate: ReportTable = {
    title: `Sweep of ${plan.command}, mean ± sd over ${plan.aggregate}`,
    columns: [...rest, ...plan.summary.flatMap((p) => [`${p} mean`, `${p} sd`, `${p} n`])],
    rows,
    caption: `sd: ${SD_KIND}; n: runs with a value`,
  };
  return [aggregate, perRun];
}

function summaryPlot(plan: PlanFile, collected: Collected) {
  const path = plan.summary[0];
  const axes = plan.grid.filter((a) => a.flag !== plan.aggregate);
  const xAxis = axes[0];
  if (!path || !xAxis || !xAxis.values.every((x) => Number.isFinite(Number(x)))) return [];
  const others = axes.slice(1).map((a) => a.flag);
  const series = (p: Record<string, unknown>) => (others.length ? others.map((f) => `${f}=${String(p[f])}`).join(' ') : path);
  if (collected.aggregate) {
    const pts: MeanSdPoint[] = collected.aggregate.map((g) => ({ x: Number(g.point[xAxis.flag]), mean: g.values[path].mean, sd: g.values[path].sd, series: series(g.point) }));
    const title = `${path} vs ${xAxis.flag} (mean ± 1 sd over ${plan.aggregate})`;
    return [{ name: 'sweep', title, caption: `Bars: ±1 ${SD_KIND}.`, spec: errorBarChartSpec(pts, { title, xTitle: xAxis.flag, yTitle: path }) }];
  }
  const curves: CurvePoint[] = collected.rows
    .filter((r) => typeof r[path] === 'number')
    .map((r) => ({ x: Number(r[xAxis.flag]), y: r[path] as number, series: series(r) }));
  const title = `${path} vs ${xAxis.flag}`;
  return [{ name: 'sweep', title, spec: lineChartSpec(curves, { title, xTitle: xAxis.flag, yTitle: path }) }];
}

/**
 * Writes `DIR/summary.json`, `DIR/report.html` and the plot.
 * @param dir - the sweep directory.
 * @param plan - the plan.
 * @param collected - from `collectPlan`.
 * @returns the path of `summary.json`.
 */
export async function writeSummary(dir: string, plan: PlanFile, collected: Collected): Promise<string> {
  await writeRunReport(dir, {
    kind: 'sweep',
    title: `Sweep of nclab ${plan.command}`,
    command: plan.commandLine,
    config: {
      command: plan.command,
      grid: Object.fromEntries(plan.grid.map((a) => [a.flag, a.values.join(', ')])),
      fixed: plan.fixed.join(' '),
      summary: plan.summary.join(', '),
      ...(plan.aggregate ? { aggregate: plan.aggregate } : {}),
      executor: plan.settings.executor,
    },
    timings: {},
    result: summaryDocument(plan, collected),
    tables: summaryTables(plan, collected),
    plots: summaryPlot(plan, collected),
  });
  // the report writer names its JSON result.json; a sweep's is summary.json (what `--help` promised)
  const target = join(dir, 'summary.json');
  await rename(join(dir, 'result.json'), target);
  return target;
}
