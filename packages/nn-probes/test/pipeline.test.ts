import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { probeMlp, type ProbeMlpOptions, type ProbeResult } from '../src/index.js';

let dir: string;
let result: ProbeResult;
const config: ProbeMlpOptions = {
  dataset: 'mnist', perClass: 20, depth: 3, width: 64, epochs: 60, lr: 0.2, initScale: 0.5, loss: 'mse', seed: 0,
  batchSize: 16, probeEvery: 60, testPerClass: 5, probeTest: true,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnprobes-pipeline-'));
  result = await probeMlp({ ...config, outDir: join(dir, 'run') });
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (epoch: number) => result.checkpoints.filter((c) => c.epoch === epoch).sort((a, b) => a.layer - b.layer);

describe('probeMlp on a small MNIST run (N = 200, depth 3, width 64, 60 epochs)', () => {
  it('fits the training set: the MSE falls below 0.05 (from ≈ 1 at initialisation)', () => {
    expect(result.history).toHaveLength(61);
    expect(result.history[0].train_loss).toBeGreaterThan(0.9);
    expect(result.summary.final_train_loss).toBeLessThan(0.05);
    expect(result.history[60].test_acc).toBeGreaterThan(0.5);
  });

  it('in every layer, NC1 falls more from the input to after S Vᵀ than from there to the output', () => {
    const fin = at(60);
    expect(fin).toHaveLength(3);
    for (const c of fin) {
      expect(c.nc1_input / c.nc1_right).toBeGreaterThan(c.nc1_right / c.nc1_output);
      expect(c.nc1_right_share).toBeGreaterThan(0.5);
    }
    expect(result.summary.layers_where_right_dominates).toBe(3);
  });

  it('NC1 decreases with depth at the end of training, and each output is the next input', () => {
    const fin = at(60);
    for (let l = 0; l + 1 < fin.length; l++) {
      expect(fin[l].nc1_output).toBeCloseTo(fin[l + 1].nc1_input, 8);
      expect(fin[l + 1].nc1_output).toBeLessThan(fin[l].nc1_output);
    }
  });

  it('the init-subtracted NFA correlation with AGOP^{1/2} lies between 0.5 and 0.95 in every layer', () => {
    for (const c of at(60)) {
      expect(c.nfa_corr_sqrt_delta).toBeGreaterThan(0.5);
      expect(c.nfa_corr_sqrt_delta).toBeLessThan(0.95);
    }
  });

  it('measures the held-out sub-layer NC1 too, and NC3/NC4 at the last hidden layer only', () => {
    const fin = at(60);
    for (const c of fin) {
      expect(c.nc1_input_test).toBeGreaterThan(0);
      expect(c.nc1_output_test).toBeGreaterThan(0);
    }
    // the held-out classes collapse less than the training classes at the last layer
    expect(fin[2].nc1_output_test!).toBeGreaterThan(fin[2].nc1_output);
    expect(fin[0].nc3).toBeNull();
    expect(fin[2].nc3).toBeGreaterThan(0);
    expect(fin[2].nc4).toBeGreaterThanOrEqual(0);
  });

  it('reports the initialisation baseline: plain WᵀW correlation already high, delta undefined', () => {
    for (const c of at(0)) {
      expect(c.nfa_corr_sqrt).toBeGreaterThan(0.7);
      expect(c.nfa_corr_sqrt_delta).toBeNull();
      expect(c.train_loss).toBe(result.history[0].train_loss);
    }
  });

  it('returns a plain JSON-ready result and writes only its checkpoints, with no temporary files', async () => {
    const files = await readdir(join(dir, 'run'));
    expect(files.sort()).toEqual(['checkpoints']);
    const json = JSON.parse(JSON.stringify(result));
    expect(json.checkpoints).toHaveLength(6);
    expect(Object.keys(json.checkpoints[0])).toEqual(expect.arrayContaining([
      'epoch', 'layer', 'train_loss', 'nc1_input', 'nc1_right', 'nc1_output', 'nfa_corr', 'nfa_corr_sqrt', 'nfa_corr_sqrt_delta',
    ]));
    expect(json.history).toHaveLength(61);
    expect((await readdir(join(dir, 'run', 'checkpoints'))).sort()).toEqual(['epoch-000060', 'init']);
  });
});

describe('probeMlp bad input', () => {
  it.each([
    ['width', { width: 0 }],
    ['depth', { depth: 0 }],
    ['dataset', { dataset: 'cifar' }],
    ['loss', { loss: 'hinge' }],
    ['lr', { lr: -1 }],
    ['probeEvery', { probeEvery: 0 }],
  ])('rejects a bad %s with a typed error before any work', async (arg, patch) => {
    const err = await probeMlp({ ...config, ...(patch as object) } as ProbeMlpOptions).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe(arg);
  });
});
