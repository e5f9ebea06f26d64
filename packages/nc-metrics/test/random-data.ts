/** Random labelled features for property tests (seeded, unbalanced, every class present). */
import { createRng } from '@nclab/backend/host';
import type { Matrix } from '@nclab/backend/host';

export function randomLabelledData(K: number, d: number, seed: number, opts: { maxPerClass?: number; minPerClass?: number; spread?: number } = {}) {
  const rng = createRng(seed);
  const counts = Array.from({ length: K }, () => (opts.minPerClass ?? 1) + rng.int(opts.maxPerClass ?? 6));
  const n = counts.reduce((a, b) => a + b, 0);
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => (opts.spread ?? 2) * rng.normal()));
  const labels = new Int32Array(n);
  let i = 0;
  counts.forEach((c, k) => {
    for (let t = 0; t < c; t++) labels[i++] = k;
  });
  // shuffle so classes interleave
  const perm = rng.permutation(n);
  const shuffled = Int32Array.from(perm, (p) => labels[p]);
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) x[r * d + j] = centres[shuffled[r]][j] + rng.normal();
  const W = new Float64Array(K * d);
  for (let t = 0; t < W.length; t++) W[t] = rng.normal();
  const bias = Float64Array.from({ length: K }, () => rng.normal());
  return { features: { rows: n, cols: d, data: x } as Matrix, labels: shuffled, classifier: { rows: K, cols: d, data: W } as Matrix, bias };
}
