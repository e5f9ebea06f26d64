import { beforeAll, describe, expect, it } from 'vitest';
import { gemm, getTf, initEngine, psdPower, type Matrix } from '@nclab/backend';
import { egop } from '@nclab/agop/egop';
import {
  createMlp, featureMatrix, ncKey, networkAgops, networkNc, nfaCorrelations, streamLayerFeatures, type MlpParams,
} from '../src/index.js';
import { agopRoot, rowSpaceBasis } from '../src/nfa.js';
import { blobs, relErr } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

/** Host float64 forward of a bias-free MLP, keeping every layer input and pre-activation. */
function hostForward(p: MlpParams, x: Float32Array, n: number) {
  const relu = p.spec.activation === 'relu';
  let h = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * p.spec.inputDim, (i + 1) * p.spec.inputDim)));
  const inputs: number[][][] = [];
  const pre: number[][][] = [];
  for (let l = 0; l <= p.spec.depth; l++) {
    const L = p.layers[l];
    const z = h.map((row) => Array.from({ length: L.outDim }, (_, o) => row.reduce((s, v, j) => s + v * L.weight[o * L.inDim + j], 0)));
    if (l < p.spec.depth) {
      inputs.push(h);
      pre.push(z);
      h = z.map((r) => r.map((v) => (relu ? Math.max(0, v) : v)));
    } else {
      return { inputs, pre, out: z };
    }
  }
  throw new Error('unreachable');
}

/** AGOP of layer l by explicit per-sample Jacobians: J_l = W_head D_L W_L ... D_l (chain rule), float64. */
function hostAgop(p: MlpParams, x: Float32Array, n: number, l: number, centred: boolean): Float64Array {
  const { pre } = hostForward(p, x, n);
  const relu = p.spec.activation === 'relu';
  const d = p.layers[l].inDim;
  const K = p.spec.numClasses;
  const acc = new Float64Array(d * d);
  const gsum = Array.from({ length: K }, () => new Float64Array(d));
  const grads: number[][][] = [];
  for (let i = 0; i < n; i++) {
    // rows of J: start from the head, go down to layer l
    const head = p.layers[p.spec.depth];
    let J = Array.from({ length: K }, (_, c) => Array.from(head.weight.subarray(c * head.inDim, (c + 1) * head.inDim)));
    for (let m = p.spec.depth - 1; m >= l; m--) {
      const L = p.layers[m];
      const mask = pre[m][i].map((v) => (relu ? (v > 0 ? 1 : 0) : 1));
      J = J.map((row) => Array.from({ length: L.inDim }, (_, j) => row.reduce((s, v, o) => s + v * mask[o] * L.weight[o * L.inDim + j], 0)));
    }
    grads.push(J);
    J.forEach((g, c) => g.forEach((v, j) => (gsum[c][j] += v)));
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) {
      const g = grads[i][c].map((v, j) => (centred ? v - gsum[c][j] / n : v));
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) acc[a * d + b] += (g[a] * g[b]) / n;
    }
  }
  return acc;
}

