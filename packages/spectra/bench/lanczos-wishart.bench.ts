/**
 * 100 Lanczos steps (full re-orthogonalisation) on a dense 1000×1000 Wishart matrix from the same
 * start vector, against the same algorithm in NumPy (tools/bench/peers/spectra_lanczos.py).
 * Measures the algorithm's overhead (products + re-orthogonalisation + tridiagonal eigensolver).
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng, type Matrix } from '@nclab/backend';
import { denseOperator, lanczos, type LanczosResult } from '../src/index.js';

const n = 1000;
const steps = 100;

function wishart(seed: number): Matrix {
  const m = 1500;
  const rng = createRng(seed);
  const a = rng.normalArray(m * n);
  const out = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < n; i++) {
      const x = a[r * n + i] / m;
      if (x === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) out[row + j] += x * a[r * n + j];
    }
  }
  return { rows: n, cols: n, data: out };
}

export default defineBench({
  name: `spectra:lanczos:wishart:n=${n},steps=${steps}`,
  peer: { script: 'spectra_lanczos.py' },
  repeats: 5,
  // a 10 ms run: V8's optimised code arrives after a few calls (the first take 20–95 ms)
  warmup: 10,
  setup: () => {
    const a = wishart(0);
    const v0 = Float64Array.from(createRng(1).normalArray(n));
    const matrix = writeNpyInput(`spectra-wishart-${n}`, { data: a.data, shape: [n, n] });
    const start = writeNpyInput(`spectra-wishart-${n}-v0`, { data: v0, shape: [n] });
    return { op: denseOperator(a), v0, peerArgs: ['--input', matrix, '--start', start, '--steps', String(steps), '--k', '10'] };
  },
  run: (ctx: { op: ReturnType<typeof denseOperator>; v0: Float64Array }) =>
    lanczos(ctx.op, { k: 10, maxIter: steps, tol: 0, startVector: ctx.v0, returnVectors: false }),
  compare: (ours, peer) => {
    const a = Array.from((ours as LanczosResult).values);
    const b = (peer as { top: number[] }).top;
    const rel = Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));
    return { ok: rel < 1e-8, detail: `top-10 Ritz values, max rel diff ${rel.toExponential(1)} (λ1 = ${a[0].toFixed(6)})` };
  },
});
