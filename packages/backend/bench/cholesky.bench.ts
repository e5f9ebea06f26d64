/**
 * Cholesky factorisation at n = 5000 on each float64 path, against NumPy `np.linalg.cholesky`.
 */
import { defineBench } from '@nclab/bench';
import { cholesky, type Matrix } from '../src/index.js';
import { rel, spdInput } from './inputs.js';
import { useRoute, type Route } from './routes.js';

function halfLogDet(l: Matrix): number {
  let s = 0;
  for (let i = 0; i < l.rows; i++) s += Math.log(l.data[i * l.cols + i]);
  return s;
}

const routes: Array<[Route, number]> = [['native', 3], ['portable', 1]];

export default routes.map(([route, repeats]) =>
  defineBench({
    name: `backend:cholesky:n=5000:${route}`,
    peer: { script: 'backend_cholesky.py' },
    repeats,
    setup: async () => {
      await useRoute(route);
      const { a, path } = spdInput(5000, 3);
      return { a, peerArgs: ['--input', path] };
    },
    run: ({ a }) => cholesky(a),
    compare: (ours, peer) => {
      const o = halfLogDet(ours as Matrix);
      const p = (peer as { half_logdet: number }).half_logdet;
      return { ok: rel(o, p) < 1e-10, detail: `½·log det ${o.toFixed(6)} vs ${p.toFixed(6)}` };
    },
  }),
);
