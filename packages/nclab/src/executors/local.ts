/**
 * The local executor: plan points run one after another in this process (`--workers 1`, the default)
 * or in P child processes of the same CLI (`node cli.js _task DIR --index i --index j …`), each
 * running every P-th point.
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
  // one child per worker, each running its share of the points (w, w+P, w+2P, …) in turn, so the
  // CLI starts P times rather than once per point; the parent reports points as their status appears
  const P = Math.min(options.workers, points.length);
  const shares = Array.from({ length: P }, (_, w) => points.filter((_, i) => i % P === w));
  const reported = new Set<number>();
  const report = () => {
    for (const p of points) {
      if (reported.has(p.index)) continue;
      const s = readStatus(p.dir);
      if (s) {
        reported.add(p.index);
        options.onPoint?.(p, s, ++finished);
      }
    }
  };
  const timer = setInterval(report, 500);
  try {
    await Promise.all(
      shares.map((share) => runCli(plan.cli, plan.cwd, ['_task', dir, ...share.flatMap((p) => ['--index', String(p.index)]), ...(options.keepGoing ? ['--keep-going'] : []), '--quiet'])),
    );
  } finally {
    clearInterval(timer);
  }
  report();
}
