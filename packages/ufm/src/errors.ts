import { NumericalError } from '@nclab/backend/host';

/**
 * A solver run diverged: the objective became NaN/Inf or exploded past `divergenceFactor` times
 * its starting value. The message names the step size and suggests a smaller one.
 */
export class UfmDivergenceError extends NumericalError {
  /** Iteration at which divergence was detected. */
  readonly step: number;
  /** The step size (learning rate) in use. */
  readonly lr: number;
  /** The objective value that triggered the stop (may be NaN or Infinity). */
  readonly objective: number;
  /** A step size ten times smaller, suggested in the message. */
  readonly suggestedLr: number;
  constructor(method: string, step: number, lr: number, objective: number) {
    const suggestedLr = lr / 10;
    super(
      `${method} solver`,
      `the objective diverged at step ${step} (objective = ${objective}) with step size lr = ${lr}; ` +
        `use a smaller step, e.g. lr = ${suggestedLr} (CLI: --lr ${suggestedLr}), or switch to --solver lbfgs`,
    );
    this.step = step;
    this.lr = lr;
    this.objective = objective;
    this.suggestedLr = suggestedLr;
  }
}
