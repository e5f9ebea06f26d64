import { describe, expect, it } from 'vitest';
import { createRng, getLinalgImpl, InvalidArgumentError } from '@nclab/backend/host';
import { objectiveSpec } from '../src/models.js';
import { makeObjective } from '../src/objective.js';
import { initParams } from '../src/init.js';

describe('makeObjective({ linalg })', () => {
  // products of K·N·d = 4·256·64 multiply-adds: above the 16 384 threshold, so they run through gemm
  const mo = objectiveSpec({ model: 'deep-linear', K: 4, n: 64, d: 64, depth: 3, lambdaW: 0.01, lambdaH: 0.01 });
  const x = initParams(mo.layout, createRng(5), 1);

  function evaluate(options: Parameters<typeof makeObjective>[1]): { f: number; g: Float64Array } {
    const g = new Float64Array(x.length);
    return { f: makeObjective(mo.spec, options)(x, g), g };
  }

  it('gives the plain-loop value and gradient on each float64 path it is given', () => {
    const ref = evaluate({ products: 'js' });
    const paths = (['portable', 'native'] as const).filter((p) => getLinalgImpl(p) !== null);
    for (const linalg of paths) {
      const r = evaluate({ linalg });
      expect(Math.abs(r.f - ref.f) / Math.abs(ref.f)).toBeLessThan(1e-12);
      let gn = 0;
      let dn = 0;
      for (let i = 0; i < x.length; i++) {
        gn += ref.g[i] ** 2;
        dn += (r.g[i] - ref.g[i]) ** 2;
      }
      expect(Math.sqrt(dn / gn)).toBeLessThan(1e-12);
    }
  });

  it('rejects an unknown path when the objective is built', () => {
    expect(() => makeObjective(mo.spec, { linalg: 'fast' as 'auto' })).toThrow(InvalidArgumentError);
  });
});
