import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, getLinalgImpl, getLinalgInfo, type Matrix } from '@nclab/backend/host';
import { fitKernelRidge, kernelAgop, kernelGradients, kernelMatrix, oneHot, resolvePrecision, type KernelSpec, type Metric } from '../src/index.js';
import { maxAbs, maxAbsDiff, randn, randomPsd } from './helpers.js';

const x = randn(36, 6, 31, 0.5);
const y = oneHot(Array.from({ length: 36 }, (_, i) => i % 4), 4);

/** (1/n) Σ g gᵀ over the rows of a gradient stack, optionally centred per output. */
function fromGradients(g: Matrix, K: number, centered: boolean): Float64Array {
  const d = g.cols;
  const n = g.rows / K;
  const mean = new Float64Array(K * d);
  if (centered) for (let r = 0; r < g.rows; r++) for (let k = 0; k < d; k++) mean[(r % K) * d + k] += g.data[r * d + k] / n;
  const out = new Float64Array(d * d);
  for (let r = 0; r < g.rows; r++) {
    const c = r % K;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      out[a * d + b] += (g.data[r * d + a] - mean[c * d + a]) * (g.data[r * d + b] - mean[c * d + b]) / n;
    }
  }
  return out;
}

const cases: Array<[KernelSpec, string, Metric | undefined]> = [
  [{ kind: 'laplace', bandwidth: 1 }, 'none', undefined],
  [{ kind: 'laplace', bandwidth: 1 }, 'full', randomPsd(6, 5)],
  [{ kind: 'gaussian', bandwidth: 1 }, 'diagonal', Float64Array.from([1, 2, 0.5, 1, 1, 3])],
  [{ kind: 'exponential', bandwidth: 1, exponent: 0.7 }, 'none', undefined],
];

