/**
 * Lanczos on the loss Hessian of a ~1M-parameter MLP (784 → 1200 → 10, softplus, mean softmax
 * cross-entropy) on 2,000 MNIST training images (200 per class, pixels in [0, 1]): each step is one
 * Hessian-vector product, by default the host R-operator (`mlpHessianOperator`: sgemm into
 * preallocated buffers); `NCLAB_SPECTRA_MLP_ROUTE=tfjs` times the tfjs double backward
 * (`hessianOperator`) instead. The NumPy peer (tools/bench/peers/spectra_mlp_hvp.py) and the PyTorch
 * peer (spectra_mlp_hvp_torch.py, `torch.autograd` double backward) run the same Lanczos from the
 * same start vector; the top Ritz values are compared.
 *
 * Steps default to 10 (`NCLAB_SPECTRA_MLP_STEPS=100` runs the full 100 steps; the tfjs route
 * takes seconds per product on the wasm engine). Time per product ≈ median / steps.
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng, getTf, initEngine } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { hessianOperator, lanczos, mlpHessianOperator, type LanczosResult, type LinearOperator } from '../src/index.js';
import { mlpModel, mlpParams } from './mlp-model.js';

const hidden = 1200;
const perClass = 200;
const steps = Number(process.env.NCLAB_SPECTRA_MLP_STEPS ?? 10);
const route = process.env.NCLAB_SPECTRA_MLP_ROUTE === 'tfjs' ? 'tfjs' : 'host';

export default defineBench({
  name: `spectra:mlp-hessian-lanczos:params=954010,N=${perClass * 10},steps=${steps},route=${route}`,
  peer: { script: 'spectra_mlp_hvp.py' },
  torchPeer: { script: 'spectra_mlp_hvp_torch.py' },
  repeats: 1,
  // the first run takes 1.4 s against 0.7 s once V8's code is optimised and the Krylov block's
  // storage is reused: time the steady state
  warmup: 2,
  setup: async () => {
    await initEngine();
    const tf = getTf();
    const ds = loadMnist({ split: 'train', perClass, dtype: 'float32' });
    const x = { rows: ds.x.rows, cols: ds.x.cols, data: Float32Array.from(ds.x.data) };
    const params = mlpParams(x.cols, hidden, 10, 0);
    let X: Tensor2D | undefined;
    const op =
      route === 'host'
        ? mlpHessianOperator({ x, sizes: [x.cols, hidden, 10], params, activation: 'softplus', loss: 'cross-entropy', targets: ds.labels })
        : hessianOperator({ model: mlpModel(() => (X ??= tf.keep(tf.tensor2d(x.data, [x.rows, x.cols])) as Tensor2D), x, hidden, 10, params), loss: 'cross-entropy', targets: ds.labels });
    const v0 = Float64Array.from(createRng(1).normalArray(op.size));
    const peerArgs = [
      '--x', writeNpyInput('spectra-mlp-x', { data: x.data, shape: [x.rows, x.cols] }),
      '--labels', writeNpyInput('spectra-mlp-labels', { data: Int32Array.from(ds.labels), shape: [x.rows] }),
      '--params', writeNpyInput('spectra-mlp-params', { data: params, shape: [params.length] }),
      '--start', writeNpyInput('spectra-mlp-v0', { data: v0, shape: [v0.length] }),
      '--hidden', String(hidden), '--steps', String(steps),
    ];
    return { op, v0, peerArgs };
  },
  run: (ctx: { op: LinearOperator; v0: Float64Array }) =>
    lanczos(ctx.op, { k: Math.min(steps, 5), maxIter: steps, tol: 0, startVector: ctx.v0, returnVectors: false }),
  compare: (ours, peer) => {
    const a = (ours as LanczosResult).values[0];
    const b = (peer as { top: number[] }).top[0];
    const rel = Math.abs(a - b) / Math.abs(b);
    return { ok: rel < 1e-3, detail: `top Ritz value ${a.toPrecision(6)} vs ${b.toPrecision(6)} (rel ${rel.toExponential(1)}); ${steps} products` };
  },
});
