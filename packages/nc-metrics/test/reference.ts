/**
 * A deliberately naive reference (the way the Python references compute): explicit d×d Σ_W and Σ_B,
 * a pseudo-inverse from the backend, NCC by direct distances. Used only to cross-check the fast path.
 */
import { gemm, pinv } from '@nclab/backend/host';
import type { Matrix } from '@nclab/backend/host';

export function naiveMetrics(x: Matrix, labels: ArrayLike<number>, K: number, mode: 'classMeanAverage' | 'sampleWeighted' = 'classMeanAverage') {
  const { rows: n, cols: d } = x;
  const counts = new Float64Array(K);
  const means = new Float64Array(K * d);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) means[labels[i] * d + j] += x.data[i * d + j];
  }
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) means[k * d + j] /= counts[k];
  const g = new Float64Array(d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) g[j] += (mode === 'classMeanAverage' ? 1 / K : counts[k] / n) * means[k * d + j];
  const sw = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const ra = x.data[i * d + a] - means[labels[i] * d + a];
      for (let b = 0; b < d; b++) sw[a * d + b] += (ra * (x.data[i * d + b] - means[labels[i] * d + b])) / n;
    }
  }
  const sb = new Float64Array(d * d);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) sb[a * d + b] += ((means[k * d + a] - g[a]) * (means[k * d + b] - g[b])) / K;
  }
  const SW: Matrix = { rows: d, cols: d, data: sw };
  const SB: Matrix = { rows: d, cols: d, data: sb };
  // rank K−1 pseudo-inverse (an explicit rank keeps rounding noise out)
  const SBp = pinv(SB, { rank: Math.min(K - 1, d) });
  const prod = gemm(SW, SBp);
  let trWB = 0;
  let trW = 0;
  let trB = 0;
  for (let a = 0; a < d; a++) {
    trWB += prod.data[a * d + a];
    trW += sw[a * d + a];
    trB += sb[a * d + a];
  }
  let ncc = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x.data[i * d + j] - means[k * d + j]) ** 2;
      if (s < bestD) {
        bestD = s;
        best = k;
      }
    }
    if (best === labels[i]) ncc++;
  }
  return { nc1Pinv: trWB / K, traceRatio: trW / trB, nccAccuracy: ncc / n, means, counts, SW, SB };
}
