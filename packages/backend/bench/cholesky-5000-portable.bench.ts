/**
 * Cholesky factorisation at n = 5000 on the `portable` path, against NumPy `np.linalg.cholesky`.
 */
import { defineBench } from '@nclab/bench';
import { cholesky, setLinalgPath, type Matrix } from '../src/index.js';
import { rel, spdInput } from './inputs.js';

function halfLogDet(l: Matrix): number {
  let s = 0;
  for (let i = 0; i < l.rows; i++) s += Math.log(l.data[i * l.cols + i]);
  return s;
}

export default defineBench({
  name: 'backend:cholesky:n=5000:portable',
  peer: { script: 'backend_cholesky.py' },
  repeats: 1,
  setup: () => {
    setLinalgPath('portable');
    const { a, path } = spdInput(5000, 3);
    return { a, peerArgs: ['--input', path] };
  },
  run: ({ a }) => cholesky(a),
  compare: (ours, peer) => {
    const ours2 = halfLogDet(ours as Matrix);
    const p = (peer as { half_logdet: number }).half_logdet;
    return { ok: rel(ours2, p) < 1e-10, detail: `½·log det ${ours2.toFixed(6)} vs ${p.toFixed(6)}` };
  },
});
