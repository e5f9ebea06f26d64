/**
 * 1024×1024 float64 matrix product A·A on each float64 path, against NumPy `a @ a` (float64); and
 * the same product into one reused output (`gemm(a, a, { out })` against `np.matmul(a, a, out=c)`),
 * which leaves out the allocation of C: a fresh 8 MB array costs 2–5 ms of page faults here, which
 * NumPy's `a @ a` avoids because glibc hands it back the freed block of the previous iteration.
 */
import { defineBench } from '@nclab/bench';
import { gemm, type Matrix } from '../src/index.js';
import { gaussianInput, rel } from './inputs.js';
import { useRoute, type Route } from './routes.js';

const routes: Array<[Route, number]> = [['native', 5], ['portable', 3]];

/** C against the peer's C[0, 0] and sum. */
function compare(ours: unknown, peer: unknown): { ok: boolean; detail: string } {
  const c = ours as Matrix;
  let sum = 0;
  for (const v of c.data) sum += v;
  const p = peer as { sum: number; c00: number };
  const r = Math.max(rel(c.data[0], p.c00), Math.abs(sum - p.sum) / (1024 * 32));
  return { ok: r < 1e-9, detail: `C[0,0] ${c.data[0].toFixed(6)} vs ${p.c00.toFixed(6)}` };
}

const allocating = routes.map(([route, repeats]) =>
  defineBench({
    name: `backend:matmul-f64:n=1024:${route}`,
    peer: { script: 'backend_matmul.py', args: ['--dtype', 'float64'] },
    repeats,
    setup: async () => {
      await useRoute(route);
      const { a, path } = gaussianInput(1024, 1);
      return { a, peerArgs: ['--input', path] };
    },
    run: ({ a }) => gemm(a, a),
    compare,
  }),
);

const intoOut = routes.map(([route, repeats]) =>
  defineBench({
    name: `backend:matmul-f64-out:n=1024:${route}`,
    peer: { script: 'backend_matmul.py', args: ['--dtype', 'float64', '--out'] },
    repeats,
    setup: async () => {
      await useRoute(route);
      const { a, path } = gaussianInput(1024, 1);
      return { a, out: new Float64Array(1024 * 1024), peerArgs: ['--input', path] };
    },
    run: ({ a, out }) => gemm(a, a, { out }),
    compare,
  }),
);

export default [...allocating, ...intoOut];
