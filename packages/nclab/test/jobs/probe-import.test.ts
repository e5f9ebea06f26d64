import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, createRng } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import { probeImported } from '@nclab/nn-probes';
import { runJob } from '../../src/index.js';

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
    expect(run.result.layers[0].nc1_input).toBeCloseTo(direct.layers[0].nc1_input, 12);
    expect(run.result.layers[0].nc1_right).toBeCloseTo(direct.layers[0].nc1_right!, 12);
    expect(run.report.config.labels).toBe(join(dir, 'y.npy'));
  });

  it('names the argument when a file holds an array of the wrong rank', async () => {
    const err = await runJob('probe-import', { layers: [join(dir, 'y.npy')], labels: join(dir, 'y.npy') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('layers[0]');
  });
});
