import { beforeAll, describe, expect, it } from 'vitest';
import { getTf, initEngine, type Tf } from '@nclab/backend';
import type * as TfCore from '@tensorflow/tfjs-core';
import { batchLoss, cloneParams, createMlp, forward, lossTargets, toTfNetwork, trainMlp, type LossName, type MlpParams, type TrainState } from '../src/index.js';
import { backwardHost, forwardHost, forwardRows, forwardWorkspace, lossAndGradient, maskDerivative, mlpWorkspace } from '../src/host/mlp-pass.js';
import { evaluateHost } from '../src/host/trainer-host.js';
import { createHostOptimizer } from '../src/host/optimizer-host.js';
import { blobs, relErr } from './helpers.js';

let tf: Tf;
beforeAll(async () => {
  await initEngine();
  tf = getTf() as Tf;
});

const data = blobs(3, 20, 8, 4, 1);

/** Loss and gradients of the host route on the whole set (weights `[out, in]`, biases). */
function hostGrads(params: MlpParams, loss: LossName): { value: number; gw: Float32Array[]; gb: Float32Array[] } {
  const ws = mlpWorkspace(params.spec, data.n);
  ws.acts[0].set(data.x);
  const out = forwardHost(params, ws, data.n);
  const value = lossAndGradient(loss, out, lossTargets(loss, data.labels, 3), data.n, 3, ws.dOut);
  backwardHost(params, ws, data.n);
  return { value, gw: ws.gradW.map((g) => g.slice()), gb: ws.gradB.map((g) => g.slice()) };
}

/** The same by tfjs autodiff; weight gradients transposed back to `[out, in]`. */
function tfjsGrads(params: MlpParams, loss: LossName): { value: number; gw: Float32Array[]; gb: Float32Array[] } {
  const net = toTfNetwork(params);
  const vars: TfCore.Variable[] = [...net.weights, ...(net.biases.filter((b) => b) as TfCore.Variable[])];
  const res = tf.tidy(() => {
    const x = tf.tensor2d(data.x, [data.n, data.dim]);
    const y = tf.tensor2d(lossTargets(loss, data.labels, 3), [data.n, 3]);
    const { value, grads } = tf.variableGrads(() => batchLoss(loss, forward(net, x), y), vars);
    return {
      value: value.dataSync()[0],
      gw: net.weights.map((w) => tf.transpose(grads[w.name]).dataSync() as Float32Array),
      gb: net.biases.filter((b) => b).map((b) => grads[b!.name].dataSync() as Float32Array),
    };
  });
  net.dispose();
  return res;
}

