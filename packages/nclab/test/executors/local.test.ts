import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers.js';
import { TEST_CLI, tmp } from './fixtures.js';

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('local executor', () => {
  beforeAll(() => {
    process.env.NCLAB_CLI = TEST_CLI;
  });
  afterAll(() => {
    delete process.env.NCLAB_CLI;
  });
  afterEach(() => {
    delete process.env.NCLAB_TEST_FAIL_POINT;
  });

  it('--workers 2 (child processes of the same CLI) gives the in-process summary', async () => {
    const dir = tmp();
    const args = ['sweep', 'ufm', '--grid', 'seed=0,1,2', '--set', 'model=mse', '--set', 'lambda-w=0.1', '--set', 'K=3', '--set', 'n=2', '--set', 'd=4', '--set', 'steps=100', '--aggregate', 'seed', '--quiet'];
    expect((await runInProcess([...args, '--out', join(dir, 'a')])).code).toBe(0);
    expect((await runInProcess([...args, '--out', join(dir, 'b'), '--workers', '2'])).code).toBe(0);
    expect(summary(join(dir, 'b')).runs).toEqual(summary(join(dir, 'a')).runs);
    expect(summary(join(dir, 'b')).aggregate.sd).toContain('n − 1');
  }, 120_000);

  it('collect lists a failed point with its log, and --resume reruns only that point', async () => {
    const dir = join(tmp(), 's');
    process.env.NCLAB_TEST_FAIL_POINT = '1';
    const args = ['sweep', 'ufm', '--grid', 'seed=0,1', '--set', 'model=mse', '--set', 'lambda-w=0.1', '--set', 'K=3', '--set', 'n=2', '--set', 'd=4', '--set', 'steps=50', '--keep-going', '--out', dir, '--quiet'];
    expect((await runInProcess(args)).code).toBe(1);
    const c = await runInProcess(['collect', dir, '--json', '-', '--quiet']);
    expect(c.code).toBe(1);
    expect(JSON.parse(c.stdout).unfinished).toEqual([{ run: 1, dir: join(dir, 'run-1'), state: 'failed', error: expect.stringContaining('NCLAB_TEST_FAIL_POINT'), logs: [join(dir, 'run-1', 'log.txt')] }]);
    const before = readFileSync(join(dir, 'run-2', 'status.json'), 'utf8');
    const r = await runInProcess(['sweep', '--resume', dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(summary(dir).runs.map((x: { status: string }) => x.status)).toEqual(['ok', 'ok']);
    expect(readFileSync(join(dir, 'run-2', 'status.json'), 'utf8')).toBe(before);
  }, 120_000);

  it('nclab run --plan DIR runs each experiment as a plan point with its status file', async () => {
    const dir = tmp();
    const ufm = { model: 'mse', lambdaW: 0.1, K: 3, n: 2, d: 4, steps: 50 };
    // an invalid experiment stops the whole file before anything runs (every experiment is checked first)
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ command: 'ufm', options: { ...ufm, out: join(dir, 'a') } }, { command: 'ufm', options: { ...ufm, model: 'nonsense' } }]));
    const b = await runInProcess(['run', bad, '--plan', join(dir, 'plan-bad'), '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('experiment 2');
    expect(existsSync(join(dir, 'a'))).toBe(false);
    // a point that fails at run time (the test hook) is reported by the plan, the other one completes
    const config = join(dir, 'exp.json');
    writeFileSync(config, JSON.stringify([{ command: 'ufm', options: { ...ufm, out: join(dir, 'a') } }, { command: 'ufm', options: { ...ufm, seed: 1 } }]));
    process.env.NCLAB_TEST_FAIL_POINT = '2';
    try {
      const r = await runInProcess(['run', config, '--plan', join(dir, 'plan'), '--keep-going', '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^ok {3}1: ufm\nFAIL\(1\) 2: ufm\n$/);
    } finally {
      delete process.env.NCLAB_TEST_FAIL_POINT;
    }
    expect(JSON.parse(readFileSync(join(dir, 'plan', 'run-1', 'status.json'), 'utf8')).status).toBe('ok');
    expect(readFileSync(join(dir, 'a', 'result.json'), 'utf8')).toContain('objective');
  });

  it('rejects --aggregate on an axis that is not swept, and --resume with a grid', async () => {
    const r = await runInProcess(['sweep', 'ufm', '--grid', 'seed=0,1', '--set', 'model=mse', '--aggregate', 'lr', '--out', join(tmp(), 'x'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--aggregate lr');
    expect((await runInProcess(['sweep', '--resume', tmp(), '--grid', 'seed=1'])).code).toBe(2);
  });
});
