/**
 * The u8 → f32 pixel conversion y = (p·mul + add) / div, the hot loop of every image loader.
 *
 * A scalar JavaScript loop costs about 5–8 ns per pixel on the project's machine; a 128-bit SIMD
 * WebAssembly kernel (16 pixels per iteration: widen u8 → u16 → u32, convert to f32, multiply, add,
 * divide) costs under 2 ns including the copies in and out. The module is assembled here from opcodes
 * at first use (no binary in the repository, no toolchain); where WebAssembly SIMD is unavailable the
 * JavaScript loop runs instead.
 *
 * Exactness: p·mul + add is an exact small integer in f32 for the coefficients used ((1, 0) for
 * p/255, (2, −255) for p/127.5 − 1), so the only rounding is the IEEE f32 division; the JavaScript
 * path gives the identical f32 value for all 256 inputs (checked by the tests).
 */

import { uleb128 } from '@nclab/backend/host';

/** Pixels converted per call of the kernel: 64 KiB in, 256 KiB out. */
const CHUNK = 65536;

interface Kernel {
  readonly memory: WebAssembly.Memory;
  readonly run: (src: number, dst: number, n: number, mul: number, add: number, div: number) => void;
}

let kernel: Kernel | null | undefined;

/** The module bytes: one memory (5 pages) and `u8f32(src, dst, n, mul, add, div)`, n a multiple of 16. */
function assemble(): Uint8Array<ArrayBuffer> {
  const simd = (op: number) => [0xfd, ...uleb128(op)];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const i32c = (v: number) => [0x41, ...uleb128(v)];
  const section = (id: number, body: number[]) => [id, ...uleb128(body.length), ...body];
  const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  // params: 0 src, 1 dst, 2 n (i32), 3 mul, 4 add, 5 div (f32)
  // locals: 6 i (i32), 7 x, 8 mul×4, 9 add×4, 10 div×4, 11 widened half (v128), 12 output address (i32)
  const F32X4_SPLAT = 0x13, V128_LOAD = 0x00, V128_STORE = 0x0b;
  const U16_LOW = 0x89, U16_HIGH = 0x8a, U32_LOW = 0xa9, U32_HIGH = 0xaa;
  const CONVERT = 0xfa, MUL = 0xe6, ADD = 0xe4, DIV = 0xe7;
  const quarter = (widen: number, offset: number) => [
    ...get(12), ...get(11), ...simd(widen), ...simd(CONVERT),
    ...get(8), ...simd(MUL), ...get(9), ...simd(ADD), ...get(10), ...simd(DIV),
    ...simd(V128_STORE), 4, ...uleb128(offset),
  ];
  const body = [
    3, 1, 0x7f, 5, 0x7b, 1, 0x7f, // local groups: 1 × i32, 5 × v128, 1 × i32
    ...get(3), ...simd(F32X4_SPLAT), ...set(8),
    ...get(4), ...simd(F32X4_SPLAT), ...set(9),
    ...get(5), ...simd(F32X4_SPLAT), ...set(10),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(6), ...get(2), 0x4f, 0x0d, 1, // if i >= n (unsigned) break
    ...get(0), ...get(6), 0x6a, ...simd(V128_LOAD), 0, 0, ...set(7), // x = load16(src + i)
    ...get(1), ...get(6), ...i32c(2), 0x74, 0x6a, ...set(12), // addr = dst + 4i
    ...get(7), ...simd(U16_LOW), ...set(11),
    ...quarter(U32_LOW, 0), ...quarter(U32_HIGH, 16),
    ...get(7), ...simd(U16_HIGH), ...set(11),
    ...quarter(U32_LOW, 32), ...quarter(U32_HIGH, 48),
    ...get(6), ...i32c(16), 0x6a, ...set(6), // i += 16
    0x0c, 0, 0x0b, 0x0b, 0x0b, // continue; end loop; end block; end function
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7d, 0x7d, 0x7d, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 5]),
    ...section(7, [2, ...name('mem'), 2, 0, ...name('u8f32'), 0, 0]),
    ...section(10, [1, ...uleb128(body.length), ...body]),
  ]);
}

function getKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const bytes = assemble();
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      kernel = { memory: inst.exports.mem as WebAssembly.Memory, run: inst.exports.u8f32 as Kernel['run'] };
    }
  } catch {
    kernel = null; // no WebAssembly SIMD here: the JavaScript loop is used
  }
  return kernel;
}

/** True when the SIMD kernel is available in this runtime. */
export function hasPixelKernel(): boolean {
  return getKernel() !== null;
}

/**
 * out[i] = f32((pixels[i]·mul + add) / div) with the SIMD kernel; returns false (and writes nothing)
 * when WebAssembly SIMD is unavailable.
 */
export function affineU8ToF32Wasm(pixels: Uint8Array, out: Float32Array, mul: number, add: number, div: number): boolean {
  const k = getKernel();
  if (k === null) return false;
  const u8 = new Uint8Array(k.memory.buffer, 0, CHUNK);
  const f32 = new Float32Array(k.memory.buffer, CHUNK, CHUNK);
  for (let i = 0; i < pixels.length; i += CHUNK) {
    const len = Math.min(CHUNK, pixels.length - i);
    u8.set(pixels.subarray(i, i + len));
    k.run(0, CHUNK, (len + 15) & ~15, mul, add, div);
    out.set(len === CHUNK ? f32 : f32.subarray(0, len), i);
  }
  return true;
}

/** The same conversion in JavaScript (a 256-entry table of f32 values). */
export function affineU8ToF32Js(pixels: Uint8Array, out: Float32Array, mul: number, add: number, div: number): void {
  const lut = new Float32Array(256);
  for (let p = 0; p < 256; p++) lut[p] = (p * mul + add) / div;
  for (let i = 0; i < pixels.length; i++) out[i] = lut[pixels[i]];
}

/** out[i] = f32((pixels[i]·mul + add) / div): the SIMD kernel when available, else the JavaScript loop. */
export function affineU8ToF32(pixels: Uint8Array, out: Float32Array, mul: number, add: number, div: number): void {
  if (!affineU8ToF32Wasm(pixels, out, mul, add, div)) affineU8ToF32Js(pixels, out, mul, add, div);
}

/**
 * The same conversion fed in chunks by `fill` instead of from a whole input array: `fill(dst)` writes
 * the next `dst.length` pixels into `dst` (the SIMD kernel's own input memory when available, so a
 * file read lands where the kernel reads it) and the converted values go to `out[start …]`. One pass
 * over the data with no copy of the input held anywhere.
 * @param total - pixels to convert (`out.length`).
 * @param fill - writes exactly `dst.length` pixels into `dst` (called with consecutive ranges).
 */
export function affineU8ToF32Chunks(total: number, fill: (dst: Uint8Array) => void, out: Float32Array, mul: number, add: number, div: number): void {
  const k = getKernel();
  if (k === null) {
    const buf = new Uint8Array(Math.min(CHUNK, total));
    const lut = new Float32Array(256);
    for (let p = 0; p < 256; p++) lut[p] = (p * mul + add) / div;
    for (let i = 0; i < total; i += CHUNK) {
      const len = Math.min(CHUNK, total - i);
      const dst = len === buf.length ? buf : buf.subarray(0, len);
      fill(dst);
      for (let j = 0; j < len; j++) out[i + j] = lut[dst[j]];
    }
    return;
  }
  const u8 = new Uint8Array(k.memory.buffer, 0, CHUNK);
  const f32 = new Float32Array(k.memory.buffer, CHUNK, CHUNK);
  for (let i = 0; i < total; i += CHUNK) {
    const len = Math.min(CHUNK, total - i);
    fill(len === CHUNK ? u8 : u8.subarray(0, len));
    k.run(0, CHUNK, (len + 15) & ~15, mul, add, div);
    out.set(len === CHUNK ? f32 : f32.subarray(0, len), i);
  }
}