describe('host route (sgemm passes) against the tfjs route', () => {
  for (const [activation, loss, bias, linearLayers] of [['relu', 'mse', false, 0], ['tanh', 'ce', true, 1], ['relu', 'ce', true, 2]] as const) {
    it(`gives the same loss and gradients to float32 tolerance (${activation}, ${loss}, bias ${bias}, ${linearLayers} linear layers)`, () => {
      const params = createMlp({ inputDim: 8, width: 16, depth: 3, numClasses: 3, activation, bias, linearLayers, initScale: 0.8, seed: 5 });
      const h = hostGrads(params, loss);
      const t = tfjsGrads(params, loss);
      expect(Math.abs(h.value - t.value) / t.value).toBeLessThan(1e-6);
      h.gw.forEach((g, l) => expect(relErr(g, t.gw[l])).toBeLessThan(1e-5));
      h.gb.filter((g) => g.length).forEach((g, l) => expect(relErr(g, t.gb[l])).toBeLessThan(1e-5));
    });
  }

  it('takes the SGD step inside the backward pass as the separate gradient-then-update pass does (weight decay, biases)', () => {
    const params = createMlp({ inputDim: 8, width: 16, depth: 3, numClasses: 3, activation: 'relu', bias: true, initScale: 0.8, seed: 9 });
    const lr = 0.1, weightDecay = 0.01;
    const { gw } = hostGrads(params, 'mse');
    const expected = params.layers.map((p, l) => p.weight.map((w, k) => w - lr * (gw[l][k] + weightDecay * w)));
    const fused = cloneParams(params);
    const ws = mlpWorkspace(fused.spec, data.n, false);
    expect(ws.gradW.every((g) => g.length === 0)).toBe(true);
    ws.acts[0].set(data.x);
    lossAndGradient('mse', forwardHost(fused, ws, data.n), lossTargets('mse', data.labels, 3), data.n, 3, ws.dOut);
    backwardHost(fused, ws, data.n, { lr, weightDecay });
    fused.layers.forEach((p, l) => {
      expect(relErr(p.weight, expected[l])).toBeLessThan(1e-6);
      expect(relErr(p.weight, params.layers[l].weight)).toBeGreaterThan(1e-4); // it did move
    });
    expect(() => backwardHost(fused, ws, data.n)).toThrow(/options.out/); // no gradient buffers to write to
    // only plain SGD fuses: with momentum the optimiser needs the gradients, and a refused step changes nothing
    const withMomentum = createHostOptimizer(cloneParams(params), { name: 'sgd', lr, momentum: 0.9 });
    expect(withMomentum.fusedSgd).toBeNull();
    expect(() => withMomentum.step(null, [])).toThrow(/`gradW`/);
    expect(withMomentum.getState().step).toBe(0);
    expect(createHostOptimizer(cloneParams(params), { name: 'sgd', lr, weightDecay }).fusedSgd).toEqual({ lr, weightDecay });
  });

  it('has gradients equal to central finite differences of the loss (tanh, biases, cross-entropy)', () => {
    const params = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, activation: 'tanh', bias: true, initScale: 0.8, seed: 7 });
    const { gw, gb } = hostGrads(params, 'ce');
    const lossAt = (): number => hostGrads(params, 'ce').value;
    const eps = 1e-2;
    for (const [arr, grad] of [[params.layers[0].weight, gw[0]], [params.layers[1].weight, gw[1]], [params.layers[2].bias!, gb[2]]] as const) {
      for (const i of [0, Math.min(5, arr.length - 2), arr.length - 1]) {
        const keep = arr[i];
        arr[i] = keep + eps;
        const up = lossAt();
        arr[i] = keep - eps;
        const down = lossAt();
        arr[i] = keep;
        expect(Math.abs((up - down) / (2 * eps) - grad[i])).toBeLessThan(2e-3 * Math.max(1, Math.abs(grad[i])) + 1e-4);
      }
    }
  });

  it('evaluates on forward-only buffers read in place: the outputs of the training pass to float32 rounding, in any chunking', () => {
    // odd depth, a first width, biases: the two buffers alternate through layers of three different widths
    const params = createMlp({ inputDim: 8, width: 12, firstWidth: 20, depth: 3, numClasses: 3, bias: true, initScale: 0.8, seed: 4 });
    const ws = mlpWorkspace(params.spec, data.n);
    ws.acts[0].set(data.x);
    const full = forwardHost(params, ws, data.n).slice();
    const fws = forwardWorkspace(params.spec, 16);
    expect(fws.buffers[0].length).toBe(16 * 20);
    const x = data.x.slice();
    for (const [s, rows] of [[0, 16], [16, 7], [59, 1]] as const) {
      const out = forwardRows(params, x.subarray(s * 8, (s + rows) * 8), rows, fws);
      expect(out.length).toBe(rows * 3);
      expect(relErr(out, full.subarray(s * 3, (s + rows) * 3))).toBeLessThan(1e-6); // BLAS kernels differ with the row count
    }
    expect([...x]).toEqual([...data.x]); // the inputs are read, never written
    const targets = lossTargets('ce', data.labels, 3);
    const whole = evaluateHost(params, data, 'ce', data.n, targets);
    expect(whole.loss).toBeCloseTo(lossAndGradient('ce', full, targets, data.n, 3), 6);
    for (const chunk of [1, 7, 16]) {
      const r = evaluateHost(params, data, 'ce', 1000, targets, forwardWorkspace(params.spec, chunk));
      expect(r.accuracy).toBe(whole.accuracy);
      expect(Math.abs(r.loss - whole.loss)).toBeLessThan(1e-6 * whole.loss);
    }
    // a diverged network: all-NaN outputs, as forwardHost gives
    const bad = cloneParams(params);
    bad.layers[1].weight[0] = Number.NaN;
    expect(forwardRows(bad, x.subarray(0, 16 * 8), 16, fws).every((v) => Number.isNaN(v))).toBe(true);
    expect(Number.isNaN(evaluateHost(bad, data, 'mse', 16, lossTargets('mse', data.labels, 3)).loss)).toBe(true);
  });

  const runs = [
    { name: 'SGD, Nesterov momentum, weight decay, MSE', optimizer: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-3, loss: 'mse', bias: false, lr: 0.05 },
    { name: 'AdamW, biases, cross-entropy, one linear layer', optimizer: 'adamw', weightDecay: 0.01, loss: 'ce', bias: true, lr: 3e-3, linearLayers: 1 },
  ] as const;
  for (const r of runs) {
    it(`follows the tfjs trajectory to 1e-5 over 4 epochs (${r.name})`, async () => {
      const params = createMlp({ inputDim: 8, width: 16, depth: 3, numClasses: 3, bias: r.bias, initScale: 0.8, seed: 3, linearLayers: 'linearLayers' in r ? r.linearLayers : 0 });
      const cfg = { params, train: data, epochs: 4, lr: r.lr, batchSize: 16, seed: 2, optimizer: r.optimizer, momentum: 'momentum' in r ? r.momentum : undefined, nesterov: 'nesterov' in r ? r.nesterov : undefined, weightDecay: r.weightDecay, loss: r.loss };
      const host = await trainMlp({ ...cfg, route: 'host' });
      const ref = await trainMlp({ ...cfg, route: 'tfjs' });
      expect(host.route).toBe('host');
      expect(ref.route).toBe('tfjs');
      host.history.forEach((h, e) => expect(Math.abs(h.trainLoss - ref.history[e].trainLoss)).toBeLessThan(1e-5 * Math.max(1, ref.history[e].trainLoss)));
      host.params.layers.forEach((p, l) => expect(relErr(p.weight, ref.params.layers[l].weight)).toBeLessThan(1e-5));
      expect(host.history.at(-1)!.trainLoss).toBeLessThan(host.history[0].trainLoss);
    });
  }

  it('resumes on the host route from a state the tfjs route handed out (momentum buffers in the tfjs layout)', async () => {
    const params = createMlp({ inputDim: 8, width: 16, depth: 2, numClasses: 3, initScale: 0.8, seed: 5 });
    const cfg = { params, train: data, lr: 0.05, batchSize: 16, seed: 4, momentum: 0.9, checkpointEvery: 2 };
    const full = await trainMlp({ ...cfg, epochs: 4, route: 'tfjs' });
    let saved: TrainState | undefined;
    await trainMlp({ ...cfg, epochs: 2, route: 'tfjs', onCheckpoint: (s) => { saved = s; } });
    const resumed = await trainMlp({ ...cfg, epochs: 4, route: 'host', resume: saved });
    resumed.params.layers.forEach((p, l) => expect(relErr(p.weight, full.params.layers[l].weight)).toBeLessThan(1e-5));
  });
});

