/**
 * Streams N × d float32 features from disk in chunks through `computeMetricsStreaming` and reports the
 * peak resident memory. Writes raw little-endian files (features.f32, labels.i32) to a temp folder
 * first, in chunks, and deletes them afterwards.
 *
 *   npx tsx --conditions @nclab/source examples/stream-large.ts [--n 1000000] [--d 512] [--k 10] [--chunk 8192]
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@nclab/backend/host';
import { computeMetricsStreaming, formatMetricsTable } from '../src/index.js';
import type { Batch } from '../src/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('n', 1_000_000);
const D = arg('d', 512);
const K = arg('k', 10);
const CHUNK = arg('chunk', 8192);

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const dir = mkdtempSync(join(tmpdir(), 'nc-stream-'));
const fx = join(dir, 'features.f32');
const fy = join(dir, 'labels.i32');
try {
  const t0 = performance.now();
  const rng = createRng(7);
  const centres = rng.normalArray(K * D, 0, 3 / Math.sqrt(D)) as Float64Array;
  const hx = openSync(fx, 'w');
  const hy = openSync(fy, 'w');
  for (let start = 0; start < N; start += CHUNK) {
    const b = Math.min(CHUNK, N - start);
    const x = new Float32Array(b * D);
    const y = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      y[i] = rng.int(K);
      for (let j = 0; j < D; j++) x[i * D + j] = centres[y[i] * D + j] + 0.1 * rng.normal();
    }
    writeSync(hx, new Uint8Array(x.buffer));
    writeSync(hy, new Uint8Array(y.buffer));
    sample();
  }
  closeSync(hx);
  closeSync(hy);
  console.log(`wrote ${N} × ${D} float32 (${((N * D * 4) / 2 ** 30).toFixed(2)} GiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  function* chunks(): Iterable<Batch> {
    const rx = openSync(fx, 'r');
    const ry = openSync(fy, 'r');
    try {
      for (let start = 0; start < N; start += CHUNK) {
        const b = Math.min(CHUNK, N - start);
        const x = new Float32Array(b * D);
        const y = new Int32Array(b);
        readSync(rx, new Uint8Array(x.buffer), 0, x.byteLength, start * D * 4);
        readSync(ry, new Uint8Array(y.buffer), 0, y.byteLength, start * 4);
        sample();
        yield { features: { rows: b, cols: D, data: x }, labels: y };
      }
    } finally {
      closeSync(rx);
      closeSync(ry);
    }
  }
  const t1 = performance.now();
  const result = await computeMetricsStreaming(chunks, { numClasses: K, dim: D });
  sample();
  console.log(formatMetricsTable(result));
  console.log(`\nstreamed 2 passes in ${((performance.now() - t1) / 1000).toFixed(1)} s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
