import { describe, expect, it } from 'vitest';
import { createRng, dot, getLinalgImpl, setLinalgPath, type LinalgPath } from '@nclab/backend/host';
import { initParams, makeObjective, minimize, objectiveSpec, type SolverMethod } from '../src/index.js';
import { gdWorkspace, GD_NATIVE_MIN } from '../src/solvers/gd-workspace.js';
import { blockViewCache, carveWorkspace } from '../src/internal/workspace.js';

// The native cases run where OpenBLAS loads.
const paths: LinalgPath[] = (['portable', 'native'] as const).filter((p) => getLinalgImpl(p) !== null);

// K = 10, n = 20, d = 64, 3 layers: the 10×64×200 and 10×64×64 products take the gemm route.
const cfg = { K: 10, n: 20, d: 64, depth: 3, lambdaW: 5e-3, lambdaH: 5e-3 } as const;
const start = (model: 'deep-linear' | 'deep-relu') => {
  const mo = objectiveSpec({ model, ...cfg });
  return { spec: mo.spec, x0: initParams(mo.layout, createRng(7), 1) };
};
const sums = (x: Float64Array): [number, number] => {
  let s = 0;
  let w = 0;
  for (let i = 0; i < x.length; i++) { s += x[i]; w += x[i] * (i % 7); }
  return [s, w];
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/*
 * Reference: 20 gd steps (lr 0.1) from seed 7, printed by the route before the workspace (gemm
 * results copied out of fresh arrays, products under 16 384 multiply-adds in JS, x ← x − ηg in JS)
 * on the native and portable paths alike: final objective, Σx and Σ (i mod 7)·x_i.
 */
const reference = {
  'deep-linear': [32.572148173877558, 58.129865840830462, 307.09501186221576],
  'deep-relu': [32.622106186183132, 39.442732373309013, 255.70003967632377],
} as const;

describe('workspace route (one workspace per objective and solve, products into out buffers)', () => {
  for (const model of ['deep-linear', 'deep-relu'] as const) {
    for (const path of paths) {
      it(`${model} on ${path}: 20 gd steps give the previous route's numbers to 1e-12`, () => {
        setLinalgPath(path);
        try {
          const { spec, x0 } = start(model);
          const r = minimize(makeObjective(spec, { linalg: path }), x0, { method: 'gd', lr: 0.1, maxSteps: 20, gradTol: 0 });
          const [s, w] = sums(r.x);
          const [f0, s0, w0] = reference[model];
          expect(rel(r.objective, f0)).toBeLessThan(1e-12);
          expect(rel(s, s0)).toBeLessThan(1e-12);
          expect(rel(w, w0)).toBeLessThan(1e-12);
        } finally {
          setLinalgPath('auto');
        }
      });
    }
  }

  for (const path of paths) {
    for (const method of ['gd', 'momentum', 'lbfgs'] as SolverMethod[]) {
      it(`${method} on ${path}: same iterates as the all-JS products to 1e-12`, () => {
        setLinalgPath(path);
        try {
          const { spec, x0 } = start('deep-linear');
          const o = { method, lr: method === 'lbfgs' ? 1 : 0.05, maxSteps: 15, gradTol: 0 };
          const a = minimize(makeObjective(spec, { linalg: path }), x0, o);
          const b = minimize(makeObjective(spec, { products: 'js' }), x0, o);
          expect(a.steps).toBe(b.steps);
          expect(rel(a.objective, b.objective)).toBeLessThan(1e-12);
          expect(rel(a.gradNorm, b.gradNorm)).toBeLessThan(1e-12);
          let worst = 0;
          for (let i = 0; i < a.x.length; i++) worst = Math.max(worst, Math.abs(a.x[i] - b.x[i]));
          expect(worst).toBeLessThan(1e-12);
        } finally {
          setLinalgPath('auto');
        }
      });
    }
  }

  it("the objective's running ‖∇f‖² equals a separate pass over ∇f (bias included)", () => {
    const mo = objectiveSpec({ model: 'mse', K: 3, n: 4, d: 5, lambdaW: 0.1, lambdaH: 0.2, bias: 'regularized', lambdaB: 0.3 } as never);
    const x = initParams(mo.layout, createRng(1), 1);
    const g = new Float64Array(x.length);
    const fg = makeObjective(mo.spec);
    expect(Number.isNaN(fg.gradSumSq())).toBe(true);
    fg(x, g);
    expect(rel(fg.gradSumSq(), dot(g, g))).toBeLessThan(1e-14);
  });

  it('the gd workspace steps x ← x − ηg exactly as the loop (native product above GD_NATIVE_MIN)', () => {
    const n = GD_NATIVE_MIN + 3;
    const rng = createRng(3);
    const x0 = Float64Array.from({ length: n }, () => rng.normal());
    const grad = Float64Array.from({ length: n }, () => rng.normal());
    for (const path of paths) {
      setLinalgPath(path);
      try {
        const w = gdWorkspace(x0, 0.3);
        w.g.set(grad);
        w.step();
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(w.x[i] - (x0[i] - 0.3 * grad[i])));
        expect(worst).toBeLessThan(1e-15);
        expect(w.g.length).toBe(n);
      } finally {
        setLinalgPath('auto');
      }
    }
  });

  it('carves exact, disjoint views from one buffer and caches block views per array', () => {
    const [a, b, c] = carveWorkspace([3, 0, 2]);
    expect([a.length, b.length, c.length]).toEqual([3, 0, 2]);
    expect(a.buffer).toBe(c.buffer);
    c[0] = 5;
    expect(a[2]).toBe(0);
    const { layout } = objectiveSpec({ model: 'deep-linear', K: 2, n: 2, d: 3, depth: 2, lambdaW: 0.1 } as never);
    const views = blockViewCache(layout);
    const x = new Float64Array(layout.size);
    const y = new Float64Array(layout.size);
    const vx = views(x);
    expect(views(y)).not.toBe(vx);
    expect(views(x)).toBe(vx); // two slots: x and y alternate without re-cutting
    expect(vx.h.length).toBe(layout.h.rows * layout.h.cols);
  });

  it.each(paths)('%s: gd runs in the objective\'s kernel arena; the result is copied out, re-runs are bit-identical', (path) => {
    const { spec, x0 } = start('deep-linear');
    const fg = makeObjective(spec, { linalg: path });
    const buffers = fg.gdBuffers;
    if (!buffers) return expect.unreachable('a portable objective has arena buffers where WebAssembly runs');
    expect(buffers.x.buffer).toBe(buffers.g.buffer);
    expect(buffers.x.length).toBe(x0.length);
    // the objective on arena arrays equals the objective on plain arrays (products in place vs copied)
    buffers.x.set(x0);
    const plainG = new Float64Array(x0.length);
    const fArena = fg(buffers.x, buffers.g);
    const fPlain = fg(Float64Array.from(x0), plainG);
    expect(rel(fArena, fPlain)).toBeLessThan(1e-14);
    let worst = 0;
    for (let i = 0; i < x0.length; i++) worst = Math.max(worst, Math.abs(buffers.g[i] - plainG[i]));
    expect(worst).toBeLessThan(1e-14 * Math.sqrt(dot(plainG, plainG)));
    const o = { method: 'gd' as const, lr: 0.1, maxSteps: 20, gradTol: 0 };
    const a = minimize(fg, x0, o);
    expect(a.x.buffer).not.toBe(buffers.x.buffer);
    const b = minimize(fg, x0, o); // the same buffers again, overwritten from x0
    expect(b.objective).toBe(a.objective);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    // a start of another length does not use them
    expect(gdWorkspace(new Float64Array(5), 0.1, buffers).x.buffer).not.toBe(buffers.x.buffer);
    expect(makeObjective(spec, { products: 'js', linalg: 'portable' }).gdBuffers).toBeUndefined();
  });
});
