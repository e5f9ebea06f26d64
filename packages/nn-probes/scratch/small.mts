import { probeMlp } from '../src/index.js';
const [perClass, depth, width, epochs, lr, init, every, bs] = process.argv.slice(2).map(Number);
const t0 = Date.now();
const r = await probeMlp({ dataset: 'mnist', perClass, depth, width, epochs, lr, initScale: init, loss: 'mse', seed: 0, probeEvery: every, batchSize: bs || 128,
  onProgress: (p) => { if (p.phase === 'probe') console.error(`epoch ${p.epoch} loss ${p.train_loss.toFixed(4)} acc ${p.train_acc.toFixed(3)} t=${p.elapsed_s.toFixed(1)}`); } });
for (const c of r.checkpoints) console.log([c.epoch, c.layer, c.nc1_input, c.nc1_right, c.nc1_output, c.nfa_corr, c.nfa_corr_sqrt, c.nfa_corr_sqrt_delta, c.nfa_corr_sqrt_centred].map(v => v === null ? 'null' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v).join('\t'));
console.log(JSON.stringify(r.summary));
console.log('sps', r.samples_per_second.toFixed(0), 'secs', ((Date.now()-t0)/1000).toFixed(1), r.config.engine);
