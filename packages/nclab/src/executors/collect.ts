/**
 * Collecting a plan directory: one row per point from its `status.json` and `result.json`, the
 * points that failed or never finished (with their log files), and the multi-seed aggregate.
 * Every executor ends here, so a summary from Slurm equals one from local runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPath } from '../cli/experiments.js';
import { aggregateRows, type AggregateRow } from './aggregate.js';
import type { PlanFile, PlanPoint } from './plan.js';
import { readStatus } from './point.js';

/** A point without an ok status. */
export interface UnfinishedPoint {
  index: number;
  /** 1-based run number. */
  run: number;
  dir: string;
  /** `failed` (it ended non-zero) or `missing` (no status: not run, killed, or still queued). */
  state: 'failed' | 'missing';
  error: string | null;
  /** Log files to read: the point's `log.txt` and the Slurm task logs that mention its task. */
  logs: string[];
}

/** What {@link collectPlan} returns. */
export interface Collected {
  /** One row per point: `run`, grid values, summary values, `status`. */
  rows: Record<string, unknown>[];
  unfinished: UnfinishedPoint[];
  /** The `--aggregate` table (null without an aggregate axis). */
  aggregate: AggregateRow[] | null;
}

function slurmLogs(dir: string, plan: PlanFile, index: number): string[] {
  const logDir = join(dir, 'logs');
  if (!existsSync(logDir)) return [];
  const task = Math.floor(index / Math.max(1, plan.settings.pointsPerTask));
  return readdirSync(logDir)
    .filter((f) => plan.jobs.some((j) => f === `${j}_${task}.out`))
    .map((f) => join(logDir, f));
}

/**
 * Reads every point of a plan.
 * @param dir - the plan directory.
 * @param plan - its `plan.json`.
 * @param points - its points.
 * @returns rows, unfinished points and the aggregate.
 */
export function collectPlan(dir: string, plan: PlanFile, points: readonly PlanPoint[]): Collected {
  const rows: Record<string, unknown>[] = [];
  const unfinished: UnfinishedPoint[] = [];
  for (const p of points) {
    const row: Record<string, unknown> = { run: p.index + 1, ...p.point };
    const status = readStatus(p.dir);
    const resultPath = join(p.dir, 'result.json');
    if (status?.status === 'ok') {
      if (plan.kind === 'sweep') {
        const result = existsSync(resultPath) ? (JSON.parse(readFileSync(resultPath, 'utf8')) as unknown) : undefined;
        for (const path of plan.summary) row[path] = getPath(result, path) ?? null;
      }
      row.status = 'ok';
    } else {
      for (const path of plan.summary) row[path] = null;
      row.status = status ? `exit ${status.exit_code}: ${status.error ?? ''}`.trim() : 'missing';
      const log = join(p.dir, 'log.txt');
      unfinished.push({
        index: p.index,
        run: p.index + 1,
        dir: p.dir,
        state: status ? 'failed' : 'missing',
        error: status?.error ?? null,
        logs: [...(existsSync(log) ? [log] : []), ...slurmLogs(dir, plan, p.index)],
      });
    }
    rows.push(row);
  }
  const aggregate = plan.aggregate ? aggregateRows(rows, plan.grid.map((a) => a.flag), plan.aggregate, plan.summary) : null;
  return { rows, unfinished, aggregate };
}

/**
 * Human-readable lines for unfinished points (`nclab collect`, the end of a sweep).
 * @param unfinished - from {@link collectPlan}.
 * @returns one line per point, with its log paths.
 */
export function formatUnfinished(unfinished: readonly UnfinishedPoint[]): string {
  return unfinished
    .map((u) => `run ${u.run} ${u.state}${u.error ? `: ${u.error}` : ''}${u.logs.length ? `\n  logs: ${u.logs.join(', ')}` : ''}`)
    .join('\n');
}
