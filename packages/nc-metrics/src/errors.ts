/**
 * The typed failure conditions of the metrics, told apart by class (never by message text).
 */
import { InvalidArgumentError } from '@nclab/backend/host';

/**
 * All class means coincide (tr Σ_B = 0), so the NC1 ratios tr(Σ_W)/tr(Σ_B) and tr(Σ_W Σ_B^†) are
 * undefined. An `InvalidArgumentError` (code `INVALID_ARGUMENT`) naming the features argument; a
 * caller that reads this state as "no collapse" (NC1 = ∞) catches exactly this class:
 * @example
 * try { nc1TraceRatio(x, labels); } catch (e) { if (e instanceof DegenerateClassMeansError) return Infinity; throw e; }
 */
export class DegenerateClassMeansError extends InvalidArgumentError {
  /** @param argument - the features argument (default `'features'`). */
  constructor(argument = 'features') {
    super(argument, 'with distinct class means (tr Σ_B > 0)', 'all class means equal');
  }
}
