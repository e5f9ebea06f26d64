/** Small data sets and helpers shared by the executor tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import { CLI } from '../helpers.js';

/** A fresh temporary directory. */
export const tmp = (): string => mkdtempSync(join(tmpdir(), 'nclab-exec-'));

/** The CLI as child processes start it in tests (source through tsx). */
export const TEST_CLI = JSON.stringify([process.execPath, '--conditions=@nclab/source', '--import', 'tsx', CLI]);

/**
 * K Gaussian clusters in d dimensions (means 3·e_k), N rows, float32, labels k = i mod K.
 * @returns features `[N, d]` and labels `[N]`.
 */
export function clusters(n: number, d: number, K: number, seed = 0): { x: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % K;
    for (let j = 0; j < d; j++) x[i * d + j] = rng.normal() + (j === y[i] % d ? 3 : 0);
  }
  return { x, y };
}

/**
 * Writes `clusters(...)` whole and as row blocks.
 * @param dir - destination.
 * @param cuts - row boundaries of the shards, e.g. `[0, 90, 200, 310, 400]`.
 * @returns the whole files and the `F:L` shard specs.
 */
export function writeShards(dir: string, d: number, K: number, cuts: number[]): { features: string; labels: string; shards: string[] } {
  const n = cuts[cuts.length - 1];
  const { x, y } = clusters(n, d, K);
  const features = join(dir, 'x.npy');
  const labels = join(dir, 'y.npy');
  writeNpy(features, { data: x, shape: [n, d] });
  writeNpy(labels, { data: y, shape: [n] });
  const shards = cuts.slice(0, -1).map((a, s) => {
    const b = cuts[s + 1];
    const f = join(dir, `x-${s}.npy`);
    const l = join(dir, `y-${s}.npy`);
    writeNpy(f, { data: x.slice(a * d, b * d), shape: [b - a, d] });
    writeNpy(l, { data: y.slice(a, b), shape: [b - a] });
    return `${f}:${l}`;
  });
  return { features, labels, shards };
}
