import { describe, expect, it } from 'vitest';
import { createRng } from '../src/random/rng.js';
import { expFast } from '../src/host/exp.js';

describe('expFast', () => {
  it('is within 1.5 ulp of Math.exp over the normal range, kernel arguments included', () => {
    const u = createRng(3).uniformArray(200_000) as Float64Array;
    let worst = 0;
    for (let i = 0; i < u.length; i++) {
      // half the points over [−708, 709], half over the kernel range [−20, 0]
      const x = i % 2 === 0 ? -708 + 1417 * u[i] : -20 * u[i];
      const ref = Math.exp(x);
      worst = Math.max(worst, Math.abs(expFast(x) - ref) / ref);
    }
    expect(worst).toBeLessThan(1.5 * 2 ** -52);
    expect(worst).toBeGreaterThan(0); // a different algorithm from Math.exp, not a call to it
  });
  it('handles the edges: 0, ±∞, NaN, overflow, underflow and subnormal results', () => {
    expect(expFast(0)).toBe(1);
    expect(expFast(-Infinity)).toBe(0);
    expect(expFast(Infinity)).toBe(Infinity);
    expect(expFast(NaN)).toBeNaN();
    expect(expFast(710)).toBe(Infinity);
    expect(expFast(-746)).toBe(0);
    const big = expFast(709.7);
    expect(Math.abs(big - Math.exp(709.7)) / Math.exp(709.7)).toBeLessThan(4e-16);
    for (const x of [-709, -720, -740]) {
      const ref = Math.exp(x); // subnormal: absolute error within one subnormal step
      expect(Math.abs(expFast(x) - ref)).toBeLessThanOrEqual(ref * 4e-16 + 5e-324);
    }
  });
});
