/**
 * Full metric suite on N = 60,000, d = 512, K = 10 float32 features (with a classifier) against the
 * NumPy peer that forms the d×d Σ_W like the Python references (tools/bench/peers/ncmetrics_suite.py).
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng } from '@nclab/backend/host';
import type { Matrix32 } from '@nclab/backend/host';
import { computeMetrics } from '../src/index.js';
import type { NcMetricsResult } from '../src/index.js';

const N = 60_000;
const D = 512;
const K = 10;

/** Partially collapsed features: class centres of norm ≈ 3 plus unit Gaussian noise; W = centres + noise. */
function makeData() {
  const rng = createRng(2024);
  const centres = rng.normalArray(K * D, 0, 3 / Math.sqrt(D)) as Float64Array;
  const labels = new Int32Array(N);
  const x = new Float32Array(N * D);
  for (let i = 0; i < N; i++) {
    const y = rng.int(K);
    labels[i] = y;
    for (let j = 0; j < D; j++) x[i * D + j] = centres[y * D + j] + rng.normal() * 0.1;
  }
  const w = new Float32Array(K * D);
  for (let t = 0; t < w.length; t++) w[t] = centres[t] + rng.normal() * 0.05;
  const bias = new Float64Array(K);
  const features: Matrix32 = { rows: N, cols: D, data: x };
  const classifier: Matrix32 = { rows: K, cols: D, data: w };
  return { features, labels, classifier, bias };
}

/** Our key → the peer's (snake_case) key. */
const CHECKED = [
  ['nc1Pinv', 'nc1_pinv'], ['nc1TraceRatio', 'nc1_trace_ratio'], ['nc1WithinTotal', 'nc1_within_total'], ['nc1Cdnv', 'nc1_cdnv'],
  ['nc2Etf', 'nc2_etf'], ['nc2EtfGram', 'nc2_etf_gram'], ['nc2Equinorm', 'nc2_equinorm'], ['nc2Equiangular', 'nc2_equiangular'], ['nc3', 'nc3'],
] as const;

export default defineBench({
  name: `nc-metrics:suite:n=${N},d=${D},K=${K}`,
  peer: { script: 'ncmetrics_suite.py' },
  repeats: 5,
  setup: () => {
    const data = makeData();
    const peerArgs = [
      '--features', writeNpyInput('ncmetrics-features', { data: data.features.data, shape: [N, D] }),
      '--labels', writeNpyInput('ncmetrics-labels', { data: data.labels, shape: [N] }),
      '--classifier', writeNpyInput('ncmetrics-classifier', { data: data.classifier.data, shape: [K, D] }),
      '--bias', writeNpyInput('ncmetrics-bias', { data: data.bias, shape: [K] }),
    ];
    return { ...data, peerArgs };
  },
  run: (ctx) => computeMetrics(ctx.features, ctx.labels, { classifier: ctx.classifier, bias: ctx.bias }),
  compare: (ours, peer) => {
    const r = ours as NcMetricsResult;
    const p = peer as Record<string, number>;
    let worst = 0;
    let worstKey = '';
    for (const [k, pk] of CHECKED) {
      const rel = Math.abs((r[k] as number) - p[pk]) / Math.max(1e-12, Math.abs(p[pk]));
      if (rel > worst) {
        worst = rel;
        worstKey = k;
      }
    }
    const ncc = Math.abs(r.nccAccuracy - p.ncc_accuracy);
    const nc4 = Math.abs((r.nc4 ?? NaN) - p.nc4);
    const ok = worst < 1e-6 && ncc <= 1e-4 && nc4 <= 1e-4;
    return { ok, detail: `max rel diff ${worst.toExponential(1)} (${worstKey}); nc1Pinv ${r.nc1Pinv.toPrecision(6)}; ncc/nc4 diff ${ncc}/${nc4}` };
  },
});
