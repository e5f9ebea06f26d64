/**
 * Thin float64 products of the portable path without packing: the shapes where one of m, n, k is
 * small (the K-row products of unconstrained-features solvers: 10×64·64×1000 and its transposes).
 * The packed driver (gemm-rows.ts) copies every operand twice, row by row, into 256-wide panels and
 * pads its 4×4 tiles in k; for a 10-row or 10-deep product that is more work than the arithmetic.
 * Here each operand is copied once, whole (one `set` when it is stored densely), into one
 * WebAssembly memory, and one kernel call runs the whole product:
 *
 * - `thinKm(ap, bp, cp, m4, n4, k, aStep, ldb, ldc, alpha)`: both operands k-major,
 *   op(A)[i, kk] at ap + kk·aStep + 8i and op(B)[kk, j] at bp + kk·ldb + 8j;
 *   C[i, j] += alpha · Σ_kk op(A)[i, kk] · op(B)[kk, j] over 4×4 tiles (eight f64x2 accumulators),
 *   column strips outside, so a k×4 strip of B stays in L1 while every row block passes over it.
 *   Aᵀ·B reads both operands as stored; A·B transposes A (small: m·k ≤ {@link THIN_TRANSPOSE_MAX}).
 * - `thinDot(ap, bp, cp, m2, n4, k2, lda, ldb, ldc, alpha)`: A·Bᵀ as row dot products,
 *   C[i, j] += alpha · Σ_kk A[i, kk] · B[j, kk] over 2×4 tiles, each accumulator summing even and odd
 *   kk in its two lanes (added at the end).
 *
 * Sizes are padded with zeros (m to 4 or 2, n to 4, k to 2 for the dot form); the sums run in kk
 * order (lane-split for the dot form), so the result equals the packed kernel's to rounding, not
 * bit for bit.
 *
 * An operand that already lies in the kernels' memory (a {@link ThinMemory} made by
 * `createKernelArena`), stored densely with the padded layout, is used in place; the others are
 * copied into that memory's scratch area (or, when they do not all lie in one arena, into a private
 * memory that grows as needed).
 */
import {
  ADD, addTile, BLOCK, br, brIf, c, compileOrNull, END, assembleModule, F64, f64load, f64store, FADD, FMUL, type Fn, GE_S, get, I32,
  i32c, lane, LOOP, MUL, set, SHL, SPLAT, V128, VADD, vload, vload64splat, VMUL,
} from './wasm-asm.js';
import type { GemmJob } from './gemm-rows.js';
import { axpy as axpyFn, dot as dotFn } from './wasm-kernels.js';

/** Largest op(A) (m·k entries) transposed in JS to run A·B on the k-major kernel. */
export const THIN_TRANSPOSE_MAX = 1 << 16;
/** Largest padded footprint (A, B and C, bytes) run here; larger products go to the packed driver. */
export const THIN_MAX_BYTES = 16 << 20;
/**
 * A product is thin when min(m, n) is at most this, or k is with B not transposed (and it fits
 * {@link THIN_MAX_BYTES}). A·Bᵀ with a thin k and wide m, n measured no faster than packed.
 */
export const THIN_MAX_SIDE = 32;
/** Smaller products stay on the packed driver (the same speed there, 2 µs, measured at 13×7×9). */
export const THIN_MIN_FMA = 1024;

// thinKm locals: 10 i, 11 j, 12 pa, 13 pb, 14 kk, 15 pc, 16..23 acc, 24 b0, 25 b1, 26 a, 27 zero, 28 alpha
const KM_ACC = [16, 17, 18, 19, 20, 21, 22, 23];
const thinKm: Fn = {
  name: 'thinKm', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64], results: [],
  locals: [I32, I32, I32, I32, I32, I32, ...KM_ACC.map(() => V128), V128, V128, V128, V128, V128],
  body: c(
    get(9), SPLAT, set(28),
    i32c(0), set(11),
    BLOCK, LOOP, // column strips j
    get(11), get(4), GE_S, brIf(1),
    i32c(0), set(10),
    BLOCK, LOOP, // row blocks i
    get(10), get(3), GE_S, brIf(1),
    ...KM_ACC.map((r) => c(get(27), set(r))),
    get(0), get(10), i32c(3), SHL, ADD, set(12),
    get(1), get(11), i32c(3), SHL, ADD, set(13),
    i32c(0), set(14),
    BLOCK, LOOP, // kk
    get(14), get(5), GE_S, brIf(1),
    get(13), vload(0), set(24),
    get(13), vload(16), set(25),
    ...[0, 1, 2, 3].map((r) => c(
      get(12), vload64splat(8 * r), set(26),
      get(KM_ACC[2 * r]), get(26), get(24), VMUL, VADD, set(KM_ACC[2 * r]),
      get(KM_ACC[2 * r + 1]), get(26), get(25), VMUL, VADD, set(KM_ACC[2 * r + 1]),
    )),
    get(12), get(6), ADD, set(12),
    get(13), get(7), ADD, set(13),
    get(14), i32c(1), ADD, set(14),
    br(0), END, END,
    get(2), get(10), get(8), MUL, ADD, get(11), i32c(3), SHL, ADD, set(15),
    addTile(15, KM_ACC, 28, 8),
    get(10), i32c(4), ADD, set(10),
    br(0), END, END,
    get(11), i32c(4), ADD, set(11),
    br(0), END, END,
  ),
};

