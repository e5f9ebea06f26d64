/**
 * `nclab probe cnn`: result.json key set (fixture), resume equality through the job's checkpoints,
 * and the usage errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonKeyPaths, runInProcess } from '../helpers.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'nclab-probe-cnn-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const args = ['probe', 'cnn', '--dataset', 'mnist', '--per-class', '3', '--test-per-class', '2', '--channels', '3,4', '--hidden', '6', '--lr', '0.05', '--momentum', '0.9', '--probe-every', '1', '--batch-size', '10', '--agop-samples', '10', '--quiet'];

describe('nclab probe cnn', () => {
  it('writes result.json with the fixture key set (per-layer rows for conv and FC layers)', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--epochs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(doc.checkpoints.map((c: { kind: string }) => c.kind).slice(0, 3)).toEqual(['conv', 'conv', 'fc']);
    const paths = jsonKeyPaths(doc);
    const before = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'probe-cnn-result-keys.json'), 'utf8')) as string[];
    expect([...paths].filter((p) => !before.includes(p))).toEqual([]);
    expect(before.filter((p) => !paths.has(p))).toEqual([]);
  }, 120_000);

  it('--resume after 1 of 2 epochs gives the rows and weights of an uninterrupted run', async () => {
    const straight = fresh();
    const split = fresh();
    expect((await runInProcess([...args, '--epochs', '2', '--out', straight])).code).toBe(0);
    expect((await runInProcess([...args, '--epochs', '1', '--out', split])).code).toBe(0);
    const r = await runInProcess([...args, '--epochs', '2', '--out', split, '--resume']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(straight, 'result.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(split, 'result.json'), 'utf8'));
    expect(b.config.resumedFrom).toBe(1);
    expect(b.checkpoints).toEqual(a.checkpoints);
    expect(b.history.map((h: { train_loss: number }) => h.train_loss)).toEqual(a.history.map((h: { train_loss: number }) => h.train_loss));
  }, 180_000);

  it('usage errors: mnist without --per-class, --resume without --out', async () => {
    expect((await runInProcess(['probe', 'cnn', '--dataset', 'mnist', '--epochs', '1', '--lr', '0.1', '--quiet'])).code).toBe(2);
    expect((await runInProcess([...args, '--epochs', '1', '--resume'])).code).toBe(2);
  });
});
