import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Matrix } from '@nclab/backend/host';
import { PRESETS, computeMetrics, normalisedGramEtfError, nc1Pinv, nc1TraceRatio } from '../src/index.js';
import { etfWithIsotropicNoise } from './fixtures.js';
import { randomLabelledData } from './random-data.js';
import { naiveMetrics } from './reference.js';

const sizes = fc.record({ K: fc.integer({ min: 2, max: 5 }), d: fc.integer({ min: 2, max: 6 }), seed: fc.integer({ min: 0, max: 1e6 }) });
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('paper presets', () => {
  it('declares the five required presets with their conventions', () => {
    expect(Object.keys(PRESETS).sort()).toEqual(['beaglehole2024', 'papyan2020', 'rangamani2023', 'tirer2023', 'zhu2021']);
    expect(PRESETS.papyan2020.globalMean).toBe('classMeanAverage');
    expect(PRESETS.zhu2021.globalMean).toBe('sampleWeighted');
    expect(PRESETS.beaglehole2024.withinDivisor).toBe('KN');
  });

  it('papyan2020: Papyan NC1, squared centred NC3, NCC mismatch', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels, classifier, bias } = randomLabelledData(K, d, seed);
        const r = computeMetrics(features, labels, { classifier, bias, preset: 'papyan2020' });
        const v = r.preset!.values;
        close(v.nc1, r.nc1Pinv);
        close(v.nc3, r.nc3! ** 2);
        close(v.nc4, r.nc4!);
        close(v.nc2Equinorm, r.nc2Equinorm);
        close(v.nc2WEquiangular, r.nc2WEquiangular!);
      }),
      { numRuns: 20 },
    );
  });

  it('zhu2021 and rangamani2023: NC1 with the sample-weighted global mean equals the naive d×d computation', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels, classifier } = randomLabelledData(K, d, seed, { maxPerClass: 9 });
        const ref = naiveMetrics(features, labels, K, 'sampleWeighted');
        const zhu = computeMetrics(features, labels, { classifier, preset: 'zhu2021' });
        close(zhu.preset!.values.nc1, ref.nc1Pinv, 1e-7);
        expect(zhu.warnings.join('\n')).toMatch(/full d×d pseudo-inverse/);
        // nc2H on means centred at the sample-weighted mean
        const n = features.rows;
        const g = new Float64Array(d);
        for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) g[j] += (ref.counts[k] / n) * ref.means[k * d + j];
        const centred: Matrix = { rows: K, cols: d, data: Float64Array.from(ref.means, (v, i) => v - g[i % d]) };
        close(zhu.preset!.values.nc2H, normalisedGramEtfError(centred), 1e-9);
        const ran = computeMetrics(features, labels, { preset: 'rangamani2023' });
        close(ran.preset!.values.nc1, ref.nc1Pinv, 1e-7);
        close(ran.preset!.values.nc1, nc1Pinv(features, labels, { globalMean: 'sampleWeighted' }), 1e-9);
        close(ran.preset!.values.cdnv, ran.nc1Cdnv, 1e-12);
      }),
      { numRuns: 20 },
    );
  });

  it('beaglehole2024: trace ratio with Σ_W/(K·N) and the mean-squared ETF error', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { seed: 9 });
    const r = computeMetrics(features, labels, { preset: 'beaglehole2024' });
    close(r.preset!.values.nc1, 0.135 / 4, 1e-12);
    expect(r.preset!.values.nc2).toBeLessThan(1e-24);
    const u = randomLabelledData(4, 3, 8);
    const r2 = computeMetrics(u.features, u.labels, { preset: 'beaglehole2024' });
    close(r2.preset!.values.nc2, r2.nc2Etf ** 2 / 16, 1e-12);
  });

  it('tirer2023: trace ratio with the sample-weighted mean; uncentred NC3', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels, classifier } = randomLabelledData(K, d, seed);
        const r = computeMetrics(features, labels, { classifier, preset: 'tirer2023' });
        close(r.preset!.values.nc1, nc1TraceRatio(features, labels, { globalMean: 'sampleWeighted' }), 1e-12);
        close(r.preset!.values.nc1, naiveMetrics(features, labels, K, 'sampleWeighted').traceRatio, 1e-9);
        close(r.preset!.values.nc3, r.nc3Uncentered!, 1e-12);
        close(r.preset!.values.nc2Of, r.nc2OrthogonalFrame, 1e-12);
      }),
      { numRuns: 20 },
    );
  });

  it('all presets agree with the canonical keys on balanced data, where the global means coincide', () => {
    const { features, labels } = etfWithIsotropicNoise(4, 6, 2, 0.3, { seed: 4, offset: 3 });
    for (const name of ['papyan2020', 'zhu2021', 'rangamani2023'] as const) {
      close(computeMetrics(features, labels, { preset: name }).preset!.values.nc1, 0.050625, 1e-10);
    }
    close(computeMetrics(features, labels, { preset: 'tirer2023' }).preset!.values.nc1, 0.135, 1e-12);
  });
});
