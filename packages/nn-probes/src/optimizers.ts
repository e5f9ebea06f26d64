import type * as TfCore from '@tensorflow/tfjs-core';
import { InvalidArgumentError, assertPositive, getTf, type Tf } from '@nclab/backend';
import type { OptimizerName } from './types.js';

/** Options of {@link createOptimizer}. Conventions follow PyTorch's `torch.optim.SGD` and `AdamW`. */
export interface OptimizerOptions {
  /** `'sgd'` (with optional momentum) or `'adamw'`. */
  name: OptimizerName;
  /** Learning rate η > 0. */
  lr: number;
  /** SGD heavy-ball momentum μ ∈ [0, 1). Default 0. */
  momentum?: number;
  /** SGD: Nesterov momentum. Default false. */
  nesterov?: boolean;
  /** Weight decay λ ≥ 0. SGD: coupled L2 (g ← g + λw). AdamW: decoupled (w ← w(1 − ηλ)). Default 0 for SGD, 0.01 for AdamW. */
  weightDecay?: number;
  /** AdamW β₁, β₂. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** AdamW ε. Default 1e-8. */
  eps?: number;
}

/** Optimiser state that a checkpoint must save to resume exactly. */
export interface OptimizerState {
  /** Number of steps taken. */
  step: number;
  /** Named host buffers, e.g. `momentum_3` or `adam_m_0`, each the size of its variable (same layout). */
  buffers: Record<string, Float32Array>;
}

/** A stateful optimiser over a fixed list of tfjs variables. */
export interface Optimizer {
  readonly options: Readonly<Required<Omit<OptimizerOptions, 'betas'>> & { betas: [number, number] }>;
  /** Applies one update given gradients in the order of the variable list. */
  step(grads: TfCore.Tensor[]): void;
  /** Copies the state to the host. */
  getState(): Promise<OptimizerState>;
  /** Restores a state from {@link getState} (same variables). */
  setState(state: OptimizerState): void;
  /** Releases the state tensors. */
  dispose(): void;
}

/**
 * Validates optimiser options and fills PyTorch's defaults.
 * @throws {InvalidArgumentError} on an unknown name, a non-positive `lr`, momentum outside [0, 1),
 *   negative weight decay, betas outside [0, 1), or a non-positive `eps`.
 * @returns the options with defaults.
 * @example
 * resolveOptimizerOptions({ name: 'adamw', lr: 1e-3 }).weightDecay; // returns 0.01
 */
export function resolveOptimizerOptions(o: OptimizerOptions): Optimizer['options'] {
  if (o.name !== 'sgd' && o.name !== 'adamw') throw new InvalidArgumentError('optimizer', "'sgd' or 'adamw'", o.name);
  assertPositive('lr', o.lr);
  const momentum = o.momentum ?? 0;
  if (!(momentum >= 0 && momentum < 1)) throw new InvalidArgumentError('momentum', 'a number in [0, 1)', momentum);
  const weightDecay = o.weightDecay ?? (o.name === 'adamw' ? 0.01 : 0);
  assertPositive('weightDecay', weightDecay, true);
  const betas = o.betas ?? [0.9, 0.999];
  if (!betas.every((b) => b >= 0 && b < 1)) throw new InvalidArgumentError('betas', 'two numbers in [0, 1)', betas);
  const eps = o.eps ?? 1e-8;
  assertPositive('eps', eps);
  const nesterov = o.nesterov ?? false;
  if (nesterov && momentum === 0) throw new InvalidArgumentError('nesterov', 'false when momentum is 0', nesterov);
  return { name: o.name, lr: o.lr, momentum, nesterov, weightDecay, betas, eps };
}

/**
 * Creates an optimiser for `variables`.
 * ```math
 * SGD:    g ← g + λw;  b ← μb + g (b₀ = g);  d = g + μb (Nesterov) or b (μ > 0) or g;  w ← w − ηd
 * AdamW:  w ← w(1 − ηλ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *         w ← w − η (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * ```
 * (Loshchilov & Hutter 2019, "Decoupled weight decay regularization"; PyTorch `torch.optim.AdamW`.)
 * @param variables - the trainable variables, in a fixed order.
 * @throws {InvalidArgumentError} see {@link resolveOptimizerOptions}.
 * @example
 * const opt = createOptimizer(net.weights, { name: 'adamw', lr: 1e-3 });
 */
export function createOptimizer(variables: TfCore.Variable[], options: OptimizerOptions): Optimizer {
  const tf = getTf() as Tf;
  const opts = resolveOptimizerOptions(options);
  const { name, lr, momentum, nesterov, weightDecay, betas, eps } = opts;
  let stepCount = 0;
  const zeros = (): TfCore.Variable[] =>
    variables.map((v) => {
      const z = tf.zerosLike(v);
      const out = tf.variable(z, false);
      z.dispose();
      return out;
    });
  const mom = name === 'sgd' && momentum > 0 ? zeros() : [];
  const m = name === 'adamw' ? zeros() : [];
  const s = name === 'adamw' ? zeros() : [];

  function step(grads: TfCore.Tensor[]): void {
    stepCount += 1;
    const t = stepCount;
    tf.tidy(() => {
      variables.forEach((w, i) => {
        let g = grads[i];
        if (name === 'sgd') {
          if (weightDecay > 0) g = tf.add(g, tf.mul(w, weightDecay));
          if (momentum > 0) {
            const b = t === 1 ? g : tf.add(tf.mul(mom[i], momentum), g);
            mom[i].assign(b);
            g = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
          }
          w.assign(tf.sub(w, tf.mul(g, lr)));
        } else {
          const [b1, b2] = betas;
          let wNew: TfCore.Tensor = weightDecay > 0 ? tf.mul(w, 1 - lr * weightDecay) : w;
          const mi = tf.add(tf.mul(m[i], b1), tf.mul(g, 1 - b1));
          const si = tf.add(tf.mul(s[i], b2), tf.mul(tf.square(g), 1 - b2));
          m[i].assign(mi);
          s[i].assign(si);
          const mHat = tf.div(mi, 1 - b1 ** t);
          const denom = tf.add(tf.sqrt(tf.div(si, 1 - b2 ** t)), eps);
          wNew = tf.sub(wNew, tf.mul(tf.div(mHat, denom), lr));
          w.assign(wNew);
        }
      });
    });
  }

  async function getState(): Promise<OptimizerState> {
    const buffers: Record<string, Float32Array> = {};
    for (let i = 0; i < mom.length; i++) buffers[`momentum_${i}`] = Float32Array.from(await mom[i].data());
    for (let i = 0; i < m.length; i++) buffers[`adam_m_${i}`] = Float32Array.from(await m[i].data());
    for (let i = 0; i < s.length; i++) buffers[`adam_v_${i}`] = Float32Array.from(await s[i].data());
    return { step: stepCount, buffers };
  }

  function setState(state: OptimizerState): void {
    const restore = (list: TfCore.Variable[], prefix: string): void => {
      list.forEach((v, i) => {
        const data = state.buffers[`${prefix}_${i}`];
        if (!data || data.length !== v.size) {
          throw new InvalidArgumentError(`optimizerState.buffers.${prefix}_${i}`, `a Float32Array of length ${v.size}`, data ? data.length : data);
        }
        tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
      });
    };
    restore(mom, 'momentum');
    restore(m, 'adam_m');
    restore(s, 'adam_v');
    stepCount = state.step;
  }

  return {
    options: opts,
    step,
    getState,
    setState,
    dispose() {
      for (const v of [...mom, ...m, ...s]) v.dispose();
    },
  };
}
