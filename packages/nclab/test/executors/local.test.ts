import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers.js';
import { TEST_CLI, tmp } from './fixtures.js';

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('local executor', () => {
  beforeAll(() => {
    process.env.NCLAB_CLI = TEST_CLI;
  });
  afterAll(() => {
    delete process.env.NCLAB_CLI;
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

  it('rejects --aggregate on an axis that is not swept, and --resume with a grid', async () => {
    const r = await runInProcess(['sweep', 'ufm', '--grid', 'seed=0,1', '--set', 'model=mse', '--aggregate', 'lr', '--out', join(tmp(), 'x'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--aggregate lr');
    expect((await runInProcess(['sweep', '--resume', tmp(), '--grid', 'seed=1'])).code).toBe(2);
  });
});
