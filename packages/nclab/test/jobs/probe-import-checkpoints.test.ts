/**
 * `probe import` with conv weights (rank-4 `[C_out, C_in, k, k]`, stride 1, 'same' padding) checked
 * against a direct loop convolution, and with `--checkpoints DIR` (one sub-folder per epoch), on tiny
 * fabricated folders.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, createRng } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import type { ImportedResult } from '@nclab/nn-probes';
import { runJob } from '../../src/index.js';
import { runInProcess } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nclab-probe-import-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 12;
const K = 3;
const [C, H, W, CO, k] = [2, 5, 4, 3, 3];
const labels = Int32Array.from({ length: N }, (_, i) => i % K);

/** NC1 = tr Σ_W / tr Σ_B (Σ_W with 1/N, Σ_B with 1/K) of rows of `x` `[N, d]`, any column order. */
function nc1(x: ArrayLike<number>, d: number): number {
  const mu = new Float64Array(d);
  const means = Array.from({ length: K }, () => new Float64Array(d));
  const counts = new Array(K).fill(0);
  for (let i = 0; i < N; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) { mu[j] += x[i * d + j] / N; means[labels[i]][j] += x[i * d + j]; }
  }
  means.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));
  let tw = 0;
  let tb = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) tw += (x[i * d + j] - means[labels[i]][j]) ** 2 / N;
  for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) tb += (means[c][j] - mu[j]) ** 2 / K;
  return tw / tb;
}

/** Direct 'same' convolution and patches of NCHW `x` with PyTorch filters `[CO, C, k, k]`. */
function direct(x: Float32Array, w: Float32Array): { patches: Float64Array; pre: Float64Array } {
  const r = (k - 1) / 2;
  const m = C * k * k;
  const patches = new Float64Array(N * H * W * m);
  const pre = new Float64Array(N * CO * H * W);
  for (let n = 0; n < N; n++) for (let y = 0; y < H; y++) for (let z = 0; z < W; z++) {
    for (let c = 0; c < C; c++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const yy = y + ky - r;
      const zz = z + kx - r;
      const v = yy >= 0 && yy < H && zz >= 0 && zz < W ? x[((n * C + c) * H + yy) * W + zz] : 0;
      patches[((n * H + y) * W + z) * m + c * k * k + ky * k + kx] = v;
      for (let o = 0; o < CO; o++) pre[((n * CO + o) * H + y) * W + z] += w[((o * C + c) * k + ky) * k + kx] * v;
    }
  }
  return { patches, pre };
}

/** Writes one checkpoint folder: conv features [N, C, H, W], conv filters, the flattened ReLU output and an FC weight. */
function writeCheckpoint(folder: string, seed: number): { x: Float32Array; w: Float32Array } {
  mkdirSync(folder, { recursive: true });
  const rng = createRng(seed);
  const x = Float32Array.from({ length: N * C * H * W }, (_, i) => rng.normal() + labels[Math.floor(i / (C * H * W))] * ((i % 7) / 7));
  const w = Float32Array.from({ length: CO * C * k * k }, () => rng.normal());
  const out = Float32Array.from(direct(x, w).pre, (v) => Math.max(0, v));
  const fc = Float32Array.from({ length: 4 * CO * H * W }, () => rng.normal());
  writeNpy(join(folder, 'x0.npy'), { data: x, shape: [N, C, H, W] });
  writeNpy(join(folder, 'conv0.npy'), { data: w, shape: [CO, C, k, k] });
  writeNpy(join(folder, 'h1.npy'), { data: out, shape: [N, CO, H, W] });
  writeNpy(join(folder, 'fc1.npy'), { data: fc, shape: [4, CO * H * W] });
  return { x, w };
}

const ckpt = join(dir, 'ckpt');
const saved = [writeCheckpoint(join(ckpt, 'epoch_10'), 2), writeCheckpoint(join(ckpt, 'epoch_2'), 1)];
writeNpy(join(ckpt, 'y.npy'), { data: labels, shape: [N] });
const files = { layers: ['x0.npy', 'h1.npy'], labels: 'y.npy', weights: ['conv0.npy', 'fc1.npy'] };

describe('probe import: conv weights', () => {
  it('reshapes [C_out, C_in, k, k] to [C_out, C_in·k·k] and unfolds the features: NC1 at all three points equals a direct convolution', async () => {
    const f = join(ckpt, 'epoch_2');
    const run = await runJob('probe-import', { layers: files.layers.map((p) => join(f, p)), labels: join(ckpt, 'y.npy'), weights: files.weights.map((p) => join(f, p)) });
    const [conv, fc] = (run.result as ImportedResult).layers;
    const { patches, pre } = direct(saved[1].x, saved[1].w);
    expect(conv.kernel).toBe(k);
    expect(conv.dim).toBe(H * W * C * k * k);
    expect(conv.nc1Input).toBeCloseTo(nc1(patches, H * W * C * k * k), 6);
    expect(conv.nc1Right).toBeCloseTo(nc1(pre, CO * H * W), 6);
    expect(conv.nc1Output).toBeCloseTo(nc1(Float64Array.from(pre, (v) => Math.max(0, v)), CO * H * W), 6);
    expect(conv.spectrum?.singularValues).toHaveLength(CO);
    // the next (FC) layer reads the conv output flattened in PyTorch's NCHW order
    expect(fc.kernel).toBeUndefined();
    expect(fc.nc1Input).toBeCloseTo(conv.nc1Output!, 6);
  });

  it('refuses conv filters whose features are not [N, C_in, H, W] with the filters\' C_in', async () => {
    const f = join(ckpt, 'epoch_2');
    const err = await runJob('probe-import', { layers: [join(f, 'h1.npy')], labels: join(ckpt, 'y.npy'), weights: [join(f, 'conv0.npy')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('layers[0]');
  });
});

describe('probe import --checkpoints', () => {
  it('runs the analysis per epoch folder (sorted by epoch), rows carry the epoch and equal a single-folder run', async () => {
    const run = await runJob('probe-import', { ...files, checkpoints: ckpt });
    const r = run.result as ImportedResult & { epochs: number[] };
    expect(r.epochs).toEqual([2, 10]);
    expect(r.layers.map((l) => [l.epoch, l.layer])).toEqual([[2, 1], [2, 2], [10, 1], [10, 2]]);
    const f = join(ckpt, 'epoch_10');
    const one = (await runJob('probe-import', { layers: files.layers.map((p) => join(f, p)), labels: join(ckpt, 'y.npy'), weights: files.weights.map((p) => join(f, p)) })).result as ImportedResult;
    expect(r.layers.slice(2).map(({ epoch: _e, ...l }) => l)).toEqual(one.layers);
  });

  it('from the CLI: result.json rows carry the epoch and the report plots NC1 over the checkpoints', async () => {
    const out = join(dir, 'out');
    const res = await runInProcess(['probe', 'import', '--checkpoints', ckpt, '--layer-features', 'x0.npy', '--layer-features', 'h1.npy', '--labels', 'y.npy', '--weights', 'conv0.npy', '--weights', 'fc1.npy', '--quiet', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(doc.layers.map((l: { epoch: number }) => l.epoch)).toEqual([2, 2, 10, 10]);
    expect(doc.epochs).toEqual([2, 10]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<figure id="nc1-training">');
  });

  it('refuses a folder without epoch sub-folders (argument checkpoints)', async () => {
    const err = await runJob('probe-import', { ...files, checkpoints: join(ckpt, 'epoch_2') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('checkpoints');
  });
});
