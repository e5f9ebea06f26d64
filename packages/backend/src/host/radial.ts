/**
 * Radial kernel values from Gram entries, in place: the elementwise pass that follows every distance
 * GEMM of a kernel method (the kernel matrix, its row blocks, the AGOP's gradient weights). In scalar
 * JavaScript this pass costs 9–13 ns an entry (a square root, an exp, a branch): at N = 50,000 one pass
 * over K's 2.5·10⁹ entries is half a minute on one core, while the GEMM before it runs on all cores.
 * Here it runs as WebAssembly SIMD, two float64 lanes at a time, with the same operations in the same
 * order as the scalar route (`expFast` for the exp), so both routes give the same bits.
 */
import {
  ADD, assembleModule, BLOCK, br, brIf, c, compileOrNull, END, extract32, F64, type Fn, GE_S, get, I32, i32c, i32store,
  I64X2_ADD, I64X2_SHL, IF, LOOP, set, SHL, SPLAT, V128, V_ANDNOT, V_ANY_TRUE, V_BITSELECT, vconstF64, vconstI64, VADD,
  VDIV, VGE, VLE, vload, VLT, VMUL, VSQRT, vstore, VSUB,
} from '../linalg/portable/wasm-asm.js';
import { EXP_TAYLOR, expFast, LN2_HI, LN2_LO, LOG2E, ROUND } from './exp.js';

/**
 * The map applied to each squared distance s (after the cancellation fix and s < 0 → 0):
 * - `'sqdist'`: s itself;
 * - `'laplace'`: e^{−√s / L};
 * - `'gaussian'`: e^{−s / (2L²)};
 * - `'laplace-weight'`: the Laplace kernel's gradient weight e^{−d/L} / (L·d) with d = √s, and 0 for
 *   d < `selfPairEps` (a point's own term).
 */
export type RadialMap = 'sqdist' | 'laplace' | 'gaussian' | 'laplace-weight';

/** The map of {@link radialFromGram} and its parameters. */
export interface RadialSpec {
  readonly map: RadialMap;
  /** L > 0 (ignored by `'sqdist'`). */
  readonly bandwidth?: number;
  /** Distances below it count as self-pairs in `'laplace-weight'` (weight 0). Default 1e-10. */
  readonly selfPairEps?: number;
}

/**
 * The exact squared distance of row r and column j, called where ‖x_r‖² + ‖z_j‖² − 2x_rᵀz_j cancels
 * (below 1e-8 of the norms): self-pairs, duplicates, near-duplicates.
 */
export type ExactSqDistance = (r: number, j: number) => number;

const MAPS: readonly RadialMap[] = ['sqdist', 'laplace', 'gaussian', 'laplace-weight'];
/** Entries per chunk copied into the WebAssembly memory: 32 KiB of float64. */
const CHUNK = 4096;
/** Vectors (two lanes each) per loop iteration, interleaved step by step (see `mapFn`). */
const UNROLL = 8;
const STEP = 2 * UNROLL;
const CANCEL = 1e-8;

// parameters: 0 p (chunk byte offset), 1 q (column norms byte offset), 2 n (entries, a multiple of STEP),
// 3 si, 4 a, 5 b, 6 e (f64), 7 idx (byte offset of the flagged-index list); result: flagged count
const P = 0, Q = 1, N = 2, SI = 3, A = 4, B = 5, E = 6, IDX = 7;
// locals: 8 end, 9 count, 10 j, 11–14 splats of si, a, b, e, then LOCALS vectors per unit, then the pool
const END_ = 8, CNT = 9, J = 10, VSI = 11, VA = 12, VB = 13, VE = 14;
const LOCALS = 7;
/** First local of the constant pool: a v128.const costs several instructions where it is used, a local one load. */
const POOL = 15 + LOCALS * UNROLL;

/** The constants a map's code reads, each set once into a local before the loop. */
class Pool {
  readonly init: number[][] = [];
  private readonly at = new Map<string, number>();
  /** `get` of the local holding both lanes `v` (f64, or i64 with `int`). */
  use(v: number, int = false): number[] {
    const key = `${int ? 'i' : 'f'}${v}`;
    let i = this.at.get(key);
    if (i === undefined) {
      i = POOL + this.init.length;
      this.at.set(key, i);
      this.init.push(c(int ? vconstI64(v) : vconstF64(v), set(i)));
    }
    return get(i);
  }
}

