import { probeMlp } from '../src/index.js';
const out = process.argv[2];
const r = await probeMlp({ dataset: 'mnist', perClass: 200, depth: 5, width: 256, epochs: Number(process.argv[3] ?? 300), lr: 0.05, initScale: 0.5, loss: 'mse', seed: 0, probeEvery: 10, outDir: out, resume: true,
  onProgress: (p) => console.error(`${p.phase} epoch ${p.epoch} loss ${p.train_loss.toFixed(4)} acc ${p.train_acc.toFixed(3)} t=${p.elapsed_s.toFixed(1)}`) });
console.log(JSON.stringify(r.summary, null, 1));
console.log('sps', r.samples_per_second.toFixed(0), 'secs', r.seconds.toFixed(1));
