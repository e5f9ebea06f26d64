import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Matrix } from '@nclab/backend';
import { deepRfm, runDeepRfm, type DeepRfmLayer, type RunDeepRfmResult } from '../src/index.js';
import { antipodalClusters, blobs } from './helpers.js';

describe('Deep RFM on MNIST (30 per class, 5 layers): the paper claims', () => {
  let result: RunDeepRfmResult;
  let L: DeepRfmLayer[];
  beforeAll(async () => {
    result = await runDeepRfm({
      dataset: 'mnist', perClass: 30, testPerClass: 20, depth: 5, kernel: 'laplace', bandwidth: 2, ridge: 1e-3,
      width: 256, featureMap: 'relu', seed: 0, gramSamples: 100,
    });
    L = result.layers;
  }, 120_000);
  it('NC1 at the input falls roughly exponentially: ≥ 20× from layer 1 to 5 and at every layer', () => {
    expect(L[0].nc1_in / L[4].nc1_in).toBeGreaterThan(20);
    for (let l = 1; l < 5; l++) expect(L[l].nc1_in).toBeLessThan(0.8 * L[l - 1].nc1_in);
  });
  it('the AGOP step lowers NC1 at every layer; the random ReLU map does not lower it much', () => {
    for (const r of L) {
      expect(r.nc1_agop).toBeLessThan(0.7 * r.nc1_in);
      expect(r.nc1_out).toBeGreaterThan(0.8 * r.nc1_agop);
    }
  });
  it('the last Gram is close to the collapsed ETF pattern, much closer than the input Gram', () => {
    const input = result.grams.find((g) => g.point === 'input')!;
    expect(L[4].gram_etf_dev_out).toBeLessThan(0.4 * input.etfDeviation);
    expect(L[4].gram_etf_dev_out).toBeLessThan(0.15);
    expect(result.grams.at(-1)!.matrix).toHaveLength(100);
  });
  it('fits the training data and generalises; the result is self-describing', () => {
    for (const r of L) expect(r.train_acc).toBe(1);
    expect(result.final.test_acc!).toBeGreaterThan(0.7);
    expect(result.config).toMatchObject({ kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 256, feature_map: 'relu', seed: 0 });
    expect(result.dataset).toMatchObject({ name: 'mnist', per_class: 30 });
    expect(result.engine.linalg.path).toMatch(/native|portable/);
    expect(Object.keys(result.timings.per_phase)).toEqual(['kernel', 'solve', 'predict', 'agop', 'sqrt', 'features', 'metrics']);
    expect(JSON.parse(JSON.stringify(result)).layers[0]).toMatchObject({ layer: 1, nc1_in: L[0].nc1_in });
  });
});

describe('Deep RFM theory checks', () => {
  it('a linear predictor kernel collapses the data in one AGOP step (N < d, ridgeless)', async () => {
    const { x, labels } = blobs(10, 4, 60, 0.5, 1);
    const r = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'linear', ridge: 0, width: 64, featureMap: 'relu', gramSamples: 0 });
    expect(r.layers[0].nc1_in).toBeGreaterThan(0.1);
    expect(r.layers[0].nc1_agop).toBeLessThan(1e-10);
    expect(r.layers[0].nc2_agop).toBeLessThan(1e-6);
  });
  it('a linear feature map on data that is not linearly separable does not collapse (ReLU does)', async () => {
    const data = antipodalClusters(40, 6, 0.1, 2);
    const opts = { depth: 4, kernel: 'laplace' as const, bandwidth: 1, ridge: 1e-3, width: 64, gramSamples: 0, seed: 1 };
    const lin = await deepRfm(data, undefined, { ...opts, featureMap: 'linear' });
    const relu = await deepRfm(data, undefined, { ...opts, featureMap: 'relu' });
    for (const row of lin.layers) {
      expect(row.nc1_in).toBeGreaterThan(5);
      expect(row.nc1_out).toBeGreaterThan(5);
    }
    expect(relu.layers[3].nc1_in).toBeLessThan(0.1 * lin.layers[3].nc1_in);
  });
  it("sqrt 'cholesky' (X L with M = L Lᵀ) gives the same metrics after the AGOP step as the exact root", async () => {
    const { x, labels } = blobs(12, 3, 20, 0.8, 3);
    const a = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 32, gramSamples: 0 });
    const b = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 32, gramSamples: 0, sqrt: 'cholesky' });
    expect(b.layers[0].nc1_agop).toBeCloseTo(a.layers[0].nc1_agop, 6);
    expect(b.layers[0].nc2_agop).toBeCloseTo(a.layers[0].nc2_agop, 6);
  });
});

