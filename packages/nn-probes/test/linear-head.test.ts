import { describe, expect, it } from 'vitest';
import { createMlp, featureConditioning, linearHeadProbe, probeMlp, type MlpParams, type ProbeMlpState } from '../src/index.js';
import { blobs } from './helpers.js';

/** A bias-free all-linear network (every hidden layer linear) with the given weights `[out, in]`. */
function linearNet(weights: { outDim: number; inDim: number; w: number[] }[]): MlpParams {
  const depth = weights.length - 1;
  const spec = { inputDim: weights[0].inDim, width: weights[0].outDim, depth, numClasses: weights[depth].outDim, bias: false, activation: 'relu' as const, linearLayers: depth };
  return { spec, layers: weights.map((l) => ({ outDim: l.outDim, inDim: l.inDim, weight: Float32Array.from(l.w), bias: null })) };
}

describe('linear-head probe (closed forms)', () => {
  it('conditioning: σ_max/σ_min of features with orthogonal columns of known norms; rank drops for a zero column', () => {
    // XᵀX = diag(18, 2): singular values √18 and √2, κ = 3
    const x = { rows: 4, cols: 2, data: Float64Array.of(3, 0, 0, 1, -3, 0, 0, -1) };
    const c = featureConditioning(x);
    expect(c.rank).toBe(2);
    expect(c.condition).toBeCloseTo(3, 10);
    const y = { rows: 4, cols: 3, data: Float64Array.of(3, 0, 0, 0, 1, 0, -3, 0, 0, 0, -1, 0) };
    expect(featureConditioning(y)).toEqual({ condition: expect.closeTo(3, 10), rank: 2 });
  });

  it('balancedness is 0 for W_{l+1} = W_l = diag(s) and 3/5 for W_{l+1} = 2·diag(s); κ, NC1 = 0 of collapsed inputs', () => {
    // depth 2, both hidden layers linear: levels p = 0 (X itself), 1, 2 (head input)
    const s = [2, 1];
    const diag = (k: number) => ({ outDim: 2, inDim: 2, w: [k * s[0], 0, 0, k * s[1]] });
    const head = { outDim: 2, inDim: 2, w: [1, 0, 0, 1] };
    // class 0 at (3, 0), class 1 at (0, 1): collapsed, XᵀX = diag(2·9, 2·1) → κ = 3
    const x = Float32Array.of(3, 0, 3, 0, 0, 1, 0, 1);
    const labels = Int32Array.of(0, 0, 1, 1);
    const balanced = linearHeadProbe(linearNet([diag(1), diag(1), head]), x, labels, 0, 1);
    expect(balanced.balancedness[0]).toBeCloseTo(0, 12);
    expect(balanced.featureCondition).toBeCloseTo(3, 6);
    expect(balanced.featureRank).toBe(2);
    expect(balanced.nc1.every((v) => v < 1e-12)).toBe(true);
    expect(balanced.trainError).toBe(0);
    const skewed = linearHeadProbe(linearNet([diag(1), diag(2), head]), x, labels, 0, 0.75);
    // D = (4 − 1) diag(s²): ‖D‖ / (‖4 diag(s²)‖ + ‖diag(s²)‖) = 3/5
    expect(skewed.balancedness[0]).toBeCloseTo(0.6, 6);
    expect(skewed.trainError).toBeCloseTo(0.25, 12);
    expect(skewed.nc1).toHaveLength(3);
  });

  it('probe mlp with --linear-layers records one linear-head row per probe and trains the same on both routes', async () => {
    const train = blobs(3, 15, 6, 4, 2);
    const base = { train, depth: 3, width: 12, epochs: 4, lr: 0.05, initScale: 0.8, loss: 'mse' as const, seed: 1, probeEvery: 2, nfa: false, linearLayers: 2, weightDecay: 1e-3 };
    const host = await probeMlp({ ...base, route: 'host' });
    const ref = await probeMlp({ ...base, route: 'tfjs' });
    expect(host.linearHead!.map((r) => r.epoch)).toEqual([0, 2, 4]);
    for (const r of host.linearHead!) {
      expect(r.balancedness).toHaveLength(2);
      expect(r.nc1).toHaveLength(3);
      expect(r.featureCondition).toBeGreaterThanOrEqual(1);
    }
    host.history.forEach((h, e) => expect(h.trainLoss).toBeCloseTo(ref.history[e].trainLoss, 5));
    // the spec carries the linear layers only when asked
    expect(createMlp({ inputDim: 2, width: 2, depth: 1, numClasses: 2 }).spec).not.toHaveProperty('linearLayers');
  });

  it('a resumed --linear-layers run ends with the linear-head rows of an uninterrupted one', async () => {
    const train = blobs(3, 12, 6, 4, 3);
    const base = { train, depth: 2, width: 10, lr: 0.05, initScale: 0.8, loss: 'mse' as const, seed: 2, probeEvery: 2, nfa: false, linearLayers: 1, momentum: 0.9 };
    const full = await probeMlp({ ...base, epochs: 4 });
    const states: ProbeMlpState[] = [];
    await probeMlp({ ...base, epochs: 2, onCheckpoint: (s) => { states.push(s); } });
    expect(states.at(-1)!.linearHead!.map((r) => r.epoch)).toEqual([0, 2]);
    const resumed = await probeMlp({ ...base, epochs: 4, resume: states.at(-1) });
    expect(resumed.linearHead).toEqual(full.linearHead);
  });
});
