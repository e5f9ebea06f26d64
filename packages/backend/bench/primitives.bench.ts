/**
 * GFLOP/s of the backend's primitives beside NumPy's, at n = 64, 128, 256, 512, 1024, 2048, 4096
 * (tools/bench/peers/backend_primitives.py does the same calls in NumPy on the same inputs):
 *
 * | op | ours | NumPy | flops counted |
 * | gemm f64 | `gemm(a, a, { out })` | `np.matmul(a, a, out=c)` | 2n³ |
 * | sgemm f32 | `sgemm(a, a, { out })` | `np.matmul(a, a, out=c)` (float32) | 2n³ |
 * | syrk f64 | `syrk(a, { trans: true })` (AᵀA) | `a.T @ a` (NumPy calls dsyrk for it) | n³ |
 * | cholesky f64 | `cholesky(spd)` | `np.linalg.cholesky(spd)` | n³/3 |
 * | eigh f64 | `eigh(sym)` (values and vectors) | `np.linalg.eigh(sym)` | 9n³ (Golub & Van Loan's count for symmetric QR with vectors; nominal, the same on both sides) |
 *
 * Path: native (OpenBLAS) by default; `NCLAB_PRIM_PATHS=native,portable` adds the portable kernels,
 * `NCLAB_PRIM_SIZES=64,256` and `NCLAB_PRIM_OPS=gemm,eigh` select. Sizes ≥ 2048 run 3 timed runs and
 * no warm-up on our side (NumPy's peer then skips its warm-up too): each run is seconds.
 */
import { defineBench } from '@nclab/bench';
import { cholesky, eigh, gemm, sgemm, syrk, type Matrix } from '../src/index.js';
import { gaussianInput, rel, spdInput, symmetricInput } from './inputs.js';
import { useRoute, type Route } from './routes.js';

type Op = 'gemm' | 'sgemm' | 'syrk' | 'cholesky' | 'eigh';

const list = (v: string | undefined, fallback: string[]): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : fallback);
const SIZES = list(process.env.NCLAB_PRIM_SIZES, ['64', '128', '256', '512', '1024', '2048', '4096']).map(Number);
const OPS = list(process.env.NCLAB_PRIM_OPS, ['gemm', 'sgemm', 'syrk', 'cholesky', 'eigh']) as Op[];
const PATHS = list(process.env.NCLAB_PRIM_PATHS, ['native']) as Route[];

const FLOPS: Record<Op, (n: number) => number> = {
  gemm: (n) => 2 * n ** 3,
  sgemm: (n) => 2 * n ** 3,
  syrk: (n) => n ** 3,
  cholesky: (n) => n ** 3 / 3,
  eigh: (n) => 9 * n ** 3,
};

/** One number both sides report: Σ C (products), trace (syrk), L[n−1, n−1] (Cholesky), Σ λ (eigh). */
function summary(op: Op, out: unknown): number {
  if (op === 'eigh') return (out as { values: Float64Array }).values.reduce((a, b) => a + b, 0);
  const m = out as { rows: number; data: Float64Array | Float32Array };
  const n = m.rows;
  if (op === 'cholesky') return m.data[n * n - 1];
  if (op === 'syrk') {
    let t = 0;
    for (let i = 0; i < n; i++) t += m.data[i * n + i];
    return t;
  }
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i];
  return s;
}

function entry(op: Op, n: number, route: Route) {
  const big = n >= 2048;
  return defineBench({
    name: `backend:${op}:n=${n}:${route}`,
    peer: { script: 'backend_primitives.py', args: ['--op', op, ...(big ? ['--no-warmup'] : [])] },
    flops: FLOPS[op](n),
    repeats: big ? 3 : n >= 512 ? 5 : 11,
    warmup: big ? 0 : 2,
    setup: async () => {
      await useRoute(route);
      const input = op === 'cholesky' ? spdInput(n, 3) : op === 'eigh' ? symmetricInput(n, 4) : gaussianInput(n, 2);
      const a32 = op === 'sgemm' ? { rows: n, cols: n, data: Float32Array.from(input.a.data) } : null;
      return { a: input.a, a32, out64: op === 'gemm' ? new Float64Array(n * n) : null, out32: a32 ? new Float32Array(n * n) : null, peerArgs: ['--input', input.path] };
    },
    run: (ctx): unknown => {
      const a: Matrix = ctx.a;
      switch (op) {
        case 'gemm': return gemm(a, a, { out: ctx.out64 as Float64Array });
        case 'sgemm': return sgemm(ctx.a32!, ctx.a32!, { out: ctx.out32 as Float32Array });
        case 'syrk': return syrk(a, { trans: true });
        case 'cholesky': return cholesky(a);
        default: return eigh(a);
      }
    },
    teardown: () => { useRoute('native').catch(() => undefined); },
    compare: (ours, peer) => {
      const mine = summary(op, ours);
      const theirs = (peer as { summary: number }).summary;
      const r = rel(mine, theirs);
      // float32 sums of n² products: ~1e-4 relative; float64: far below 1e-8.
      const tol = op === 'sgemm' ? 1e-3 : 1e-8;
      return { ok: r < tol, detail: `${mine.toPrecision(10)} vs ${theirs.toPrecision(10)} (rel ${r.toExponential(1)})` };
    },
  });
}

export default PATHS.flatMap((route) => OPS.flatMap((op) => SIZES.map((n) => entry(op, n, route))));
