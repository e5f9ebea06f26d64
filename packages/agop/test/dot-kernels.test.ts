import { describe, expect, it } from 'vitest';
import type { Matrix } from '@nclab/backend/host';
import {
  fitKernelRidge,
  kernelAgop,
  kernelGradients,
  kernelMatrix,
  oneHot,
  resolveKernel,
  type KernelModel,
  type KernelSpec,
  type Metric,
} from '../src/index.js';
import { arccos0Profile, arccos1Profile } from '../src/kernels/arccos.js';
import { ntkProfile } from '../src/kernels/ntk.js';
import { fdGradient, randn, randomPsd, relErr } from './helpers.js';

const row = (...v: number[]): Matrix => ({ rows: 1, cols: v.length, data: Float64Array.from(v) });

describe('arc-cosine and NTK profiles', () => {
  it('κ₁ equals Proposition A.1 (ReLU random features with N(0, 2/D) weights) for unit inputs', () => {
    for (const r of [-0.95, -0.5, 0, 0.3, 0.7, 0.99]) {
      const propA1 = (1 - r * r) ** 1.5 / Math.PI + (r * r * Math.sqrt(1 - r * r)) / Math.PI + r / 2 + (r / Math.PI) * Math.atan(r / Math.sqrt(1 - r * r));
      expect(arccos1Profile(r)).toBeCloseTo(propA1, 14);
    }
    expect(arccos1Profile(1)).toBe(1);
    expect(arccos1Profile(-1)).toBeCloseTo(0, 15);
    expect(arccos0Profile(0)).toBe(0.5);
    expect(arccos0Profile(1 + 1e-15)).toBe(1); // clamped, no NaN
  });

  it('NTK: Θ(x, x) = (h + 1)‖x‖², depth 1 closed form, and τ_h′ matches finite differences', () => {
    for (const h of [1, 2, 5]) expect(ntkProfile(1, h).value).toBeCloseTo(h + 1, 13);
    for (const r of [-0.6, 0.1, 0.8]) {
      const th = Math.acos(r);
      expect(ntkProfile(r, 1).value).toBeCloseTo((r * (Math.PI - th)) / Math.PI + (Math.sin(th) + (Math.PI - th) * r) / Math.PI, 14);
      for (const h of [1, 3]) {
        const e = 1e-6;
        const fd = (ntkProfile(r + e, h).value - ntkProfile(r - e, h).value) / (2 * e);
        expect(ntkProfile(r, h).slope).toBeCloseTo(fd, 7);
      }
    }
  });
});

describe('dot-product kernel matrices', () => {
  it('match the formulas, use the M inner product, and give no NaN at x = 0 or x ∥ ±z', () => {
    const x: Matrix = { rows: 4, cols: 2, data: Float64Array.from([3, 4, -6, -8, 0, 0, 1, 0]) };
    const k1 = kernelMatrix(x, undefined, { kernel: 'arccos1' });
    expect(k1.data[0]).toBeCloseTo(25, 12); // ‖x‖²
    expect(k1.data[1]).toBeCloseTo(0, 12); // θ = π
    expect(k1.data[2]).toBe(0); // x = 0
    expect(k1.data[3]).toBeCloseTo(5 * arccos1Profile(0.6), 12);
    const k0 = kernelMatrix(x, undefined, { kernel: 'arccos0' });
    expect([k0.data[0], k0.data[1], k0.data[2], k0.data[3]]).toEqual([1, 0, 0.5, expect.closeTo(arccos0Profile(0.6), 14)]);
    const kn = kernelMatrix(x, undefined, { kernel: { kind: 'ntk', depth: 3 } });
    expect(kn.data[0]).toBeCloseTo(4 * 25, 11);
    for (const m of [k0, k1, kn]) for (const v of m.data) expect(Number.isFinite(v)).toBe(true);
    // a diagonal metric m equals the kernel of the rescaled inputs x·√m
    const m = Float64Array.from([4, 0.25]);
    const xs: Matrix = { rows: 4, cols: 2, data: x.data.map((v, p) => v * Math.sqrt(m[p % 2])) };
    const withMetric = kernelMatrix(x, undefined, { kernel: { kind: 'ntk', depth: 2 }, metric: m });
    const rescaled = kernelMatrix(xs, undefined, { kernel: { kind: 'ntk', depth: 2 } });
    for (let p = 0; p < 16; p++) expect(withMetric.data[p]).toBeCloseTo(rescaled.data[p], 12);
  });

  it('resolveKernel validates the NTK depth', () => {
    expect(resolveKernel({ kind: 'ntk', depth: 4 })).toMatchObject({ kind: 'ntk', depth: 4 });
    expect(resolveKernel('ntk').depth).toBe(1);
    expect(() => resolveKernel({ kind: 'ntk', depth: 0 })).toThrow();
    expect(() => resolveKernel({ kind: 'ntk', depth: 1.5 })).toThrow();
  });
});

