/**
 * Internal float64 GEMM kernel on strided row-major storage (portable path).
 *
 * C[cOff + i*ldc + j] += alpha · Σ_k op(A)[i,k] · op(B)[k,j]
 *
 * op(A) is m×k, op(B) is k×n. Blocks of KC along k are packed into 4-wide panels and multiplied
 * by a 4×4 register-blocked micro-kernel (16 accumulators), which keeps V8 on typed-array fast
 * paths. With `lower` set, only blocks that touch the lower triangle (j ≤ i) are computed, which
 * SYRK and the Cholesky trailing update use; entries strictly above the diagonal inside a diagonal
 * block may be written too, callers overwrite or ignore them.
 */
import { ADD, BLOCK, br, brIf, c, compileOrNull, END, assembleModule, type Fn, GE_S, get, I32, i32c, LOOP, MUL, set, SHL, V128, VADD, vload, vload64splat, VMUL, vstore } from './wasm-asm.js';

const KC = 256;
const MR = 4;
const NR = 4;

// panel(ap, bp, kc, nb, out): for each of nb packed B panels, the 4×4 block Σ_kk a[kk]·b[kk]ᵀ
// of one packed A panel, stored row-major (16 f64) at out + jb·128. Eight f64x2 accumulators.
const accs = [9, 10, 11, 12, 13, 14, 15, 16];
const panelFn: Fn = {
  name: 'panel', params: [I32, I32, I32, I32, I32], results: [],
  // 5 jb, 6 pa, 7 pb, 8 end, 9..16 acc, 17 b01, 18 b23, 19 a, 20 o, 21 zero
  locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, I32, V128],
  body: c(
    BLOCK, LOOP,
    get(5), get(3), GE_S, brIf(1),
    get(0), set(6),
    get(0), get(2), i32c(5), SHL, ADD, set(8),
    get(1), get(5), get(2), MUL, i32c(5), SHL, ADD, set(7),
    ...accs.map((r) => c(get(21), set(r))),
    BLOCK, LOOP,
    get(6), get(8), GE_S, brIf(1),
    get(7), vload(0), set(17),
    get(7), vload(16), set(18),
    ...[0, 1, 2, 3].map((r) => c(
      get(6), vload64splat(r * 8), set(19),
      get(accs[2 * r]), get(19), get(17), VMUL, VADD, set(accs[2 * r]),
      get(accs[2 * r + 1]), get(19), get(18), VMUL, VADD, set(accs[2 * r + 1]),
    )),
    get(6), i32c(32), ADD, set(6),
    get(7), i32c(32), ADD, set(7),
    br(0), END, END,
    get(4), get(5), i32c(7), SHL, ADD, set(20),
    ...accs.map((r, t) => c(get(20), get(r), vstore(t * 16))),
    get(5), i32c(1), ADD, set(5),
    br(0), END, END,
  ),
};

interface PanelKernel {
  panel(ap: number, bp: number, kc: number, nb: number, out: number): void;
}

let panelModule: WebAssembly.Module | null | undefined;
let cached: { memory: WebAssembly.Memory; k: PanelKernel; f: Float64Array } | null = null;

/** Kernel and a float64 view over at least `bytes` of its memory; null without WebAssembly SIMD. */
function panelWorkspace(bytes: number): { k: PanelKernel; f: Float64Array } | null {
  if (panelModule === undefined) panelModule = compileOrNull(assembleModule([panelFn]));
  if (!panelModule) return null;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 16384) return null; // > 1 GiB of packed panels: use the TypeScript kernel
  try {
    if (pages > 1024) {
      // Large (> 64 MiB) workspaces are not kept alive between calls.
      const memory = new WebAssembly.Memory({ initial: pages });
      const k = new WebAssembly.Instance(panelModule, { env: { mem: memory } }).exports as unknown as PanelKernel;
      return { k, f: new Float64Array(memory.buffer) };
    }
    if (!cached) {
      const memory = new WebAssembly.Memory({ initial: Math.max(pages, 16) });
      const k = new WebAssembly.Instance(panelModule, { env: { mem: memory } }).exports as unknown as PanelKernel;
      cached = { memory, k, f: new Float64Array(memory.buffer) };
    } else if (cached.memory.buffer.byteLength < pages * 65536) {
      cached.memory.grow(pages - cached.memory.buffer.byteLength / 65536);
      cached.f = new Float64Array(cached.memory.buffer);
    }
    return cached;
  } catch {
    return null;
  }
}

/** C += alpha · (4×4 blocks at f[outE + jb·16]) for jb < jbEnd, clipped at the matrix edges. */
function scatterBlocks(
  f: Float64Array, outE: number, jbEnd: number, i0: number, m: number, n: number, alpha: number, c: Float64Array, cOff: number, ldc: number,
): void {
  const h = Math.min(MR, m - i0);
  for (let jb = 0; jb < jbEnd; jb++) {
    const j0 = jb * NR;
    const w = Math.min(NR, n - j0);
    const src = outE + jb * 16;
    for (let r = 0; r < h; r++) {
      const p = cOff + (i0 + r) * ldc + j0;
      const q = src + r * 4;
      for (let t = 0; t < w; t++) c[p + t] += alpha * f[q + t];
    }
  }
}

