/**
 * Deep RFM's test-set metrics, Fisher NC1 and Gram error per layer (issue 19, items 1, 2 and 5).
 */
import { describe, expect, it } from 'vitest';
import { fitExponentialRate, gramError, nc1Fisher } from '@nclab/nc-metrics';
import { deepRfm } from '../src/index.js';
import { blobs } from './helpers.js';

const opts = { depth: 3, kernel: 'laplace' as const, bandwidth: 2, ridge: 1e-3, width: 32, gramSamples: 0, seed: 2 };

describe('Deep RFM: test-set metrics, Fisher NC1, Gram error', () => {
  it('with the training data as test data, every test metric equals its training twin', async () => {
    const { x, labels } = blobs(10, 3, 12, 0.8, 4);
    const r = await deepRfm({ x, labels }, { x, labels }, opts);
    for (const row of r.layers) {
      for (const p of ['In', 'Agop', 'Out'] as const) {
        expect(row[`nc1Test${p}`]).toBe(row[`nc1${p}`]);
        expect(row[`nc1PinvTest${p}`]).toBe(row[`nc1Pinv${p}`]);
        expect(row[`nc1FisherTest${p}`]).toBe(row[`nc1Fisher${p}`]);
        expect(row[`nc2Test${p}`]).toBe(row[`nc2${p}`]);
      }
    }
  });
  it('without test data, or with testMetrics: false, the test fields are null', async () => {
    const { x, labels } = blobs(10, 3, 12, 0.8, 4);
    const none = await deepRfm({ x, labels }, undefined, { ...opts, depth: 1 });
    const off = await deepRfm({ x, labels }, { x, labels }, { ...opts, depth: 1, testMetrics: false });
    for (const row of [none.layers[0], off.layers[0]]) expect([row.nc1TestIn, row.nc1TestOut, row.nc1FisherTestAgop, row.nc2TestOut]).toEqual([null, null, null, null]);
    expect(off.layers[0].testAcc).not.toBeNull();
  });
  it('the Fisher NC1 at the input is that of the normalised data, and is unchanged by the AGOP map when M is invertible', async () => {
    const { x, labels } = blobs(10, 3, 4, 0.8, 5);
    const r = await deepRfm({ x, labels }, undefined, { ...opts, depth: 1, normalize: 'none', fisher: true });
    const f = nc1Fisher(x, labels);
    expect(r.layers[0].nc1FisherIn).toBeCloseTo(f.nc1Fisher, 8);
    expect(r.layers[0].nc1FisherRankIn).toBe(4);
    // x ↦ M^{1/2} x is an invertible linear map here (d = 4 < N, a full-rank AGOP): Fisher NC1 is invariant
    if (r.layers[0].nc1FisherRankAgop === 4) expect(r.layers[0].nc1FisherAgop).toBeCloseTo(r.layers[0].nc1FisherIn as number, 5);
  });
  it('records the Gram error of each layer output and fits its rate as fitExponentialRate does', async () => {
    const { x, labels } = blobs(10, 3, 12, 0.8, 4);
    const r = await deepRfm({ x, labels }, undefined, opts);
    const fit = fitExponentialRate(r.layers.map((l) => l.gramError));
    expect(r.gramErrorRate).toBeCloseTo(fit.rate, 12);
    expect(r.gramErrorR2).toBeCloseTo(fit.r2, 12);
    for (const l of r.layers) expect(l.relativeGramError).toBeCloseTo(l.gramError / Math.sqrt(3 * 10 * 10), 12);
    const one = await deepRfm({ x, labels }, undefined, { ...opts, depth: 1 });
    expect(one.gramErrorRate).toBeNull();
    expect(gramError(x, labels, { normalize: true }).gramError).toBeGreaterThan(0);
  });
});
