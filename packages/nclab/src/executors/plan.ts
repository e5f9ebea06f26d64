/**
 * The plan of a distributed run, stored in its directory so any process (a local worker, a Slurm array
 * task, `nclab collect`, `nclab sweep --resume`) can pick it up:
 * - `plan.json`: what was asked (kind, command, grid, summary paths, aggregate axis, executor settings);
 * - `points.jsonl`: one JSON object per line, `{ index, dir, argv, point }`, in grid order.
 * Point `i` (0-based) writes only inside `dir` (`DIR/run-<i+1>`): its outputs, `status.json`, `log.txt`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NclabError } from '@nclab/backend';
import { writeFileAtomic, writeJsonAtomic } from '@nclab/backend';

/** Version of the plan files; bumped when their layout changes. */
export const PLAN_VERSION = 1;

/** One unit of work: a full `nclab` argv and the directory it owns. */
export interface PlanPoint {
  /** 0-based position in the plan. */
  index: number;
  /** The point's own directory (outputs, `status.json`, `log.txt`). */
  dir: string;
  /** The `nclab` arguments that run the point (without `node cli.js`). */
  argv: string[];
  /** Grid values of the point (flag → value), or `{ name }` for `nclab run` experiments. */
  point: Record<string, string>;
}

/** Executor settings recorded in the plan (so `--resume` resubmits with the same ones). */
export interface ExecutorSettings {
  executor: 'local' | 'slurm';
  /** Local processes (local executor). */
  workers: number;
  /** Points per array task (slurm). */
  pointsPerTask: number;
  /** Array throttle `%P` (slurm); 0 = none. */
  maxParallel: number;
  /** Extra `sbatch` arguments, verbatim. */
  slurmArgs: string[];
  /** `--signal` value for sbatch (`USR1@120`), or '' for none. */
  signal: string;
}

/** `plan.json`. */
export interface PlanFile {
  version: number;
  /** `sweep` or `run`. */
  kind: 'sweep' | 'run';
  /** The swept command (`ufm`, `spectra ufm`), or `run` for an experiment file. */
  command: string;
  /** Grid axes in order (sweep). */
  grid: { flag: string; values: string[] }[];
  /** Fixed flags (sweep). */
  fixed: string[];
  /** Result values tabulated (dotted paths). */
  summary: string[];
  /** Axis reduced by `--aggregate`, or null. */
  aggregate: string | null;
  /** The command that starts the CLI in a fresh process (`node /path/cli.js`). */
  cli: string[];
  /** Working directory of the tasks. */
  cwd: string;
  settings: ExecutorSettings;
  /** The command line that made the plan. */
  commandLine: string;
  /** Slurm job ids submitted for this plan, oldest first. */
  jobs: string[];
}

/** The 1-based, zero-padded run directory name of point `index` among `total` (`run-01`). */
export function runDirName(index: number, total: number): string {
  return `run-${String(index + 1).padStart(String(total).length, '0')}`;
}

/**
 * Writes `plan.json` and `points.jsonl` into `dir` (atomically).
 * @param dir - the plan directory.
 * @param plan - the plan.
 * @param points - the points, in order.
 */
export async function writePlan(dir: string, plan: PlanFile, points: readonly PlanPoint[]): Promise<void> {
  await writeFileAtomic(join(dir, 'points.jsonl'), points.map((p) => JSON.stringify(p)).join('\n') + '\n');
  await writeJsonAtomic(join(dir, 'plan.json'), plan);
}

/** Rewrites `plan.json` only (e.g. after a submission added job ids). */
export async function updatePlan(dir: string, plan: PlanFile): Promise<void> {
  await writeJsonAtomic(join(dir, 'plan.json'), plan);
}

/**
 * Reads a plan directory.
 * @param dir - a directory written by {@link writePlan}.
 * @returns `plan.json` and the points.
 * @throws {NclabError} code `PLAN` when the files are missing, of another version or malformed.
 */
export function readPlan(dir: string): { plan: PlanFile; points: PlanPoint[] } {
  const planPath = join(dir, 'plan.json');
  const pointsPath = join(dir, 'points.jsonl');
  if (!existsSync(planPath) || !existsSync(pointsPath)) throw new NclabError('PLAN', `\`${dir}\` holds no plan (plan.json and points.jsonl)`);
  let plan: PlanFile;
  let points: PlanPoint[];
  try {
    plan = JSON.parse(readFileSync(planPath, 'utf8')) as PlanFile;
    points = readFileSync(pointsPath, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PlanPoint);
  } catch (e) {
    throw new NclabError('PLAN', `the plan in \`${dir}\` is not valid JSON: ${(e as Error).message}`);
  }
  if (plan.version !== PLAN_VERSION) throw new NclabError('PLAN', `the plan in \`${dir}\` has version ${String(plan.version)}, this nclab reads ${PLAN_VERSION}`);
  points.forEach((p, i) => {
    if (p.index !== i || !Array.isArray(p.argv)) throw new NclabError('PLAN', `line ${i + 1} of \`${pointsPath}\` is not point ${i}`);
  });
  return { plan, points };
}

/**
 * Points handled by array task `task` when each task runs `perTask` consecutive points.
 * @param task - 0-based array task id.
 * @param perTask - points per task B ≥ 1.
 * @param total - number of points.
 * @returns the point indices `[task·B, min((task+1)·B, total))`.
 */
export function taskPoints(task: number, perTask: number, total: number): number[] {
  const out: number[] = [];
  for (let i = task * perTask; i < Math.min((task + 1) * perTask, total); i++) out.push(i);
  return out;
}

/**
 * The array task ids that cover `indices` when task `t` runs points `t·B … t·B+B−1` (the mapping is
 * fixed, so a resubmission reuses the ids of the tasks whose points are not done; a task skips points
 * that already have an ok status).
 * @param indices - point indices (0-based), any order.
 * @param perTask - points per task B ≥ 1.
 * @returns ascending, distinct task ids.
 * @example
 * tasksFor([0, 1, 5], 2); // [0, 2]
 */
export function tasksFor(indices: readonly number[], perTask: number): number[] {
  return [...new Set(indices.map((i) => Math.floor(i / perTask)))].sort((a, b) => a - b);
}
