/**
 * The options every trainer of this package shares (`trainMlp`, `trainCnn`): their checks, defaults and
 * the per-epoch shuffle seed, in one place.
 */
import { InvalidArgumentError, assertInteger } from '@nclab/backend';
import { resolveOptimizerOptions, type OptimizerOptions } from './optimizers.js';
import type { LossName } from './types.js';

/** The schedule, loss and optimiser options of `TrainOptions` and `TrainCnnOptions`. */
export interface CommonTrainOptions {
  /** Number of epochs (≥ 0). */
  epochs: number;
  /** Learning rate. */
  lr: number;
  /** Minibatch size. Default 128. The last minibatch of an epoch may be smaller (PyTorch `drop_last=False`). */
  batchSize?: number;
  /** Default `'sgd'`. */
  optimizer?: OptimizerOptions['name'];
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** Default `'mse'` (PyTorch MSELoss on ±1 one-hot targets). */
  loss?: LossName;
  /** Hand the state to `onCheckpoint` every this many epochs (and after the last). Default 10. */
  checkpointEvery?: number;
}

/** {@link CommonTrainOptions} checked, with the defaults filled in. */
export interface CheckedTrainOptions {
  readonly batchSize: number;
  readonly loss: LossName;
  readonly checkpointEvery: number;
  /** The optimiser options (validated by `resolveOptimizerOptions`). */
  readonly optimizer: OptimizerOptions;
}

/**
 * Checks the options a trainer shares: `epochs` ≥ 0, `batchSize` ≥ 1 (default 128), `loss` 'mse' or 'ce'
 * (default 'mse'), `checkpointEvery` ≥ 1 (default 10), and the optimiser (`lr`, momentum, weight decay).
 * @returns the options with the defaults filled in.
 * @throws {InvalidArgumentError} naming the first bad option.
 * @example
 * const { batchSize, loss, optimizer } = checkTrainOptions({ epochs: 10, lr: 0.05 }); // 128, 'mse', SGD
 */
export function checkTrainOptions(o: CommonTrainOptions): CheckedTrainOptions {
  assertInteger('epochs', o.epochs, 0);
  const batchSize = o.batchSize ?? 128;
  assertInteger('batchSize', batchSize, 1);
  const loss: LossName = o.loss ?? 'mse';
  if (loss !== 'mse' && loss !== 'ce') throw new InvalidArgumentError('loss', "'mse' or 'ce'", loss);
  const checkpointEvery = o.checkpointEvery ?? 10;
  assertInteger('checkpointEvery', checkpointEvery, 1);
  const optimizer: OptimizerOptions = { name: o.optimizer ?? 'sgd', lr: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.weightDecay };
  resolveOptimizerOptions(optimizer);
  return { batchSize, loss, checkpointEvery, optimizer };
}

/**
 * The seed of epoch `epoch`'s shuffle in a run seeded `seed` (one generator per epoch, so a resumed run
 * visits the samples in the same order).
 * @returns an unsigned 32-bit seed.
 * @example
 * createRng(epochSeed(0, 1)).permutation(n); // the order of epoch 1
 */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(Math.trunc(seed) | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}
