import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Matrix } from '@nclab/backend/host';
import {
  ClassMeanAccumulator,
  ResidualAccumulator,
  computeMetrics,
  computeMetricsStreaming,
  metricsFromStatistics,
  residualOptionsFor,
} from '../src/index.js';
import type { NcMetricsResult } from '../src/index.js';
import { randomLabelledData } from './random-data.js';

function slice(x: Matrix, labels: ArrayLike<number>, start: number, end: number) {
  const d = x.cols;
  return {
    features: { rows: end - start, cols: d, data: Float32Array.from(x.data.subarray(start * d, end * d)) },
    labels: Array.from(labels).slice(start, end),
  };
}

function cuts(n: number, seed: number): number[] {
  const out = [0];
  let s = seed;
  while (out[out.length - 1] < n) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(Math.min(n, out[out.length - 1] + 1 + (s % 7)));
  }
  return out;
}

const KEYS: (keyof NcMetricsResult)[] = ['nc1TraceRatio', 'nc1Pinv', 'nc1Cdnv', 'nc1WithinTotal', 'nc2Etf', 'nc2Equinorm', 'nccAccuracy', 'nc3', 'nc4', 'classifierAccuracy'];

describe('streaming equals one-shot', () => {
  it('computeMetricsStreaming over random batchings (async source, two passes) matches computeMetrics', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), async (K, d, seed) => {
        const data = randomLabelledData(K, d, seed, { maxPerClass: 10 });
        const x32: Matrix = data.features; // same values as float32 would give: round first
        const rounded = { rows: x32.rows, cols: d, data: Float64Array.from(Float32Array.from(x32.data)) };
        const one = computeMetrics(rounded, data.labels, { classifier: data.classifier, bias: data.bias, preset: 'papyan2020' });
        const c = cuts(rounded.rows, seed);
        async function* source() {
          for (let t = 0; t + 1 < c.length; t++) yield slice(rounded, data.labels, c[t], c[t + 1]);
        }
        const streamed = await computeMetricsStreaming(source, { numClasses: K, dim: d, classifier: data.classifier, bias: data.bias, preset: 'papyan2020' });
        for (const k of KEYS) expect(Math.abs((streamed[k] as number) - (one[k] as number))).toBeLessThan(1e-9 * Math.max(1, Math.abs(one[k] as number)));
        expect(Math.abs(streamed.preset!.values.nc1 - one.preset!.values.nc1)).toBeLessThan(1e-9 * Math.max(1, one.preset!.values.nc1));
      }),
      { numRuns: 25 },
    );
  });

  it('merging partial accumulators (as from parallel workers) matches one accumulator', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (K, d, seed) => {
        const data = randomLabelledData(K, d, seed, { maxPerClass: 10 });
        const n = data.features.rows;
        const half = Math.floor(n / 2);
        const a = slice(data.features, data.labels, 0, half);
        const b = slice(data.features, data.labels, half, n);
        const p1a = new ClassMeanAccumulator({ numClasses: K, dim: d }).update(a.features, a.labels);
        const p1b = new ClassMeanAccumulator({ numClasses: K, dim: d }).update(b.features, b.labels);
        const means = p1a.merge(p1b).finalize();
        const opts = { linearProbe: true, preset: 'zhu2021' };
        const ro = residualOptionsFor(means, opts);
        const p2a = new ResidualAccumulator(means, ro).update(b.features, b.labels);
        const p2b = new ResidualAccumulator(means, ro).update(a.features, a.labels);
        const merged = metricsFromStatistics(means, p2a.merge(p2b).finalize(), opts);
        const whole = { rows: n, cols: d, data: Float64Array.from(Float32Array.from(data.features.data)) };
        const one = computeMetrics(whole, data.labels, opts);
        // Random centres can be nearly collinear: then Σ_B's smallest kept eigenvalue is ~0, NC1 (pinv) is huge
        // and summation order alone moves it by far more than 1e-9. Agreement is asserted on well-conditioned data.
        fc.pre(one.nc1Pinv < 1e3);
        for (const k of ['nc1Pinv', 'nc1TraceRatio', 'nc1LinearProbe', 'nc2Etf'] as const) {
          expect(Math.abs((merged[k] as number) - (one[k] as number))).toBeLessThan(1e-9 * Math.max(1, Math.abs(one[k] as number)));
        }
        expect(Math.abs(merged.preset!.values.nc1 - one.preset!.values.nc1)).toBeLessThan(1e-8 * Math.max(1, Math.abs(one.preset!.values.nc1)));
      }),
      { numRuns: 20 },
    );
  });

  it('rejects a second pass that does not see the same number of samples', async () => {
    const data = randomLabelledData(3, 4, 1);
    let call = 0;
    const source = () => {
      call++;
      const all = slice(data.features, data.labels, 0, data.features.rows);
      return call === 1 ? [all] : [slice(data.features, data.labels, 0, 2)];
    };
    await expect(computeMetricsStreaming(source, { numClasses: 3, dim: 4 })).rejects.toThrow(/same N/);
  });

  it('rejects an empty stream and a stream batch of the wrong width', async () => {
    await expect(computeMetricsStreaming(() => [], { numClasses: 3, dim: 4 })).rejects.toThrow(/at least one sample/);
    const bad = { features: { rows: 1, cols: 3, data: new Float32Array(3) }, labels: [0] };
    await expect(computeMetricsStreaming(() => [bad], { numClasses: 3, dim: 4 })).rejects.toThrow(/shape \[B, 4\]/);
  });

  it('names the first non-finite row counted over the whole stream', async () => {
    const ok = { features: { rows: 2, cols: 2, data: new Float32Array([0, 1, 2, 3]) }, labels: [0, 1] };
    const bad = { features: { rows: 2, cols: 2, data: new Float32Array([0, 1, 2, NaN]) }, labels: [0, 1] };
    await expect(computeMetricsStreaming(() => [ok, ok, bad], { numClasses: 2, dim: 2 })).rejects.toThrow(/first at row 5, column 1/);
  });
});
