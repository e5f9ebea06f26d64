/**
 * 1024×1024 float32 product through `matmul` on the native route (BLAS sgemm), against NumPy float32 `a @ a`.
 */
import { defineBench } from '@nclab/bench';
import { matmul, setLinalgPath, toFloat32, type Matrix32 } from '../src/index.js';
import { gaussianInput, rel } from './inputs.js';

export default defineBench({
  name: 'backend:matmul-f32:n=1024:native',
  peer: { script: 'backend_matmul.py', args: ['--dtype', 'float32'] },
  repeats: 5,
  setup: () => {
    setLinalgPath('native');
    const { a, path } = gaussianInput(1024, 1);
    return { a: toFloat32(a), peerArgs: ['--input', path] };
  },
  run: ({ a }) => matmul(a, a),
  compare: (ours, peer) => {
    const c = ours as Matrix32;
    const p = peer as { c00: number };
    return { ok: rel(c.data[0], p.c00) < 1e-4, detail: `C[0,0] ${c.data[0].toFixed(4)} vs ${p.c00.toFixed(4)}` };
  },
});
