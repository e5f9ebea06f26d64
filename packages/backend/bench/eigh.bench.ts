/**
 * Symmetric eigendecomposition at d = 1024 on each float64 path, against NumPy `np.linalg.eigh`.
 */
import { defineBench } from '@nclab/bench';
import { eigh, type EighResult } from '../src/index.js';
import { rel, symmetricInput } from './inputs.js';
import { useRoute, type Route } from './routes.js';

const routes: Route[] = ['native', 'portable'];

export default routes.map((route) =>
  defineBench({
    name: `backend:eigh:d=1024:${route}`,
    peer: { script: 'backend_eigh.py' },
    repeats: 3,
    setup: async () => {
      await useRoute(route);
      const { a, path } = symmetricInput(1024, 2);
      return { a, peerArgs: ['--input', path] };
    },
    run: ({ a }) => eigh(a),
    compare: (ours, peer) => {
      const v = (ours as EighResult).values;
      const p = peer as { min: number; max: number; sum_sq: number };
      let sq = 0;
      for (const x of v) sq += x * x;
      const r = Math.max(rel(v[0], p.min), rel(v[v.length - 1], p.max), rel(sq, p.sum_sq));
      return { ok: r < 1e-10, detail: `λ ∈ [${v[0].toFixed(4)}, ${v[v.length - 1].toFixed(4)}], Σλ² rel diff ${rel(sq, p.sum_sq).toExponential(1)}` };
    },
  }),
);
