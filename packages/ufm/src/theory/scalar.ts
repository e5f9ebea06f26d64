import { InvalidArgumentError } from '@nclab/backend/host';

/**
 * Scalar root finding shared by the closed forms: plain bisection on a bracket where the function
 * changes sign, to full float64 precision (the functions are cheap and monotone on the bracket).
 */
export function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let flo = f(lo);
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    const fm = f(mid);
    if (fm === 0) return mid;
    if ((fm > 0) === (flo > 0)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

/**
 * Throws a typed error naming `name` unless `v` is an options object (the theory entries' first check,
 * so a missing object never surfaces as a raw `TypeError`).
 * @throws {InvalidArgumentError} for `undefined`, `null` or a non-object.
 */
export function assertOptionsObject(name: string, v: unknown): asserts v is object {
  if (v === null || typeof v !== 'object') throw new InvalidArgumentError(name, 'an options object', v);
}