describe('dot-product kernel gradients', () => {
  const x = randn(30, 5, 21, 0.6);
  const y = oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3);
  const kernels: KernelSpec[] = [{ kind: 'arccos0' }, { kind: 'arccos1' }, { kind: 'ntk', depth: 1 }, { kind: 'ntk', depth: 3 }];
  const metrics: Array<[string, Metric | undefined]> = [
    ['none', undefined],
    ['full', randomPsd(5, 3)],
    ['diagonal', Float64Array.from([2, 0.5, 1, 3, 0.1])],
  ];
  for (const kernel of kernels) {
    for (const [mName, metric] of metrics) {
      it(`match central finite differences at new points (${kernel.kind}${kernel.depth ? ` depth ${kernel.depth}` : ''}, metric ${mName})`, () => {
        const model = fitKernelRidge(x, y, { kernel, ridge: 1e-2, metric });
        const pts = randn(4, 5, 99, 0.6);
        const g = kernelGradients(model, pts);
        for (let i = 0; i < 4; i++) {
          const fd = fdGradient(model, pts.data.slice(i * 5, i * 5 + 5));
          expect(relErr(g.data.subarray(i * 15, i * 15 + 15), fd)).toBeLessThan(1e-6);
        }
      });
    }
  }

  /** A one-centre predictor f(x) = k(x, z). */
  const single = (kernel: KernelSpec, z: Matrix): KernelModel => ({
    kernel: resolveKernel(kernel),
    centers: z,
    alpha: { rows: 1, cols: 1, data: Float64Array.from([1]) },
    ridge: 0,
    ridgeUsed: 0,
  });
  const z = row(1, 2, -1);

  it('near θ = 0 (angle 1e-3) the gradients stay finite and match finite differences', () => {
    const near = Float64Array.from([1.5, 3 + 1.5e-3, -1.5]); // ≈ 1.5 z, slightly rotated
    for (const kernel of [{ kind: 'arccos0' }, { kind: 'arccos1' }, { kind: 'ntk', depth: 2 }] as KernelSpec[]) {
      const m = single(kernel, z);
      const g = kernelGradients(m, { rows: 1, cols: 3, data: near }).data;
      const fd = fdGradient(m, near, 1e-8);
      expect(relErr(g, fd)).toBeLessThan(1e-4);
    }
  });

  it('at x ∥ z the cusp term is dropped: arccos0 gives 0, the NTK its radial derivative (h + 1)·z; arccos1 its exact gradient z', () => {
    const x2 = row(2, 4, -2);
    expect(Array.from(kernelGradients(single({ kind: 'arccos0' }, z), x2).data)).toEqual([0, 0, 0]);
    const gn = kernelGradients(single({ kind: 'ntk', depth: 2 }, z), x2).data;
    [3, 6, -3].forEach((v, k) => expect(gn[k]).toBeCloseTo(v, 8));
    const g1 = kernelGradients(single({ kind: 'arccos1' }, z), x2).data;
    [1, 2, -1].forEach((v, k) => expect(g1[k]).toBeCloseTo(v, 8));
    // x ∥ −z (θ = π): no NaN
    for (const kernel of [{ kind: 'arccos0' }, { kind: 'arccos1' }, { kind: 'ntk', depth: 2 }] as KernelSpec[]) {
      for (const v of kernelGradients(single(kernel, z), row(-1, -2, 1)).data) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('at x = 0: arccos1 has gradient z/2 (ReLU′(0) = ½), arccos0 gives 0; a zero centre contributes nothing', () => {
    const g1 = kernelGradients(single({ kind: 'arccos1' }, z), row(0, 0, 0)).data;
    [0.5, 1, -0.5].forEach((v, k) => expect(g1[k]).toBeCloseTo(v, 14));
    // the one-sided derivative along z from 0 is κ₁(1)·‖z‖ = ‖z‖: the average with −z's 0 is ‖z‖/2 = ∇·ẑ
    expect(Array.from(kernelGradients(single({ kind: 'arccos0' }, z), row(0, 0, 0)).data)).toEqual([0, 0, 0]);
    expect(Array.from(kernelGradients(single({ kind: 'ntk', depth: 2 }, row(0, 0, 0)), row(1, 1, 1)).data)).toEqual([0, 0, 0]);
  });

  it('the AGOP of a dot-product kernel predictor is the mean outer product of its exact gradients', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'ntk', depth: 2 }, ridge: 1e-2 });
    const g = kernelGradients(model);
    const d = 5;
    const expected = new Float64Array(d * d);
    for (let r = 0; r < g.rows; r++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expected[a * d + b] += (g.data[r * d + a] * g.data[r * d + b]) / 30;
    for (const method of ['auto', 'gram', 'direct'] as const) {
      const res = kernelAgop(model, { method });
      expect(res.method).toBe('direct');
      const m = res.agop as Matrix;
      for (let p = 0; p < d * d; p++) expect(m.data[p]).toBeCloseTo(expected[p], 10);
    }
  });
});