/** The locals of unit u: nrm (then d = √s), s, x (the flags, then the exp argument), t, k, r, p. */
interface Unit {
  readonly u: number;
  readonly nrm: number;
  readonly s: number;
  readonly x: number;
  readonly t: number;
  readonly k: number;
  readonly r: number;
  readonly p: number;
}

function unitLocals(u: number): Unit {
  const b = 15 + LOCALS * u;
  return { u, nrm: b, s: b + 1, x: b + 2, t: b + 3, k: b + 4, r: b + 5, p: b + 6 };
}

/**
 * The steps of e^x for the lanes of local `x`, the same operations as `expFast` in the same order:
 * t = x·log₂e + 1.5·2⁵², k = t − 1.5·2⁵² (x·log₂e rounded to an integer), r = x − k·ln2_hi − k·ln2_lo, the
 * 13 Horner steps, then p·2^k (or (p·2^(k+54))·2^−54 for a subnormal result). 2^k is built from t's bits:
 * t's low 12 bits hold k mod 4096, so (t + 1023) << 52 is 2^k's bit pattern for −1022 ≤ k ≤ 1023.
 * Each step is one entry; `mapFn` emits step i of every unit before step i + 1, so the units' dependency
 * chains (the Horner steps are sequential) overlap. The result is left in `p`.
 */
function expSteps(pool: Pool, w: Unit): number[][] {
  const f = (v: number): number[] => pool.use(v);
  const pow2 = (bias: number): number[] => c(get(w.t), pool.use(bias, true), I64X2_ADD, i32c(52), I64X2_SHL);
  const steps: number[][] = [
    c(get(w.x), f(LOG2E), VMUL, f(ROUND), VADD, set(w.t)),
    c(get(w.t), f(ROUND), VSUB, set(w.k)),
    c(get(w.x), get(w.k), f(LN2_HI), VMUL, VSUB, get(w.k), f(LN2_LO), VMUL, VSUB, set(w.r)),
  ];
  steps.push(c(f(EXP_TAYLOR[0]), get(w.r), VMUL, f(EXP_TAYLOR[1]), VADD, set(w.p)));
  for (let i = 2; i < EXP_TAYLOR.length; i++) steps.push(c(get(w.p), get(w.r), VMUL, f(EXP_TAYLOR[i]), VADD, set(w.p)));
  steps.push(
    c(
      get(w.p), pow2(1023), VMUL,
      get(w.p), pow2(1077), VMUL, f(2 ** -54), VMUL,
      get(w.k), f(-1022), VGE, V_BITSELECT,
      // x ≤ −745.2 (−∞ included) → +0, as Math.exp there; NaN stays NaN
      get(w.x), f(-745.2), VLE, V_ANDNOT, set(w.p),
    ),
  );
  return steps;
}

/** The steps of one two-lane unit at byte offset 16·u of the chunk, for map `m`, in order. */
function unitSteps(pool: Pool, m: RadialMap, w: Unit): number[][] {
  const off = 16 * w.u;
  const flagStore = (lane: number): number[] =>
    c(get(w.x), extract32(2 * lane), IF, get(IDX), get(CNT), i32c(2), SHL, ADD, get(J), i32c(2 * w.u + lane), ADD, i32store(0), get(CNT), i32c(1), ADD, set(CNT), END);
  const steps: number[][] = [
    // nrm = si + ‖z_j‖²; s = nrm − 2·g
    c(get(VSI), get(Q), vload(off), VADD, set(w.nrm), get(w.nrm), get(P), vload(off), pool.use(2), VMUL, VSUB, set(w.s)),
    // lanes where s < 1e-8·nrm cancelled: their indices go to the list (JavaScript recomputes them)
    c(get(w.s), pool.use(CANCEL), get(w.nrm), VMUL, VLT, set(w.x), get(w.x), V_ANY_TRUE, IF, flagStore(0), flagStore(1), END),
    // s < 0 → +0 (−0 and NaN kept, as the scalar `if (s < 0) s = 0`)
    c(get(w.s), get(w.s), pool.use(0), VLT, V_ANDNOT, set(w.s)),
  ];
  if (m === 'sqdist') return [...steps, c(get(P), get(w.s), vstore(off))];
  if (m === 'gaussian') steps.push(c(get(w.s), get(VA), VMUL, set(w.x)));
  else steps.push(c(get(w.s), VSQRT, set(w.nrm), get(w.nrm), get(VA), VMUL, set(w.x)));
  steps.push(...expSteps(pool, w));
  if (m === 'laplace-weight') steps.push(c(get(w.p), get(VB), get(w.nrm), VMUL, VDIV, get(w.nrm), get(VE), VLT, V_ANDNOT, set(w.p)));
  steps.push(c(get(P), get(w.p), vstore(off)));
  return steps;
}

