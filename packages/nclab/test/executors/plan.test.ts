import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateRows, meanSd } from '../../src/executors/aggregate.js';
import { cliCommand } from '../../src/executors/cli-entry.js';
import { executorSettings } from '../../src/executors/options.js';
import { PLAN_VERSION, readPlan, runDirName, taskPoints, tasksFor, writePlan, type PlanFile } from '../../src/executors/plan.js';
import { resumeArgv } from '../../src/executors/point.js';
import { arraySpec, sbatchArgs, sbatchScript, shellQuote } from '../../src/executors/sbatch.js';
import { probeSlurm, slurmSkipReason } from '../../src/executors/slurm.js';
import { tmp } from './fixtures.js';

describe('plan files', () => {
  it('round-trips plan.json and points.jsonl (one JSON object per line, in grid order)', async () => {
    const dir = tmp();
    const plan: PlanFile = {
      version: PLAN_VERSION, kind: 'sweep', command: 'ufm', grid: [{ flag: 'seed', values: ['0', '1'] }], fixed: ['--K', '3'], summary: ['objective'],
      aggregate: 'seed', cli: ['node', 'cli.js'], cwd: dir, commandLine: 'nclab sweep', jobs: [],
      settings: { executor: 'slurm', workers: 1, pointsPerTask: 2, maxParallel: 0, slurmArgs: [], signal: 'USR1@120' },
    };
    const points = ['0', '1'].map((s, index) => ({ index, dir: join(dir, runDirName(index, 2)), argv: ['ufm', '--seed', s], point: { seed: s } }));
    await writePlan(dir, plan, points);
    const lines = readFileSync(join(dir, 'points.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).index)).toEqual([0, 1]);
    expect(readPlan(dir)).toEqual({ plan, points });
  });

  it('names run directories 1-based with the padding of the largest', () => {
    expect(runDirName(0, 9)).toBe('run-1');
    expect(runDirName(0, 12)).toBe('run-01');
    expect(runDirName(99, 100)).toBe('run-100');
  });

  it('maps array tasks to fixed blocks of B points and back', () => {
    expect(taskPoints(0, 3, 7)).toEqual([0, 1, 2]);
    expect(taskPoints(2, 3, 7)).toEqual([6]);
    expect(tasksFor([0, 1, 5, 6], 3)).toEqual([0, 1, 2]);
    expect(tasksFor([4], 1)).toEqual([4]);
    // every point is covered exactly once by the tasks of all points
    const covered = tasksFor([...Array(10).keys()], 4).flatMap((t) => taskPoints(t, 4, 10));
    expect(covered).toEqual([...Array(10).keys()]);
  });
});

describe('sbatch text', () => {
  it('writes ranges and the %P throttle', () => {
    expect(arraySpec([0, 1, 2, 3, 4, 5], 2)).toBe('0-5%2');
    expect(arraySpec([0, 1, 2, 5, 7, 8], 0)).toBe('0-2,5,7-8');
    expect(arraySpec([3], 1)).toBe('3%1');
  });

  it('puts dependencies and user arguments on the sbatch command line, user arguments last', () => {
    expect(sbatchArgs({ script: 's.sh', array: '0-3%2', dependency: 'afterok:12', extra: ['--time=00:10:00', '--partition=gpu'] })).toEqual([
      '--parsable', '--array=0-3%2', '--dependency=afterok:12', '--kill-on-invalid-dep=yes', '--time=00:10:00', '--partition=gpu', 's.sh',
    ]);
    expect(sbatchArgs({ script: 's.sh', array: null, dependency: null, extra: [] })).toEqual(['--parsable', 's.sh']);
  });

  it('runs the CLI in the background, requeues on the --signal signal and stops on SIGTERM', () => {
    const text = sbatchScript({ name: 'nclab-sweep', cli: ['/usr/bin/node', '/a b/cli.js'], taskArgs: ['_task', '/runs/s', '--quiet'], cwd: '/work', log: '/runs/s/logs/%A_%a.out', signal: 'USR1@120', comment: ['6 points'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('#SBATCH --output=/runs/s/logs/%A_%a.out');
    expect(lines).toContain('#SBATCH --requeue');
    expect(lines).toContain('#SBATCH --open-mode=append');
    expect(lines).toContain('#SBATCH --signal=B:USR1@120');
    expect(lines).toContain("/usr/bin/node '/a b/cli.js' _task /runs/s --quiet &");
    expect(lines).toContain("trap 'requeue USR1' USR1");
    expect(text).toContain('scontrol requeue "$self"');
    expect(lines.some((l) => l.startsWith("trap '") && l.endsWith("' TERM") && l.includes('exit 143'))).toBe(true);
    expect(sbatchScript({ name: 'x', cli: ['node'], taskArgs: [], cwd: '/', log: 'l', signal: '', comment: [] })).not.toContain('--signal');
  });

  it('quotes shell words only when needed', () => {
    expect(shellQuote('/a/b-c_d.js')).toBe('/a/b-c_d.js');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('executor flags', () => {
  it('reads the settings and rejects flags of the other executor', () => {
    expect(executorSettings('sweep', { executor: 'slurm', maxParallel: 4, slurmArg: ['--time=1:00'], signal: 'USR1@60' })).toEqual({
      executor: 'slurm', workers: 1, pointsPerTask: 1, maxParallel: 4, slurmArgs: ['--time=1:00'], signal: 'USR1@60',
    });
    expect(() => executorSettings('sweep', { executor: 'slurm', workers: 2 })).toThrow(/--workers/);
    expect(() => executorSettings('sweep', { signal: 'now' })).toThrow(/--signal/);
  });

  it('takes the child-process CLI from NCLAB_CLI (a JSON array)', () => {
    expect(cliCommand({ NCLAB_CLI: '["node","x.js"]' })).toEqual(['node', 'x.js']);
    expect(() => cliCommand({ NCLAB_CLI: 'node x.js' })).toThrow(/JSON array/);
  });

  it('adds --resume only for a resumable command whose checkpoint exists', () => {
    const dir = tmp();
    const p = { index: 0, dir, argv: ['deep-rfm', '--depth', '2', '--out', dir], point: {} };
    expect(resumeArgv(p)).toEqual({ argv: p.argv, resumed: false });
    mkdirSync(join(dir, 'checkpoint'));
    expect(resumeArgv(p)).toEqual({ argv: [...p.argv, '--resume'], resumed: true });
    expect(resumeArgv({ ...p, argv: ['ufm', '--out', dir] }).resumed).toBe(false);
  });
});

describe('Slurm probe', () => {
  it('reports sbatch as unreachable when it is not on PATH', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(probeSlurm()).toEqual({ available: false, detail: 'sbatch not found on PATH' });
      expect(slurmSkipReason({ SLURM_CONF: '/x' })).toBe('sbatch is not on PATH');
    } finally {
      process.env.PATH = path;
    }
    expect(slurmSkipReason({})).toContain('SLURM_CONF');
  });
});

describe('aggregate reducer', () => {
  it('gives the closed-form mean and sample sd of 1..n: (n+1)/2 and √(n(n+1)/12)', () => {
    for (const n of [2, 3, 10]) {
      const s = meanSd(Array.from({ length: n }, (_, i) => i + 1));
      expect(s.count).toBe(n);
      expect(s.mean).toBeCloseTo((n + 1) / 2, 14);
      expect(s.sd).toBeCloseTo(Math.sqrt((n * (n + 1)) / 12), 13);
    }
  });

  it('skips non-numbers and has no sd for one value and no mean for none', () => {
    expect(meanSd([2, null, 'x', NaN])).toEqual({ mean: 2, sd: null, count: 1 });
    expect(meanSd([])).toEqual({ mean: null, sd: null, count: 0 });
    // shifting by a constant leaves the sd unchanged (two-pass, no cancellation)
    expect(meanSd([1e9 + 1, 1e9 + 2, 1e9 + 3]).sd).toBe(1);
  });

  it('groups runs by the other axes in grid order, counting only ok runs', () => {
    const rows = [
      { run: 1, lr: '1', seed: '0', loss: 1, status: 'ok' },
      { run: 2, lr: '1', seed: '1', loss: 3, status: 'ok' },
      { run: 3, lr: '2', seed: '0', loss: 10, status: 'ok' },
      { run: 4, lr: '2', seed: '1', loss: null, status: 'exit 1: boom' },
    ];
    const g = aggregateRows(rows, ['lr', 'seed'], 'seed', ['loss']);
    expect(g.map((r) => r.point)).toEqual([{ lr: '1' }, { lr: '2' }]);
    expect(g[0].runs).toEqual([1, 2]);
    expect(g[0].values.loss).toEqual({ mean: 2, sd: Math.SQRT2, count: 2 });
    expect(g[1].values.loss).toEqual({ mean: 10, sd: null, count: 1 });
  });
});
