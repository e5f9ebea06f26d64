/**
 * A minimal WebAssembly assembler (numeric opcodes, SIMD f64x2) for the portable path's kernels:
 * no toolchain and no binary blob in the repository, the bytes are built at first use.
 */
import { readEnv } from '../../runtime/env.js';

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
export const ADD = [0x6a];
export const SUB = [0x6b];
export const MUL = [0x6c];
export const SHL = [0x74];
export const GE_S = [0x4e];
export const LT_S = [0x48];
export const i32load = (off: number): number[] => [0x28, 2, ...uleb(off)];
export const f64load = (off: number): number[] => [0x2b, 3, ...uleb(off)];
export const f64store = (off: number): number[] => [0x39, 3, ...uleb(off)];
export const FADD = [0xa0];
export const FSUB = [0xa1];
export const FMUL = [0xa2];
export const vload = (off: number): number[] => [0xfd, 0x00, 3, ...uleb(off)];
export const vstore = (off: number): number[] => [0xfd, 0x0b, 3, ...uleb(off)];
export const SPLAT = [0xfd, 0x14];
export const VADD = [0xfd, 0xf0, 0x01];
export const VSUB = [0xfd, 0xf1, 0x01];
export const VMUL = [0xfd, 0xf2, 0x01];
export const lane = (l: number): number[] => [0xfd, 0x21, l];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const br = (d: number): number[] => [0x0c, ...uleb(d)];
export const brIf = (d: number): number[] => [0x0d, ...uleb(d)];
export const END = [0x0b];
export const c = (...parts: number[][]): number[] => parts.flat();

/**
 * The end of a GEMM micro-kernel: C rows += alpha · acc for a 4-row tile held as two v128
 * accumulators a row (`accs`, 8 locals), C's row pointer in local `p` (advanced by local `ld` bytes a
 * row), alpha splatted in local `alpha`; `vmul`/`vadd` of the element type.
 */
export function addTile(p: number, accs: readonly number[], alpha: number, ld: number, vmul: number[] = VMUL, vadd: number[] = VADD): number[] {
  return c(...[0, 1, 2, 3].map((r) => c(
    get(p), get(p), vload(0), get(accs[2 * r]), get(alpha), vmul, vadd, vstore(0),
    get(p), get(p), vload(16), get(accs[2 * r + 1]), get(alpha), vmul, vadd, vstore(16),
    get(p), get(ld), ADD, set(p),
  )));
}

/** addr = base + (idx << shift) */
export const addr = (base: number, idx: number, shift = 3): number[] => c(get(base), get(idx), i32c(shift), SHL, ADD);

/** f32x4 arithmetic and splats (float32 kernels). */
export const SPLAT32 = [0xfd, 0x13];
export const VADD32 = [0xfd, 0xe4, 0x01];
export const VMUL32 = [0xfd, 0xe6, 0x01];
export const vload32splat = (off: number): number[] => [0xfd, 0x09, 2, ...uleb(off)];
export const f32load = (off: number): number[] => [0x2a, 2, ...uleb(off)];
export const f32store = (off: number): number[] => [0x38, 2, ...uleb(off)];

/** v128.load64_splat: loads one f64 into both lanes. */
export const vload64splat = (off: number): number[] => [0xfd, 0x0a, 3, ...uleb(off)];

/** One function of a module. */
export interface Fn {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

export function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}
export function str(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}

/** Module bytes: imports memory `env.mem` (shared or not), exports `funcs` by name. */
export function assembleModule(funcs: Fn[]): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]));
  const imports = vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]]);
  const fnIdx = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]));
  const bodies = vec(
    funcs.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = [...locals, ...f.body, ...END];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, fnIdx), ...section(7, exports), ...section(10, bodies),
  ]);
}

/** Compiles `bytes` (sync); null when WebAssembly or SIMD is unavailable, or `NCLAB_NO_WASM=1`. */
export function compileOrNull(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  try {
    if (readEnv('NCLAB_NO_WASM') === '1' || typeof WebAssembly === 'undefined') return null;
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}

/** f64x2 division, square root, comparisons (lane masks), and v128 bit operations. */
export const VDIV = [0xfd, 0xf3, 0x01];
export const VSQRT = [0xfd, 0xef, 0x01];
export const VLT = [0xfd, 0x49];
export const VLE = [0xfd, 0x4b];
export const VGE = [0xfd, 0x4c];
export const V_AND = [0xfd, 0x4e];
export const V_ANDNOT = [0xfd, 0x4f];
export const V_OR = [0xfd, 0x50];
export const V_BITSELECT = [0xfd, 0x52];
export const V_ANY_TRUE = [0xfd, 0x53];
/** i32x4.extract_lane: an f64x2 lane mask's low half is lane 2·l. */
export const extract32 = (l: number): number[] => [0xfd, 0x1b, l];
/** i64x2.add, i64x2.shl. */
export const I64X2_ADD = [0xfd, 0xce, 0x01];
export const I64X2_SHL = [0xfd, 0xcb, 0x01];
export const i32store = (off: number): number[] => [0x36, 2, ...uleb(off)];
export const IF = [0x04, 0x40];

/** v128.const with both f64 lanes `v`. */
export function vconstF64(v: number): number[] {
  const b = new Uint8Array(new Float64Array([v, v]).buffer);
  return [0xfd, 0x0c, ...b];
}

/** v128.const with both i64 lanes `v` (a safe integer). */
export function vconstI64(v: number): number[] {
  const b = new Uint8Array(new BigInt64Array([BigInt(v), BigInt(v)]).buffer);
  return [0xfd, 0x0c, ...b];
}
