import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, loadCheckpoint } from '@nclab/backend';
import type { DeepRfmLayer } from '@nclab/deep-rfm';
import { runDeepRfm, runJob, type DeepRfmJobResult } from '../../src/index.js';
import { jsonKeyPaths, runInProcess, spawnCli } from '../helpers.js';

describe('Deep RFM on MNIST (30 per class, 5 layers): the paper claims', () => {
  let result: DeepRfmJobResult;
  let L: DeepRfmLayer[];
  beforeAll(async () => {
    ({ result } = await runJob('deep-rfm', {
      dataset: 'mnist', perClass: 30, testPerClass: 20, depth: 5, kernel: 'laplace', bandwidth: 2, ridge: 1e-3,
      width: 256, featureMap: 'relu', seed: 0, gramSamples: 100,
    }));
    L = result.layers;
  }, 120_000);
  it('NC1 at the input falls roughly exponentially: ≥ 20× from layer 1 to 5 and at every layer', () => {
    expect(L[0].nc1In / L[4].nc1In).toBeGreaterThan(20);
    for (let l = 1; l < 5; l++) expect(L[l].nc1In).toBeLessThan(0.8 * L[l - 1].nc1In);
  });
  it('the AGOP step lowers NC1 at every layer; the random ReLU map does not lower it much', () => {
    for (const r of L) {
      expect(r.nc1Agop).toBeLessThan(0.7 * r.nc1In);
      expect(r.nc1Out).toBeGreaterThan(0.8 * r.nc1Agop);
    }
  });
  it('the last Gram is close to the collapsed ETF pattern, much closer than the input Gram', () => {
    const input = result.grams.find((g) => g.point === 'input')!;
    expect(L[4].gramEtfDevOut).toBeLessThan(0.4 * input.etfDeviation);
    expect(L[4].gramEtfDevOut).toBeLessThan(0.15);
    expect(result.grams.at(-1)!.matrix).toHaveLength(100);
  });
  it('fits the training data and generalises; the result is self-describing', () => {
    for (const r of L) expect(r.trainAcc).toBe(1);
    expect(result.final.testAcc!).toBeGreaterThan(0.7);
    expect(result.config).toMatchObject({ kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 256, featureMap: 'relu', seed: 0 });
    expect(result.dataset).toMatchObject({ name: 'mnist', perClass: 30 });
    expect(result.engine.linalg.path).toMatch(/native|portable/);
    expect(Object.keys(result.timings.perPhase)).toEqual(['kernel', 'solve', 'predict', 'agop', 'sqrt', 'features', 'metrics']);
    const phases = Object.values(result.timings.perPhase).reduce((a, b) => a + b, 0);
    expect(result.timings.finalSeconds).toBeGreaterThan(0); // the final regression, outside the per-layer phases
    expect(phases + result.timings.finalSeconds).toBeLessThanOrEqual(result.timings.totalSeconds);
  });
  it('rejects MNIST without perClass, naming the option', async () => {
    const err = await runDeepRfm({ dataset: 'mnist', depth: 1, kernel: 'laplace', width: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('perClass');
  });
});

describe('the deep-rfm job on disk', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'nclab-drfm-job-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const args = ['deep-rfm', '--dataset', 'mnist', '--per-class', '10', '--test-per-class', '5', '--depth', '3', '--width', '64', '--ridge', '1e-3', '--gram-samples', '20', '--quiet'];

  it('writes result.json with exactly the keys the pre-jobs CLI wrote (camelCase API, snake_case file)', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--out', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    const paths = jsonKeyPaths(doc);
    const before = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'deep-rfm-result-keys.json'), 'utf8')) as string[];
    // every key of before is still written; new keys (issue 19: Fisher, test-set, Gram-error fields) are in the fixture
    expect([...paths].filter((p) => !before.includes(p))).toEqual([]);
    expect(before.filter((p) => !paths.has(p))).toEqual([]);
    expect(doc.engine.linalg).toMatch(/^(native|portable)$/);
    // the pre-jobs numbers of this run (same seed, same data)
    expect(doc.layers.map((l: { nc1_in: number }) => l.nc1_in)[0]).toBeCloseTo(2.4720875007138003, 8);
    expect(doc.final.test_acc).toBe(0.68);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  }, 120_000);

  it('keeps a checkpoint in the backend container while running and resumes from it', async () => {
    const out = fresh();
    const full = await runDeepRfm({ dataset: 'mnist', perClass: 10, testPerClass: 5, depth: 3, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 64, gramSamples: 20, seed: 0 });
    const dir = join(out, 'checkpoint');
    await expect(runDeepRfm({
      dataset: 'mnist', perClass: 10, testPerClass: 5, depth: 3, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 64, gramSamples: 20, seed: 0, checkpointDir: dir,
      onProgress: (e) => { if (e.type === 'layer' && e.layer === 2) throw new Error('interrupted'); },
    })).rejects.toThrow('interrupted');
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'test.2.bin', 'train.2.bin']);
    expect((await loadCheckpoint(dir, undefined))?.completed).toBe(2);
    const resumed = await runDeepRfm({ dataset: 'mnist', perClass: 10, testPerClass: 5, depth: 3, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 64, gramSamples: 20, seed: 0, checkpointDir: dir, resume: true });
    expect(resumed.result.timings.resumedFromLayer).toBe(2);
    const strip = (rows: DeepRfmLayer[]) => rows.map(({ seconds, ...rest }) => rest);
    expect(strip(resumed.result.layers)).toEqual(strip(full.result.layers));
    expect(resumed.result.final).toEqual(full.result.final);
    const err = await runDeepRfm({ dataset: 'mnist', perClass: 10, testPerClass: 5, depth: 3, kernel: 'laplace', width: 64, gramSamples: 20, seed: 7, checkpointDir: dir, resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/seed/);
  }, 120_000);

  it('--linalg portable (before or after the command) and NCLAB_LINALG=portable give the same result, and result.json names the path', () => {
    // the Fisher NC1 is off by default (its path consistency is checked in deep-rfm's tests)
    const small = ['--dataset', 'mnist', '--per-class', '5', '--test-per-class', '2', '--depth', '2', '--width', '32', '--gram-samples', '0', '--json', '-', '--quiet'];
    const viaEnv = spawnCli(['deep-rfm', ...small], { NCLAB_LINALG: 'portable' });
    const after = spawnCli(['deep-rfm', ...small, '--linalg', 'portable'], { NCLAB_LINALG: '' });
    const before = spawnCli(['--linalg', 'portable', 'deep-rfm', ...small], { NCLAB_LINALG: '' });
    for (const r of [viaEnv, after, before]) expect(r.code, r.stderr).toBe(0);
    const docs = [viaEnv, after, before].map((r) => JSON.parse(r.stdout));
    for (const d of docs) {
      expect(d.engine.linalg).toBe('portable');
      expect(d.engine_details.linalg.path).toBe('portable');
      expect(d.layers).toEqual(docs[0].layers.map((l: Record<string, unknown>, i: number) => ({ ...l, seconds: d.layers[i].seconds })));
      expect(d.final).toEqual(docs[0].final);
    }
    expect(viaEnv.stderr).toBe('');
  }, 240_000);
});
