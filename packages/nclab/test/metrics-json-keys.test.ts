/**
 * The key set of `nclab metrics --json` (every preset, with a classifier) is pinned by a fixture
 * generated before nc-metrics' result types became camelCase: the one mapping `toJsonKeys` must
 * give back exactly the snake_case keys of the first release.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '@nclab/backend';
import { simplexEtf, writeNpy } from '@nclab/datasets';
import { PRESET_NAMES } from '@nclab/nc-metrics';
import { runInProcess } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every key path of a JSON value (`a.b`, array elements as `a[]`), sorted. */
export function keyPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keyPaths(v, `${prefix}[]`, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      keyPaths(v, p, out);
    }
  }
  return out;
}

/** Noisy simplex-ETF features (K = 4, d = 6, 10 per class) and a classifier W = the class means. */
function writeData(dir: string): void {
  const K = 4;
  const d = 6;
  const means = simplexEtf(K, { dim: d, radius: 2 });
  const rng = createRng(3);
  const x = new Float64Array(K * 10 * d);
  const labels = new Int32Array(K * 10);
  for (let i = 0; i < K * 10; i++) {
    labels[i] = i % K;
    for (let t = 0; t < d; t++) x[i * d + t] = means.data[labels[i] * d + t] + 0.3 * rng.normal();
  }
  writeNpy(join(dir, 'x.npy'), { data: x, shape: [K * 10, d] });
  writeNpy(join(dir, 'y.npy'), { data: labels });
  writeNpy(join(dir, 'w.npy'), { data: means.data, shape: [K, d] });
}

describe('nclab metrics --json keys', () => {
  it.each([...PRESET_NAMES])('preset %s with a classifier: the key set is the fixture\'s', async (preset) => {
    const dir = mkdtempSync(join(tmpdir(), 'nclab-keys-'));
    writeData(dir);
    const r = await runInProcess(['metrics', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy'), '--classifier', join(dir, 'w.npy'), '--preset', preset, '--json', '--quiet']);
    expect(r.code).toBe(0);
    const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'metrics-json-keys.json'), 'utf8')) as Record<string, string[]>;
    expect([...keyPaths(JSON.parse(r.stdout))].sort()).toEqual(fixture[preset]);
  });
});
