/**
 * The project's main job through the library API, the same job code as `nclab deep-rfm` (which
 * also writes plots): Deep RFM on 100 MNIST digits per class, 8 layers, Laplace kernel L = 2,
 * ridge 1e-3, 1024 random ReLU features, seed 0. Prints the per-layer table; writes result.json
 * (the CLI's document) when given a directory.
 *
 *   npx tsx --conditions=@nclab/source examples/main-job.ts [OUT_DIR]
 */
import { runJob } from '../src/index.js';

const out = process.argv[2];
const run = await runJob('deep-rfm', {
  dataset: 'mnist',
  perClass: Number(process.env.PER_CLASS ?? 100),
  depth: Number(process.env.DEPTH ?? 8),
  kernel: 'laplace',
  bandwidth: 2,
  ridge: 1e-3,
  width: Number(process.env.WIDTH ?? 1024),
  featureMap: 'relu',
  seed: 0,
  sqrt: process.env.SQRT === 'cholesky' ? 'cholesky' : 'eigh',
  onProgress: (e) => {
    if (e.type === 'resume') process.stderr.write(`resumed after layer ${e.layer}\n`);
    else process.stderr.write(`layer ${e.layer}/${e.depth} done at ${e.elapsedSeconds.toFixed(1)} s: nc1_in ${e.row?.nc1In.toExponential(3)}\n`);
  },
});
const result = run.result;
const f = (v: number | null) => (v === null ? '   -    ' : v.toExponential(2));
console.log('layer  nc1_in    nc1_agop  nc1_out   nc2_in    nc2_agop  nc2_out   train  test   gram_dev');
for (const r of result.layers) {
  console.log(`${String(r.layer).padStart(5)}  ${f(r.nc1In)}  ${f(r.nc1Agop)}  ${f(r.nc1Out)}  ${f(r.nc2In)}  ${f(r.nc2Agop)}  ${f(r.nc2Out)}  ${r.trainAcc.toFixed(3)}  ${r.testAcc?.toFixed(3)}  ${r.gramEtfDevOut.toFixed(3)}`);
}
console.log('final', JSON.stringify(result.final));
console.log('timings', JSON.stringify(result.timings), JSON.stringify(result.engine));
if (out) await run.writeReport(out, { resultOnly: true });
