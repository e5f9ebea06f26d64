/**
 * 1024×1024 float32 product through `matmul` on each route (native sgemm; tfjs `wasm` and `cpu` engines with
 * the float64 path forced to portable), against NumPy float32 `a @ a`.
 */
import { defineBench } from '@nclab/bench';
import { matmul, toFloat32, type Matrix32 } from '../src/index.js';
import { gaussianInput, rel } from './inputs.js';
import { useRoute, type Route } from './routes.js';

const routes: Array<[Route, number]> = [['native', 5], ['wasm', 5], ['cpu', 1]];

export default routes.map(([route, repeats]) =>
  defineBench({
    name: `backend:matmul-f32:n=1024:${route}`,
    peer: { script: 'backend_matmul.py', args: ['--dtype', 'float32'] },
    repeats,
    setup: async () => {
      await useRoute(route);
      const { a, path } = gaussianInput(1024, 1);
      return { a: toFloat32(a), peerArgs: ['--input', path] };
    },
    run: ({ a }) => matmul(a, a),
    compare: (ours, peer) => {
      const c = ours as Matrix32;
      const p = peer as { c00: number };
      return { ok: rel(c.data[0], p.c00) < 1e-4, detail: `C[0,0] ${c.data[0].toFixed(4)} vs ${p.c00.toFixed(4)}` };
    },
  }),
);
