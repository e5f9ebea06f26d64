/**
 * `nclab metrics` reports the Fisher discriminant NC1 (issue 19, item 1): `nc1_fisher` is unchanged by
 * an invertible linear map of the features while the trace ratio changes; a closed form on 1-D data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import { runInProcess } from '../helpers.js';

async function metrics(args: string[]): Promise<Record<string, any>> {
  const r = await runInProcess(['metrics', ...args, '--json', '--quiet']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('nclab metrics: nc1_fisher', () => {
  it('closed form: Σ_W = 1, Σ_B = 4 on 1-D data gives tr(Σ_W⁻¹Σ_B) = 4 with rank 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nclab-fisher-'));
    writeNpy(join(dir, 'x.npy'), { data: Float64Array.from([0, 2, 4, 6]), shape: [4, 1] });
    writeNpy(join(dir, 'y.npy'), { data: Int32Array.from([0, 0, 1, 1]) });
    const j = await metrics(['--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy')]);
    expect(j.nc1_fisher).toBeCloseTo(4, 12);
    expect(j.nc1_fisher_rank).toBe(1);
  });
  it('is invariant to an invertible linear map of the features (per layer too); the trace ratio is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nclab-fisher-'));
    const N = 30;
    const d = 4;
    const rng = createRng(5);
    const x = new Float64Array(N * d);
    const y = Int32Array.from({ length: N }, (_, i) => i % 3);
    for (let i = 0; i < N; i++) for (let t = 0; t < d; t++) x[i * d + t] = (t === y[i] ? 2 : 0) + rng.normal();
    const a = Float64Array.from({ length: d * d }, (_, p) => (p % (d + 1) === 0 ? 3 : 0) + 0.5 * rng.normal());
    const xa = new Float64Array(N * d);
    for (let i = 0; i < N; i++) for (let c = 0; c < d; c++) for (let t = 0; t < d; t++) xa[i * d + c] += x[i * d + t] * a[t * d + c];
    writeNpy(join(dir, 'x.npy'), { data: x, shape: [N, d] });
    writeNpy(join(dir, 'xa.npy'), { data: xa, shape: [N, d] });
    writeNpy(join(dir, 'y.npy'), { data: y });
    const p = await metrics(['--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy')]);
    const q = await metrics(['--features', join(dir, 'xa.npy'), '--labels', join(dir, 'y.npy')]);
    expect(p.nc1_fisher_rank).toBe(d);
    expect(q.nc1_fisher).toBeCloseTo(p.nc1_fisher, 8);
    expect(Math.abs(q.nc1_trace_ratio - p.nc1_trace_ratio)).toBeGreaterThan(1e-3);
    const layers = await metrics(['--features', join(dir, 'x.npy'), '--features', join(dir, 'xa.npy'), '--labels', join(dir, 'y.npy')]);
    expect(layers.layers[0].nc1_fisher).toBeCloseTo(layers.layers[1].nc1_fisher, 8);
    expect(layers.layers[1].nc1_fisher_rank).toBe(d);
  });
});
