import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '@nclab/datasets';
import { finalize, merge1, pass1, pass2, readShardPlan } from '../../src/executors/sharded/stages.js';
import { statePath } from '../../src/executors/sharded/state.js';
import { parseShard, validateShards } from '../../src/executors/sharded/shards.js';
import { runInProcess } from '../helpers.js';
import { TEST_CLI, tmp, writeShards } from './fixtures.js';

const METRICS = ['trace_within', 'trace_between', 'nc1_trace_ratio', 'nc1_pinv', 'nc1_cdnv', 'nc2_etf', 'nc2_equinorm', 'nc2_equiangular', 'ncc_accuracy'];

describe('sharded metrics, local executor', () => {
  it('equals one-shot metrics on the concatenated rows to 1e-12 relative', async () => {
    const dir = tmp();
    const { features, labels, shards } = writeShards(dir, 6, 4, [0, 90, 200, 310, 400]);
    const one = await runInProcess(['metrics', '--features', features, '--labels', labels, '--json', '--quiet']);
    const sharded = await runInProcess(['metrics', ...shards.flatMap((s) => ['--shard', s]), '--out', join(dir, 'out'), '--json', '--quiet']);
    expect(one.code).toBe(0);
    expect(sharded.code).toBe(0);
    const a = JSON.parse(one.stdout);
    const b = JSON.parse(sharded.stdout);
    expect(b.n).toBe(400);
    expect(b.counts).toEqual(a.counts);
    for (const k of METRICS) expect(Math.abs(b[k] - a[k])).toBeLessThanOrEqual(1e-12 * Math.abs(a[k]));
    expect(JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')).nc1_pinv).toBe(b.nc1_pinv);
  });

  it('--workers 2 runs the per-shard passes in child processes with the same result', async () => {
    const dir = tmp();
    const { shards } = writeShards(dir, 5, 3, [0, 40, 90]);
    const args = ['metrics', ...shards.flatMap((s) => ['--shard', s]), '--json', '--quiet'];
    const one = JSON.parse((await runInProcess([...args, '--out', join(dir, 'a')])).stdout);
    process.env.NCLAB_CLI = TEST_CLI;
    try {
      const r = await runInProcess([...args, '--out', join(dir, 'b'), '--workers', '2']);
      expect(r.code).toBe(0);
      const two = JSON.parse(r.stdout);
      for (const k of METRICS) expect(two[k]).toBe(one[k]);
    } finally {
      delete process.env.NCLAB_CLI;
    }
  }, 60_000);

  it('merges in shard order: any order of finishing tasks gives bit-identical states and metrics', async () => {
    const dir = tmp();
    const { shards } = writeShards(dir, 5, 3, [0, 40, 70, 120]);
    const r1 = await runInProcess(['metrics', ...shards.flatMap((s) => ['--shard', s]), '--out', join(dir, 'a'), '--json', '--quiet']);
    expect(r1.code).toBe(0);
    // rerun the stages by hand in reverse shard order in the same plan
    const plan = readShardPlan(join(dir, 'a'));
    const meansBefore = readFileSync(statePath.means(join(dir, 'a')), 'utf8');
    for (const i of [2, 1, 0]) await pass1(join(dir, 'a'), plan, i);
    await merge1(join(dir, 'a'), plan);
    expect(readFileSync(statePath.means(join(dir, 'a')), 'utf8')).toBe(meansBefore);
    for (const i of [1, 2, 0]) await pass2(join(dir, 'a'), plan, i);
    const again = await finalize(join(dir, 'a'), plan);
    const first = JSON.parse(r1.stdout);
    // finalize returns the typed (camelCase) result; result.json keys are its snake_case mapping
    const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    for (const k of METRICS) expect((again as unknown as Record<string, number>)[camel(k)]).toBe(first[k]);
  });

  it('refuses a pass-2 state computed against other means (hash check)', async () => {
    const dir = tmp();
    const { shards } = writeShards(dir, 4, 2, [0, 30, 60]);
    expect((await runInProcess(['metrics', ...shards.flatMap((s) => ['--shard', s]), '--out', join(dir, 'o'), '--quiet'])).code).toBe(0);
    const p = statePath.pass2(join(dir, 'o'), 1);
    writeFileSync(p, readFileSync(p, 'utf8').replace(/"meansHash": "[0-9a-f]+"/, '"meansHash": "00"'));
    await expect(finalize(join(dir, 'o'), readShardPlan(join(dir, 'o')))).rejects.toMatchObject({ code: 'PLAN', message: expect.stringContaining('--shard 2') });
  });

  it('names the shard that holds a class the others lack, has another d, or cannot be read', () => {
    const dir = tmp();
    const { shards } = writeShards(dir, 4, 3, [0, 30, 60, 90]);
    const parsed = shards.map(parseShard);
    expect(validateShards(parsed).numClasses).toBe(3);
    writeNpy(join(dir, 'y-odd.npy'), { data: Int32Array.from({ length: 30 }, (_, i) => (i === 0 ? 3 : i % 3)), shape: [30] });
    expect(() => validateShards([parsed[0], parsed[1], { features: parsed[2].features, labels: join(dir, 'y-odd.npy') }])).toThrow(/--shard 3 .*class 3/);
    writeNpy(join(dir, 'x-wide.npy'), { data: new Float32Array(30 * 5), shape: [30, 5] });
    expect(() => validateShards([parsed[0], { features: join(dir, 'x-wide.npy'), labels: parsed[1].labels }])).toThrow(/--shard 2 .*d = 5/);
    expect(() => validateShards([parsed[0], { features: join(dir, 'missing.npy'), labels: parsed[1].labels }])).toThrow(/--shard 2 /);
    expect(() => parseShard('x.npy')).toThrow(/FEATURES:LABELS/);
  });

  it('exits 2 with the shard named before any pass runs', async () => {
    const dir = tmp();
    const { shards } = writeShards(dir, 4, 3, [0, 30, 60]);
    const r = await runInProcess(['metrics', '--shard', shards[0], '--shard', `${join(dir, 'nope.npy')}:${join(dir, 'y-1.npy')}`, '--out', join(dir, 'o'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard 2');
  });
});
