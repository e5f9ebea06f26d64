import { describe, expect, it } from 'vitest';
import type { Matrix } from '@nclab/backend/host';
import { fitKernelRidge, kernelGradients, oneHot, type KernelModel, type KernelSpec, type Metric } from '../src/index.js';
import { fdGradient, randn, randomPsd, relErr } from './helpers.js';

const x = randn(30, 5, 21, 0.6);
const y = oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3);

const kernels: KernelSpec[] = [
  { kind: 'laplace', bandwidth: 1.5 },
  { kind: 'gaussian', bandwidth: 1.5 },
  { kind: 'exponential', bandwidth: 1.2, exponent: 1.5 },
  { kind: 'linear' },
];
const metrics: Array<[string, Metric | undefined]> = [
  ['none', undefined],
  ['full', randomPsd(5, 3)],
  ['diagonal', Float64Array.from([2, 0.5, 1, 3, 0.1])],
];

describe('kernelGradients', () => {
  for (const kernel of kernels) {
    for (const [mName, metric] of metrics) {
      it(`matches central finite differences at new points (${kernel.kind}, metric ${mName})`, () => {
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
  it('masks the self-pair at training points: equals the finite-difference gradient of f without its own term', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'laplace', bandwidth: 1.5 }, ridge: 1e-2 });
    const g = kernelGradients(model);
    for (const i of [0, 7, 29]) {
      const alpha = Float64Array.from(model.alpha.data);
      alpha.fill(0, i * 3, i * 3 + 3);
      const without: KernelModel = { ...model, alpha: { rows: 30, cols: 3, data: alpha } as Matrix };
      const fd = fdGradient(without, x.data.slice(i * 5, i * 5 + 5));
      expect(relErr(g.data.subarray(i * 15, i * 15 + 15), fd)).toBeLessThan(1e-6);
      expect(g.data.subarray(i * 15, i * 15 + 15).every(Number.isFinite)).toBe(true);
    }
  });
  it('Gaussian kernel: the masked gradient at a training point equals the full derivative', () => {
    const model = fitKernelRidge(x, y, { kernel: { kind: 'gaussian', bandwidth: 1.5 }, ridge: 1e-2 });
    const g = kernelGradients(model);
    const fd = fdGradient(model, x.data.slice(10, 15));
    expect(relErr(g.data.subarray(2 * 15, 3 * 15), fd)).toBeLessThan(1e-6);
  });
});
