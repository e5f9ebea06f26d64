/**
 * `nclab probe mlp --first-width W1`: the first hidden layer's width reaches the network (the spectra of
 * layer 1 have min(W1, 784) values), result.json adds only `config.firstWidth`, and the flag is part of
 * the resume key.
 */
import { describe, expect, it } from 'vitest';
import { expectKeySet, readResult, runInProcess, tempDirs } from '../helpers.js';

const fresh = tempDirs('nclab-probe-mlp-first-width-');

const args = ['probe', 'mlp', '--dataset', 'mnist', '--per-class', '5', '--test-per-class', '2', '--depth', '2', '--width', '8', '--lr', '0.05', '--probe-every', '1', '--batch-size', '10', '--seed', '1', '--quiet'];

describe('nclab probe mlp --first-width', () => {
  it('builds a first layer of width W1 and adds config.firstWidth to the fixture key set', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--first-width', '24', '--epochs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = readResult(out);
    expectKeySet(doc, 'probe-mlp-result-keys.json', ['$.config.firstWidth']);
    expect(doc.config.firstWidth).toBe(24);
    const spectra = doc.spectra as { epoch: number; layer: number; singular_values: number[] }[];
    expect(spectra.filter((s) => s.epoch === 0).map((s) => s.singular_values.length)).toEqual([24, 8, 8]); // [24, 784], [8, 24], head [10, 8]
  }, 120_000);

  it('a checkpoint of a uniform-width run is not resumed with --first-width', async () => {
    const out = fresh();
    expect((await runInProcess([...args, '--epochs', '1', '--out', out])).code).toBe(0);
    const r = await runInProcess([...args, '--first-width', '24', '--epochs', '2', '--out', out, '--resume']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('firstWidth');
  }, 120_000);
});
