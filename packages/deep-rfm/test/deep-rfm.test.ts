import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, getLinalgImpl, getLinalgInfo, setLinalgPath, type Matrix } from '@nclab/backend/host';
import { deepRfm, type DeepRfmLayer, type DeepRfmProgress, type DeepRfmResult, type DeepRfmState } from '../src/index.js';
import { antipodalClusters, blobs } from './helpers.js';

describe('Deep RFM theory checks', () => {
  it('a linear predictor kernel collapses the data in one AGOP step (N < d, ridgeless)', async () => {
    const { x, labels } = blobs(10, 4, 60, 0.5, 1);
    const r = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'linear', ridge: 0, width: 64, featureMap: 'relu', gramSamples: 0 });
    expect(r.layers[0].nc1In).toBeGreaterThan(0.1);
    expect(r.layers[0].nc1Agop).toBeLessThan(1e-10);
    expect(r.layers[0].nc2Agop).toBeLessThan(1e-6);
  });
  it('a linear feature map on data that is not linearly separable does not collapse (ReLU does)', async () => {
    const data = antipodalClusters(40, 6, 0.1, 2);
    const opts = { depth: 4, kernel: 'laplace' as const, bandwidth: 1, ridge: 1e-3, width: 64, gramSamples: 0, seed: 1 };
    const lin = await deepRfm(data, undefined, { ...opts, featureMap: 'linear' });
    const relu = await deepRfm(data, undefined, { ...opts, featureMap: 'relu' });
    for (const row of lin.layers) {
      expect(row.nc1In).toBeGreaterThan(5);
      expect(row.nc1Out).toBeGreaterThan(5);
    }
    expect(relu.layers[3].nc1In).toBeLessThan(0.1 * lin.layers[3].nc1In);
  });
  it("sqrt 'cholesky' (X L with M = L Lᵀ) gives the same metrics after the AGOP step as the exact root", async () => {
    const { x, labels } = blobs(12, 3, 20, 0.8, 3);
    const a = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 32, gramSamples: 0 });
    const b = await deepRfm({ x, labels }, undefined, { depth: 1, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 32, gramSamples: 0, sqrt: 'cholesky' });
    expect(b.layers[0].nc1Agop).toBeCloseTo(a.layers[0].nc1Agop, 6);
    expect(b.layers[0].nc2Agop).toBeCloseTo(a.layers[0].nc2Agop, 6);
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
    expect(c.layers[1].nc1In).not.toBe(a.layers[1].nc1In);
  });
  it('hands out its state after every layer and continues from it to the same result', async () => {
    const full = await deepRfm({ x, labels }, { x, labels }, base);
    const seen: number[] = [];
    let saved: DeepRfmState | undefined;
    await expect(deepRfm({ x, labels }, { x, labels }, {
      ...base,
      onLayer: (state) => { saved = state; },
      onProgress: (e) => {
        if (e.type !== 'layer') return;
        seen.push(e.layer);
        if (e.layer === 2) throw new Error('interrupted');
      },
    })).rejects.toThrow('interrupted');
    expect(seen).toEqual([1, 2]);
    expect(saved?.completed).toBe(2);
    expect(saved?.layers).toHaveLength(2);
    expect(saved?.train.rows).toBe(x.rows);
    const events: string[] = [];
    const phases: DeepRfmProgress[] = [];
    const resumed = await deepRfm({ x, labels }, { x, labels }, {
      ...base,
      resume: saved,
      onProgress: (e) => {
        events.push(`${e.type}:${e.layer}${e.phase ? `:${e.phase}` : ''}`);
        if (e.type === 'phase') phases.push(e);
      },
    });
    // a long layer reports its phases before it ends: the solve, the AGOP, then the row; the final solve last
    expect(events).toEqual(['resume:2', 'phase:3:solve', 'phase:3:agop', 'layer:3', 'phase:3:final-solve']);
    for (const e of phases) expect(e.seconds).toBeGreaterThanOrEqual(0);
    expect(phases[0].detail).toMatch(/^(cholesky|mixed|cg)/);
    expect(phases[1].detail).toBe(`${resumed.layers[2].agopMethod}, ${resumed.layers[2].agopPrecision}`);
    expect(phases[0].seconds).toBeCloseTo(resumed.layers[2].seconds.kernel + resumed.layers[2].seconds.solve, 12);
    expect(resumed.timings.resumedFromLayer).toBe(2);
    const strip = (rows: DeepRfmLayer[]) => rows.map(({ seconds, ...rest }) => rest);
    expect(strip(resumed.layers)).toEqual(strip(full.layers));
    expect(resumed.final).toEqual(full.final);
    await expect(deepRfm({ x, labels }, undefined, { ...base, seed: 9, resume: saved })).rejects.toThrow(/`resume`.*seed/);
  });
  it.skipIf(getLinalgImpl('native') === null)("linalg: 'portable' under a native default equals a run under a global portable path, bit for bit", async () => {
    const { x: xt, labels: lt } = blobs(8, 3, 10, 1, 6);
    const opts = { ...base, depth: 2, gramSamples: 12 }; // agopPrecision 'auto' follows the path too
    const before = getLinalgInfo().path;
    const strip = (r: DeepRfmResult) => ({ ...r, layers: r.layers.map(({ seconds, ...rest }) => rest), timings: undefined, resources: { ...r.resources, peakRssBytes: undefined }, engine: r.engine.linalg.path });
    try {
      setLinalgPath('native');
      const perCall = await deepRfm({ x, labels }, { x: xt, labels: lt }, { ...opts, linalg: 'portable' });
      expect(getLinalgInfo().path).toBe('native');
      setLinalgPath('portable');
      const global = await deepRfm({ x, labels }, { x: xt, labels: lt }, opts);
      expect(strip(perCall)).toEqual(strip(global));
      expect(perCall.engine.linalg.path).toBe('portable');
    } finally {
      setLinalgPath(before);
    }
  });
  it('runs on the linear-algebra path it is given and restores the previous one', async () => {
    const before = getLinalgInfo().path;
    const r = await deepRfm({ x, labels }, undefined, { ...base, depth: 1, linalg: 'portable' });
    expect(r.engine.linalg.path).toBe('portable');
    expect(getLinalgInfo().path).toBe(before);
    await expect(deepRfm({ x, labels }, undefined, { ...base, linalg: 'gpu' as never })).rejects.toThrow(/`linalg`/);
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
  });
  it('a singular interpolation system (duplicated samples, ridge 0) is reported with the added ridge, never NaN', async () => {
    const dup: Matrix = { rows: x.rows + 1, cols: x.cols, data: new Float64Array((x.rows + 1) * x.cols) };
    dup.data.set(x.data);
    dup.data.set(x.data.subarray(0, x.cols), x.rows * x.cols);
    const r = await deepRfm({ x: dup, labels: [...labels, labels[0]] }, undefined, { ...ok, depth: 2 });
    expect(r.layers[0].ridgeFallback).toBeDefined();
    expect(r.layers[0].ridgeFallback!.ridgeAdded).toBeGreaterThan(0);
    expect(r.layers[0].ridgeUsed).toBe(r.layers[0].ridgeFallback!.ridgeAdded);
    for (const row of r.layers) for (const v of [row.nc1In, row.nc1Agop, row.nc1Out, row.nc2Out]) expect(Number.isFinite(v)).toBe(true);
  });
});
