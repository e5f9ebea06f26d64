/**
 * The local executor: plan points run one after another in this process (`--workers 1`, the default)
 * or in P child processes of the same CLI (`node cli.js _task DIR --index i`).
 */
import { spawn } from 'node:child_process';
import type { PlanFile, PlanPoint } from './plan.js';
import { readStatus, runPoint, type Invoke, type PointStatus } from './point.js';

/** Options of {@link runLocal}. */
export interface LocalOptions {
  /** Processes P ≥ 1 (1: in-process). */
  workers: number;
  /** Runs an argv in-process (P = 1). */
  invoke: Invoke;
  /** Keep starting points after a failure (default: stop at the first one). */
  keepGoing: boolean;
  /** Called after each point. */
  onPoint?: (point: PlanPoint, status: PointStatus | null, finished: number) => void;
}

/**
 * Runs `nclab ARGS` in a child process (the CLI command prefix of the plan).
 * @param cli - e.g. `['node', '/…/cli.js']`.
 * @param cwd - working directory.
 * @param args - arguments after the CLI.
 * @returns the exit code (127 when the process could not start).
 */
export function runCli(cli: readonly string[], cwd: string, args: readonly string[]): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(cli[0], [...cli.slice(1), ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', () => resolvePromise(127));
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

/**
 * Runs jobs with at most `workers` at once.
 * @param jobs - thunks.
 * @param workers - P ≥ 1.
 * @returns their results, in job order.
 */
export async function pool<T>(jobs: readonly (() => Promise<T>)[], workers: number): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, worker));
  return out;
}

/**
 * Runs plan points locally.
 * @param dir - the plan directory.
 * @param plan - its plan (CLI command and working directory for child processes).
 * @param points - the points to run, in order.
 * @param options - workers, in-process invoke, keep-going, progress callback.
 */
export async function runLocal(dir: string, plan: PlanFile, points: readonly PlanPoint[], options: LocalOptions): Promise<void> {
  let finished = 0;
  if (options.workers <= 1) {
    for (const p of points) {
      const s = await runPoint(p, options.invoke);
      options.onPoint?.(p, s, ++finished);
      if (s.status !== 'ok' && !options.keepGoing) break;
    }
    return;
  }
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < points.length) {
      const p = points[next++];
      await runCli(plan.cli, plan.cwd, ['_task', dir, '--index', String(p.index), '--quiet']);
      const s = readStatus(p.dir);
      options.onPoint?.(p, s, ++finished);
      if (s?.status !== 'ok' && !options.keepGoing) stop = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.workers, points.length) }, worker));
}