// thinDot locals: 10 i, 11 j, 12 off, 13 end, 14 pa0, 15 pa1, 16..19 pb0..3, 20..27 acc, 28 a0, 29 a1,
// 30..33 b0..3, 34 zero, 35 pc
const DOT_ACC = [20, 21, 22, 23, 24, 25, 26, 27];
const thinDot: Fn = {
  name: 'thinDot', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64], results: [],
  locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, ...DOT_ACC.map(() => V128), V128, V128, V128, V128, V128, V128, V128, I32],
  body: c(
    get(5), i32c(3), SHL, set(13),
    i32c(0), set(11),
    BLOCK, LOOP, // B row blocks j (4 rows)
    get(11), get(4), GE_S, brIf(1),
    get(1), get(11), get(7), MUL, ADD, set(16),
    get(16), get(7), ADD, set(17),
    get(17), get(7), ADD, set(18),
    get(18), get(7), ADD, set(19),
    i32c(0), set(10),
    BLOCK, LOOP, // A row pairs i
    get(10), get(3), GE_S, brIf(1),
    get(0), get(10), get(6), MUL, ADD, set(14),
    get(14), get(6), ADD, set(15),
    ...DOT_ACC.map((r) => c(get(34), set(r))),
    i32c(0), set(12),
    BLOCK, LOOP, // kk pairs
    get(12), get(13), GE_S, brIf(1),
    get(14), get(12), ADD, vload(0), set(28),
    get(15), get(12), ADD, vload(0), set(29),
    ...[0, 1, 2, 3].map((t) => c(get(16 + t), get(12), ADD, vload(0), set(30 + t))),
    ...[0, 1].flatMap((r) => [0, 1, 2, 3].map((t) => c(
      get(DOT_ACC[4 * r + t]), get(28 + r), get(30 + t), VMUL, VADD, set(DOT_ACC[4 * r + t]),
    ))),
    get(12), i32c(16), ADD, set(12),
    br(0), END, END,
    ...[0, 1].map((r) => c(
      get(2), get(10), i32c(r), ADD, get(8), MUL, ADD, get(11), i32c(3), SHL, ADD, set(35),
      ...[0, 1, 2, 3].map((t) => c(
        get(35),
        get(35), f64load(8 * t),
        get(DOT_ACC[4 * r + t]), lane(0), get(DOT_ACC[4 * r + t]), lane(1), FADD, get(9), FMUL,
        FADD, f64store(8 * t),
      )),
    )),
    get(10), i32c(2), ADD, set(10),
    br(0), END, END,
    get(11), i32c(4), ADD, set(11),
    br(0), END, END,
  ),
};

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled thin-product module (imports `env.mem`; exports `thinKm`, `thinDot` and the vector
 * kernels `dot`, `axpy` of wasm-kernels.ts); null without WebAssembly SIMD or with `NCLAB_NO_WASM=1`.
 */
export function thinWasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileOrNull(assembleModule([thinKm, thinDot, dotFn, axpyFn]));
  return compiled;
}

/** The exports of {@link thinWasmModule} (pointers are byte offsets, lengths count float64s). */
export interface ThinExports {
  thinKm(ap: number, bp: number, cp: number, m4: number, n4: number, k: number, aStep: number, ldb: number, ldc: number, alpha: number): void;
  thinDot(ap: number, bp: number, cp: number, m2: number, n4: number, k2: number, lda: number, ldb: number, ldc: number, alpha: number): void;
  dot(x: number, y: number, len: number): number;
  axpy(y: number, x: number, len: number, alpha: number): void;
}

/**
 * One WebAssembly memory with the module instantiated on it: the scratch area is its first
 * `scratchBytes` bytes. The private memory holds only scratch and grows as needed; an arena's memory
 * never grows (its arrays are views that growth would detach).
 */
