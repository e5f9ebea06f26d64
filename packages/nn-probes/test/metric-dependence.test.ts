import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, type Matrix } from '@nclab/backend';
import { computeMetrics, nc1Fisher } from '@nclab/nc-metrics';
import { collapseShare, createMlp, metricDependenceTable, networkNc, ncKey, probeNetwork, streamLayerFeatures, type FeatureKind } from '../src/index.js';
import { blobs } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

/**
 * Every feature set of the network as whole float64 matrices, gathered from chunks of `chunkSize` rows
 * (default one chunk). BLAS rounds a row differently in blocks of different heights, so a comparison
 * of streamed statistics against whole matrices gathers the features in the same chunks.
 */
async function wholeFeatures(net: ReturnType<typeof createMlp>, x: Float32Array, n: number, right: 'pre' | 'svd', chunkSize = n) {
  const out = new Map<string, Matrix>();
  await streamLayerFeatures(net, x, n, (l, kind: FeatureKind, rows, start) => {
    const key = ncKey(l, kind);
    if (!out.has(key)) out.set(key, { rows: n, cols: rows.cols, data: new Float64Array(n * rows.cols) });
    out.get(key)!.data.set(rows.data, start * rows.cols);
  }, { chunkSize, right });
  return out;
}

describe('metric dependence of the sub-layer NC1 (Fisher, linear probe)', () => {
  const data = blobs(3, 12, 5, 3, 4);
  // layer 1: 5 → 6 (full column rank: S Vᵀ invertible on the features); layer 2: 6 → 4 (a projection)
  const net = createMlp({ inputDim: 5, width: 6, depth: 1, numClasses: 3, initScale: 1.3, seed: 2 });
  const narrow = { ...net, spec: { ...net.spec, depth: 2 }, layers: [net.layers[0], { outDim: 4, inDim: 6, weight: createMlp({ inputDim: 6, width: 4, depth: 1, numClasses: 3, initScale: 1, seed: 3 }).layers[0].weight, bias: null }, createMlp({ inputDim: 4, width: 4, depth: 1, numClasses: 3, initScale: 1, seed: 5 }).layers[1]] };

  it('streamed in chunks, equals nc1Fisher and the linear probe of computeMetrics on the whole feature matrices', async () => {
    const nc = await networkNc(narrow, data.x, data.labels, { metricDependence: true, chunkSize: 7 });
    const whole = await wholeFeatures(narrow, data.x, data.n, 'pre', 7);
    for (const key of ['0:input', '0:right', '0:output', '1:right', '1:output']) {
      const f = nc.get(key)!;
      const ref = nc1Fisher(whole.get(key)!, data.labels, { numClasses: 3 });
      expect(f.nc1Fisher).toBeCloseTo(ref.nc1Fisher, 6);
      expect(f.nc1FisherRank).toBe(ref.nc1FisherRank);
      const probe = computeMetrics(whole.get(key)!, data.labels, { numClasses: 3, linearProbe: true }).nc1LinearProbe!;
      expect(Math.abs(f.metrics.nc1LinearProbe! - probe)).toBeLessThanOrEqual(1e-6 * Math.max(1, probe));
    }
  });

  it('the pre-activation stand-in for S Vᵀ gives the same Fisher value as S Vᵀ h itself (U has orthonormal columns)', async () => {
    const pre = await wholeFeatures(narrow, data.x, data.n, 'pre');
    const svd = await wholeFeatures(narrow, data.x, data.n, 'svd');
    for (const key of ['0:right', '1:right']) {
      const a = nc1Fisher(pre.get(key)!, data.labels).nc1Fisher;
      const b = nc1Fisher(svd.get(key)!, data.labels).nc1Fisher;
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-4 * b);
    }
  });

  it('rows: S Vᵀ of a full-column-rank W leaves Fisher and the probe unchanged (share 0) while the trace ratio moves', async () => {
    const snap = await probeNetwork(narrow, null, data.x, data.labels, { epoch: 0, trainLoss: null }, { nfa: false, metricDependence: true, test: { x: data.x, labels: data.labels } });
    const r = snap.rows[0];
    expect(Math.abs(r.nc1FisherRight! - r.nc1FisherInput!)).toBeLessThanOrEqual(1e-5 * r.nc1FisherInput!);
    // the probe is invariant only up to float32 rounding: the 6 right features span 5 dimensions
    // exactly, and the rounding of z = W h adds a sixth direction (~1e-7 relative) that the least-squares
    // probe can use (3e-4 relative here; the trace ratio below moves by 8%)
    expect(Math.abs(r.nc1ProbeRight! - r.nc1ProbeInput!)).toBeLessThanOrEqual(1e-3 * r.nc1ProbeInput!);
    expect(Math.abs(r.nc1Right - r.nc1Input)).toBeGreaterThan(1e-3 * r.nc1Input);
    if (r.nc1FisherRightShare !== null) expect(Math.abs(r.nc1FisherRightShare)).toBeLessThan(1e-3);
    // the test set here is the training set: same values under the *_test keys
    expect(r.nc1FisherOutputTest).toBeCloseTo(r.nc1FisherOutput!, 8);
    const table = metricDependenceTable(snap.rows);
    expect(table.map((t) => t.layer)).toEqual([1, 2, 'median', 'verdict']);
    expect(['S Vᵀ', 'U and σ', '–']).toContain(table[3].rightShareFisher);
    // full column rank: S Vᵀ makes (numerically) none of the Fisher collapse
    if (typeof table[0].rightShareFisher === 'number') expect(table[0].rightShareFisher).toBeLessThan(1e-3);
  });

  it('without metricDependence the Fisher and probe fields are null and the verdict is –', async () => {
    const snap = await probeNetwork(net, null, data.x, data.labels, { epoch: 0, trainLoss: null }, { nfa: false });
    expect(snap.rows[0].nc1FisherInput).toBeNull();
    expect(snap.rows[0].nc1ProbeRightShare).toBeNull();
    expect(metricDependenceTable(snap.rows).at(-1)!.rightShareFisher).toBe('–');
  });

  it('collapseShare: closed forms, steps against collapse count 0, Fisher with the sign flipped', () => {
    expect(collapseShare(1, 0.1, 0.01)).toBeCloseTo(0.5, 12);
    expect(collapseShare(1, 0.1, 0.2)).toBe(1); // U and σ undo some collapse: counted 0
    expect(collapseShare(1, 2, 0.5)).toBe(0); // S Vᵀ undoes collapse
    expect(collapseShare(65, 19.1, 32.1, true)).toBe(0); // Fisher: S Vᵀ loses separation, U and σ gain it
    expect(collapseShare(10, 100, 1000, true)).toBeCloseTo(0.5, 12);
    expect(collapseShare(1, 2, 3)).toBeNull();
    expect(collapseShare(1, null, 0.5)).toBeNull();
  });
});
