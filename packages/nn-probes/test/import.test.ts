import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, initEngine } from '@nclab/backend';
import {
  createMlp, ncKey, networkAgops, networkNc, nfaCorrelations, probeImported, streamLayerFeatures, trainMlp, type MlpParams,
} from '../src/index.js';
import { blobs } from './helpers.js';

let net: MlpParams;
const data = blobs(3, 12, 6, 3, 7);
type Mat = { rows: number; cols: number; data: Float32Array };
const layerFiles: Mat[] = [];
const weightFiles: Mat[] = [];

beforeAll(async () => {
  await initEngine();
  const init = createMlp({ inputDim: 6, width: 8, depth: 2, numClasses: 3, initScale: 1, seed: 3 });
  net = (await trainMlp({ params: init, train: data, epochs: 5, lr: 0.1, batchSize: 12 })).params;
  // What a PyTorch user would save: the input of every linear layer, the weights [out, in], the labels.
  const inputs: Float32Array[] = [new Float32Array(data.n * 6), new Float32Array(data.n * 8)];
  await streamLayerFeatures(net, data.x, data.n, (l, kind, rows, start) => {
    if (kind === 'input') inputs[l].set(rows.data, start * rows.cols);
  });
  inputs.forEach((x, l) => layerFiles.push({ rows: data.n, cols: l === 0 ? 6 : 8, data: x }));
  net.layers.forEach((p) => weightFiles.push({ rows: p.outDim, cols: p.inDim, data: p.weight }));
});

describe('probeImported', () => {
  it('reproduces from saved activations and weights the sub-layer NC1 and NFA values of the live network', async () => {
    const r = await probeImported({ layers: layerFiles, labels: data.labels, weights: weightFiles, nfa: true });
    const live = await networkNc(net, data.x, data.labels);
    const agops = await networkAgops(net, data.x, data.n);
    expect(r.n).toBe(data.n);
    expect(r.numClasses).toBe(3);
    for (let l = 0; l < 2; l++) {
      const e = r.layers[l];
      expect(e.nc1Input).toBeCloseTo(live.get(ncKey(l, 'input'))!.nc1, 5);
      expect(e.nc1Right!).toBeCloseTo(live.get(ncKey(l, 'right'))!.nc1, 4);
      expect(e.nc1Output!).toBeCloseTo(live.get(ncKey(l, 'output'))!.nc1, 4);
      const want = nfaCorrelations(net.layers[l], null, agops.agop[l], agops.centered![l]);
      expect(e.nfaCorrSqrt!).toBeCloseTo(want.nfaCorrSqrt!, 4);
      expect(e.spectrum!.singularValues).toHaveLength(Math.min(net.layers[l].outDim, net.layers[l].inDim));
    }
  });

  it('accepts in-memory matrices and labels and needs no weights', async () => {
    const r = await probeImported({ layers: [{ rows: data.n, cols: 6, data: data.x }], labels: data.labels });
    expect(r.layers[0].nc1Input).toBeGreaterThan(0);
    expect(r.layers[0].nc1Right).toBeUndefined();
  });

  it('rejects activations without labels', async () => {
    await expect(probeImported({ layers: layerFiles } as never)).rejects.toThrowError(/`labels`/);
  });

  it('rejects labels of the wrong length and layers with different N', async () => {
    await expect(probeImported({ layers: layerFiles, labels: data.labels.subarray(1) })).rejects.toThrowError(InvalidArgumentError);
    const short = { rows: 3, cols: 8, data: new Float32Array(24) };
    await expect(probeImported({ layers: [layerFiles[0], short], labels: data.labels })).rejects.toThrowError(/`layers\[1\]`/);
  });

  it('rejects weights whose shape does not fit their layer', async () => {
    const err = await probeImported({ layers: layerFiles, labels: data.labels, weights: [weightFiles[1], weightFiles[1]] }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toMatch(/`weights\[0\]` must be of shape \[\*, 6\]/);
  });

  it('refuses NFA without weights', async () => {
    await expect(probeImported({ layers: layerFiles, labels: data.labels, nfa: true })).rejects.toThrowError(/`weights`/);
  });
});
