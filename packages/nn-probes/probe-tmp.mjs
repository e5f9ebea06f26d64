import { initEngine } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { createMlp, trainMlp, probeNetwork } from '@nclab/nn-probes';
await initEngine();
const ds = loadMnist({ split: 'train', perClass: 200, scale: 'unit', dtype: 'float32' });
const train = { x: ds.x.data, n: ds.x.rows, dim: ds.x.cols, labels: ds.labels, numClasses: ds.numClasses };
const params = createMlp({ inputDim: 784, width: 256, depth: 5, numClasses: 10, initScale: 0.5, seed: 0 });
const trained = (await trainMlp({ params, train, epochs: 3, lr: 0.05, seed: 0 })).params;
const reps = Number(process.argv[2] ?? 6);
for (let i = 0; i < reps; i++) {
  const r0 = process.resourceUsage(); const t = performance.now();
  await probeNetwork(trained, params, train.x, train.labels, { epoch: 3, trainLoss: null });
  const r1 = process.resourceUsage();
  console.log(i, (performance.now() - t).toFixed(0), 'ms', r1.minorPageFault - r0.minorPageFault, 'pf');
}
