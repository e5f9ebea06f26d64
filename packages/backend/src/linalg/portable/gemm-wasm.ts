/**
 * WebAssembly SIMD (f64x2) kernels of the portable float64 GEMM, assembled at first use:
 *
 * - `kern(ap, bp, kc, nb, cp, ldc, alpha)`: one packed 4-row strip of A (4·kc f64 at `ap`) times `nb`
 *   packed 4-column strips of B (4·kc f64 each, from `bp`), accumulated into the row-major C buffer:
 *   C[r, 4·jb + t] += alpha · Σ_kk a[kk, r] · b[jb][kk, t], C rows `ldc` bytes apart from `cp`.
 *   Eight f64x2 accumulators hold the 4×4 tile (the register budget of x86-64 SIMD).
 * - `packContig(src, ld, blocks, cols, dst)`: dst[(blk·cols + kk)·4 + t] = src[kk·ld + 4·blk + t]
 *   (strips whose 4 entries are adjacent in a row of the source).
 * - `packGather(src, ld, blocks, cols, dst)`: dst[(blk·cols + kk)·4 + t] = src[(4·blk + t)·ld + kk]
 *   (strips gathered from 4 source rows).
 *
 * Pointers and `ld`/`ldc` are byte offsets/strides into the instance's memory.
 */
import {
  ADD, BLOCK, br, brIf, c, compileOrNull, END, assembleModule, F64, f64load, f64store, type Fn, GE_S, get, I32, i32c, LOOP, MUL, set,
  SHL, SPLAT, V128, VADD, vload, vload64splat, VMUL, vstore,
} from './wasm-asm.js';

const accs = [11, 12, 13, 14, 15, 16, 17, 18];
const kern: Fn = {
  name: 'kern', params: [I32, I32, I32, I32, I32, I32, F64], results: [],
  // 7 jb, 8 pa, 9 pb, 10 end, 11..18 acc, 19 b01, 20 b23, 21 a, 22 zero, 23 alpha splat, 24 row ptr
  locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, I32],
  body: c(
    get(6), SPLAT, set(23),
    BLOCK, LOOP,
    get(7), get(3), GE_S, brIf(1),
    get(0), set(8),
    get(0), get(2), i32c(5), SHL, ADD, set(10),
    get(1), get(7), get(2), MUL, i32c(5), SHL, ADD, set(9),
    ...accs.map((r) => c(get(22), set(r))),
    BLOCK, LOOP,
    get(8), get(10), GE_S, brIf(1),
    get(9), vload(0), set(19),
    get(9), vload(16), set(20),
    ...[0, 1, 2, 3].map((r) => c(
      get(8), vload64splat(r * 8), set(21),
      get(accs[2 * r]), get(21), get(19), VMUL, VADD, set(accs[2 * r]),
      get(accs[2 * r + 1]), get(21), get(20), VMUL, VADD, set(accs[2 * r + 1]),
    )),
    get(8), i32c(32), ADD, set(8),
    get(9), i32c(32), ADD, set(9),
    br(0), END, END,
    // C tile += alpha · acc, row by row
    get(4), get(7), i32c(5), SHL, ADD, set(24),
    ...[0, 1, 2, 3].map((r) => c(
      get(24), get(24), vload(0), get(accs[2 * r]), get(23), VMUL, VADD, vstore(0),
      get(24), get(24), vload(16), get(accs[2 * r + 1]), get(23), VMUL, VADD, vstore(16),
      get(24), get(5), ADD, set(24),
    )),
    get(7), i32c(1), ADD, set(7),
    br(0), END, END,
  ),
};

const packContig: Fn = {
  name: 'packContig', params: [I32, I32, I32, I32, I32], results: [],
  // 5 blk, 6 kk, 7 s (source ptr), 8 d (dest ptr)
  locals: [I32, I32, I32, I32],
  body: c(
    get(4), set(8),
    BLOCK, LOOP,
    get(5), get(2), GE_S, brIf(1),
    get(0), get(5), i32c(5), SHL, ADD, set(7),
    i32c(0), set(6),
    BLOCK, LOOP,
    get(6), get(3), GE_S, brIf(1),
    get(8), get(7), vload(0), vstore(0),
    get(8), get(7), vload(16), vstore(16),
    get(7), get(1), ADD, set(7),
    get(8), i32c(32), ADD, set(8),
    get(6), i32c(1), ADD, set(6),
    br(0), END, END,
    get(5), i32c(1), ADD, set(5),
    br(0), END, END,
  ),
};

const packGather: Fn = {
  name: 'packGather', params: [I32, I32, I32, I32, I32], results: [],
  // 5 blk, 6 kk, 7 r0 (row 4·blk ptr), 8 d, 9 end of r0's row
  locals: [I32, I32, I32, I32, I32],
  body: c(
    get(4), set(8),
    BLOCK, LOOP,
    get(5), get(2), GE_S, brIf(1),
    get(0), get(5), i32c(2), SHL, get(1), MUL, ADD, set(7),
    get(7), get(3), i32c(3), SHL, ADD, set(9),
    BLOCK, LOOP,
    get(7), get(9), GE_S, brIf(1),
    ...[0, 1, 2, 3].map((t) => c(
      get(8),
      get(7), ...(t === 0 ? [] : [get(1), i32c(t), MUL, ADD]), f64load(0),
      f64store(t * 8),
    )),
    get(7), i32c(8), ADD, set(7),
    get(8), i32c(32), ADD, set(8),
    br(0), END, END,
    get(5), i32c(1), ADD, set(5),
    br(0), END, END,
  ),
};

let compiled: WebAssembly.Module | null | undefined;

/** The compiled GEMM module (imports `env.mem`); null without WebAssembly SIMD or with `NCLAB_NO_WASM=1`. */
export function gemmWasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileOrNull(assembleModule([kern, packContig, packGather]));
  return compiled;
}
