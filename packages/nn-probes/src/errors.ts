import { NumericalError } from '@nclab/backend';

/**
 * Training produced a non-finite loss. Training stops at once; the network is restored to the last
 * epoch that ended with finite values, which is also the last state handed to `onCheckpoint` (if any).
 */
export class TrainingDivergedError extends NumericalError {
  /** The epoch (1-based) during which the loss became non-finite. */
  readonly epoch: number;
  /** The minibatch (0-based) of that epoch whose loss was non-finite. */
  readonly batch: number;
  /** The last epoch that ended with a finite loss (0 = the initialisation). */
  readonly lastGoodEpoch: number;
  constructor(epoch: number, batch: number, lastGoodEpoch: number, loss: number) {
    super(
      'training',
      `the loss became ${loss} at epoch ${epoch}${batch >= 0 ? `, minibatch ${batch}` : ' (after its updates)'}; training stopped and kept the state of epoch ${lastGoodEpoch}` +
        '. Lower the learning rate or the initialisation scale.',
    );
    this.epoch = epoch;
    this.batch = batch;
    this.lastGoodEpoch = lastGoodEpoch;
  }
}
