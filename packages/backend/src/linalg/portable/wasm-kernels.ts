/**
 * Hand-assembled WebAssembly (SIMD, f64x2) kernels for the portable symmetric eigensolver:
 * the level-2 loops of Householder tridiagonalisation and the QL rotation sweeps. Assembled from
 * opcodes at first use (no toolchain, no binary blob in the repository); when WebAssembly SIMD is
 * unavailable the caller uses the equivalent TypeScript loops.
 *
 * All pointers are byte offsets into the instance's memory; element indices count float64s.
 */

import {
  ADD, BLOCK, br, brIf, c, END, F64, f64load, f64store, FADD, FMUL, FSUB, type Fn, GE_S, get, I32, i32c, i32load, lane, LOOP,
  LT_S, MUL, set, SHL, SPLAT, SUB, V128, VADD, vload, VMUL, vstore, VSUB, assembleModule, compileOrNull,
} from './wasm-asm.js';

// symv(w, d, e, k, k1, f) -> Σ_{k<k1} w[k]·d[k], and e[k] += w[k]·f
const symv: Fn = {
  name: 'symv', params: [I32, I32, I32, I32, I32, F64], results: [F64],
  // 6 acc v128, 7 fv v128, 8 wv v128, 9 off i32, 10 sum f64, 11 ws f64
  locals: [V128, V128, V128, I32, F64, F64],
  body: c(
    get(5), SPLAT, set(7),
    BLOCK, LOOP,
    get(3), i32c(1), ADD, get(4), GE_S, brIf(1),
    get(3), i32c(3), SHL, set(9),
    get(0), get(9), ADD, vload(0), set(8),
    get(6), get(8), get(1), get(9), ADD, vload(0), VMUL, VADD, set(6),
    get(2), get(9), ADD,
    get(2), get(9), ADD, vload(0), get(8), get(7), VMUL, VADD,
    vstore(0),
    get(3), i32c(2), ADD, set(3),
    br(0), END, END,
    BLOCK,
    get(3), get(4), GE_S, brIf(0),
    get(3), i32c(3), SHL, set(9),
    get(0), get(9), ADD, f64load(0), set(11),
    get(11), get(1), get(9), ADD, f64load(0), FMUL, set(10),
    get(2), get(9), ADD,
    get(2), get(9), ADD, f64load(0), get(11), get(5), FMUL, FADD,
    f64store(0),
    END,
    get(6), lane(0), get(6), lane(1), FADD, get(10), FADD,
  ),
};

// rank2(w, d, e, k, k1, f, g): w[k] -= f·e[k] + g·d[k]
const rank2: Fn = {
  name: 'rank2', params: [I32, I32, I32, I32, I32, F64, F64], results: [],
  // 7 fv, 8 gv, 9 off, 10 a
  locals: [V128, V128, I32, I32],
  body: c(
    get(5), SPLAT, set(7), get(6), SPLAT, set(8),
    BLOCK, LOOP,
    get(3), i32c(1), ADD, get(4), GE_S, brIf(1),
    get(3), i32c(3), SHL, set(9),
    get(0), get(9), ADD, set(10),
    get(10),
    get(10), vload(0),
    get(2), get(9), ADD, vload(0), get(7), VMUL,
    get(1), get(9), ADD, vload(0), get(8), VMUL,
    VADD, VSUB,
    vstore(0),
    get(3), i32c(2), ADD, set(3),
    br(0), END, END,
    BLOCK,
    get(3), get(4), GE_S, brIf(0),
    get(3), i32c(3), SHL, set(9),
    get(0), get(9), ADD, set(10),
    get(10),
    get(10), f64load(0),
    get(2), get(9), ADD, f64load(0), get(5), FMUL,
    get(1), get(9), ADD, f64load(0), get(6), FMUL,
    FADD, FSUB,
    f64store(0),
    END,
  ),
};

