/**
 * The two loaders of the native path on the same OpenBLAS: square `sgemm` and `dgemm` (C = A·A into a
 * preallocated C, 2n³ flops) at n = 64, 128, 256, 512, 1024, 2048 through the FFI loader (koffi) and
 * through the compiled C addon, each beside NumPy's `np.matmul(a, a, out=c)` (peer
 * tools/bench/peers/backend_primitives.py, the same input). Ours calls the native implementation of
 * each loader directly (`nativeLinalgWith`), so the rows differ only by how the routine is reached.
 *
 * The table gives GFLOP/s and ours/NumPy per row; the addon row's check column adds addon/FFI, the
 * ratio of the medians of the two rows' in-process times (warm-up runs left out; FFI call overhead
 * would show as a ratio below 1 at small n). `NCLAB_LOADER_SIZES=64,1024`, `NCLAB_LOADER_OPS=sgemm` and `NCLAB_LOADER_LOADERS=ffi` select.
 * Sizes ≥ 2048 run 3 timed runs and no warm-up (NumPy's peer then skips its warm-up too).
 */
import { defineBench } from '@nclab/bench';
import type { Matrix, Matrix32 } from '../src/index.js';
import { nativeLinalgWith } from '../src/linalg/native/load.js';
import type { NativeLoader } from '../src/linalg/native/select.js';
import { gaussianInput, rel } from './inputs.js';

type Op = 'sgemm' | 'gemm';

const list = (v: string | undefined, fallback: string[]): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : fallback);
const SIZES = list(process.env.NCLAB_LOADER_SIZES, ['64', '128', '256', '512', '1024', '2048']).map(Number);
const OPS = list(process.env.NCLAB_LOADER_OPS, ['sgemm', 'gemm']) as Op[];
const LOADERS = list(process.env.NCLAB_LOADER_LOADERS, ['ffi', 'addon']) as NativeLoader[];

/** In-process times (ms) of every run (warm-up first), by bench name, for the addon/FFI ratio. */
const times = new Map<string, number[]>();
const median = (v: number[]): number => {
  const s = [...v].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sum = (d: Float32Array | Float64Array): number => {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s;
};

function entry(op: Op, n: number, loader: NativeLoader) {
  const big = n >= 2048;
  const name = `backend:loader:${op}:n=${n}:${loader}`;
  const ffiName = `backend:loader:${op}:n=${n}:ffi`;
  const warmup = big ? 0 : 2;
  return defineBench({
    name,
    peer: { script: 'backend_primitives.py', args: ['--op', op, ...(big ? ['--no-warmup'] : [])] },
    flops: 2 * n ** 3,
    repeats: big ? 3 : n >= 512 ? 5 : 11,
    warmup,
    setup: () => {
      const impl = nativeLinalgWith(loader); // throws (typed) when this loader cannot load here
      const input = gaussianInput(n, 2);
      const a32: Matrix32 = { rows: n, cols: n, data: Float32Array.from(input.a.data) };
      times.set(name, []);
      return { impl, a: input.a, a32, out64: new Float64Array(n * n), out32: new Float32Array(n * n), peerArgs: ['--input', input.path] };
    },
    run: (ctx): Matrix | Matrix32 => {
      const t0 = performance.now();
      const c = op === 'sgemm' ? ctx.impl.sgemm(ctx.a32, ctx.a32, { out: ctx.out32 }) : ctx.impl.gemm(ctx.a, ctx.a, { out: ctx.out64 });
      times.get(name)?.push(performance.now() - t0);
      return c;
    },
    compare: (ours, peer) => {
      const mine = sum((ours as Matrix | Matrix32).data);
      const theirs = (peer as { summary: number }).summary;
      const r = rel(mine, theirs);
      const ffi = times.get(ffiName)?.slice(warmup);
      const own = times.get(name)?.slice(warmup);
      const vs = loader === 'addon' && ffi?.length && own?.length ? `; addon/ffi ${(median(own) / median(ffi)).toFixed(2)}×` : '';
      return { ok: r < (op === 'sgemm' ? 1e-3 : 1e-8), detail: `ΣC ${mine.toPrecision(8)} vs ${theirs.toPrecision(8)} (rel ${r.toExponential(1)})${vs}` };
    },
  });
}

export default OPS.flatMap((op) => SIZES.flatMap((n) => LOADERS.map((loader) => entry(op, n, loader))));
