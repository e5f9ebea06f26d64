/**
 * Symmetric eigendecomposition at d = 1024 on the `portable` path, against NumPy `np.linalg.eigh`.
 */
import { defineBench } from '@nclab/bench';
import { eigh, setLinalgPath, type EighResult } from '../src/index.js';
import { rel, symmetricInput } from './inputs.js';

export default defineBench({
  name: 'backend:eigh:d=1024:portable',
  peer: { script: 'backend_eigh.py' },
  repeats: 3,
  setup: () => {
    setLinalgPath('portable');
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
});
