import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Matrix } from '@nclab/backend/host';
import { computeMetrics, nc1Pinv, nc1TraceRatio } from '../src/index.js';
import type { NcMetricsResult } from '../src/index.js';
import { randomOrthogonal, rotateRows } from './fixtures.js';
import { randomLabelledData } from './random-data.js';
import { naiveMetrics } from './reference.js';

const INVARIANT_KEYS = [
  'nc1TraceRatio',
  'nc1Pinv',
  'nc1Cdnv',
  'nc1WithinTotal',
  'nc1BetweenTotal',
  'nc2Etf',
  'nc2EtfGram',
  'nc2Equinorm',
  'nc2Equiangular',
  'nccAccuracy',
  'meanCondition',
] as const;

function expectClose(a: NcMetricsResult, b: NcMetricsResult, keys: readonly (keyof NcMetricsResult)[], tol = 1e-8): void {
  for (const k of keys) {
    const x = a[k] as number;
    const y = b[k] as number;
    expect(Math.abs(x - y), `${String(k)}: ${x} vs ${y}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y)));
  }
}

const sizes = fc.record({
  K: fc.integer({ min: 2, max: 5 }),
  d: fc.integer({ min: 2, max: 7 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

describe('invariances (fast-check)', () => {
  it('every metric is invariant to an orthogonal rotation of features and classifier', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels, classifier, bias } = randomLabelledData(K, d, seed);
        const q = randomOrthogonal(d, seed + 1);
        const a = computeMetrics(features, labels, { classifier, bias });
        const b = computeMetrics(rotateRows(features, q), labels, { classifier: rotateRows(classifier, q), bias });
        expectClose(a, b, [...INVARIANT_KEYS, 'nc2OrthogonalFrame', 'nc3', 'nc3Uncentered', 'nc4', 'nc2WEtf', 'nc2WEquinorm', 'nc2WEquiangular']);
      }),
      { numRuns: 40 },
    );
  });

  it('every metric is invariant to positive scaling of the features (and of a bias-free classifier)', () => {
    fc.assert(
      fc.property(sizes, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: 1e-2, max: 1e2, noNaN: true }), ({ K, d, seed }, alpha, beta) => {
        const { features, labels, classifier } = randomLabelledData(K, d, seed);
        const scaled: Matrix = { rows: features.rows, cols: d, data: features.data.map((v) => v * alpha) };
        const W2: Matrix = { rows: K, cols: d, data: classifier.data.map((v) => v * beta) };
        const a = computeMetrics(features, labels, { classifier });
        const b = computeMetrics(scaled, labels, { classifier: W2 });
        expectClose(a, b, [...INVARIANT_KEYS, 'nc2OrthogonalFrame', 'nc3', 'nc3Uncentered', 'nc4']);
      }),
      { numRuns: 40 },
    );
  });

  it('centred metrics are invariant to translating every sample', () => {
    fc.assert(
      fc.property(sizes, fc.double({ min: -50, max: 50, noNaN: true }), ({ K, d, seed }, shift) => {
        const { features, labels } = randomLabelledData(K, d, seed);
        const moved: Matrix = { rows: features.rows, cols: d, data: features.data.map((v, i) => v + shift * ((i % d) + 1)) };
        expectClose(computeMetrics(features, labels), computeMetrics(moved, labels), INVARIANT_KEYS, 1e-7);
      }),
      { numRuns: 40 },
    );
  });

  it('every metric is invariant to a permutation of the samples', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels, classifier, bias } = randomLabelledData(K, d, seed);
        const n = features.rows;
        const perm = Array.from({ length: n }, (_, i) => (i * 7 + seed) % n);
        if (new Set(perm).size !== n) return; // 7 not coprime with n: skip
        const x = new Float64Array(n * d);
        perm.forEach((p, i) => x.set(features.data.subarray(p * d, (p + 1) * d), i * d));
        const y = perm.map((p) => labels[p]);
        const a = computeMetrics(features, labels, { classifier, bias });
        const b = computeMetrics({ rows: n, cols: d, data: x }, y, { classifier, bias });
        expectClose(a, b, [...INVARIANT_KEYS, 'nc3', 'nc4', 'classifierAccuracy'], 1e-10);
      }),
      { numRuns: 40 },
    );
  });

  it('the linear-probe NC1 is invariant to any invertible linear map and never exceeds NC1 (pinv)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (K, seed) => {
        const d = K + 2;
        // enough samples for a well-conditioned Σ_W (with N − K < d it is singular and the probe is ≈ 0)
        const { features, labels } = randomLabelledData(K, d, seed, { minPerClass: 3 * d, maxPerClass: 12 });
        // A = Q diag(e^{u}) with condition number ≤ e^2: x ↦ A x
        const q = randomOrthogonal(d, seed + 3);
        const scales = Array.from({ length: d }, (_, j) => Math.exp(Math.sin(seed + j)));
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) q[a * d + b] *= scales[b];
        const r1 = computeMetrics(features, labels, { linearProbe: true });
        const r2 = computeMetrics(rotateRows(features, q), labels, { linearProbe: true });
        expect(Math.abs(r1.nc1LinearProbe! - r2.nc1LinearProbe!)).toBeLessThan(1e-7 * Math.max(1, r1.nc1LinearProbe!));
        expect(r1.nc1LinearProbe!).toBeLessThanOrEqual(r1.nc1Pinv * (1 + 1e-9));
      }),
      { numRuns: 30 },
    );
  });
});

describe('agreement with the naive d×d reference (explicit Σ_W, Σ_B and pseudo-inverse)', () => {
  it('matches NC1 pinv, trace ratio and NCC accuracy for both global means, on unbalanced classes', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels } = randomLabelledData(K, d, seed, { maxPerClass: 9 });
        for (const mode of ['classMeanAverage', 'sampleWeighted'] as const) {
          const ref = naiveMetrics(features, labels, K, mode);
          const pinv = nc1Pinv(features, labels, { globalMean: mode });
          const ratio = nc1TraceRatio(features, labels, { globalMean: mode });
          expect(Math.abs(pinv - ref.nc1Pinv)).toBeLessThan(1e-8 * Math.max(1, ref.nc1Pinv));
          expect(Math.abs(ratio - ref.traceRatio)).toBeLessThan(1e-10 * Math.max(1, ref.traceRatio));
        }
        const r = computeMetrics(features, labels);
        const ref = naiveMetrics(features, labels, K);
        expect(Math.abs(r.nc1Pinv - ref.nc1Pinv)).toBeLessThan(1e-8 * Math.max(1, ref.nc1Pinv));
        expect(r.nccAccuracy).toBe(ref.nccAccuracy);
      }),
      { numRuns: 40 },
    );
  });
});

describe('NC4', () => {
  it('is 0 for the classifier W = M, b_k = −‖μ_k‖²/2 (argmax of Wx + b is the nearest class mean)', () => {
    fc.assert(
      fc.property(sizes, ({ K, d, seed }) => {
        const { features, labels } = randomLabelledData(K, d, seed);
        const r0 = computeMetrics(features, labels);
        const ref = naiveMetrics(features, labels, K);
        const W: Matrix = { rows: K, cols: d, data: Float64Array.from(ref.means) };
        const b = Array.from({ length: K }, (_, k) => -0.5 * ref.means.subarray(k * d, (k + 1) * d).reduce((s, v) => s + v * v, 0));
        const r = computeMetrics(features, labels, { classifier: W, bias: b });
        expect(r.nc4).toBeLessThan(1e-12);
        expect(r.classifierAccuracy).toBeCloseTo(r0.nccAccuracy, 12);
      }),
      { numRuns: 30 },
    );
  });
});
