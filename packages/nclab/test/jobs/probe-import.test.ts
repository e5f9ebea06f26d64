import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, createRng } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import { probeImported } from '@nclab/nn-probes';
import { runJob } from '../../src/index.js';
import { jsonKeyPaths, runInProcess } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nclab-probe-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the probe-import job reads .npy files', () => {
  const rng = createRng(5);
  const N = 30;
  const h0 = { rows: N, cols: 4, data: Float32Array.from({ length: N * 4 }, (_, i) => rng.normal() + (i % 4 === 0 ? Math.floor(i / 4) % 3 : 0)) };
  const w0 = { rows: 5, cols: 4, data: Float32Array.from({ length: 20 }, () => rng.normal()) };
  const labels = Int32Array.from({ length: N }, (_, i) => i % 3);
  writeNpy(join(dir, 'h0.npy'), { data: h0.data, shape: [N, 4] });
  writeNpy(join(dir, 'w0.npy'), { data: w0.data, shape: [5, 4] });
  writeNpy(join(dir, 'y.npy'), { data: labels, shape: [N] });

  it('gives the library result of the same matrices in memory, and records the file names', async () => {
    const run = await runJob('probe-import', { layers: [join(dir, 'h0.npy')], labels: join(dir, 'y.npy'), weights: [join(dir, 'w0.npy')] });
    const direct = await probeImported({ layers: [h0], labels, weights: [w0] });
    expect(run.result.layers[0].nc1Input).toBeCloseTo(direct.layers[0].nc1Input, 12);
    expect(run.result.layers[0].nc1Right).toBeCloseTo(direct.layers[0].nc1Right!, 12);
    expect(run.report.config.labels).toBe(join(dir, 'y.npy'));
  });

  it('--metric-dependence: Fisher, probe and pinv NC1 at the three points, unchanged Fisher through a full-column-rank S Vᵀ, and the share table', async () => {
    const run = await runJob('probe-import', { layers: [join(dir, 'h0.npy')], labels: join(dir, 'y.npy'), weights: [join(dir, 'w0.npy')], metricDependence: true });
    const l = run.result.layers[0];
    for (const v of [l.nc1FisherInput, l.nc1FisherRight, l.nc1FisherOutput, l.nc1ProbeInput, l.nc1ProbeRight, l.nc1ProbeOutput, l.nc1PinvRight]) expect(Number.isFinite(v)).toBe(true);
    // w0 is [5, 4]: full column rank, S Vᵀ is invertible on the features
    expect(l.nc1FisherRight!).toBeCloseTo(l.nc1FisherInput!, 8);
    const table = run.report.tables.find((t) => t.title.startsWith('Where NC1 falls'))!;
    expect(table.rows.map((r) => r.layer)).toEqual([1, 'median', 'verdict']);
  });

  it('names the argument when a file holds an array of the wrong rank', async () => {
    const err = await runJob('probe-import', { layers: [join(dir, 'y.npy')], labels: join(dir, 'y.npy') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('layers[0]');
  });

  it('writes result.json with exactly the keys the pre-camelCase code wrote (camelCase API, snake_case file)', async () => {
    const h1 = Float32Array.from({ length: N * 5 }, () => rng.normal());
    const w1 = Float32Array.from({ length: 15 }, () => rng.normal());
    writeNpy(join(dir, 'h1.npy'), { data: h1, shape: [N, 5] });
    writeNpy(join(dir, 'w1.npy'), { data: w1, shape: [3, 5] });
    const out = join(dir, 'out');
    const r = await runInProcess(['probe', 'import', '--layer-features', join(dir, 'h0.npy'), '--layer-features', join(dir, 'h1.npy'),
      '--weights', join(dir, 'w0.npy'), '--weights', join(dir, 'w1.npy'), '--labels', join(dir, 'y.npy'), '--nfa', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const paths = jsonKeyPaths(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    const before = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'probe-import-result-keys.json'), 'utf8')) as string[];
    expect([...paths].filter((p) => !before.includes(p))).toEqual([]);
    expect(before.filter((p) => !paths.has(p))).toEqual([]);
  });
});
