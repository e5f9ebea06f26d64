import { describe, expect, it } from 'vitest';
import { reluInPlace, reluMaskInPlace } from '../src/index.js';
import { getKernels, reluMaskScalar, reluScalar } from '../src/host/relu.js';

// every class of float32: signed zeros, subnormals, normals, extremes, ±Inf, NaNs of both signs and
// payloads, then arbitrary bit patterns (a fixed hash sequence); long enough to cross a 8,192-entry
// scratch chunk and end on a partial vector
function floats(n: number): Float32Array {
  if (n < 64) return floats(64).slice(0, n);
  const special = [0, -0, 1e-45, -1e-45, 1.1754942e-38, -1.1754942e-38, 0.5, -0.5, 1, -1, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, NaN];
  const v = new Float32Array(n);
  v.set(special);
  const bits = new Uint32Array(v.buffer);
  bits.set([0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff, 0x80000001, 0xff7fffff], special.length);
  for (let i = special.length + 7, x = 0x9e3779b9; i < n; i++) bits[i] = x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return v;
}
const reference = (v: number): number => (Number.isNaN(v) ? v : v > 0 ? v : 0);
const sameBits = (a: Float32Array, b: Float32Array): boolean => new Uint32Array(a.buffer, a.byteOffset, a.length).every((x, i) => x === new Uint32Array(b.buffer, b.byteOffset, b.length)[i]);

describe('reluInPlace / reluMaskInPlace on float32 bits', () => {
  it('the WebAssembly SIMD kernels compile here (so the tests below exercise them)', () => {
    expect(getKernels()).not.toBeNull();
  });

  for (const n of [3, 65, 1000, 8192, 8192 * 2 + 7]) {
    it(`relu is max(z, 0) on every float32 class, n = ${n} (NaN kept bit for bit, −0 → +0)`, () => {
      const values = floats(n);
      const z = values.slice();
      reluInPlace(z);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(values[i])) expect(new Uint32Array(z.buffer)[i]).toBe(new Uint32Array(values.buffer)[i]);
        else expect(Object.is(z[i], reference(values[i])), `relu(${values[i]}) gave ${z[i]} at ${i}`).toBe(true);
      }
      const s = values.slice();
      reluScalar(s, n);
      expect(sameBits(z, s)).toBe(true);
    });

    it(`the mask keeps g where h > 0 or h is NaN and clears it to +0 where h ≤ 0, n = ${n}`, () => {
      const h = floats(n);
      const g = Float32Array.from(h, (_, i) => (i % 7) - 3.5);
      const expected = Float32Array.from(g, (x, i) => (h[i] > 0 || Number.isNaN(h[i]) ? x : 0));
      const s = g.slice();
      reluMaskInPlace(g, h);
      expect(sameBits(g, expected)).toBe(true);
      reluMaskScalar(s, h, n);
      expect(sameBits(s, expected)).toBe(true);
    });
  }

  it('touches only the first n entries of views at an offset', () => {
    const buf = new Float32Array(20000).fill(-1);
    reluInPlace(buf.subarray(3), 9000);
    expect([buf[2], buf[3], buf[9002], buf[9003]]).toEqual([-1, 0, 0, -1]);
    const g = new Float32Array(20000).fill(2);
    reluMaskInPlace(g.subarray(1), buf.subarray(1), 9001);
    expect([g[0], g[1], g[2], g[9001], g[9002]]).toEqual([2, 0, 0, 0, 2]); // h = −1, −1, 0 … 0 there
  });
});
