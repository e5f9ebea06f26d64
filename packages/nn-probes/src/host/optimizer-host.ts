/**
 * SGD (heavy-ball / Nesterov momentum, coupled weight decay) and AdamW on host float32 buffers: the
 * same update rules as the tfjs optimiser of `../optimizers.ts` (PyTorch conventions), each a single
 * fused pass per parameter array. The state exchanged with checkpoints uses the tfjs optimiser's
 * names and layouts (weights `[in, out]`), so a run can resume on either route.
 */
import { InvalidArgumentError } from '@nclab/backend';
import { resolveOptimizerOptions, type Optimizer, type OptimizerOptions, type OptimizerState } from '../optimizers.js';
import type { MlpParams } from '../types.js';
import type { FusedSgd } from './mlp-pass.js';

/** A host optimiser over the (mutable) weight and bias arrays of one network. */
export interface HostOptimizer {
  readonly options: Optimizer['options'];
  /**
   * The step a backward pass can apply to the weights itself (`backwardHost`'s `sgd`): set for plain
   * SGD (no momentum), whose weight update needs no state; null otherwise.
   */
  readonly fusedSgd: FusedSgd | null;
  /**
   * One update from gradients `gradW[l]` `[out, in]` and `gradB[l]` `[out]`; `gradW` null when the
   * backward pass already applied {@link fusedSgd} to the weights (the biases and the step count are
   * updated here).
   */
  step(gradW: readonly Float32Array[] | null, gradB: readonly Float32Array[]): void;
  /** The state in the tfjs optimiser's format (variables: weights then biases; weight buffers `[in, out]`). */
  getState(): OptimizerState;
  /** Restores a state from either route's `getState`. */
  setState(state: OptimizerState): void;
}

interface Slot {
  param: Float32Array;
  /** [out, in] of a weight (transposed in the exchanged state); null for a bias. */
  shape: [number, number] | null;
}

function transposeInto(src: Float32Array, rows: number, cols: number, dst: Float32Array): Float32Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
  return dst;
}

/**
 * Creates a host optimiser updating `params`' arrays in place.
 * ```math
 * SGD:    g ← g + λw;  b ← μb + g (b₀ = g);  d = g + μb (Nesterov) or b (μ > 0) or g;  w ← w − ηd
 * AdamW:  w ← w(1 − ηλ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * ```
 * @throws {InvalidArgumentError} see `resolveOptimizerOptions`.
 * @example
 * const opt = createHostOptimizer(params, { name: 'sgd', lr: 0.05, momentum: 0.9 });
 * opt.step(ws.gradW, ws.gradB);
 * // plain SGD: the backward pass takes the weight step, the optimiser the biases
 * backwardHost(params, ws, rows, opt.fusedSgd ?? undefined);
 * opt.step(opt.fusedSgd ? null : ws.gradW, ws.gradB);
 */
export function createHostOptimizer(params: MlpParams, options: OptimizerOptions): HostOptimizer {
  const opts = resolveOptimizerOptions(options);
  const { name, lr, momentum, nesterov, weightDecay, betas, eps } = opts;
  const slots: Slot[] = [
    ...params.layers.map((p) => ({ param: p.weight, shape: [p.outDim, p.inDim] as [number, number] })),
    ...params.layers.filter((p) => p.bias).map((p) => ({ param: p.bias!, shape: null })),
  ];
  const zeros = (): Float32Array[] => slots.map((s) => new Float32Array(s.param.length));
  const mom = name === 'sgd' && momentum > 0 ? zeros() : [];
  const m = name === 'adamw' ? zeros() : [];
  const v = name === 'adamw' ? zeros() : [];
  let t = 0;

  function update(i: number, g: Float32Array): void {
    const w = slots[i].param;
    const n = w.length;
    if (name === 'sgd') {
      if (momentum === 0) {
        for (let k = 0; k < n; k++) w[k] -= lr * (g[k] + weightDecay * w[k]);
        return;
      }
      const b = mom[i];
      for (let k = 0; k < n; k++) {
        const gk = Math.fround(g[k] + weightDecay * w[k]);
        const bk = t === 1 ? gk : Math.fround(momentum * b[k] + gk);
        b[k] = bk;
        w[k] -= lr * (nesterov ? Math.fround(gk + momentum * bk) : bk);
      }
      return;
    }
    const [b1, b2] = betas;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    const decay = 1 - lr * weightDecay;
    const mi = m[i];
    const vi = v[i];
    for (let k = 0; k < n; k++) {
      const gk = g[k];
      const mk = (mi[k] = b1 * mi[k] + (1 - b1) * gk);
      const vk = (vi[k] = b2 * vi[k] + (1 - b2) * gk * gk);
      w[k] = w[k] * decay - lr * ((mk / c1) / (Math.sqrt(vk / c2) + eps));
    }
  }

  const fusedSgd: FusedSgd | null = name === 'sgd' && momentum === 0 ? { lr, weightDecay } : null;
  return {
    options: opts,
    fusedSgd,
    step(gradW, gradB) {
      if (gradW === null && fusedSgd === null) throw new InvalidArgumentError('gradW', 'the weight gradients (only plain SGD fuses its step into the backward pass)', null);
      t += 1;
      let i = 0;
      if (gradW === null) i = params.layers.length; // the weights took their step in backwardHost
      else for (const g of gradW) update(i++, g);
      params.layers.forEach((p, l) => {
        if (p.bias) update(i++, gradB[l]);
      });
    },
    getState() {
      const buffers: Record<string, Float32Array> = {};
      const out = (list: Float32Array[], prefix: string): void =>
        list.forEach((b, i) => {
          const sh = slots[i].shape;
          buffers[`${prefix}_${i}`] = sh ? transposeInto(b, sh[0], sh[1], new Float32Array(b.length)) : b.slice();
        });
      out(mom, 'momentum');
      out(m, 'adam_m');
      out(v, 'adam_v');
      return { step: t, buffers };
    },
    setState(state) {
      const restore = (list: Float32Array[], prefix: string): void =>
        list.forEach((b, i) => {
          const data = state.buffers[`${prefix}_${i}`];
          if (!data || data.length !== b.length) {
            throw new InvalidArgumentError(`optimizerState.buffers.${prefix}_${i}`, `a Float32Array of length ${b.length}`, data ? data.length : data);
          }
          const sh = slots[i].shape;
          if (sh) transposeInto(data, sh[1], sh[0], b);
          else b.set(data);
        });
      restore(mom, 'momentum');
      restore(m, 'adam_m');
      restore(v, 'adam_v');
      t = state.step;
    },
  };
}
