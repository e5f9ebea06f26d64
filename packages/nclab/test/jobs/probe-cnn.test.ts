/**
 * `nclab probe cnn`: result.json key set (fixture), resume equality through the job's checkpoints,
 * and the usage errors.
 */
import { describe, expect, it } from 'vitest';
import { expectKeySet, readResult, runInProcess, straightAndResumed, tempDirs } from '../helpers.js';

const fresh = tempDirs('nclab-probe-cnn-');

const args = ['probe', 'cnn', '--dataset', 'mnist', '--per-class', '3', '--test-per-class', '2', '--channels', '3,4', '--hidden', '6', '--lr', '0.05', '--momentum', '0.9', '--probe-every', '1', '--batch-size', '10', '--agop-samples', '10', '--quiet'];

describe('nclab probe cnn', () => {
  it('writes result.json with the fixture key set (per-layer rows for conv and FC layers)', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--epochs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = readResult(out);
    expect(doc.checkpoints.map((c: { kind: string }) => c.kind).slice(0, 3)).toEqual(['conv', 'conv', 'fc']);
    expectKeySet(doc, 'probe-cnn-result-keys.json');
  }, 120_000);

  it('--resume after 1 of 2 epochs gives the rows and weights of an uninterrupted run', async () => {
    const { straight: a, resumed: b } = await straightAndResumed(args, fresh);
    expect(b.config.resumedFrom).toBe(1);
    expect(b.checkpoints).toEqual(a.checkpoints);
    expect(b.history.map((h: { train_loss: number }) => h.train_loss)).toEqual(a.history.map((h: { train_loss: number }) => h.train_loss));
  }, 180_000);

  it('usage errors: mnist without --per-class, --resume without --out', async () => {
    expect((await runInProcess(['probe', 'cnn', '--dataset', 'mnist', '--epochs', '1', '--lr', '0.1', '--quiet'])).code).toBe(2);
    expect((await runInProcess([...args, '--epochs', '1', '--resume'])).code).toBe(2);
  });
});
