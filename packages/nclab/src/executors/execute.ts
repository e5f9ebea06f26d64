/**
 * Runs (part of) a plan with its executor: local in-process or worker processes, or one Slurm job
 * array whose task `t` runs points `t·B … t·B+B−1`; then, unless `--no-wait`, waits for the array
 * with a done / running / pending / failed line on stderr.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@nclab/backend';
import { runLocal } from './local.js';
import { tasksFor, updatePlan, type PlanFile, type PlanPoint } from './plan.js';
import { readStatus, type Invoke } from './point.js';
import { arraySpec, sbatchArgs, sbatchScript } from './sbatch.js';
import { queued, submit } from './slurm.js';

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  invoke: Invoke;
  keepGoing: boolean;
  /** Slurm: wait for the array (default true). */
  wait: boolean;
  /** Progress lines (stderr); a no-op when quiet. */
  log: (line: string) => void;
  /** Poll interval in ms (default 1000, or `$NCLAB_SLURM_POLL_MS`). */
  pollMs?: number;
}

/**
 * Writes the array script for `indices` and submits it; records the job id in `plan.json`.
 * @returns the job id.
 */
export async function submitArray(dir: string, plan: PlanFile, points: readonly PlanPoint[], indices: readonly number[]): Promise<string> {
  const tasks = tasksFor(indices, plan.settings.pointsPerTask);
  const n = plan.jobs.length + 1;
  const script = join(dir, n === 1 ? 'sbatch.sh' : `sbatch-${n}.sh`);
  await writeFileAtomic(
    script,
    sbatchScript({
      name: `nclab-${plan.kind}`,
      cli: plan.cli,
      taskArgs: ['_task', dir, '--quiet'],
      cwd: plan.cwd,
      log: join(dir, 'logs', '%A_%a.out'),
      signal: plan.settings.signal,
      comment: [`${plan.kind} of ${plan.command}: ${points.length} points, ${plan.settings.pointsPerTask} per task`, `array ${arraySpec(tasks, plan.settings.maxParallel)}`],
    }),
  );
  // Slurm opens the log file itself: the directory must exist
  await writeFileAtomic(join(dir, 'logs', '.keep'), '');
  const id = submit(sbatchArgs({ script, array: arraySpec(tasks, plan.settings.maxParallel), dependency: null, extra: plan.settings.slurmArgs }));
  plan.jobs.push(id);
  await updatePlan(dir, plan);
  await writeFileAtomic(join(dir, 'jobs.txt'), `${plan.jobs.join('\n')}\n`);
  return id;
}

/** Counts of a plan's points: finished ok, failed, running and pending in the queue. */
export interface PlanProgress {
  done: number;
  running: number;
  pending: number;
  failed: number;
  /** Tasks still in the queue. */
  queued: number;
}

/**
 * Where each point stands: its status file, else the state of its task in the queue.
 * @param plan - the plan (jobs, points per task).
 * @param points - all points.
 * @returns the counts (a point neither finished nor queued counts as failed).
 */
export function planProgress(plan: PlanFile, points: readonly PlanPoint[]): PlanProgress {
  const q = queued(plan.jobs);
  const taskState = new Map<number, string>();
  for (const t of q) if (t.task !== null) taskState.set(t.task, t.state === 'RUNNING' || t.state === 'COMPLETING' ? 'running' : taskState.get(t.task) ?? 'pending');
  const p: PlanProgress = { done: 0, running: 0, pending: 0, failed: 0, queued: q.length };
  for (const pt of points) {
    const s = readStatus(pt.dir);
    const inQueue = taskState.get(Math.floor(pt.index / plan.settings.pointsPerTask));
    if (s?.status === 'ok') p.done++;
    else if (inQueue === 'running') p.running++;
    else if (inQueue === 'pending') p.pending++;
    else p.failed++;
  }
  return p;
}

/**
 * Polls `squeue` until no task of the plan's jobs is queued.
 * @param plan - the plan.
 * @param points - all points.
 * @param options - log and poll interval.
 * @returns the final counts.
 */
export async function waitForPlan(plan: PlanFile, points: readonly PlanPoint[], options: Pick<ExecuteOptions, 'log' | 'pollMs'>): Promise<PlanProgress> {
  const pollMs = options.pollMs ?? Number(process.env.NCLAB_SLURM_POLL_MS ?? 1000);
  let last = '';
  for (;;) {
    const p = planProgress(plan, points);
    const line = `slurm ${plan.jobs[plan.jobs.length - 1]}: ${p.done} done, ${p.running} running, ${p.pending} pending, ${p.failed} failed`;
    if (line !== last) options.log(line);
    last = line;
    if (p.queued === 0) return p;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Runs the given points of a plan with the plan's executor. Old `status.json` files of these points
 * are removed first (a resubmitted point starts clean, keeping its checkpoint).
 * @param dir - the plan directory.
 * @param plan - the plan.
 * @param points - all points of the plan.
 * @param indices - the points to run.
 * @param options - see {@link ExecuteOptions}.
 * @returns `submitted` (slurm with `--no-wait`) or `finished`.
 */
export async function executePlan(dir: string, plan: PlanFile, points: readonly PlanPoint[], indices: readonly number[], options: ExecuteOptions): Promise<'submitted' | 'finished'> {
  for (const i of indices) rmSync(join(points[i].dir, 'status.json'), { force: true });
  const chosen = indices.map((i) => points[i]);
  if (plan.settings.executor === 'local') {
    await runLocal(dir, plan, chosen, {
      workers: plan.settings.workers,
      invoke: options.invoke,
      keepGoing: options.keepGoing,
      onPoint: (p, s, k) => options.log(`${plan.kind}: ${k}/${chosen.length} run ${p.index + 1} ${s?.status ?? 'failed'}${Object.keys(p.point).length ? ` (${Object.entries(p.point).map(([f, v]) => `${f}=${v}`).join(' ')})` : ''}`),
    });
    return 'finished';
  }
  const id = await submitArray(dir, plan, points, indices);
  options.log(`submitted job array ${id} (${tasksFor(indices, plan.settings.pointsPerTask).length} tasks) for ${indices.length} points; plan in ${dir}`);
  if (!options.wait) return 'submitted';
  await waitForPlan(plan, points, options);
  return 'finished';
}
