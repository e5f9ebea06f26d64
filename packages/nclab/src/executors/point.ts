/**
 * Runs one plan point in this process: the same `nclab` command line for every executor (in-process
 * for `--workers 1`, inside `nclab _task` for local workers and Slurm array tasks). The point writes
 * only inside its own directory: its outputs, `log.txt` (its stdout and stderr), `attempts.jsonl`
 * (one line per start) and, when it ends, `status.json` (atomically).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@nclab/backend';
import type { CliIo } from '../cli/context.js';
import { TextSink } from '../cli/experiments.js';
import type { PlanPoint } from './plan.js';

/** `status.json` of a finished point. */
export interface PointStatus {
  index: number;
  /** `ok` (exit 0) or `failed`. */
  status: 'ok' | 'failed';
  exit_code: number;
  /** First line of the error output (failed points). */
  error: string | null;
  /** Whether this attempt continued from a checkpoint. */
  resumed: boolean;
  seconds: number;
  finished_at: string;
}

/** Runs an `nclab` argv in-process and returns its exit code. */
export type Invoke = (argv: string[], io: CliIo) => Promise<number>;

/** Commands that continue from a checkpoint in their `--out` directory, and where it lives. */
const RESUMABLE: Record<string, string> = { 'deep-rfm': 'checkpoint', 'probe mlp': 'checkpoints' };

/** Test-only hook: `NCLAB_TEST_FAIL_POINT=<run number>` makes that point fail once (a marker in its dir). */
const FAIL_ENV = 'NCLAB_TEST_FAIL_POINT';
/**
 * Test-only hook: `NCLAB_TEST_HOLD_POINT=<run number>` freezes that point's first attempt once its
 * resumable job has written a checkpoint (marker `.test-held` in its dir), so a test can requeue
 * or signal it at a known place.
 */
const HOLD_ENV = 'NCLAB_TEST_HOLD_POINT';

function holdAfterCheckpoint(point: PlanPoint): () => void {
  const out = flagValue(point.argv, '--out');
  const marker = join(point.dir, '.test-held');
  if (process.env[HOLD_ENV] !== String(point.index + 1) || !out || existsSync(marker)) return () => {};
  const timer = setInterval(() => {
    if (!existsSync(join(out, 'checkpoint', 'state.json')) && !existsSync(join(out, 'checkpoints'))) return;
    writeFileSync(marker, '');
    // block this process (a killed process is what the test wants; 10 min at most)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
  }, 20);
  return () => clearInterval(timer);
}

/**
 * Reads a point's `status.json`.
 * @param dir - the point directory.
 * @returns the status, or null when the point has not finished (or the file is unreadable).
 */
export function readStatus(dir: string): PointStatus | null {
  const path = join(dir, 'status.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PointStatus;
  } catch {
    return null;
  }
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.lastIndexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * The argv to run: adds `--resume` when the command is resumable and its checkpoint exists (a
 * requeued or resubmitted task continues where the last attempt stopped).
 * @param point - the plan point.
 * @returns the argv and whether it resumes.
 */
export function resumeArgv(point: PlanPoint): { argv: string[]; resumed: boolean } {
  const command = point.argv[0] === 'probe' ? `probe ${point.argv[1]}` : point.argv[0];
  const out = flagValue(point.argv, '--out');
  const sub = RESUMABLE[command];
  if (!sub || !out || point.argv.includes('--resume') || !existsSync(join(out, sub))) return { argv: point.argv, resumed: false };
  return { argv: [...point.argv, '--resume'], resumed: true };
}

/**
 * Runs one point unless its `status.json` already says ok.
 * @param point - the plan point.
 * @param invoke - runs an argv in-process (the CLI's `main`).
 * @returns the status written (or found).
 */
export async function runPoint(point: PlanPoint, invoke: Invoke): Promise<PointStatus> {
  const done = readStatus(point.dir);
  if (done?.status === 'ok') return done;
  mkdirSync(point.dir, { recursive: true });
  const { argv, resumed } = resumeArgv(point);
  const restarts = Number(process.env.SLURM_RESTART_COUNT ?? 0);
  appendFileSync(join(point.dir, 'attempts.jsonl'), `${JSON.stringify({ started_at: new Date().toISOString(), resumed, slurm_restart_count: restarts, slurm_job: process.env.SLURM_JOB_ID ?? null })}\n`);
  const stdout = new TextSink();
  const stderr = new TextSink();
  const t0 = performance.now();
  let code: number;
  const failOnce = process.env[FAIL_ENV] === String(point.index + 1) && !existsSync(join(point.dir, '.test-failed-once'));
  if (failOnce) {
    writeFileSync(join(point.dir, '.test-failed-once'), '');
    stderr.write(`test hook ${FAIL_ENV}=${point.index + 1}: failing this point once\n`);
    code = 1;
  } else {
    const release = holdAfterCheckpoint(point);
    code = await invoke(argv, { stdout, stderr }).finally(release);
  }
  appendFileSync(join(point.dir, 'log.txt'), `$ nclab ${argv.join(' ')}\n${stdout.text}${stderr.text}exit ${code}\n`);
  const status: PointStatus = {
    index: point.index,
    status: code === 0 ? 'ok' : 'failed',
    exit_code: code,
    error: code === 0 ? null : (stderr.text.trim().split('\n')[0] ?? '') || `exit ${code}`,
    resumed,
    seconds: (performance.now() - t0) / 1000,
    finished_at: new Date().toISOString(),
  };
  await writeJsonAtomic(join(point.dir, 'status.json'), status);
  return status;
}
