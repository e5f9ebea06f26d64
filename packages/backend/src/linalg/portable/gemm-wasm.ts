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
 * - float32 twins: `kern32` (4×8 tiles, f32x4 lanes, accumulation in float32), `packContig16`
 *   (4-float strips), `packGather32x4` / `packGather32x8` (strips gathered from 4 or 8 rows).
 *
 * Pointers and `ld`/`ldc` are byte offsets/strides into the instance's memory.
 */
import {
  ADD, addTile, BLOCK, br, brIf, c, compileOrNull, END, assembleModule, F32, f32load, f32store, F64, f64load, f64store, type Fn, GE_S, get, I32,
  i32c, LOOP, MUL, set, SHL, SPLAT, SPLAT32, V128, VADD, VADD32, vload, vload32splat, vload64splat, VMUL, VMUL32, vstore,
} from './wasm-asm.js';

const accs = [11, 12, 13, 14, 15, 16, 17, 18];

/**
 * The micro-kernel for one precision: a 4-row strip of A (`aStep` bytes per k) times 32-byte-wide
 * strips of B (4 f64 or 8 f32 columns), accumulated with `alpha` into 4 rows of C.
 */
function kernFn(name: string, f32: boolean): Fn {
  const [vadd, vmul, splat] = f32 ? [VADD32, VMUL32, SPLAT32] : [VADD, VMUL, SPLAT];
  const aStep = f32 ? 16 : 32;
  const aLoad = (r: number) => (f32 ? vload32splat(r * 4) : vload64splat(r * 8));
  return {
    name, params: [I32, I32, I32, I32, I32, I32, f32 ? F32 : F64], results: [],
    // 7 jb, 8 pa, 9 pb, 10 end, 11..18 acc, 19 b lo, 20 b hi, 21 a, 22 zero, 23 alpha splat, 24 row ptr
    locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, I32],
    body: c(
      get(6), splat, set(23),
      BLOCK, LOOP,
      get(7), get(3), GE_S, brIf(1),
      get(0), set(8),
      get(0), get(2), i32c(aStep), MUL, ADD, set(10),
      get(1), get(7), get(2), MUL, i32c(5), SHL, ADD, set(9),
      ...accs.map((r) => c(get(22), set(r))),
      BLOCK, LOOP,
      get(8), get(10), GE_S, brIf(1),
      get(9), vload(0), set(19),
      get(9), vload(16), set(20),
      ...[0, 1, 2, 3].map((r) => c(
        get(8), aLoad(r), set(21),
        get(accs[2 * r]), get(21), get(19), vmul, vadd, set(accs[2 * r]),
        get(accs[2 * r + 1]), get(21), get(20), vmul, vadd, set(accs[2 * r + 1]),
      )),
      get(8), i32c(aStep), ADD, set(8),
      get(9), i32c(32), ADD, set(9),
      br(0), END, END,
      // C tile += alpha · acc, row by row
      get(4), get(7), i32c(5), SHL, ADD, set(24),
      addTile(24, accs, 23, 5, vmul, vadd),
      get(7), i32c(1), ADD, set(7),
      br(0), END, END,
    ),
  };
}

/** Strips whose entries are adjacent in a source row: copies `bytes` (16 or 32) per k. */
function contigFn(name: string, bytes: 16 | 32): Fn {
  return {
    name, params: [I32, I32, I32, I32, I32], results: [],
    // 5 blk, 6 kk, 7 s (source ptr), 8 d (dest ptr)
    locals: [I32, I32, I32, I32],
    body: c(
      get(4), set(8),
      BLOCK, LOOP,
      get(5), get(2), GE_S, brIf(1),
      get(0), get(5), i32c(bytes), MUL, ADD, set(7),
      i32c(0), set(6),
      BLOCK, LOOP,
      get(6), get(3), GE_S, brIf(1),
      get(8), get(7), vload(0), vstore(0),
      ...(bytes === 32 ? [get(8), get(7), vload(16), vstore(16)] : []),
      get(7), get(1), ADD, set(7),
      get(8), i32c(bytes), ADD, set(8),
      get(6), i32c(1), ADD, set(6),
      br(0), END, END,
      get(5), i32c(1), ADD, set(5),
      br(0), END, END,
    ),
  };
}

/** Strips gathered from `rows` source rows of `elem`-byte entries. */
function gatherFn(name: string, rows: 4 | 8, elem: 4 | 8): Fn {
  const load = elem === 8 ? f64load : f32load;
  const store = elem === 8 ? f64store : f32store;
  return {
    name, params: [I32, I32, I32, I32, I32], results: [],
    // 5 blk, 6 kk, 7 r0 (first row of the strip), 8 d, 9 end of r0's row
    locals: [I32, I32, I32, I32, I32],
    body: c(
      get(4), set(8),
      BLOCK, LOOP,
      get(5), get(2), GE_S, brIf(1),
      get(0), get(5), i32c(rows), MUL, get(1), MUL, ADD, set(7),
      get(7), get(3), i32c(elem), MUL, ADD, set(9),
      BLOCK, LOOP,
      get(7), get(9), GE_S, brIf(1),
      ...Array.from({ length: rows }, (_, t) => c(
        get(8),
        get(7), ...(t === 0 ? [] : [get(1), i32c(t), MUL, ADD]), load(0),
        store(t * elem),
      )),
      get(7), i32c(elem), ADD, set(7),
      get(8), i32c(rows * elem), ADD, set(8),
      br(0), END, END,
      get(5), i32c(1), ADD, set(5),
      br(0), END, END,
    ),
  };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled GEMM module (imports `env.mem`); null without WebAssembly SIMD or with `NCLAB_NO_WASM=1`. */
export function gemmWasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileOrNull(assembleModule([
    kernFn('kern', false), contigFn('packContig', 32), gatherFn('packGather', 4, 8),
    kernFn('kern32', true), contigFn('packContig16', 16), gatherFn('packGather32x4', 4, 4), gatherFn('packGather32x8', 8, 4),
  ]));
  return compiled;
}
