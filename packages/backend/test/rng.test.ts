import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';

describe('createRng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42).normalArray(100);
    const b = createRng(42).normalArray(100);
    const c = createRng(43).normalArray(100);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('produces standard normals with mean ≈ 0 and variance ≈ 1', () => {
    const x = createRng(1).normalArray(200_000);
    let s = 0, s2 = 0;
    for (const v of x) { s += v; s2 += v * v; }
    const mean = s / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(s2 / x.length - mean * mean - 1)).toBeLessThan(0.01);
  });

  it('produces uniforms in [0, 1) with mean ≈ 1/2', () => {
    const x = createRng(7).uniformArray(100_000);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    let total = 0;
    for (const v of x) total += v;
    const mean = total / x.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });

  it('returns a permutation containing each index once', () => {
    const p = createRng(3).permutation(1000);
    expect(Array.from(p).sort((u, v) => u - v)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects a non-finite seed with a typed error naming the argument', () => {
    expect(() => createRng(Number.NaN)).toThrow(/`seed` must be a finite number/);
  });
});
