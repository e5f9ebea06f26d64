import { describe, expect, it } from 'vitest';
import type { Matrix } from '@nclab/backend/host';
import { fitRfm, type KernelSpec } from '../src/index.js';
import { randn } from './helpers.js';

describe('RFM with dot-product predictor kernels', () => {
  for (const kernel of [{ kind: 'arccos1' }, { kind: 'ntk', depth: 2 }] as KernelSpec[]) {
    it(`${kernel.kind}: the learned metric concentrates on the two relevant coordinates of y = x₀·x₁ and the first step lowers the test error`, () => {
      const n = 160;
      const d = 8;
      const x = randn(n, d, 41);
      const xt = randn(80, d, 42);
      const target = (m: Matrix) => ({ rows: m.rows, cols: 1, data: Float64Array.from({ length: m.rows }, (_, i) => m.data[i * d] * m.data[i * d + 1]) });
      const rfm = fitRfm({ x, targets: target(x) }, { kernel, ridge: 1e-3, iterations: 3, test: { x: xt, targets: target(xt) } });
      const m = rfm.metric as Matrix;
      const tr = Array.from({ length: d }, (_, i) => m.data[i * d + i]);
      const total = tr.reduce((s, v) => s + v, 0);
      expect((tr[0] + tr[1]) / total).toBeGreaterThan(0.9);
      expect(rfm.history[1].testMse!).toBeLessThan(0.9 * rfm.history[0].testMse!); // the first AGOP step helps
    });
  }
});
