/**
 * Against a real Slurm (the single-node cluster `.ci/run` starts): skipped, with the reason printed,
 * only where `sbatch` is absent or SLURM_CONF is unset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeSlurm, queued, slurmSkipReason } from '../../src/executors/slurm.js';
import { runInProcess } from '../helpers.js';
import { TEST_CLI, tmp, writeShards } from './fixtures.js';

const skip = slurmSkipReason();
if (skip) console.log(`skipping the Slurm executor tests: ${skip}`);

const UFM = ['--set', 'model=mse', '--set', 'K=3', '--set', 'n=2', '--set', 'd=4', '--set', 'solver=lbfgs', '--set', 'steps=200'];
const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

async function until(what: string, ok: () => boolean, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skip !== null)('Slurm executor (single-node cluster)', () => {
  beforeAll(() => {
    process.env.NCLAB_CLI = TEST_CLI;
    process.env.NCLAB_SLURM_POLL_MS = '300';
  });
  afterEach(() => {
    delete process.env.NCLAB_TEST_FAIL_POINT;
    delete process.env.NCLAB_TEST_HOLD_POINT;
  });

  it('a 6-point ufm sweep as one job array (2 points per task) gives the summary of the local run', async () => {
    const dir = tmp();
    const args = ['sweep', 'ufm', '--grid', 'lambda-w=0.05,0.1', '--grid', 'seed=0,1,2', ...UFM, '--aggregate', 'seed', '--quiet'];
    const local = await runInProcess([...args, '--out', join(dir, 'local')]);
    const slurm = await runInProcess([...args, '--out', join(dir, 'slurm'), '--executor', 'slurm', '--points-per-task', '2', '--max-parallel', '2']);
    expect(local.code).toBe(0);
    expect(slurm.code).toBe(0);
    const a = summary(join(dir, 'local'));
    const b = summary(join(dir, 'slurm'));
    expect(b.runs).toHaveLength(6);
    expect(b.runs).toEqual(a.runs);
    expect(b.aggregate).toEqual(a.aggregate);
    expect(b.aggregate.rows[0].values.objective.count).toBe(3);
    expect(readFileSync(join(dir, 'slurm', 'sbatch.sh'), 'utf8')).toContain('# array 0-2%2');
    expect(readFileSync(join(dir, 'slurm', 'jobs.txt'), 'utf8').trim()).toMatch(/^\d+$/);
  }, 240_000);

  it('reports a point that failed (collect) and reruns only it (--resume)', async () => {
    const dir = join(tmp(), 's');
    process.env.NCLAB_TEST_FAIL_POINT = '2';
    const first = await runInProcess(['sweep', 'ufm', '--grid', 'seed=0,1,2', '--set', 'lambda-w=0.1', ...UFM, '--out', dir, '--executor', 'slurm', '--quiet']);
    expect(first.code).toBe(1);
    const collected = await runInProcess(['collect', dir, '--json', '-', '--quiet']);
    expect(collected.code).toBe(1);
    const c = JSON.parse(collected.stdout);
    expect(c.unfinished.map((u: { run: number }) => u.run)).toEqual([2]);
    expect(c.unfinished[0].state).toBe('failed');
    expect(c.unfinished[0].logs.some((l: string) => l.endsWith('log.txt'))).toBe(true);
    expect(c.unfinished[0].logs.some((l: string) => /logs\/\d+_1\.out$/.test(l))).toBe(true);
    expect(collected.stderr).toContain('run 2 failed');
    const okBefore = readFileSync(join(dir, 'run-1', 'status.json'), 'utf8');
    const resumed = await runInProcess(['sweep', '--resume', dir, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(summary(dir).runs.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok']);
    // run 1 was not rerun; the resubmission is the plan's second job
    expect(readFileSync(join(dir, 'run-1', 'status.json'), 'utf8')).toBe(okBefore);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).jobs).toHaveLength(2);
  }, 240_000);

  it('nclab run --executor slurm runs each experiment as an array task; info sees sbatch', async () => {
    const dir = tmp();
    const config = join(dir, 'exp.json');
    const ufm = { model: 'mse', lambdaW: 0.1, K: 3, n: 2, d: 4, steps: 50 };
    writeFileSync(config, JSON.stringify([{ command: 'ufm', options: { ...ufm, out: join(dir, 'a') } }, { command: 'ufm', options: { ...ufm, seed: 1, out: join(dir, 'b') } }]));
    const r = await runInProcess(['run', config, '--executor', 'slurm', '--plan', join(dir, 'plan'), '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok   1: ufm\nok   2: ufm\n');
    for (const o of ['a', 'b']) expect(existsSync(join(dir, o, 'result.json'))).toBe(true);
    expect(probeSlurm().available).toBe(true);
  }, 120_000);

  it('4-shard metrics as afterok-chained jobs equal the one-shot metrics', async () => {
    const dir = tmp();
    const { features, labels, shards } = writeShards(dir, 6, 4, [0, 90, 200, 310, 400]);
    const one = JSON.parse((await runInProcess(['metrics', '--features', features, '--labels', labels, '--json', '--quiet'])).stdout);
    const r = await runInProcess(['metrics', ...shards.flatMap((s) => ['--shard', s]), '--out', join(dir, 'o'), '--executor', 'slurm', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    for (const k of ['nc1_trace_ratio', 'nc1_pinv', 'nc1_cdnv', 'nc2_etf', 'nc2_equinorm', 'ncc_accuracy']) expect(Math.abs(b[k] - one[k])).toBeLessThanOrEqual(1e-12 * Math.abs(one[k]));
    expect(JSON.parse(readFileSync(join(dir, 'o', 'shards.json'), 'utf8')).jobs).toHaveLength(4);
  }, 240_000);

  it('a requeued deep-rfm task resumes from its layer checkpoint and gives the uninterrupted numbers', async () => {
    const dir = tmp();
    const { features, labels } = writeShards(dir, 12, 3, [0, 150]);
    const set = ['--set', 'dataset=files', '--set', `features=${features}`, '--set', `labels=${labels}`, '--set', 'depth=3', '--set', 'width=64', '--set', 'gram-samples=0'];
    const local = await runInProcess(['sweep', 'deep-rfm', '--grid', 'seed=0', ...set, '--out', join(dir, 'local'), '--quiet']);
    expect(local.code).toBe(0);
    process.env.NCLAB_TEST_HOLD_POINT = '1';
    const out = join(dir, 'slurm');
    const sub = await runInProcess(['sweep', 'deep-rfm', '--grid', 'seed=0', ...set, '--out', out, '--executor', 'slurm', '--no-wait', '--quiet']);
    expect(sub.code).toBe(0);
    const job = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')).jobs[0] as string;
    // the first attempt holds once layer 1's checkpoint is on disk; send the batch script the
    // time-limit signal there (what --signal=B:USR1@120 does): it stops the task and requeues itself
    await until('the checkpoint of layer 1', () => existsSync(join(out, 'run-1', '.test-held')), 120);
    expect(spawnSync('scancel', ['--batch', '--signal=USR1', `${job}_0`]).status).toBe(0);
    // Slurm delays a requeued job's start (about 2 minutes); let it start in 3 s (slurmd refuses to
    // relaunch a job id it killed a moment ago). On a loaded machine the requeue can also be fast, so
    // a second attempt already started counts too (attempts.jsonl gets a line when an attempt starts).
    const attemptsStarted = () => (existsSync(join(out, 'run-1', 'attempts.jsonl')) ? readFileSync(join(out, 'run-1', 'attempts.jsonl'), 'utf8').trim().split('\n').length : 0);
    const pending = () => queued([job]).some((t) => t.state === 'PENDING');
    await until('the requeued task to be pending or restarted', () => pending() || attemptsStarted() >= 2, 180);
    if (pending()) spawnSync('scontrol', ['update', `JobId=${job}_0`, 'StartTime=now+3']);
    await until('the task to finish', () => queued([job]).length === 0, 180);
    const attempts = readFileSync(join(out, 'run-1', 'attempts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(attempts.map((a) => a.resumed)).toEqual([false, true]);
    expect(attempts[1].slurm_restart_count).toBe(1);
    const c = await runInProcess(['collect', out, '--quiet']);
    expect(c.code).toBe(0);
    expect(summary(out).runs).toEqual(summary(join(dir, 'local')).runs);
    expect(readFileSync(join(out, 'run-1', 'log.txt'), 'utf8')).toContain('--resume');
    expect(readFileSync(join(out, 'logs', `${job}_0.out`), 'utf8')).toContain('SIGUSR1 received');
  }, 420_000);
});
