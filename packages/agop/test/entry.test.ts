import { describe, expect, it } from 'vitest';
import { runWithoutTfjs } from '../../../tools/without-tfjs.mjs';
import * as main from '../src/index.js';

describe('@nclab/agop entries', () => {
  it('the main entry loads no @tensorflow module and still fits a kernel model and its AGOP', () => {
    const r = runWithoutTfjs(
      'const { fitKernelRidge, kernelAgop, oneHot } = await import("@nclab/agop"); const { createRng, matrix } = await import("@nclab/backend/host");' +
        'const rng = createRng(1); const x = matrix(12, 3, rng.normalArray(36)); const labels = Int32Array.from({ length: 12 }, (_, i) => i % 2);' +
        'const model = fitKernelRidge(x, oneHot(labels, 2), { kernel: { kind: "laplace", bandwidth: 2 }, ridge: 1e-3 });' +
        'const { agop } = kernelAgop(model); console.log("agop " + String(agop.rows));',
    );
    expect(r.out).not.toContain('tfjs-blocked');
    expect(r.status).toBe(0);
    expect(r.out).toContain('agop 3');
  });

  it('control: the `egop` subpath imports, and its engine reaches tfjs at the first engine call (the hook really blocks)', () => {
    const r = runWithoutTfjs(
      'const { egop } = await import("@nclab/agop/egop"); const { initEngine } = await import("@nclab/backend");' +
        'try { await initEngine({ engine: "cpu" }); } catch (e) { console.log("code=" + e.code + " packages=" + e.packages.join(" ")); }' +
        'console.log("egop=" + typeof egop);',
    );
    expect(r.out).toContain('code=ENGINE_UNAVAILABLE packages=@tensorflow/tfjs-backend-cpu @tensorflow/tfjs-core');
    expect(r.out).toContain('egop=function');
  });

  it('egop is exported by the subpath only', () => {
    expect('egop' in main).toBe(false);
  });
});
