import { InvalidArgumentError } from '@nclab/backend';

/** Which end of the spectrum an eigensolver returns. */
export type Which = 'LA' | 'SA' | 'LM';

/** Throws unless `which` is one of `'LA'` (largest algebraic), `'SA'` (smallest), `'LM'` (largest magnitude). */
export function assertWhich(which: string): asserts which is Which {
  if (which !== 'LA' && which !== 'SA' && which !== 'LM') {
    throw new InvalidArgumentError('which', `one of 'LA', 'SA', 'LM'`, which);
  }
}

/** Throws unless `k` is an integer in [1, n]. */
export function assertK(k: number, n: number, name = 'k'): void {
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new InvalidArgumentError(name, `an integer in 1..${n} (the operator size)`, k);
  }
}

/** Throws unless `steps` is a positive integer. */
export function assertSteps(name: string, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) throw new InvalidArgumentError(name, 'a positive integer', steps);
}

/** Indices of `values` ordered as `which` asks (LA: descending, SA: ascending, LM: by |value| descending). */
export function orderBy(values: ArrayLike<number>, which: Which): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  if (which === 'LA') idx.sort((a, b) => values[b] - values[a]);
  else if (which === 'SA') idx.sort((a, b) => values[a] - values[b]);
  else idx.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
  return idx;
}