/**
 * The map's function: per iteration UNROLL units, emitted step by step across the units (step i of every
 * unit, then step i + 1). The Horner steps of one unit depend on each other; interleaved, the units'
 * chains run side by side (Laplace map, 300×20,000 block: 4.9 ns an entry, against 8.8 unit by unit).
 */
function mapFn(m: RadialMap): Fn {
  const pool = new Pool();
  const perUnit = Array.from({ length: UNROLL }, (_, u) => unitSteps(pool, m, unitLocals(u)));
  const interleaved: number[][] = [];
  for (let i = 0; i < perUnit[0].length; i++) for (const steps of perUnit) interleaved.push(steps[i]);
  return {
    name: m.replace('-', '_'), params: [I32, I32, I32, F64, F64, F64, F64, I32], results: [I32],
    locals: [I32, I32, I32, V128, V128, V128, V128, ...new Array<number>(LOCALS * UNROLL + pool.init.length).fill(V128)],
    body: c(
      get(P), get(N), i32c(3), SHL, ADD, set(END_),
      i32c(0), set(CNT), i32c(0), set(J),
      get(SI), SPLAT, set(VSI), get(A), SPLAT, set(VA), get(B), SPLAT, set(VB), get(E), SPLAT, set(VE),
      ...pool.init,
      BLOCK, LOOP,
      get(P), get(END_), GE_S, brIf(1),
      ...interleaved,
      get(P), i32c(16 * UNROLL), ADD, set(P),
      get(Q), i32c(16 * UNROLL), ADD, set(Q),
      get(J), i32c(STEP), ADD, set(J),
      br(0), END, END,
      get(CNT),
    ),
  };
}

type MapKernel = (p: number, q: number, n: number, si: number, a: number, b: number, e: number, idx: number) => number;

interface Kernels {
  readonly fns: Readonly<Record<RadialMap, MapKernel>>;
  readonly mem: WebAssembly.Memory;
}

let kernels: Kernels | null | undefined;

/** The compiled SIMD maps, or null without WebAssembly SIMD (or with `NCLAB_NO_WASM=1`, read at first use). */
export function getRadialKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  const module = compileOrNull(assembleModule(MAPS.map(mapFn)));
  if (module === null) return (kernels = null);
  const mem = new WebAssembly.Memory({ initial: 2 });
  const exp = new WebAssembly.Instance(module, { env: { mem } }).exports as Record<string, MapKernel>;
  const fns = Object.fromEntries(MAPS.map((m) => [m, exp[m.replace('-', '_')]])) as Record<RadialMap, MapKernel>;
  return (kernels = { fns, mem });
}

interface Params {
  readonly a: number;
  readonly b: number;
  readonly e: number;
}

function params(spec: RadialSpec): Params {
  const L = spec.bandwidth ?? 1;
  const e = spec.selfPairEps ?? 1e-10;
  if (spec.map === 'gaussian') return { a: -1 / (2 * L * L), b: 0, e };
  if (spec.map === 'sqdist') return { a: 0, b: 0, e };
  return { a: -1 / L, b: L, e };
}

/** The map of one squared distance s (already clamped at 0): the scalar reference of the SIMD lanes. */
function mapOne(m: RadialMap, s: number, q: Params): number {
  if (m === 'sqdist') return s;
  if (m === 'gaussian') return expFast(s * q.a);
  const d = Math.sqrt(s);
  if (m === 'laplace') return expFast(d * q.a);
  return d < q.e ? 0 : expFast(d * q.a) / (q.b * d);
}

/** One entry through the scalar route: s from the Gram entry, the cancellation fix, the clamp and the map. */
function entry(m: RadialMap, g: number, si: number, sj: number, r: number, j: number, exact: ExactSqDistance, q: Params): number {
  let s = si + sj - 2 * g;
  if (s < CANCEL * (si + sj)) s = exact(r, j);
  if (s < 0) s = 0;
  return mapOne(m, s, q);
}

