/**
 * `nclab metrics` on research exports: an `.npz` of three layers (one of them a conv activation
 * `[N, C, H, W]`, one Fortran-ordered) with labels and classifier as separate files or as members of
 * the same archive. Written by NumPy (skipped without python3 + NumPy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenSamples, npyToMatrix, readNpy, readNpz } from '@nclab/datasets';
import { computeMetrics } from '@nclab/nc-metrics';
import { runInProcess } from '../helpers.js';

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasNumpy)('nclab metrics reads .npz archives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nclab-npz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const py = spawnSync('python3', ['-c', `
import numpy as np, sys, os
d = sys.argv[1]
rng = np.random.default_rng(0)
K, n = 3, 8
y = np.repeat(np.arange(K), n)
M = rng.normal(size=(K, 6))
h1 = M[y] + 0.5 * rng.normal(size=(K * n, 6))
h2 = rng.normal(size=(K * n, 2, 2, 3)) + y[:, None, None, None]
h3 = np.asfortranarray(M[y] + 0.1 * rng.normal(size=(K * n, 6)))
np.savez(os.path.join(d, 'layers.npz'), h1=h1, h2=h2, h3=h3)
np.savez_compressed(os.path.join(d, 'all.npz'), h1=h1, h2=h2, h3=h3, y=y, W=M)
np.save(os.path.join(d, 'y.npy'), y)
np.save(os.path.join(d, 'W.npy'), M)
`, dir], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(py.stderr);

  it('--features layers.npz --labels y.npy --classifier W.npy: every array a layer, NC3/NC4 on the last', async () => {
    const r = await runInProcess(['metrics', '--features', join(dir, 'layers.npz'), '--labels', join(dir, 'y.npy'), '--classifier', join(dir, 'W.npy'), '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const rows = out.layers as Record<string, unknown>[];
    expect(rows.map((l) => l.name ?? l.layer)).toEqual(['h1', 'h2', 'h3']);
    const archive = readNpz(join(dir, 'layers.npz'));
    const labels = Array.from(readNpy(join(dir, 'y.npy')).data as BigInt64Array, Number);
    const W = npyToMatrix(readNpy(join(dir, 'W.npy')));
    const last = computeMetrics(npyToMatrix(archive.get('h3')!), labels, { classifier: W });
    expect(rows[2].nc1_trace_ratio).toBeCloseTo(last.nc1TraceRatio, 12);
    expect(rows[2].nc3).toBeCloseTo(last.nc3 as number, 12);
    const conv = computeMetrics(npyToMatrix(flattenSamples(archive.get('h2')!)), labels);
    expect(rows[1].nc1_trace_ratio).toBeCloseTo(conv.nc1TraceRatio, 12);
    expect(out.config.feature_shapes.h2).toEqual([24, 2, 2, 3]);
  });

  it('labels and classifier named as members of the same archive are not layers', async () => {
    const a = join(dir, 'all.npz');
    const r = await runInProcess(['metrics', '--features', a, '--labels', `${a}:y`, '--classifier', `${a}:W`, '--json', '--quiet']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).layers as Record<string, unknown>[];
    expect(rows.map((l) => l.name ?? l.layer)).toEqual(['h1', 'h2', 'h3']);
    const one = await runInProcess(['metrics', '--features', `${a}:h3`, '--labels', `${a}:y`, '--classifier', `${a}:W`, '--json', '--quiet']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).nc3).toBeCloseTo(rows[2].nc3 as number, 12);
  });

  it('an unknown member is a usage error that lists the archive', async () => {
    const a = join(dir, 'all.npz');
    const r = await runInProcess(['metrics', '--features', a, '--labels', `${a}:labels`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/h1, h2, h3, y, W/);
  });
});