describe('Deep RFM runs', () => {
  const { x, labels } = blobs(8, 3, 10, 1, 4);
  const base = { depth: 3, kernel: 'laplace' as const, bandwidth: 2, ridge: 1e-3, width: 24, gramSamples: 12, seed: 5 };
  it('is reproducible with a seed and changes with it', async () => {
    const a = await deepRfm({ x, labels }, { x, labels }, base);
    const b = await deepRfm({ x, labels }, { x, labels }, base);
    const c = await deepRfm({ x, labels }, { x, labels }, { ...base, seed: 6 });
    const strip = (rows: DeepRfmLayer[]) => rows.map(({ seconds, ...rest }) => rest);
    expect(strip(b.layers)).toEqual(strip(a.layers));
    expect(c.layers[1].nc1_in).not.toBe(a.layers[1].nc1_in);
  });
  it('reports progress per layer and resumes from the last finished layer of a checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deeprfm-'));
    try {
      const full = await deepRfm({ x, labels }, { x, labels }, base);
      const seen: number[] = [];
      await expect(deepRfm({ x, labels }, { x, labels }, {
        ...base, checkpointDir: dir,
        onProgress: (e) => { seen.push(e.layer); if (e.layer === 2) throw new Error('interrupted'); },
      })).rejects.toThrow('interrupted');
      expect(seen).toEqual([1, 2]);
      expect(readdirSync(dir).sort()).toEqual(['features-L2-test.f64', 'features-L2-train.f64', 'state.json']);
      const events: string[] = [];
      const resumed = await deepRfm({ x, labels }, { x, labels }, { ...base, checkpointDir: dir, onProgress: (e) => events.push(`${e.type}:${e.layer}`) });
      expect(events).toEqual(['resume:2', 'layer:3']);
      expect(resumed.timings.resumed_from_layer).toBe(2);
      const strip = (rows: DeepRfmLayer[]) => rows.map(({ seconds, ...rest }) => rest);
      expect(strip(resumed.layers)).toEqual(strip(full.layers));
      expect(resumed.final).toEqual(full.final);
      await expect(deepRfm({ x, labels }, undefined, { ...base, seed: 9, checkpointDir: dir })).rejects.toThrow(/`checkpointDir`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Deep RFM bad input', () => {
  const { x, labels } = blobs(5, 2, 4, 1, 5);
  const ok = { depth: 1, kernel: 'laplace' as const, bandwidth: 1, ridge: 0, width: 8, gramSamples: 0 };
  it.each([
    ['depth', { depth: 0 }],
    ['width', { width: 0 }],
    ['bandwidth', { bandwidth: 0 }],
    ['bandwidth', { bandwidth: -2 }],
    ['ridge', { ridge: -1e-3 }],
    ['featureMap', { featureMap: 'tanh' }],
  ])('rejects a bad %s with a typed error naming it', async (name, patch) => {
    const p = deepRfm({ x, labels }, undefined, { ...ok, ...(patch as object) });
    await expect(p).rejects.toThrow(InvalidArgumentError);
    await expect(deepRfm({ x, labels }, undefined, { ...ok, ...(patch as object) })).rejects.toThrow(new RegExp(`\`${name}\``));
  });
  it('rejects a labels/features mismatch, NaN in the data and a test set of another dimension', async () => {
    await expect(deepRfm({ x, labels: labels.slice(1) }, undefined, ok)).rejects.toThrow(/`train.labels`/);
    const bad: Matrix = { rows: x.rows, cols: x.cols, data: x.data.slice() };
    bad.data[6] = NaN;
    await expect(deepRfm({ x: bad, labels }, undefined, ok)).rejects.toThrow(/`train.x`.*row 1, column 2/);
    await expect(deepRfm({ x, labels }, { x: { rows: 1, cols: 3, data: new Float64Array(3) }, labels: [0] }, ok)).rejects.toThrow(/`test.x`/);
    await expect(runDeepRfm({ dataset: 'mnist', depth: 1, kernel: 'laplace', width: 4 })).rejects.toThrow(/`perClass`/);
  });
  it('a singular interpolation system (duplicated samples, ridge 0) is reported with the added ridge, never NaN', async () => {
    const dup: Matrix = { rows: x.rows + 1, cols: x.cols, data: new Float64Array((x.rows + 1) * x.cols) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, x.cols), x.rows * x.cols);
    const r = await deepRfm({ x: dup, labels: [...labels, labels[0]] }, undefined, { ...ok, depth: 2 });
    expect(r.layers[0].ridge_fallback).toBeDefined();
    expect(r.layers[0].ridge_fallback!.ridge_added).toBeGreaterThan(0);
    expect(r.layers[0].ridge_used).toBe(r.layers[0].ridge_fallback!.ridge_added);
    for (const row of r.layers) for (const v of [row.nc1_in, row.nc1_agop, row.nc1_out, row.nc2_out]) expect(Number.isFinite(v)).toBe(true);
  });
});