describe('networkAgops', () => {
  const data = blobs(3, 7, 5, 3, 2);
  const relu = createMlp({ inputDim: 5, width: 6, depth: 2, numClasses: 3, initScale: 1.5, seed: 1 });

  it.each(['chain', 'autodiff'] as const)('(%s) equals the sample average of explicit per-sample Jacobian outer products (ReLU, every layer)', async (method) => {
    const res = await networkAgops(relu, data.x, data.n, { chunkSize: 8, method });
    for (const l of [0, 1]) {
      expect(relErr(res.agop[l].data, hostAgop(relu, data.x, data.n, l, false))).toBeLessThan(1e-5);
      expect(relErr(res.centered![l].data, hostAgop(relu, data.x, data.n, l, true))).toBeLessThan(1e-5);
    }
  });

  it('gives the same AGOPs by autodiff on the engine and by the chain rule on the host (tanh, 4 layers)', async () => {
    const net = createMlp({ inputDim: 5, width: 9, depth: 4, numClasses: 3, activation: 'tanh', initScale: 1.2, seed: 6 });
    const a = await networkAgops(net, data.x, data.n, { method: 'autodiff', chunkSize: 10 });
    const b = await networkAgops(net, data.x, data.n, { method: 'chain', chunkSize: 6 });
    for (let l = 0; l < 4; l++) {
      expect(relErr(a.agop[l].data, b.agop[l].data)).toBeLessThan(1e-4);
      expect(relErr(a.centered![l].data, b.centered![l].data)).toBeLessThan(1e-4);
    }
  });

  it.each(['relu', 'tanh'] as const)('gives the same AGOPs by autodiff and by the chain rule with biases, chunks of 4 reusing their buffers (%s)', async (activation) => {
    const net = createMlp({ inputDim: 5, width: 7, firstWidth: 8, depth: 3, numClasses: 3, activation, bias: true, initScale: 1.2, seed: 8 });
    net.layers.forEach((p, l) => p.bias!.forEach((_, j) => (p.bias![j] = 0.3 * Math.sin(l + 1.7 * j))));
    const a = await networkAgops(net, data.x, data.n, { method: 'autodiff' });
    const b = await networkAgops(net, data.x, data.n, { method: 'chain', chunkSize: 4 });
    for (let l = 0; l < 3; l++) {
      expect(relErr(a.agop[l].data, b.agop[l].data)).toBeLessThan(1e-4);
      expect(relErr(a.centered![l].data, b.centered![l].data)).toBeLessThan(1e-4);
    }
  });

  it('agrees with the EGOP helper of @nclab/agop applied to each sub-network and its layer inputs', async () => {
    const tf = getTf();
    const res = await networkAgops(relu, data.x, data.n);
    const { inputs } = hostForward(relu, data.x, data.n);
    for (const l of [0, 1]) {
      const sub = (t: ReturnType<typeof tf.tensor2d>) => {
        let h = t;
        for (let m = l; m <= relu.spec.depth; m++) {
          const p = relu.layers[m];
          const z = tf.matMul(h, tf.transpose(tf.tensor2d(p.weight, [p.outDim, p.inDim])));
          h = (m < relu.spec.depth ? tf.relu(z) : z) as typeof t;
        }
        return h;
      };
      const x = { rows: data.n, cols: inputs[l][0].length, data: Float64Array.from(inputs[l].flat()) };
      const ref = await egop(sub, x);
      expect(relErr(res.agop[l].data, ref.egop.data)).toBeLessThan(1e-5);
    }
  });

  it('is M_lᵀM_l for a linear network, M_l the product of the layers above l (data-independent)', async () => {
    const lin = createMlp({ inputDim: 4, width: 3, depth: 2, numClasses: 2, activation: 'identity', seed: 4 });
    const x = blobs(2, 5, 4, 1, 3).x;
    const res = await networkAgops(lin, x, 10, { method: 'autodiff' });
    // M_1 = W_head W_1: [2, 3]; AGOP_1 = M_1ᵀ M_1
    const [w1, wh] = [lin.layers[1], lin.layers[2]];
    const m = Array.from({ length: 2 }, (_, c) => Array.from({ length: 3 }, (_, j) => [0, 1, 2].reduce((s, o) => s + wh.weight[c * 3 + o] * w1.weight[o * 3 + j], 0)));
    const want = Array.from({ length: 9 }, (_, k) => m[0][Math.floor(k / 3)] * m[0][k % 3] + m[1][Math.floor(k / 3)] * m[1][k % 3]);
    expect(relErr(res.agop[1].data, want)).toBeLessThan(1e-5);
    // the gradient is the same at every sample, so the centred AGOP vanishes
    expect(Math.max(...res.centered![1].data.map(Math.abs))).toBeLessThan(1e-6 * Math.max(...want.map(Math.abs)));
  });

  it('of the head is WᵀW, so the plain NFA correlation of the head is exactly 1', async () => {
    const res = await networkAgops(relu, data.x, data.n, { includeHead: true });
    const head = relu.layers[2];
    expect(relErr(res.agop[2].data, featureMatrix(head).data)).toBeLessThan(1e-5);
    const nfa = nfaCorrelations(head, null, res.agop[2], null);
    expect(nfa.nfaCorr).toBeCloseTo(1, 5);
    expect(nfa.nfaCorrSqrtDelta).toBeNull();
  });
});