// dot(x, y, len) -> Σ x[k]·y[k] (four partial sums: k mod 4 = 0, 1 / 2, 3 in two f64x2 lanes)
export const dot: Fn = {
  name: 'dot', params: [I32, I32, I32], results: [F64],
  // 3 k, 4 acc, 5 acc2, 6 off, 7 sum
  locals: [I32, V128, V128, I32, F64],
  body: c(
    BLOCK, LOOP,
    get(3), i32c(3), ADD, get(2), GE_S, brIf(1),
    get(3), i32c(3), SHL, set(6),
    get(4), get(0), get(6), ADD, vload(0), get(1), get(6), ADD, vload(0), VMUL, VADD, set(4),
    get(5), get(0), get(6), ADD, vload(16), get(1), get(6), ADD, vload(16), VMUL, VADD, set(5),
    get(3), i32c(4), ADD, set(3),
    br(0), END, END,
    BLOCK, LOOP,
    get(3), get(2), GE_S, brIf(1),
    get(3), i32c(3), SHL, set(6),
    get(7), get(0), get(6), ADD, f64load(0), get(1), get(6), ADD, f64load(0), FMUL, FADD, set(7),
    get(3), i32c(1), ADD, set(3),
    br(0), END, END,
    get(4), get(5), VADD, set(4),
    get(4), lane(0), get(4), lane(1), FADD, get(7), FADD,
  ),
};

// axpy(y, x, len, alpha): y[k] += alpha·x[k]
export const axpy: Fn = {
  name: 'axpy', params: [I32, I32, I32, F64], results: [],
  // 4 k, 5 av, 6 off, 7 a
  locals: [I32, V128, I32, I32],
  body: c(
    get(3), SPLAT, set(5),
    BLOCK, LOOP,
    get(4), i32c(1), ADD, get(2), GE_S, brIf(1),
    get(4), i32c(3), SHL, set(6),
    get(0), get(6), ADD, set(7),
    get(7), get(7), vload(0), get(1), get(6), ADD, vload(0), get(5), VMUL, VADD, vstore(0),
    get(4), i32c(2), ADD, set(4),
    br(0), END, END,
    BLOCK,
    get(4), get(2), GE_S, brIf(0),
    get(4), i32c(3), SHL, set(6),
    get(0), get(6), ADD, set(7),
    get(7), get(7), f64load(0), get(1), get(6), ADD, f64load(0), get(3), FMUL, FADD, f64store(0),
    END,
  ),
};

// rot(v4, n, q, q1, cs, ss, sweeps, count): QL sweeps on row quads [q, q1) (two at a time) of the
// quad-interleaved layout: quad j holds rows 4j..4j+3, element i of the quad at v4 + (j·n + i)·32.
// Sweep t = (l, m, start) in sweeps (3 × i32): for i = m−1 … l with (c, s) = (cs, ss)[start + m−1−i]:
// (x_i, x_{i+1}) ← (c·x_i − s·x_{i+1}, s·x_i + c·x_{i+1}); x_{i+1} is carried down in registers,
// eight rows (four f64x2 chains) at once.
const rot: Fn = {
  name: 'rot', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [],
  // 8 t, 9 l, 10 m, 11 b0, 12 delta, 13 a0, 14 a1, 15 stop, 16 pc, 17 ps, 18 sa,
  // 19 h0, 20 h1, 21 h2, 22 h3, 23 cv, 24 sv, 25 x0, 26 x1, 27 x2, 28 x3
  locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128],
  body: c(
    get(1), i32c(5), SHL, set(12),
    BLOCK, LOOP,
    get(2), get(3), GE_S, brIf(1),
    get(0), get(2), get(12), MUL, ADD, set(11),
    i32c(0), set(8),
    BLOCK, LOOP,
    get(8), get(7), GE_S, brIf(1),
    get(6), get(8), i32c(12), MUL, ADD, set(18),
    get(18), i32load(0), set(9),
    get(18), i32load(4), set(10),
    get(4), get(18), i32load(8), i32c(3), SHL, ADD, set(16),
    get(5), get(18), i32load(8), i32c(3), SHL, ADD, set(17),
    get(11), get(9), i32c(5), SHL, ADD, set(15),
    get(11), get(10), i32c(5), SHL, ADD, set(13),
    get(13), vload(0), set(19),
    get(13), vload(16), set(20),
    get(13), get(12), ADD, vload(0), set(21),
    get(13), get(12), ADD, vload(16), set(22),
    get(13), i32c(32), SUB, set(13),
    BLOCK, LOOP,
    get(13), get(15), LT_S, brIf(1),
    get(16), f64load(0), SPLAT, set(23),
    get(17), f64load(0), SPLAT, set(24),
    get(13), get(12), ADD, set(14),
    get(13), vload(0), set(25),
    get(13), vload(16), set(26),
    get(14), vload(0), set(27),
    get(14), vload(16), set(28),
    get(13), get(24), get(25), VMUL, get(23), get(19), VMUL, VADD, vstore(32),
    get(13), get(24), get(26), VMUL, get(23), get(20), VMUL, VADD, vstore(48),
    get(14), get(24), get(27), VMUL, get(23), get(21), VMUL, VADD, vstore(32),
    get(14), get(24), get(28), VMUL, get(23), get(22), VMUL, VADD, vstore(48),
    get(23), get(25), VMUL, get(24), get(19), VMUL, VSUB, set(19),
    get(23), get(26), VMUL, get(24), get(20), VMUL, VSUB, set(20),
    get(23), get(27), VMUL, get(24), get(21), VMUL, VSUB, set(21),
    get(23), get(28), VMUL, get(24), get(22), VMUL, VSUB, set(22),
    get(16), i32c(8), ADD, set(16),
    get(17), i32c(8), ADD, set(17),
    get(13), i32c(32), SUB, set(13),
    br(0), END, END,
    get(15), get(19), vstore(0),
    get(15), get(20), vstore(16),
    get(15), get(12), ADD, get(21), vstore(0),
    get(15), get(12), ADD, get(22), vstore(16),
    get(8), i32c(1), ADD, set(8),
    br(0), END, END,
    get(2), i32c(2), ADD, set(2),
    br(0), END, END,
  ),
};

