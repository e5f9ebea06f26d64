import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '@nclab/backend';
import { createMlp, entkGram, entkPredictorAgops, entkProbe, kernelClassStats, type MlpParams } from '../src/index.js';
import { blobs, relErr } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

/** Host float64 outputs f(x) [n, K] of a bias-free MLP. */
function outputs(p: MlpParams, x: Float64Array, n: number): Float64Array {
  let h = x;
  let d = p.spec.inputDim;
  p.layers.forEach((w, l) => {
    const z = new Float64Array(n * w.outDim);
    for (let i = 0; i < n; i++) for (let o = 0; o < w.outDim; o++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += w.weight[o * d + j] * h[i * d + j];
      z[i * w.outDim + o] = l < p.spec.depth && p.spec.activation === 'relu' ? Math.max(0, s) : s;
    }
    h = z;
    d = w.outDim;
  });
  return h;
}

const net = createMlp({ inputDim: 4, width: 5, depth: 2, numClasses: 3, initScale: 1.4, seed: 3 });
const data = blobs(3, 3, 4, 2, 1);

describe('empirical NTK', () => {
  it('Θ equals Σ_c ⟨∇_θ f_c(x_i), ∇_θ f_c(x_j)⟩ with the parameter gradients taken by central differences', () => {
    const n = data.n;
    const { gram } = entkGram(net, data.x, n);
    const K = 3;
    const h = 1e-6;
    const grads: Float64Array[] = []; // per parameter: [n, K]
    for (const layer of net.layers) {
      const w = layer.weight as Float32Array;
      for (let t = 0; t < w.length; t++) {
        const copy = (s: number): MlpParams => ({ ...net, layers: net.layers.map((l) => (l === layer ? { ...l, weight: Float64Array.from(w).map((v, u) => (u === t ? v + s : v)) as unknown as Float32Array } : l)) });
        const plus = outputs(copy(h), Float64Array.from(data.x), n);
        const minus = outputs(copy(-h), Float64Array.from(data.x), n);
        grads.push(plus.map((v, u) => (v - minus[u]) / (2 * h)));
      }
    }
    const ref = new Float64Array(n * n);
    for (const g of grads) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < K; c++) ref[i * n + j] += g[i * K + c] * g[j * K + c];
    expect(relErr(gram.data, ref)).toBeLessThan(1e-6);
  });

  it('the eNTK predictor’s input AGOP equals the AGOP of its gradients by central differences', () => {
    const n = data.n;
    const e = entkGram(net, data.x, n);
    const { agop, alpha } = entkPredictorAgops(net, e, data.labels, 1e-2);
    const K = 3;
    const d = 4;
    // f̂_k(x) = Σ_i Θ(x, x_i) α_ik with Θ(x, ·) from the Gram of [x; X]
    const predict = (x: Float32Array): number[] => {
      const both = new Float32Array((n + 1) * d);
      both.set(x, 0);
      both.set(data.x, d);
      const g = entkGram(net, both, n + 1).gram.data;
      return Array.from({ length: K }, (_, k) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += g[i + 1] * alpha.data[i * K + k];
        return s;
      });
    };
    const ref = new Float64Array(d * d);
    const h = 1e-3;
    for (let s = 0; s < n; s++) {
      const x0 = data.x.slice(s * d, (s + 1) * d);
      const G = Array.from({ length: K }, () => new Float64Array(d));
      for (let j = 0; j < d; j++) {
        const xp = Float32Array.from(x0);
        const xm = Float32Array.from(x0);
        xp[j] += h;
        xm[j] -= h;
        const fp = predict(xp);
        const fm = predict(xm);
        for (let k = 0; k < K; k++) G[k][j] = (fp[k] - fm[k]) / (2 * h);
      }
      for (const g of G) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) ref[a * d + b] += (g[a] * g[b]) / n;
    }
    expect(relErr(agop[0].data, ref)).toBeLessThan(2e-3);
  });

  it('class statistics: the ideal kernel yyᵀ has alignment 1, within mean 1 and across mean 0', () => {
    const labels = [0, 0, 1, 1, 2, 2];
    const n = 6;
    const g = { rows: n, cols: n, data: Float64Array.from({ length: n * n }, (_, t) => (labels[Math.floor(t / n)] === labels[t % n] ? 1 : 0)) };
    const s = kernelClassStats(g, labels, 3);
    expect(s.alignment).toBeCloseTo(1, 12);
    expect(s.centredAlignment).toBeCloseTo(1, 12);
    expect(s.withinMean).toBe(1);
    expect(s.acrossMean).toBe(0);
  });

  it('entkProbe: seeded subsample, finite statistics and per-layer comparisons', async () => {
    const big = blobs(3, 10, 4, 3, 2);
    const a = await entkProbe(net, big.x, big.labels, { samples: 12, seed: 1 });
    const b = await entkProbe(net, big.x, big.labels, { samples: 12, seed: 1 });
    expect(a).toEqual(b);
    expect(a.samples).toBe(12);
    expect(a.alignment).toBeGreaterThan(0);
    expect(a.layers.map((l) => l.layer)).toEqual([1, 2]);
    for (const l of a.layers) expect(Number.isFinite(l.agopCorr)).toBe(true);
  });
});
