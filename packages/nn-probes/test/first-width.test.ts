import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, initEngine } from '@nclab/backend';
import { createMlp, layerShape, mlpFromWeights, networkAgops, probeMlp, validateSpec, type ProbeMlpState } from '../src/index.js';
import { blobs } from './helpers.js';

beforeAll(async () => {
  await initEngine();
});

describe('a first hidden layer of its own width (firstWidth)', () => {
  it('shapes: [W1, d], [W, W1], [W, W], [K, W]; the spec carries firstWidth only when it differs', () => {
    const net = createMlp({ inputDim: 5, width: 3, firstWidth: 8, depth: 3, numClasses: 2, seed: 1 });
    expect(net.layers.map((l) => [l.outDim, l.inDim])).toEqual([[8, 5], [3, 8], [3, 3], [2, 3]]);
    expect(net.layers.map((l) => l.weight.length)).toEqual([40, 24, 9, 6]);
    expect([0, 1, 2, 3].map((l) => layerShape(net.spec, l))).toEqual([[8, 5], [3, 8], [3, 3], [2, 3]]);
    expect(createMlp({ inputDim: 5, width: 3, firstWidth: 3, depth: 2, numClasses: 2 }).spec).not.toHaveProperty('firstWidth');
    expect(() => validateSpec({ ...net.spec, firstWidth: 0 })).toThrow(InvalidArgumentError);
    // imported weights: a first layer of another width is read back as firstWidth
    const back = mlpFromWeights(net.layers.map((l) => ({ rows: l.outDim, cols: l.inDim, data: l.weight })));
    expect(back.spec.firstWidth).toBe(8);
    expect(back.spec.width).toBe(3);
  });

  it('the chain-rule AGOP equals the tfjs autodiff AGOP on a wide-first network (every layer, centred too)', async () => {
    const data = blobs(3, 8, 6, 3, 4);
    const net = createMlp({ inputDim: 6, width: 4, firstWidth: 9, depth: 3, numClasses: 3, initScale: 0.9, seed: 3, linearLayers: 1 });
    const chain = await networkAgops(net, data.x, data.n, { method: 'chain' });
    const auto = await networkAgops(net, data.x, data.n, { method: 'autodiff' });
    expect(chain.agop.map((a) => a.rows)).toEqual([6, 9, 4]);
    chain.agop.forEach((a, l) => a.data.forEach((v, i) => expect(v).toBeCloseTo(auto.agop[l].data[i], 5)));
    chain.centered!.forEach((a, l) => a.data.forEach((v, i) => expect(v).toBeCloseTo(auto.centered![l].data[i], 5)));
  });

  it('trains the same on the host route (sgemm backward) and the tfjs route (autodiff), and a resumed run equals an uninterrupted one', async () => {
    const train = blobs(3, 12, 6, 4, 5);
    const base = { train, depth: 3, width: 6, firstWidth: 20, lr: 0.05, initScale: 0.8, loss: 'mse' as const, seed: 4, probeEvery: 2, nfa: false, linearLayers: 2, weightDecay: 1e-3, momentum: 0.9 };
    const host = await probeMlp({ ...base, epochs: 4, route: 'host' });
    const ref = await probeMlp({ ...base, epochs: 4, route: 'tfjs' });
    host.history.forEach((h, e) => expect(h.trainLoss).toBeCloseTo(ref.history[e].trainLoss, 5));
    expect(host.config.firstWidth).toBe(20);
    expect(host.linearHead!.map((r) => r.balancedness.length)).toEqual([2, 2, 2]);
    const states: ProbeMlpState[] = [];
    await probeMlp({ ...base, epochs: 2, route: 'host', onCheckpoint: (s) => { states.push(s); } });
    expect(states.at(-1)!.training.params.layers[0].outDim).toBe(20);
    const resumed = await probeMlp({ ...base, epochs: 4, route: 'host', resume: states.at(-1) });
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(host.history.map((h) => h.trainLoss));
    expect(resumed.linearHead).toEqual(host.linearHead);
    expect(resumed.checkpoints).toEqual(host.checkpoints);
  });
});