// rot2(x, y, len, c, s): (x, y) ← (c·x − s·y, s·x + c·y) elementwise (one-sided Jacobi rotation)
const rot2: Fn = {
  name: 'rot2', params: [I32, I32, I32, F64, F64], results: [],
  // 5 k, 6 cv, 7 sv, 8 off, 9 xv, 10 yv, 11 xs, 12 ys
  locals: [I32, V128, V128, I32, V128, V128, F64, F64],
  body: c(
    get(3), SPLAT, set(6), get(4), SPLAT, set(7),
    BLOCK, LOOP,
    get(5), i32c(1), ADD, get(2), GE_S, brIf(1),
    get(5), i32c(3), SHL, set(8),
    get(0), get(8), ADD, vload(0), set(9),
    get(1), get(8), ADD, vload(0), set(10),
    get(0), get(8), ADD, get(6), get(9), VMUL, get(7), get(10), VMUL, VSUB, vstore(0),
    get(1), get(8), ADD, get(7), get(9), VMUL, get(6), get(10), VMUL, VADD, vstore(0),
    get(5), i32c(2), ADD, set(5),
    br(0), END, END,
    BLOCK,
    get(5), get(2), GE_S, brIf(0),
    get(5), i32c(3), SHL, set(8),
    get(0), get(8), ADD, f64load(0), set(11),
    get(1), get(8), ADD, f64load(0), set(12),
    get(0), get(8), ADD, get(3), get(11), FMUL, get(4), get(12), FMUL, FSUB, f64store(0),
    get(1), get(8), ADD, get(4), get(11), FMUL, get(3), get(12), FMUL, FADD, f64store(0),
    END,
  ),
};

const FUNCS: Fn[] = [symv, rank2, dot, axpy, rot, rot2];

/** The module bytes: imports memory `env.mem`, exports the kernels. */
export function assembleEighKernels(): Uint8Array<ArrayBuffer> {
  return assembleModule(FUNCS);
}

/** The kernels bound to one memory. */
export interface EighKernels {
  symv(w: number, d: number, e: number, k: number, k1: number, f: number): number;
  rank2(w: number, d: number, e: number, k: number, k1: number, f: number, g: number): void;
  dot(x: number, y: number, len: number): number;
  axpy(y: number, x: number, len: number, alpha: number): void;
  rot(v4: number, n: number, q: number, q1: number, cs: number, ss: number, sweeps: number, count: number): void;
  rot2(x: number, y: number, len: number, c: number, s: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** Compiles the module once; null when WebAssembly (with SIMD) is unavailable here. */
export function eighKernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileOrNull(assembleEighKernels());
  return compiled;
}

/** Instantiates the kernels over `memory`, or returns null when unavailable. */
export function instantiateEighKernels(memory: WebAssembly.Memory): EighKernels | null {
  const mod = eighKernelModule();
  if (!mod) return null;
  return new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as EighKernels;
}
