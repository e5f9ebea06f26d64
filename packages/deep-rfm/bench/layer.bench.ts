/**
 * One Deep RFM layer on MNIST, N = 5,000 (500 per class), d = 784, width 1024, Laplace kernel L = 2,
 * ridge 1e-3: kernel, solve, AGOP over 10 outputs, exact eigh square root, ReLU features; against the
 * NumPy peer `tools/bench/peers/deeprfm_layer.py` doing the same work on the same input and weights.
 * Per-phase seconds of our last run go to stderr. `DEEPRFM_BENCH_PER_CLASS` sets the size (500 → N = 5,000);
 * `DEEPRFM_BENCH_PRECISION=mixed` runs the memory-bounded route (kernel stored once in float32, factored in
 * place, float64 refinement; blocked AGOP with float32 products), `float64` (default) the exact one.
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng, gemm, psdSqrt, getLinalgInfo, type Matrix } from '@nclab/backend/host';
import { kernelAgop, kernelAgopBlocked, kernelMatrix, oneHot, resolveKernel, solveKernelMixed, solveKernelSystem, accuracy } from '@nclab/agop';
import { loadMnist } from '@nclab/datasets';
import { applyFeatureMap, normalizeRows } from '../src/index.js';

const PER_CLASS = Number(process.env.DEEPRFM_BENCH_PER_CLASS ?? 500);
const WIDTH = 1024;
const PRECISION = process.env.DEEPRFM_BENCH_PRECISION === 'mixed' ? 'mixed' : 'float64';
const kernel = { kind: 'laplace' as const, bandwidth: 2 };

interface Ctx {
  x: Matrix;
  labels: Int32Array;
  w: Matrix;
  peerArgs: string[];
}

export default defineBench<Ctx>({
  name: `deep-rfm:layer:n=${10 * PER_CLASS},d=784,width=${WIDTH}${PRECISION === 'mixed' ? ',mixed' : ''}`,
  peer: { script: 'deeprfm_layer.py' },
  repeats: 3,
  setup: () => {
    const ds = loadMnist({ perClass: PER_CLASS, dtype: 'float64' });
    const x = ds.x as Matrix;
    const w: Matrix = { rows: WIDTH, cols: 784, data: createRng(0).normalArray(WIDTH * 784) as Float64Array };
    const xi = writeNpyInput(`deeprfm-x-${x.rows}`, { data: x.data, shape: [x.rows, x.cols] });
    const li = writeNpyInput(`deeprfm-labels-${x.rows}`, { data: Float64Array.from(ds.labels), shape: [x.rows] });
    const wi = writeNpyInput(`deeprfm-w-${WIDTH}`, { data: w.data, shape: [WIDTH, 784] });
    process.stderr.write(`linalg: ${JSON.stringify(getLinalgInfo())}\n`);
    return { x, labels: ds.labels, w, peerArgs: ['--x', xi, '--labels', li, '--w', wi] };
  },
  run: (ctx) => {
    const t: Record<string, number> = {};
    let t0 = performance.now();
    const lap = (name: string) => {
      const t1 = performance.now();
      t[name] = (t1 - t0) / 1000;
      t0 = t1;
    };
    const xn = normalizeRows(ctx.x, 'unit');
    const y = oneHot(ctx.labels, 10);
    let agop: Matrix;
    let precision: string;
    let alpha: Matrix;
    if (PRECISION === 'mixed') {
      // kernel build, float32 factor and float64 refinement together: timed as solve
      t.kernel = 0;
      ({ alpha } = solveKernelMixed(xn, resolveKernel(kernel), y, 1e-3));
      lap('solve');
      ({ agop, precision } = kernelAgopBlocked({ kernel: resolveKernel(kernel), centers: xn, alpha, ridge: 1e-3, ridgeUsed: 1e-3 }, { normalize: 'max', precision: 'mixed' }));
      lap('agop');
    } else {
      const k = kernelMatrix(xn, undefined, { kernel });
      lap('kernel');
      ({ alpha } = solveKernelSystem(k, y, 1e-3));
      lap('solve');
      const res = kernelAgop({ kernel: { ...kernel, exponent: 1 }, centers: xn, alpha, ridge: 1e-3, ridgeUsed: 1e-3 }, { normalize: 'max', kernelMatrix: k });
      agop = res.agop as Matrix;
      precision = res.precision;
      lap('agop');
    }
    const root = psdSqrt(agop as Matrix);
    lap('sqrt');
    const feats = applyFeatureMap({ kind: 'relu', w: ctx.w, scale: 1 }, gemm(xn, root));
    lap('features');
    const train = { rows: y.rows, cols: 10, data: y.data.map((v, i) => v - 1e-3 * alpha.data[i]) };
    process.stderr.write(`deep-rfm layer phases (s): ${JSON.stringify(t)}\n`);
    let fsum = 0;
    for (let i = 0; i < feats.data.length; i++) fsum += feats.data[i];
    let msum = 0;
    for (let i = 0; i < (agop as Matrix).data.length; i++) msum += (agop as Matrix).data[i];
    return { agopSum: msum, featureSum: fsum, trainAcc: accuracy(train, ctx.labels), phases: t, precision };
  },
  compare: (ours, peer) => {
    const o = ours as { agopSum: number; featureSum: number; precision: string };
    const p = peer as { agop_sum: number; feature_sum: number; phases: Record<string, number> };
    const ra = Math.abs(o.agopSum - p.agop_sum) / Math.abs(p.agop_sum);
    const rf = Math.abs(o.featureSum - p.feature_sum) / Math.abs(p.feature_sum);
    // mixed precision: the AGOP's large product in float32, so agreement to ~1e-5 rather than ~1e-13
    const tol = o.precision === 'mixed' ? 1e-4 : 1e-6;
    return { ok: ra < tol && rf < tol, detail: `${o.precision} AGOP; AGOP sum rel diff ${ra.toExponential(1)}, feature sum rel diff ${rf.toExponential(1)}; numpy phases ${JSON.stringify(p.phases)}` };
  },
});