export interface ThinMemory {
  readonly memory: WebAssembly.Memory;
  readonly ex: ThinExports;
  /** The whole memory as float64s (refreshed after growth). */
  heap: Float64Array;
  scratchBytes: number;
}

/** Instantiates the module on `memory` (null without WebAssembly SIMD). */
export function thinMemory(memory: WebAssembly.Memory, scratchBytes: number): ThinMemory | null {
  const module = thinWasmModule();
  if (!module) return null;
  const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports as unknown as ThinExports;
  return { memory, ex, heap: new Float64Array(memory.buffer), scratchBytes };
}

/** Arena memories by their buffer, for products whose operands lie in one (see kernel-arena.ts). */
const arenas = new WeakMap<ArrayBufferLike, ThinMemory>();

/** Registers an arena's memory so that products on its arrays use them in place. */
export function registerArena(target: ThinMemory): void {
  arenas.set(target.memory.buffer, target);
}

/** The arena holding `x` (a view of its memory), or undefined. */
export function arenaOf(x: Float64Array | Float32Array): ThinMemory | undefined {
  return arenas.get(x.buffer);
}

let privateMemory: ThinMemory | null | undefined;

/** The private memory, with a scratch area of at least `bytes` (grown, never shrunk). */
function privateScratch(bytes: number): ThinMemory | null {
  if (privateMemory === undefined) privateMemory = thinMemory(new WebAssembly.Memory({ initial: 1 }), 65536);
  const t = privateMemory;
  if (!t) return null;
  const have = t.memory.buffer.byteLength;
  if (bytes > have) t.memory.grow(Math.ceil((bytes - have) / 65536));
  if (t.heap.buffer !== t.memory.buffer) t.heap = new Float64Array(t.memory.buffer);
  t.scratchBytes = t.memory.buffer.byteLength;
  return t;
}

const up = (x: number, r: number): number => Math.ceil(x / r) * r;

/**
 * Copies `rows` stored rows of `len` entries (row r at src[off + r·ld]) to dst[at + r·width], zero
 * padding each row to `width` and the block to `rowsTo` rows.
 */
function copyRows(src: Float64Array, off: number, ld: number, rows: number, len: number, dst: Float64Array, at: number, width: number, rowsTo: number): void {
  if (ld === len && width === len) dst.set(src.subarray(off, off + rows * len), at);
  else {
    for (let r = 0; r < rows; r++) {
      const s = off + r * ld;
      dst.set(src.subarray(s, s + len), at + r * width);
      if (width > len) dst.fill(0, at + r * width + len, at + (r + 1) * width);
    }
  }
  if (rowsTo > rows) dst.fill(0, at + rows * width, at + rowsTo * width);
}

/** dst[at + kk·width + i] = src[off + i·ld + kk] for i < rows, kk < len; zero for rows ≤ i < width. */
function copyTransposed(src: Float64Array, off: number, ld: number, rows: number, len: number, dst: Float64Array, at: number, width: number): void {
  for (let i = 0; i < rows; i++) {
    const s = off + i * ld;
    for (let kk = 0; kk < len; kk++) dst[at + kk * width + i] = src[s + kk];
  }
  if (width > rows) for (let kk = 0; kk < len; kk++) dst.fill(0, at + kk * width + rows, at + (kk + 1) * width);
}

/** The m×n result at v[at…] (rows `width` apart) back into C. */
function copyBack(v: Float64Array, at: number, width: number, cArr: Float64Array, off: number, ldc: number, m: number, n: number): void {
  if (width === n && ldc === n) cArr.set(v.subarray(at, at + m * n), off);
  else for (let r = 0; r < m; r++) cArr.set(v.subarray(at + r * width, at + r * width + n), off + r * ldc);
}

/**
 * How one operand reaches the kernel: in place (a dense view of the target memory with the kernel's
 * layout) at byte `ptr`, or copied by `fill` into `len` scratch entries.
 */
interface Operand {
  inPlace: boolean;
  len: number;
  fill: (v: Float64Array, at: number) => void;
  ptr: number;
}

function operand(x: Float64Array, off: number, dense: boolean, target: ThinMemory | undefined, len: number, fill: (v: Float64Array, at: number) => void): Operand {
  const inPlace = dense && target !== undefined && x.buffer === target.memory.buffer;
  return { inPlace, len, fill, ptr: inPlace ? x.byteOffset + off * 8 : 0 };
}

/**
 * Places the operands (in place, or copied to the target's scratch area) and returns the memory
 * they are in: the target's, or the private one (everything copied) when the target's scratch is
 * too small or there is no target; null past {@link THIN_MAX_BYTES}.
 */
