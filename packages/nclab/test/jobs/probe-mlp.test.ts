import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonKeyPaths, runInProcess } from '../helpers.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'nclab-probe-mlp-job-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the probe-mlp job on disk', () => {
  const args = ['probe', 'mlp', '--dataset', 'mnist', '--per-class', '3', '--test-per-class', '2', '--depth', '2', '--width', '8', '--epochs', '2', '--lr', '0.05', '--probe-every', '1', '--batch-size', '10', '--quiet'];

  it('writes result.json with exactly the keys the pre-camelCase code wrote (camelCase API, snake_case file)', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--out', out]);
    expect(r.code).toBe(0);
    const paths = jsonKeyPaths(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    const fixture = join(__dirname, 'fixtures', 'probe-mlp-result-keys.json');
    const before = JSON.parse(readFileSync(fixture, 'utf8')) as string[];
    expect([...paths].filter((p) => !before.includes(p))).toEqual([]);
    expect(before.filter((p) => !paths.has(p))).toEqual([]);
  }, 120_000);
});
