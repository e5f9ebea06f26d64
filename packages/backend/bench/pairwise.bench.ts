/**
 * Pairwise squared distances, N = 20,000 × d = 784 float32 (output 1.6 GB), on the native sgemm route and on the
 * tfjs wasm engine with the worker pool, against NumPy (float32 ‖x‖² + ‖y‖² − 2 X Xᵀ, clamped).
 */
import { defineBench } from '@nclab/bench';
import { pairwiseSqDistances, type Matrix32 } from '../src/index.js';
import { featuresInput, rel } from './inputs.js';
import { useRoute, type Route } from './routes.js';

const N = 20_000;
const D = 784;
const routes: Array<[Route, number]> = [['native', 3], ['wasm', 1]];

export default routes.map(([route, repeats]) =>
  defineBench({
    name: `backend:pairwise-sq-distances:n=20000:d=784:${route}`,
    peer: { script: 'backend_pairwise.py' },
    repeats,
    setup: async () => {
      await useRoute(route);
      const { x, path } = featuresInput(N, D, 4);
      return { x, peerArgs: ['--input', path] };
    },
    run: ({ x }) => pairwiseSqDistances(x),
    compare: (ours, peer) => {
      const d = ours as Matrix32;
      let sum = 0;
      for (let i = 0; i < d.data.length; i++) sum += d.data[i];
      const p = peer as { sum: number; d01: number };
      const r = Math.max(rel(sum, p.sum), rel(d.data[1], p.d01));
      return { ok: r < 1e-4, detail: `mean ${(sum / (N * N)).toFixed(4)}, D[0,1] ${d.data[1].toFixed(3)} vs ${p.d01.toFixed(3)}` };
    },
  }),
);
