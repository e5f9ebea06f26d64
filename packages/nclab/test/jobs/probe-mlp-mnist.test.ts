import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { probeMlp, type ProbeResult, type TrainingSet } from '@nclab/nn-probes';
import { runProbeMlp, type ProbeMlpJobOptions } from '../../src/index.js';

let dir: string;
let result: ProbeResult;
const config: ProbeMlpJobOptions = {
  dataset: 'mnist', perClass: 20, depth: 3, width: 64, epochs: 60, lr: 0.2, initScale: 0.5, loss: 'mse', seed: 0,
  batchSize: 16, probeEvery: 60, testPerClass: 5, probeTest: true,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnprobes-pipeline-'));
  ({ result } = await runProbeMlp({ ...config, outDir: join(dir, 'run') }));
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (epoch: number) => result.checkpoints.filter((c) => c.epoch === epoch).sort((a, b) => a.layer - b.layer);

describe('the probe-mlp job (probeMlp) on a small MNIST run (N = 200, depth 3, width 64, 60 epochs)', () => {
  it('fits the training set: the MSE falls below 0.05 (from ≈ 1 at initialisation)', () => {
    expect(result.history).toHaveLength(61);
    expect(result.history[0].trainLoss).toBeGreaterThan(0.9);
    expect(result.summary.finalTrainLoss).toBeLessThan(0.05);
    expect(result.history[60].testAcc).toBeGreaterThan(0.5);
  });

  it('in every layer, NC1 falls more from the input to after S Vᵀ than from there to the output', () => {
    const fin = at(60);
    expect(fin).toHaveLength(3);
    for (const c of fin) {
      expect(c.nc1Input / c.nc1Right).toBeGreaterThan(c.nc1Right / c.nc1Output);
      expect(c.nc1RightShare).toBeGreaterThan(0.5);
    }
    expect(result.summary.layersWhereRightDominates).toBe(3);
  });

  it('NC1 decreases with depth at the end of training, and each output is the next input', () => {
    const fin = at(60);
    for (let l = 0; l + 1 < fin.length; l++) {
      expect(fin[l].nc1Output).toBeCloseTo(fin[l + 1].nc1Input, 8);
      expect(fin[l + 1].nc1Output).toBeLessThan(fin[l].nc1Output);
    }
  });

  it('the init-subtracted NFA correlation with AGOP^{1/2} lies between 0.5 and 0.95 in every layer', () => {
    for (const c of at(60)) {
      expect(c.nfaCorrSqrtDelta).toBeGreaterThan(0.5);
      expect(c.nfaCorrSqrtDelta).toBeLessThan(0.95);
    }
  });

  it('measures the held-out sub-layer NC1 too, and NC3/NC4 at the last hidden layer only', () => {
    const fin = at(60);
    for (const c of fin) {
      expect(c.nc1InputTest).toBeGreaterThan(0);
      expect(c.nc1OutputTest).toBeGreaterThan(0);
    }
    // the held-out classes collapse less than the training classes at the last layer
    expect(fin[2].nc1OutputTest!).toBeGreaterThan(fin[2].nc1Output);
    expect(fin[0].nc3).toBeNull();
    expect(fin[2].nc3).toBeGreaterThan(0);
    expect(fin[2].nc4).toBeGreaterThanOrEqual(0);
  });

  it('reports the initialisation baseline: plain WᵀW correlation already high, delta undefined', () => {
    for (const c of at(0)) {
      expect(c.nfaCorrSqrt).toBeGreaterThan(0.7);
      expect(c.nfaCorrSqrtDelta).toBeNull();
      expect(c.trainLoss).toBe(result.history[0].trainLoss);
    }
  });

  it('returns a plain JSON-ready result and keeps only its checkpoint container, with no temporary files', async () => {
    const files = await readdir(join(dir, 'run'));
    expect(files.sort()).toEqual(['checkpoints']);
    const json = JSON.parse(JSON.stringify(result));
    expect(json.checkpoints).toHaveLength(6);
    expect(Object.keys(json.checkpoints[0])).toEqual(expect.arrayContaining([
      'epoch', 'layer', 'trainLoss', 'nc1Input', 'nc1Right', 'nc1Output', 'nfaCorr', 'nfaCorrSqrt', 'nfaCorrSqrtDelta',
    ]));
    expect(json.history).toHaveLength(61);
    const saved = (await readdir(join(dir, 'run', 'checkpoints'))).sort();
    expect(saved).toContain('state.json');
    expect(saved.filter((f) => !f.endsWith('.60.bin') && f !== 'state.json')).toEqual([]);
  });
});

describe('the probe-mlp job resumes from its checkpoint', () => {
  const small: ProbeMlpJobOptions = {
    dataset: 'mnist', perClass: 5, testPerClass: 2, depth: 2, width: 16, epochs: 4, lr: 0.05, initScale: 0.5, loss: 'mse', seed: 3,
    batchSize: 10, probeEvery: 2, momentum: 0.9,
  };
  const numbers = (r: ProbeResult) => ({ history: r.history.map(({ seconds: _s, ...h }) => h), checkpoints: r.checkpoints, summary: r.summary, spectra: r.spectra, unitGaps: r.unitGaps, logits: r.logits });

  it('bit-identically to an uninterrupted run (weights, momentum, history and probe rows)', async () => {
    const full = (await runProbeMlp(small)).result;
    const out = join(dir, 'resume');
    const interrupted = runProbeMlp({ ...small, outDir: out, onProgress: (p) => { if (p.epoch === 3) throw new Error('interrupted'); } });
    await expect(interrupted).rejects.toThrow('interrupted');
    const resumed = (await runProbeMlp({ ...small, outDir: out, resume: true })).result;
    expect(resumed.config.resumedFrom).toBe(2);
    expect(numbers(resumed)).toEqual(numbers(full));
  });

  it('refuses a resume with other settings, naming the differing fields', async () => {
    const out = join(dir, 'other');
    await runProbeMlp({ ...small, epochs: 2, outDir: out });
    const err = await runProbeMlp({ ...small, width: 17, lr: 0.1, outDir: out, resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('resume');
    expect((err as Error).message).toContain('lr, width');
    // more epochs is the same run, continued
    const more = (await runProbeMlp({ ...small, epochs: 4, outDir: out, resume: true })).result;
    expect(more.config.resumedFrom).toBe(2);
  });
});

describe('probeMlp bad input', () => {
  const blob: TrainingSet = { x: new Float32Array(12), n: 3, dim: 4, labels: Int32Array.of(0, 1, 0), numClasses: 2 };
  it.each([
    ['width', { width: 0 }],
    ['depth', { depth: 0 }],
    ['loss', { loss: 'hinge' }],
    ['lr', { lr: -1 }],
    ['probeEvery', { probeEvery: 0 }],
  ])('rejects a bad %s with a typed error before any work', async (arg, patch) => {
    const err = await probeMlp({ train: blob, depth: 1, width: 2, epochs: 1, lr: 0.1, initScale: 1, loss: 'mse', seed: 0, ...(patch as object) } as Parameters<typeof probeMlp>[0]).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe(arg);
  });

  it('the job rejects an unknown dataset, naming the option', async () => {
    const err = await runProbeMlp({ ...config, dataset: 'cifar' as 'mnist' }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('dataset');
  });
});
