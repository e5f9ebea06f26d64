/**
 * Training throughput of the paper's MLP (784-256×5-10, bias-free ReLU, SGD batch 128, MSE) for one
 * epoch over N = 2,000 MNIST samples, and the time of one full probe at N = 2,000 (activations and
 * the NC suite of 16 feature sets, SVDs of 6 weights, AGOP Jacobians of 5 sub-networks, AGOP square
 * roots, NFA correlations), each against a NumPy peer doing the same work on the same weights and data.
 * The training peers do what one `trainMlp({ epochs: 1 })` call does (loss and accuracy of the training
 * set before and after, one epoch of updates): `nnprobes_train.py` (hand-written NumPy forward/backward,
 * float32, the same update rule) and `nnprobes_train_torch.py` (PyTorch CPU: nn.Sequential, MSELoss,
 * optim.SGD; same arguments). Ours runs the default route (host: backend `sgemm`);
 * `NCLAB_NNPROBES_ROUTE=tfjs` times the tfjs engine instead.
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { initEngine } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { createMlp, probeNetwork, trainMlp, type TrainingSet, type MlpParams, type ProbeSnapshot, type TrainResult } from '../src/index.js';

const trainRoute = process.env.NCLAB_NNPROBES_ROUTE === 'tfjs' ? 'tfjs' : 'host';

interface Ctx {
  train: TrainingSet;
  params: MlpParams;
  trained: MlpParams;
  peerArgs: string[];
}

async function setup(trainFirst: boolean): Promise<Ctx> {
  await initEngine();
  const ds = loadMnist({ split: 'train', perClass: 200, scale: 'unit', dtype: 'float32' });
  const x = ds.x.data instanceof Float32Array ? ds.x.data : Float32Array.from(ds.x.data);
  const train: TrainingSet = { x, n: ds.x.rows, dim: ds.x.cols, labels: ds.labels, numClasses: ds.numClasses };
  const params = createMlp({ inputDim: 784, width: 256, depth: 5, numClasses: 10, initScale: 0.5, seed: 0 });
  const trained = trainFirst ? (await trainMlp({ params, train, epochs: 3, lr: 0.05, seed: 0 })).params : params;
  const args = ['--x', writeNpyInput('nnprobes-x-2000', { data: x, shape: [train.n, 784] }),
    '--labels', writeNpyInput('nnprobes-y-2000', { data: train.labels, shape: [train.n] })];
  trained.layers.forEach((p, l) => args.push('--w', writeNpyInput(`nnprobes-w${l}-${trainFirst ? 'trained' : 'init'}`, { data: p.weight, shape: [p.outDim, p.inDim] })));
  params.layers.forEach((p, l) => args.push('--w0', writeNpyInput(`nnprobes-w0-${l}`, { data: p.weight, shape: [p.outDim, p.inDim] })));
  return { train, params, trained, peerArgs: args };
}

export default [
  defineBench({
    name: `nn-probes:train-epoch:n=2000,mlp=784-256x5-10,route=${trainRoute}`,
    peer: { script: 'nnprobes_train.py' },
    torchPeer: { script: 'nnprobes_train_torch.py' },
    repeats: 3,
    // the first 1-epoch calls take 80–190 ms, then 45–55 ms: V8's optimised code arrives after a few,
    // and the first calls write fresh pages (about 1,800 page faults a call at ~12 µs each) until the
    // allocator has freed memory to reuse: time the steady state of a many-epoch training run
    warmup: 8,
    setup: () => setup(false),
    run: (ctx) => trainMlp({ params: (ctx as Ctx).params, train: (ctx as Ctx).train, epochs: 1, lr: 0.05, batchSize: 128, seed: 0, route: trainRoute }),
    compare: (ours, peer) => {
      const r = ours as TrainResult;
      const p = peer as { loss_after: number; samples_per_second: number };
      const loss = r.history[1].trainLoss;
      return {
        ok: Math.abs(loss - p.loss_after) < 0.05,
        detail: `samples/s ours ${r.samplesPerSecond.toFixed(0)} (updates only) vs numpy ${p.samples_per_second.toFixed(0)}; loss after 1 epoch ${loss.toFixed(4)} vs ${p.loss_after.toFixed(4)}`,
      };
    },
  }),
  defineBench({
    name: 'nn-probes:probe:n=2000,mlp=784-256x5-10',
    peer: { script: 'nnprobes_probe.py' },
    repeats: 3,
    setup: () => setup(true),
    run: (ctx) => {
      const c = ctx as Ctx;
      return probeNetwork(c.trained, c.params, c.train.x, c.train.labels, { epoch: 3, trainLoss: null });
    },
    compare: (ours, peer) => {
      const s = ours as ProbeSnapshot;
      const p = peer as { nc1_right: number[]; nfa_corr_sqrt: number[]; nfa_corr_sqrt_delta: number[] };
      let worst = 0;
      s.rows.forEach((r, l) => {
        worst = Math.max(worst, Math.abs(r.nc1Right / p.nc1_right[l] - 1), Math.abs(r.nfaCorrSqrt! - p.nfa_corr_sqrt[l]), Math.abs(r.nfaCorrSqrtDelta! - p.nfa_corr_sqrt_delta[l]));
      });
      return { ok: worst < 1e-3, detail: `max diff (NC1 rel, NFA abs) over layers ${worst.toExponential(1)}` };
    },
  }),
];
