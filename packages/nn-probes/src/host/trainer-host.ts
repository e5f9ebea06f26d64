/**
 * The host training route of `trainMlp`: parameters as host float32 arrays, minibatches gathered into
 * one preallocated workspace, forward/backward by `sgemm` with `out` buffers and fused element-wise
 * passes, updates by the host optimiser. No tfjs engine is involved.
 */
import { lossTargets } from '../losses.js';
import { cloneParams } from '../mlp.js';
import type { OptimizerOptions, OptimizerState } from '../optimizers.js';
import type { LossName, MlpParams, TrainingSet } from '../types.js';
import { backwardHost, forwardHost, forwardRows, forwardWorkspace, lossAndGradient, mlpWorkspace, type ForwardWorkspace } from './mlp-pass.js';
import { createHostOptimizer } from './optimizer-host.js';

/** What the training loop needs from a route (the tfjs route implements the same). */
export interface TrainRoute {
  readonly name: 'host' | 'tfjs';
  /** One update on the samples `idx`; returns the minibatch loss before the update (no update when it is not finite). */
  step(idx: Int32Array): Promise<number>;
  /** Loss and accuracy of the current weights on `data`. */
  evaluate(data: TrainingSet, loss: LossName, batchSize: number): Promise<{ loss: number; accuracy: number }>;
  /** A host copy of the current weights. */
  params(): Promise<MlpParams>;
  /** Overwrites the weights. */
  assign(params: MlpParams): void;
  optimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): void;
  dispose(): void;
}

/** Copies rows `idx` of `src` (`[*, cols]`) into the first `idx.length` rows of `dst`. */
function gatherRows(src: Float32Array, cols: number, idx: ArrayLike<number>, dst: Float32Array): void {
  for (let r = 0; r < idx.length; r++) dst.set(src.subarray(idx[r] * cols, (idx[r] + 1) * cols), r * cols);
}

/**
 * Loss and accuracy of host parameters on a data set, in chunks of `batchSize` rows read in place
 * (forward passes only, {@link forwardRows}), on `fws` when given (chunks of at most its capacity) or
 * on fresh buffers. A chunk is one product per layer: NumPy's peer evaluates all 2,000 rows in one
 * product, and 128-row chunks made the evaluation twice as slow as that (issue 22).
 * @returns `{ loss, accuracy }` (loss convention of `loss`, see `batchLoss`).
 * @example
 * const { accuracy } = evaluateHost(params, test, 'mse', 1024, lossTargets('mse', test.labels, 10));
 */
export function evaluateHost(params: MlpParams, data: TrainingSet, loss: LossName, batchSize: number, targets: Float32Array, fws?: ForwardWorkspace): { loss: number; accuracy: number } {
  const chunk = Math.max(1, Math.min(batchSize, data.n, fws?.capacity ?? Infinity));
  const work = fws ?? forwardWorkspace(params.spec, chunk);
  const K = params.spec.numClasses;
  let lossSum = 0;
  let correct = 0;
  for (let s = 0; s < data.n; s += chunk) {
    const rows = Math.min(data.n, s + chunk) - s;
    const out = forwardRows(params, data.x.subarray(s * data.dim, (s + rows) * data.dim), rows, work);
    lossSum += lossAndGradient(loss, out, targets.subarray(s * K, (s + rows) * K), rows, K) * rows;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (out[r * K + c] > out[r * K + best]) best = c;
      if (best === data.labels[s + r]) correct++;
    }
  }
  return { loss: lossSum / data.n, accuracy: correct / data.n };
}

/**
 * Creates the host route for `initial` (copied) with the given optimiser and minibatch size: the
 * route `trainMlp` uses by default.
 * @returns the route; `dispose` is a no-op (plain arrays).
 * @example
 * const route = hostTrainRoute(params, train, 'mse', { name: 'sgd', lr: 0.05 }, 128);
 * await route.step(Int32Array.of(0, 1, 2)); // the minibatch loss before the update
 */
export function hostTrainRoute(initial: MlpParams, train: TrainingSet, loss: LossName, optimizer: OptimizerOptions, batchSize: number): TrainRoute {
  const params = cloneParams(initial);
  const opt = createHostOptimizer(params, optimizer);
  const ws = mlpWorkspace(params.spec, Math.max(1, Math.min(batchSize, train.n)), opt.fusedSgd === null);
  // evaluation: forward passes over chunks of the evaluation batch, on two buffers made at the first
  // evaluation and kept (a larger chunk later replaces them)
  let fws: ForwardWorkspace | undefined;
  const K = params.spec.numClasses;
  const yb = new Float32Array(ws.capacity * K);
  const trainTargets = lossTargets(loss, train.labels, K);
  return {
    name: 'host',
    async step(idx) {
      const rows = idx.length;
      gatherRows(train.x, train.dim, idx, ws.acts[0]);
      gatherRows(trainTargets, K, idx, yb);
      const out = forwardHost(params, ws, rows); // all-NaN once the weights diverged
      const value = lossAndGradient(loss, out, yb, rows, K, ws.dOut);
      if (!Number.isFinite(value)) return value;
      // plain SGD: each weight takes its step inside its gradient product (no pass over the weights)
      const fused = opt.fusedSgd;
      backwardHost(params, ws, rows, fused ?? undefined);
      opt.step(fused ? null : ws.gradW, ws.gradB);
      return value;
    },
    async evaluate(data, lossName, evalBatch) {
      const targets = data === train && lossName === loss ? trainTargets : lossTargets(lossName, data.labels, K);
      const chunk = Math.max(1, Math.min(evalBatch, data.n));
      if (fws === undefined || fws.capacity < chunk) fws = forwardWorkspace(params.spec, chunk);
      return evaluateHost(params, data, lossName, chunk, targets, fws);
    },
    async params() {
      return cloneParams(params);
    },
    assign(p) {
      p.layers.forEach((layer, l) => {
        params.layers[l].weight.set(layer.weight);
        if (layer.bias && params.layers[l].bias) params.layers[l].bias!.set(layer.bias);
      });
    },
    async optimizerState() {
      return opt.getState();
    },
    setOptimizerState(state) {
      opt.setState(state);
    },
    dispose() {},
  };
}