describe('relu mask of the backward pass', () => {
  // every class of float32 as the activation output h (the backend tests reluInPlace / reluMaskInPlace on their own)
  const special = [0, -0, 1e-45, -1e-45, 1.1754942e-38, -1.1754942e-38, 0.5, -0.5, 1, -1, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, NaN];
  const values = new Float32Array(special.length + 2000);
  values.set(special);
  new Uint32Array(values.buffer, 4 * (special.length - 1), 1)[0] = 0xffc00000; // x86's default (negative) quiet NaN
  const bits = new Uint32Array(values.buffer);
  for (let i = special.length, x = 0x9e3779b9; i < values.length; i++) bits[i] = x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; // arbitrary bit patterns (a fixed hash sequence)

  it('keeps g where h > 0 or h is NaN and clears it (to +0) where h ≤ 0; tanh multiplies by 1 − h²', () => {
    const g = Float32Array.from(values, (_, i) => i + 1);
    maskDerivative(g, values, values.length, 'relu');
    for (let i = 0; i < g.length; i++) expect(Object.is(g[i], values[i] > 0 || Number.isNaN(values[i]) ? i + 1 : 0), `h = ${values[i]}`).toBe(true);
    const t = Float32Array.of(1, 2, 3);
    maskDerivative(t, Float32Array.of(0, 0.5, -1), 3, 'tanh');
    expect([...t]).toEqual([1, 1.5, 0]);
  });
});
