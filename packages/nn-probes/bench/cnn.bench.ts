/**
 * One training epoch of the `probe cnn` default network (MNIST 28×28, conv 16 → pool → conv 32 → pool →
 * FC 64 → 10, bias-free, 3×3 'same', SGD lr 0.05 batch 64, MSE) over N = 1,000 MNIST samples, against
 * PyTorch (tools/bench/peers/nnprobes_cnn_epoch_torch.py) on the same initial weights, data and sample order.
 * The harness runs it as the PyTorch peer (Debian's python3-torch under /usr/bin/python3).
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { initEngine } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { createCnn, epochPermutation, trainCnn, type CnnParams, type ImageSet } from '../src/index.js';

interface Ctx {
  train: ImageSet;
  params: CnnParams;
}

type Trained = Awaited<ReturnType<typeof trainCnn>>;

export default [
  defineBench({
    name: 'nn-probes:cnn-train-epoch:n=1000,cnn=c16-c32-fc64',
    torchPeer: { script: 'nnprobes_cnn_epoch_torch.py' },
    repeats: 3,
    setup: async () => {
      await initEngine();
      const ds = loadMnist({ split: 'train', perClass: 100, scale: 'unit', dtype: 'float32' });
      const train: ImageSet = { x: Float32Array.from(ds.x.data), n: ds.x.rows, shape: [28, 28, 1], labels: ds.labels, numClasses: 10 };
      const params = createCnn({ inputShape: [28, 28, 1], blocks: [{ channels: 16, kernel: 3, pool: 2 }, { channels: 32, kernel: 3, pool: 2 }], hidden: [64], numClasses: 10, seed: 0 });
      const args = ['--x', writeNpyInput('cnn-x-1000', { data: train.x, shape: [train.n, 28, 28, 1] }),
        '--labels', writeNpyInput('cnn-y-1000', { data: train.labels, shape: [train.n] }),
        '--perm', writeNpyInput('cnn-perm-1000', { data: epochPermutation(0, 1, train.n), shape: [train.n] })];
      params.conv.forEach((l, i) => args.push('--conv', writeNpyInput(`cnn-conv${i}`, { data: l.weight, shape: [l.outDim, l.inDim] })));
      params.fc.forEach((l, i) => args.push('--fc', writeNpyInput(`cnn-fc${i}`, { data: l.weight, shape: [l.outDim, l.inDim] })));
      return { train, params, peerArgs: args } as Ctx & { peerArgs: string[] };
    },
    run: (ctx) => trainCnn({ params: (ctx as Ctx).params, train: (ctx as Ctx).train, epochs: 1, lr: 0.05, batchSize: 64, seed: 0 }),
    compare: (ours, peer) => {
      const r = ours as Trained;
      const p = peer as { loss_after: number; samples_per_second: number };
      const loss = r.history[1].trainLoss;
      return {
        ok: Math.abs(loss - p.loss_after) < 1e-3 * Math.max(1, p.loss_after),
        detail: `samples/s ours ${r.samplesPerSecond.toFixed(0)} (updates only) vs torch ${p.samples_per_second.toFixed(0)}; loss after 1 epoch ${loss.toFixed(5)} vs ${p.loss_after.toFixed(5)}`,
      };
    },
  }),
];
