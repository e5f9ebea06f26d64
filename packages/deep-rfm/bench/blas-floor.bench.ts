/**
 * The float64 BLAS floor of one Deep RFM layer and its final regression (the process bench's command, see
 * packages/nclab/bench/deep-rfm-process.bench.ts): only the dense calls both sides must make, timed back to
 * back on random inputs of the layer's shapes (N points, d = 784, width 1,024), against the NumPy peer
 * `tools/bench/peers/deeprfm_blas_floor.py` making the same calls in NumPy's best routes:
 *
 * | step | ours | NumPy | flops |
 * | kernel Gram | `syrk(X, { lowerOnly })` | `X @ X.T` (dsyrk) | N²·d |
 * | layer solve | `choleskyInPlace` of a fresh copy of A | `dpotrf` of a copy, Fortran-ordered view | N³/3 |
 * | AGOP G Gᵀ | `syrk(A, { trans, lowerOnly })` | `A @ A.T` (dsyrk) | N³ |
 * | AGOP S·X | `gemm(A, X)` | `A @ X` | 2·N²·d |
 * | features | `gemm(X, R)`, `gemm(X, W, { transB })` | `X @ R`, `X @ W.T` | 2·N·d² + 2·N·d·1,024 |
 * | final Gram | `syrk(F, { lowerOnly })` | `F @ F.T` | N²·1,024 |
 * | final solve | `choleskyInPlace` of a fresh copy of A | `dpotrf` as above | N³/3 |
 *
 * A (N×N, symmetric positive definite: X Xᵀ + N·I) stands for both the kernel and the AGOP's symmetric G.
 * No element-wise pass, no exp, no eigendecomposition, no process start: a lower bound on the time of an
 * exact float64 layer (the Gram form of the AGOP, the cheaper exact form below N ≈ 2·K·d), to set beside
 * half of NumPy's whole process (issue 17's ≤ 0.5× target).
 * `DEEPRFM_FLOOR_N` sets N (default 5,000). The check: the Cholesky factor's last entry and the Grams' traces.
 */
import { defineBench, rel, writeNpyInput } from '@nclab/bench';
import { allocFloat64, choleskyInPlace, createRng, gemm, syrk, type Matrix } from '@nclab/backend/host';

const N = Number(process.env.DEEPRFM_FLOOR_N ?? 5000);
const D = 784;
const WIDTH = 1024;

interface Ctx {
  x: Matrix;
  f: Matrix;
  w: Matrix;
  r: Matrix;
  a: Matrix;
  b: Matrix;
  peerArgs: string[];
}

interface Checks {
  kernelTrace: number;
  agopTrace: number;
  finalTrace: number;
  lastFactor: number;
}

function trace(m: Matrix): number {
  let t = 0;
  for (let i = 0; i < m.rows; i++) t += m.data[i * m.cols + i];
  return t;
}

export default defineBench<Ctx>({
  name: `deep-rfm:blas-floor:n=${N},d=${D},width=${WIDTH}`,
  peer: { script: 'deeprfm_blas_floor.py' },
  repeats: 3,
  warmup: 1,
  setup: () => {
    const rng = createRng(0);
    const mat = (rows: number, cols: number, s: number): Matrix => {
      const data = rng.normalArray(rows * cols) as Float64Array;
      for (let i = 0; i < data.length; i++) data[i] *= s;
      return { rows, cols, data };
    };
    const x = mat(N, D, 1 / Math.sqrt(D));
    const f = mat(N, WIDTH, 1 / Math.sqrt(WIDTH));
    const w = mat(WIDTH, D, 1);
    const r = mat(D, D, 1 / Math.sqrt(D));
    const a = syrk(x);
    for (let i = 0; i < N; i++) a.data[i * N + i] += N;
    const b: Matrix = { rows: N, cols: N, data: allocFloat64(N * N) };
    const path = (name: string, m: Matrix) => writeNpyInput(`floor-${name}-${m.rows}x${m.cols}`, { data: m.data as Float64Array, shape: [m.rows, m.cols] });
    return { x, f, w, r, a, b, peerArgs: ['--x', path('x', x), '--f', path('f', f), '--w', path('w', w), '--r', path('r', r)] };
  },
  run: (ctx): Checks => {
    const kernel = syrk(ctx.x, { lowerOnly: true });
    ctx.b.data.set(ctx.a.data);
    choleskyInPlace(ctx.b);
    const agop = syrk(ctx.a, { trans: true, lowerOnly: true });
    gemm(ctx.a, ctx.x);
    gemm(ctx.x, ctx.r);
    gemm(ctx.x, ctx.w, { transB: true });
    const fin = syrk(ctx.f, { lowerOnly: true });
    ctx.b.data.set(ctx.a.data);
    choleskyInPlace(ctx.b);
    return { kernelTrace: trace(kernel), agopTrace: trace(agop), finalTrace: trace(fin), lastFactor: ctx.b.data[N * N - 1] };
  },
  compare: (ours, peer) => {
    const o = ours as Checks;
    const p = peer as { kernel_trace: number; agop_trace: number; final_trace: number; last_factor: number };
    const worst = Math.max(rel(o.kernelTrace, p.kernel_trace), rel(o.agopTrace, p.agop_trace), rel(o.finalTrace, p.final_trace), rel(o.lastFactor, p.last_factor));
    return { ok: worst < 1e-10, detail: `traces and the factor's last entry agree to ${worst.toExponential(1)}` };
  },
});