describe('sub-layer features and NC1', () => {
  const data = blobs(4, 15, 10, 3, 5);
  const net = createMlp({ inputDim: 10, width: 12, depth: 3, numClasses: 4, initScale: 1, seed: 2 });

  it('NC1 after S Vᵀ equals NC1 of the pre-activation W x (the rotation U changes nothing)', async () => {
    const viaPre = await networkNc(net, data.x, data.labels);
    const viaSvd = await networkNc(net, data.x, data.labels, { right: 'svd' });
    for (let l = 0; l < 3; l++) {
      const a = viaPre.get(ncKey(l, 'right'))!.nc1;
      const b = viaSvd.get(ncKey(l, 'right'))!.nc1;
      expect(Math.abs(a - b) / b).toBeLessThan(1e-5);
      // and the input / output points do not depend on the mode
      expect(viaPre.get(ncKey(l, 'input'))!.nc1).toBe(viaSvd.get(ncKey(l, 'input'))!.nc1);
    }
  });

  it('streams each layer output as the next layer input, and matches a direct float64 NC1', async () => {
    const nc = await networkNc(net, data.x, data.labels, { chunkSize: 7 });
    for (let l = 0; l < 2; l++) expect(nc.get(ncKey(l, 'output'))!.nc1).toBeCloseTo(nc.get(ncKey(l + 1, 'input'))!.nc1, 10);
    const { pre } = hostForward(net, data.x, data.n);
    // direct: tr Σ_W / tr Σ_B of layer 1's pre-activation, Σ_W with 1/N, Σ_B with 1/K
    const z = pre[1];
    const K = 4;
    const d = z[0].length;
    const means = Array.from({ length: K }, () => new Float64Array(d));
    const counts = new Float64Array(K);
    z.forEach((r, i) => {
      counts[data.labels[i]]++;
      r.forEach((v, j) => (means[data.labels[i]][j] += v));
    });
    means.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));
    const g = Array.from({ length: d }, (_, j) => means.reduce((s, m, c) => s + (counts[c] * m[j]) / data.n, 0));
    const trW = z.reduce((s, r, i) => s + r.reduce((t, v, j) => t + (v - means[data.labels[i]][j]) ** 2, 0), 0) / data.n;
    const trB = means.reduce((s, m) => s + m.reduce((t, v, j) => t + (v - g[j]) ** 2, 0), 0) / K;
    expect(nc.get(ncKey(1, 'right'))!.nc1).toBeCloseTo(trW / trB, 5);
  });

  it('hands every feature chunk to the visitor with the right shapes and row offsets', async () => {
    const seen: string[] = [];
    await streamLayerFeatures(net, data.x, data.n, (l, kind, rows, start) => {
      if (start === 0) seen.push(`${l}:${kind}:${rows.cols}`);
      expect(rows.rows).toBe(Math.min(25, data.n - start));
    }, { chunkSize: 25 });
    expect(seen).toEqual(['0:input:10', '0:right:12', '0:output:12', '1:input:12', '1:right:12', '1:output:12', '2:input:12', '2:right:12', '2:output:12', '3:logits:4']);
  });
});

describe('nfaCorrelations', () => {
  it('reports null (not an exception) for a dead, all-zero layer', () => {
    const w = { outDim: 2, inDim: 3, weight: new Float32Array(6), bias: null };
    const agop: Matrix = { rows: 3, cols: 3, data: Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]) };
    const r = nfaCorrelations(w, null, agop, null);
    expect(r.nfaCorr).toBeNull();
    expect(r.nfaCorrSqrt).toBeNull();
  });

  it('takes the root of a narrowing layer\'s AGOP on its row space: the n×n root to rounding, nothing outside the row space; the n×n route for a matrix outside it', async () => {
    const data = blobs(3, 7, 12, 3, 4);
    const net = createMlp({ inputDim: 12, width: 5, depth: 2, numClasses: 3, initScale: 1.5, seed: 3 });
    const { agop, centered } = await networkAgops(net, data.x, data.n);
    const basis = rowSpaceBasis(net.layers[0])!; // W₀ is 5×12
    expect([basis.rows, basis.cols]).toEqual([5, 12]);
    expect(rowSpaceBasis(net.layers[1])).toBeUndefined(); // 5×5: no narrowing
    const proj = gemm(basis, basis, { transA: true });
    for (const a of [agop[0], centered![0]]) {
      const sub = agopRoot(a, basis);
      const full = psdPower(a, 0.5);
      expect(relErr(sub.data, full.data)).toBeLessThan(1e-6);
      const inside = gemm(proj, sub).data;
      const worst = sub.data.reduce((m, v, i) => Math.max(m, Math.abs(v - inside[i])), 0);
      expect(worst).toBeLessThan(1e-12 * Math.max(...sub.data.map(Math.abs)));
    }
    // a full-rank matrix is not inside a 5-dimensional row space: the plain root, bit for bit
    const spd = gemm(agop[0], agop[0]);
    for (let i = 0; i < 12; i++) spd.data[i * 13] += 1;
    expect(Array.from(agopRoot(spd, basis).data)).toEqual(Array.from(psdPower(spd, 0.5).data));
  });

  it('gives corr 1 with AGOP^{1/2} when the AGOP is (WᵀW)² and null deltas at initialisation', () => {
    const net = createMlp({ inputDim: 5, width: 4, depth: 1, numClasses: 2, seed: 8 });
    const w = net.layers[0];
    const f = featureMatrix(w);
    const sq = new Float64Array(25);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 5; k++) sq[i * 5 + j] += f.data[i * 5 + k] * f.data[k * 5 + j];
    const agop: Matrix = { rows: 5, cols: 5, data: sq };
    const r = nfaCorrelations(w, w, agop, null);
    expect(r.nfaCorrSqrt).toBeCloseTo(1, 8);
    expect(r.nfaCorrSqrtDelta).toBeNull();
  });
});
