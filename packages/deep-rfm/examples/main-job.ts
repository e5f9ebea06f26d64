/**
 * The project's main job through the library API (the CLI `nclab deep-rfm` does the same and writes
 * plots): Deep RFM on 100 MNIST digits per class, 8 layers, Laplace kernel L = 2, ridge 1e-3,
 * 1024 random ReLU features, seed 0. Prints the per-layer table; writes result.json when given a path.
 *
 *   npx tsx --conditions=@nclab/source examples/main-job.ts [OUT.json]
 */
import { writeFileSync } from 'node:fs';
import { runDeepRfm } from '../src/index.js';

const out = process.argv[2];
const result = await runDeepRfm({
  dataset: 'mnist',
  perClass: Number(process.env.PER_CLASS ?? 100),
  depth: Number(process.env.DEPTH ?? 8),
  kernel: 'laplace',
  bandwidth: 2,
  ridge: 1e-3,
  width: Number(process.env.WIDTH ?? 1024),
  featureMap: 'relu',
  seed: 0,
  sqrt: (process.env.SQRT as 'eigh' | 'cholesky' | undefined) ?? 'eigh',
  onProgress: (e) => {
    if (e.type === 'resume') process.stderr.write(`resumed after layer ${e.layer}\n`);
    else process.stderr.write(`layer ${e.layer}/${e.depth} done at ${e.elapsedSeconds.toFixed(1)} s: nc1_in ${e.row!.nc1_in.toExponential(3)}\n`);
  },
});
const f = (v: number | null) => (v === null ? '   -    ' : v.toExponential(2));
console.log('layer  nc1_in    nc1_agop  nc1_out   nc2_in    nc2_agop  nc2_out   train  test   gram_dev');
for (const r of result.layers) {
  console.log(`${String(r.layer).padStart(5)}  ${f(r.nc1_in)}  ${f(r.nc1_agop)}  ${f(r.nc1_out)}  ${f(r.nc2_in)}  ${f(r.nc2_agop)}  ${f(r.nc2_out)}  ${r.train_acc.toFixed(3)}  ${r.test_acc?.toFixed(3)}  ${r.gram_etf_dev_out.toFixed(3)}`);
}
console.log('final', JSON.stringify(result.final));
console.log('timings', JSON.stringify(result.timings), JSON.stringify(result.engine));
if (out) writeFileSync(out, JSON.stringify(result));
