/**
 * The Laplace kernel map of a 512×20,000 Gram block (`radialFromGram`, WebAssembly SIMD), against NumPy's
 * in-place ufunc chain on the same block: e^{−√max(‖x‖² + ‖z‖² − 2g, 0) / L}.
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng, gemm, radialFromGram, type Matrix } from '../src/index.js';
import { rel } from './inputs.js';

const ROWS = 512;
const COLS = 20_000;
const D = 64;
const L = 2;

function points(n: number, seed: number): Matrix {
  return { rows: n, cols: D, data: Float64Array.from(createRng(seed).normalArray(n * D) as Float64Array, (v) => 0.2 * v) };
}

function sqNorms(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) for (let k = 0; k < D; k++) out[i] += x.data[i * D + k] ** 2;
  return out;
}

export default [
  defineBench({
    name: `backend:radial:laplace:${ROWS}x${COLS}`,
    peer: { script: 'backend_radial.py' },
    repeats: 9,
    warmup: 3,
    setup: () => {
      const x = points(ROWS, 5);
      const z = points(COLS, 6);
      const g = gemm(x, z, { transB: true }).data;
      const rowSq = sqNorms(x);
      const colSq = sqNorms(z);
      const exact = (r: number, j: number): number => {
        let s = 0;
        for (let k = 0; k < D; k++) s += (x.data[r * D + k] - z.data[j * D + k]) ** 2;
        return s;
      };
      const peerArgs = [
        '--gram', writeNpyInput('backend-radial-gram', { data: g, shape: [ROWS, COLS] }),
        '--row-sq', writeNpyInput('backend-radial-rowsq', { data: rowSq, shape: [ROWS] }),
        '--col-sq', writeNpyInput('backend-radial-colsq', { data: colSq, shape: [COLS] }),
        '--bandwidth', String(L),
      ];
      return { g, rowSq, colSq, exact, work: new Float64Array(ROWS * COLS), peerArgs };
    },
    run: ({ g, rowSq, colSq, exact, work }) => {
      work.set(g);
      radialFromGram(work, ROWS, COLS, rowSq, colSq, { map: 'laplace', bandwidth: L }, exact);
      let s = 0;
      for (let i = 0; i < work.length; i += 97) s += work[i];
      return s;
    },
    compare: (ours, peer) => {
      const p = (peer as { sample_sum: number }).sample_sum;
      return { ok: rel(ours as number, p) < 1e-12, detail: `sum of every 97th value ${(ours as number).toFixed(9)} vs ${p.toFixed(9)}` };
    },
  }),
];