function place(target: ThinMemory | undefined, ops: Operand[]): ThinMemory | null {
  const copied = ops.reduce((s, o) => s + (o.inPlace ? 0 : o.len), 0) * 8;
  let t: ThinMemory | null | undefined = target;
  if (!t || copied > t.scratchBytes) {
    const all = ops.reduce((s, o) => s + o.len, 0) * 8;
    if (all > THIN_MAX_BYTES) return null;
    t = privateScratch(all);
    if (!t) return null;
    for (const o of ops) o.inPlace = false;
  }
  let at = 0;
  for (const o of ops) {
    if (o.inPlace) continue;
    o.fill(t.heap, at);
    o.ptr = at * 8;
    at += o.len;
  }
  return t;
}

/**
 * Runs a float64 `job` (no `lower`) here when it is thin (see {@link THIN_MAX_SIDE}) and
 * its layout has a kernel: op(A) read k-major (Aᵀ as stored, A transposed when m·k ≤
 * {@link THIN_TRANSPOSE_MAX}) against op(B) k-major (B as stored, Bᵀ transposed when k is thin and
 * n·k ≤ {@link THIN_TRANSPOSE_MAX}), else A·Bᵀ as row dot products; false otherwise, so the caller
 * runs the packed driver. Operands in C's arena are used in place where their layout allows.
 */
export function runThin(job: GemmJob): boolean {
  const { m, n, k, alpha, transA, transB, aOff, lda, bOff, ldb, cOff, ldc } = job;
  const thin = Math.min(m, n) <= THIN_MAX_SIDE || (k <= THIN_MAX_SIDE && !transB);
  if (job.f32 || job.lower || !thin || m * n * k < THIN_MIN_FMA || !thinWasmModule()) return false;
  const a = job.a as Float64Array;
  const b = job.b as Float64Array;
  const c = job.c as Float64Array;
  const target = arenaOf(c);
  if (!transB || (k <= THIN_MAX_SIDE && n * k <= THIN_TRANSPOSE_MAX)) {
    if (!transA && m * k > THIN_TRANSPOSE_MAX) return false;
    const m4 = up(m, 4);
    const n4 = up(n, 4);
    const A = operand(a, aOff, transA && lda === m && m4 === m, target, k * m4, (v, at) => {
      if (transA) copyRows(a, aOff, lda, k, m, v, at, m4, k);
      else copyTransposed(a, aOff, lda, m, k, v, at, m4);
    });
    const B = operand(b, bOff, !transB && ldb === n && n4 === n, target, k * n4, (v, at) => {
      if (!transB) copyRows(b, bOff, ldb, k, n, v, at, n4, k);
      else copyTransposed(b, bOff, ldb, n, k, v, at, n4);
    });
    const C = operand(c, cOff, ldc === n && n4 === n && m4 === m, target, m4 * n4, (v, at) => copyRows(c, cOff, ldc, m, n, v, at, n4, m4));
    return execute(job, target, [A, B, C], n4, (ex) => ex.thinKm(A.ptr, B.ptr, C.ptr, m4, n4, k, m4 * 8, n4 * 8, n4 * 8, alpha));
  }
  if (transA) return false;
  const m2 = up(m, 2);
  const n4 = up(n, 4);
  const k2 = up(k, 2);
  const A = operand(a, aOff, lda === k && k2 === k && m2 === m, target, m2 * k2, (v, at) => copyRows(a, aOff, lda, m, k, v, at, k2, m2));
  const B = operand(b, bOff, ldb === k && k2 === k && n4 === n, target, n4 * k2, (v, at) => copyRows(b, bOff, ldb, n, k, v, at, k2, n4));
  const C = operand(c, cOff, ldc === n && n4 === n && m2 === m, target, m2 * n4, (v, at) => copyRows(c, cOff, ldc, m, n, v, at, n4, m2));
  return execute(job, target, [A, B, C], n4, (ex) => ex.thinDot(A.ptr, B.ptr, C.ptr, m2, n4, k2, k2 * 8, k2 * 8, n4 * 8, alpha));
}

/**
 * Places the operands, runs `kernel` on their pointers, and copies C back when it was copied in
 * (rows `width` apart); false when no memory can hold them.
 */
function execute(job: GemmJob, target: ThinMemory | undefined, ops: [Operand, Operand, Operand], width: number, kernel: (ex: ThinExports) => void): boolean {
  const t = place(target, ops);
  if (!t) return false;
  kernel(t.ex);
  const C = ops[2];
  if (!C.inPlace) copyBack(t.heap, C.ptr / 8, width, job.c as Float64Array, job.cOff, job.ldc, job.m, job.n);
  return true;
}
