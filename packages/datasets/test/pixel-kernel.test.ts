import { describe, expect, it } from 'vitest';
import { createRng } from '@nclab/backend/host';
import { scalePixels } from '../src/index.js';
import { affineU8ToF32Js, affineU8ToF32Wasm, hasPixelKernel } from '../src/pixel-kernel.js';

const ALL = Uint8Array.from({ length: 256 }, (_, p) => p);
const SCALES = [
  ['unit', 1, 0, (p: number) => p / 255],
  ['symmetric', 2, -255, (p: number) => p / 127.5 - 1],
] as const;

describe('u8 → f32 pixel conversion', () => {
  it('assembles a valid WebAssembly SIMD module on Node 20', () => {
    expect(hasPixelKernel()).toBe(true);
  });

  it.each(SCALES)('%s: the SIMD kernel, the JavaScript loop and f32 of the float64 formula agree on all 256 values', (_, mul, add, formula) => {
    const a = new Float32Array(256);
    const b = new Float32Array(256);
    expect(affineU8ToF32Wasm(ALL, a, mul, add, 255)).toBe(true);
    affineU8ToF32Js(ALL, b, mul, add, 255);
    for (let p = 0; p < 256; p++) {
      expect(a[p], `p = ${p}`).toBe(b[p]);
      expect(a[p], `p = ${p}`).toBe(Math.fround(formula(p)));
    }
    expect([a[0], a[255]]).toEqual(mul === 1 ? [0, 1] : [-1, 1]);
  });

  it.each([1, 15, 16, 17, 65535, 65536, 65537, 3 * 65536 + 7])('converts %i pixels, chunk boundaries and tails included', (n) => {
    const px = Uint8Array.from(createRng(n).uniformArray(n, 0, 256), Math.floor);
    const a = new Float32Array(n).fill(NaN);
    const b = new Float32Array(n);
    affineU8ToF32Wasm(px, a, 1, 0, 255);
    affineU8ToF32Js(px, b, 1, 0, 255);
    expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer))).toBe(0);
  });

  it('leaves the output beyond the input untouched', () => {
    const out = new Float32Array(40).fill(-7);
    affineU8ToF32Wasm(ALL.subarray(0, 20), out.subarray(0, 20), 1, 0, 255);
    expect(Array.from(out.subarray(20))).toEqual(new Array(20).fill(-7));
  });

  it('scalePixels float32 and float64 agree up to f32 rounding', () => {
    const px = Uint8Array.from(createRng(1).uniformArray(1000, 0, 256), Math.floor);
    for (const scale of ['unit', 'symmetric'] as const) {
      const f32 = scalePixels(px, 10, 100, { scale, dtype: 'float32' }).data;
      const f64 = scalePixels(px, 10, 100, { scale, dtype: 'float64' }).data;
      for (let i = 0; i < px.length; i++) expect(f32[i]).toBe(Math.fround(f64[i]));
    }
  });
});