/** Strided view of a row-major operand: element (r, c) is data[off + r*ld + c]. */
export interface Strided {
  data: Float64Array;
  off: number;
  ld: number;
  trans: boolean;
}

function packA(a: Strided, m: number, k0: number, kc: number, out: Float64Array, o: number): void {
  // out[(ib*kc + kk)*MR + r] = op(A)[ib*MR + r, k0 + kk]
  const { data, off, ld, trans } = a;
  const mb = Math.ceil(m / MR);
  for (let ib = 0; ib < mb; ib++) {
    const base = o + ib * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = ib * MR + r;
      if (i >= m) {
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + r] = 0;
        continue;
      }
      if (!trans) {
        const src = off + i * ld + k0;
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + r] = data[src + kk];
      } else {
        let src = off + k0 * ld + i;
        for (let kk = 0; kk < kc; kk++, src += ld) out[base + kk * MR + r] = data[src];
      }
    }
  }
}

function packB(b: Strided, n: number, k0: number, kc: number, out: Float64Array, o: number): void {
  // out[(jb*kc + kk)*NR + c] = op(B)[k0 + kk, jb*NR + c]
  const { data, off, ld, trans } = b;
  const nb = Math.ceil(n / NR);
  for (let jb = 0; jb < nb; jb++) {
    const base = o + jb * kc * NR;
    const j0 = jb * NR;
    const w = Math.min(NR, n - j0);
    if (!trans) {
      for (let kk = 0; kk < kc; kk++) {
        const src = off + (k0 + kk) * ld + j0;
        const dst = base + kk * NR;
        for (let c = 0; c < w; c++) out[dst + c] = data[src + c];
        for (let c = w; c < NR; c++) out[dst + c] = 0;
      }
    } else {
      for (let c = 0; c < NR; c++) {
        if (c >= w) {
          for (let kk = 0; kk < kc; kk++) out[base + kk * NR + c] = 0;
          continue;
        }
        const src = off + (j0 + c) * ld + k0;
        for (let kk = 0; kk < kc; kk++) out[base + kk * NR + c] = data[src + kk];
      }
    }
  }
}

/**
 * C += alpha · op(A) · op(B) on strided storage (C is not transposed).
 * @param lower - compute only blocks intersecting the lower triangle (square C, m = n).
 */
export function gemmAccumulate(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Strided,
  b: Strided,
  c: Float64Array,
  cOff: number,
  ldc: number,
  lower = false,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const mb = Math.ceil(m / MR);
  const nb = Math.ceil(n / NR);
  const kcMax = Math.min(KC, k);
  const apLen = mb * kcMax * MR;
  const bpLen = nb * kcMax * NR;
  const ws = panelWorkspace((apLen + bpLen + nb * 16) * 8);
  if (ws) {
    const { k: K, f } = ws;
    const bpE = apLen;
    const outE = apLen + bpLen;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      packA(a, m, k0, kc, f, 0);
      packB(b, n, k0, kc, f, bpE);
      for (let ib = 0; ib < mb; ib++) {
        const i0 = ib * MR;
        const jbEnd = lower ? Math.min(nb, Math.floor((i0 + MR - 1) / NR) + 1) : nb;
        K.panel(ib * kc * MR * 8, bpE * 8, kc, jbEnd, outE * 8);
        scatterBlocks(f, outE, jbEnd, i0, m, n, alpha, c, cOff, ldc);
      }
    }
    return;
  }
  const ap = new Float64Array(apLen);
  const bp = new Float64Array(bpLen);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packA(a, m, k0, kc, ap, 0);
    packB(b, n, k0, kc, bp, 0);
    for (let ib = 0; ib < mb; ib++) {
      const i0 = ib * MR;
      const aBase = ib * kc * MR;
      const jbEnd = lower ? Math.min(nb, Math.floor((i0 + MR - 1) / NR) + 1) : nb;
      for (let jb = 0; jb < jbEnd; jb++) {
        const j0 = jb * NR;
        const bBase = jb * kc * NR;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pa = aBase;
        let pb = bBase;
        for (let kk = 0; kk < kc; kk++, pa += MR, pb += NR) {
          const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
          const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        const h = Math.min(MR, m - i0);
        const w = Math.min(NR, n - j0);
        if (h === MR && w === NR) {
          let p = cOff + i0 * ldc + j0;
          c[p] += alpha * c00; c[p + 1] += alpha * c01; c[p + 2] += alpha * c02; c[p + 3] += alpha * c03;
          p += ldc;
          c[p] += alpha * c10; c[p + 1] += alpha * c11; c[p + 2] += alpha * c12; c[p + 3] += alpha * c13;
          p += ldc;
          c[p] += alpha * c20; c[p + 1] += alpha * c21; c[p + 2] += alpha * c22; c[p + 3] += alpha * c23;
          p += ldc;
          c[p] += alpha * c30; c[p + 1] += alpha * c31; c[p + 2] += alpha * c32; c[p + 3] += alpha * c33;
        } else {
          const blk = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
          for (let r = 0; r < h; r++) {
            const p = cOff + (i0 + r) * ldc + j0;
            for (let q = 0; q < w; q++) c[p + q] += alpha * blk[r * 4 + q];
          }
        }
      }
    }
  }
}
