/** Small statistics for timings. */

/**
 * The median of a non-empty list (mean of the two middle values for an even count).
 * @throws {RangeError} when `values` is empty or holds a non-finite number.
 * @example
 * median([3, 1, 2]); // returns 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('invalid argument. `values` must be non-empty. Value: `[]`.');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`invalid argument. \`values\` must be finite numbers. Value: \`${v}\`.`);
  }
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Ours / peer: above 1 means we are slower. `null` when either side is missing or the peer time is 0.
 * @example
 * ratio(0.2, 0.1); // returns 2
 */
export function ratio(ours: number | null, peer: number | null): number | null {
  if (ours === null || peer === null || !Number.isFinite(ours) || !Number.isFinite(peer) || peer <= 0) return null;
  return ours / peer;
}

/**
 * Relative difference |a − b| / max(|b|, 1e-300): b is the reference (the peer's value), and a zero
 * reference does not divide by zero. What benches check their result against the peer's with.
 * @example
 * rel(1.01, 1); // returns 0.01 (to rounding)
 */
export function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** Seconds in a readable unit: `1.23 s`, `45.6 ms`, `789 µs`. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(s >= 0.1 ? 0 : 1)} ms`;
  return `${(s * 1e6).toFixed(0)} µs`;
}

/** A ratio as `2.41×`, or `—`. */
export function formatRatio(r: number | null): string {
  return r === null ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}