describe('kernelAgop', () => {
  for (const [kernel, mName, metric] of cases) {
    for (const centered of [false, true]) {
      it(`direct and Gram forms equal (1/n) Σ ∇f ∇fᵀ of the exact gradients (${kernel.kind}, metric ${mName}, centred ${centered})`, () => {
        const model = fitKernelRidge(x, y, { kernel, ridge: 1e-3, metric });
        const ref = fromGradients(kernelGradients(model), 4, centered);
        const scale = maxAbs(ref);
        for (const method of ['direct', 'gram'] as const) {
          const { agop, method: used } = kernelAgop(model, { method, centered, precision: 'float64' });
          expect(used).toBe(method);
          expect(maxAbsDiff((agop as Matrix).data, ref) / scale).toBeLessThan(1e-10);
        }
        const diag = kernelAgop(model, { centered, diagonal: true }).agop as Float64Array;
        expect(diag.length).toBe(6);
        for (let k = 0; k < 6; k++) expect(Math.abs(diag[k] - ref[k * 7]) / scale).toBeLessThan(1e-10);
      });
    }
  }
  it('gradient weights derived in place from the training kernel matrix give the same AGOP', () => {
    for (const kernel of [{ kind: 'laplace', bandwidth: 1.3 }, { kind: 'gaussian', bandwidth: 0.9 }, { kind: 'exponential', bandwidth: 1, exponent: 1.4 }] as const) {
      const model = fitKernelRidge(x, y, { kernel, ridge: 1e-3 });
      const k = kernelMatrix(x, undefined, { kernel });
      const a = kernelAgop(model, { method: 'gram', precision: 'float64' }).agop as Matrix;
      const b = kernelAgop(model, { method: 'gram', kernelMatrix: k, precision: 'float64' }).agop as Matrix;
      expect(maxAbsDiff(a.data, b.data) / maxAbs(a.data)).toBeLessThan(1e-9);
      expect(k.data[1]).not.toBe(kernelMatrix(x, undefined, { kernel }).data[1]); // consumed, as documented
    }
  });
  it('mixed precision (GᵀG in float32) stays within 3e-5 of float64, on both point sets; auto follows the linalg path', () => {
    const xs = randn(400, 20, 41, 0.3);
    const ys = oneHot(Array.from({ length: 400 }, (_, i) => i % 5), 5);
    const model = fitKernelRidge(xs, ys, { kernel: { kind: 'laplace', bandwidth: 2 }, ridge: 1e-3 });
    for (const opts of [{}, { sampleSize: 150, seed: 2 }, { centered: true }]) {
      const f64 = kernelAgop(model, { ...opts, method: 'gram', precision: 'float64' });
      const mixed = kernelAgop(model, { ...opts, method: 'gram', precision: 'mixed' });
      expect([f64.precision, mixed.precision]).toEqual(['float64', 'mixed']);
      const err = maxAbsDiff((mixed.agop as Matrix).data, (f64.agop as Matrix).data) / maxAbs((f64.agop as Matrix).data);
      expect(err).toBeLessThan(3e-5); // measured 5e-6…1e-5: float32 rounding, amplified by the cancelling terms
      expect(err).toBeGreaterThan(1e-12); // it really ran in float32
    }
    const auto = kernelAgop(model, { method: 'gram' });
    expect(auto.precision).toBe(getLinalgInfo().path === 'portable' ? 'mixed' : 'float64');
    // the path is a parameter: options.linalg decides 'auto' whatever the global path is
    expect(kernelAgop(model, { method: 'gram', linalg: 'portable' }).precision).toBe('mixed');
    expect(resolvePrecision('precision', 'auto', 'portable')).toBe('mixed');
    expect(resolvePrecision('precision', 'float64', 'portable')).toBe('float64');
    if (getLinalgImpl('native') !== null) expect(kernelAgop(model, { method: 'gram', linalg: 'native' }).precision).toBe('float64');
    expect(() => kernelAgop(model, { precision: 'half' as 'mixed' })).toThrow(InvalidArgumentError);
  });

  it('a seeded subsample uses the gradients at those points only and is reproducible', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'laplace', bandwidth: 1 }, ridge: 1e-3 });
    const a = kernelAgop(model, { sampleSize: 10, seed: 3, method: 'gram', precision: 'float64' });
    const b = kernelAgop(model, { sampleSize: 10, seed: 3, method: 'direct' });
    expect(a.points).toBe(10);
    expect(maxAbsDiff((a.agop as Matrix).data, (b.agop as Matrix).data) / maxAbs((a.agop as Matrix).data)).toBeLessThan(1e-10);
    const full = kernelAgop(model).agop as Matrix;
    expect(maxAbsDiff((a.agop as Matrix).data, full.data)).toBeGreaterThan(0);
  });
  it("normalize 'max' makes the largest entry 1 and reports the divisor", () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'laplace', bandwidth: 1 }, ridge: 1e-3 });
    const raw = kernelAgop(model).agop as Matrix;
    const { agop, scale } = kernelAgop(model, { normalize: 'max' });
    expect(Math.max(...(agop as Matrix).data)).toBeCloseTo(1, 15);
    expect(scale).toBeCloseTo(Math.max(...raw.data), 12);
  });
  it('linear kernel: the AGOP is β βᵀ with β = Xᵀα (rank ≤ K), zero when centred', () => {
    const model = fitKernelRidge(x, y, { kernel: 'linear', ridge: 1e-1 });
    const ref = fromGradients(kernelGradients(model), 4, false);
    const { agop, method } = kernelAgop(model);
    expect(method).toBe('linear');
    expect(maxAbsDiff((agop as Matrix).data, ref)).toBeLessThan(1e-10 * maxAbs(ref));
    expect(maxAbs((kernelAgop(model, { centered: true }).agop as Matrix).data)).toBe(0);
  });
  it('rejects a bad sample size and mismatched evaluation points', () => {
    const model = fitKernelRidge(x, y, { kernel: 'laplace', ridge: 1e-3 });
    expect(() => kernelAgop(model, { sampleSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => kernelAgop(model, { points: randn(3, 5, 1) })).toThrow(/`points`/);
  });
});