/** The scalar route of {@link radialFromGram}: the reference of the SIMD one, and the route without WebAssembly. */
export function radialFromGramScalar(g: Float64Array, rows: number, cols: number, rowSq: ArrayLike<number>, colSq: ArrayLike<number>, spec: RadialSpec, exact: ExactSqDistance, ld = cols): void {
  const q = params(spec);
  const m = spec.map;
  for (let r = 0; r < rows; r++) {
    const o = r * ld;
    const si = rowSq[r];
    for (let j = 0; j < cols; j++) g[o + j] = entry(m, g[o + j], si, colSq[j], r, j, exact, q);
  }
}

/**
 * Radial kernel values from a block of Gram entries, in place. For the row-major block
 * g `[rows, cols]` with g_rj = x_rᵀ z_j:
 *
 * ```math
 * s_{rj} = \|x_r\|^2 + \|z_j\|^2 - 2 g_{rj}, \qquad g_{rj} \leftarrow \kappa(\max(s_{rj}, 0))
 * ```
 *
 * where s is replaced by `exact(r, j)` wherever it cancels (s < 1e-8·(‖x_r‖² + ‖z_j‖²)), and κ is the
 * map of `spec` (squared distance, Laplace or Gaussian value, Laplace gradient weight; the kernels of
 * Radhakrishnan et al. 2024's RFM and Beaglehole et al. 2024's Deep RFM). WebAssembly SIMD, two lanes,
 * where available; the scalar route (`expFast`) otherwise. Both give the same bits.
 * @param g - `[rows, cols]` Gram entries, row-major; overwritten by the kernel values.
 * @param rows - rows of the block.
 * @param cols - columns of the block.
 * @param rowSq - ‖x_r‖² for r = 0…rows−1.
 * @param colSq - ‖z_j‖² for j = 0…cols−1.
 * @param spec - the map and its bandwidth.
 * @param exact - the squared distance of (r, j) computed from the data, for cancelled entries.
 * @param ld - the distance between rows in `g` (≥ cols; default cols), as BLAS's leading dimension:
 *   a block of a larger row-major matrix is mapped in place.
 * @example
 * // x = [[0, 0], [3, 4]] against itself: Gram [[0, 0], [0, 25]], norms [0, 25]
 * const g = Float64Array.of(0, 0, 0, 25);
 * radialFromGram(g, 2, 2, [0, 25], Float64Array.of(0, 25), { map: 'laplace', bandwidth: 5 }, () => 0);
 * // g is [1, e^-1, e^-1, 1]
 */
export function radialFromGram(g: Float64Array, rows: number, cols: number, rowSq: ArrayLike<number>, colSq: Float64Array, spec: RadialSpec, exact: ExactSqDistance, ld = cols): void {
  const k = cols >= 4 * STEP ? getRadialKernels() : null;
  if (k === null) return radialFromGramScalar(g, rows, cols, rowSq, colSq, spec, exact, ld);
  const q = params(spec);
  const m = spec.map;
  const fn = k.fns[m];
  // memory: [chunk: 8·CHUNK bytes][flagged indices: 4·CHUNK][column norms: 8·cols]
  const normsAt = 12 * CHUNK;
  const need = normsAt + 8 * cols;
  if (k.mem.buffer.byteLength < need) k.mem.grow(Math.ceil((need - k.mem.buffer.byteLength) / 65536));
  const buf = k.mem.buffer;
  const chunk = new Float64Array(buf, 0, CHUNK);
  const idx = new Int32Array(buf, 8 * CHUNK, CHUNK);
  new Float64Array(buf, normsAt, cols).set(colSq.subarray(0, cols));
  for (let r = 0; r < rows; r++) {
    const si = rowSq[r];
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const len = Math.min(CHUNK, cols - c0);
      const vec = len - (len % STEP);
      const at = r * ld + c0;
      const part = g.subarray(at, at + len);
      chunk.set(part);
      const flagged = fn(0, normsAt + 8 * c0, vec, si, q.a, q.b, q.e, 8 * CHUNK);
      for (let t = 0; t < flagged; t++) {
        const j = idx[t];
        let s = exact(r, c0 + j);
        if (s < 0) s = 0;
        chunk[j] = mapOne(m, s, q);
      }
      for (let j = vec; j < len; j++) chunk[j] = entry(m, chunk[j], si, colSq[c0 + j], r, c0 + j, exact, q);
      part.set(len === CHUNK ? chunk : chunk.subarray(0, len));
    }
  }
}
