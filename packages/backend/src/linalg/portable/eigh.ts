import { NumericalError } from '../../errors/errors.js';
import type { Matrix } from '../../host/matrix.js';
import type { EighResult } from '../types.js';
import { type EighKernels, instantiateEighKernels } from './wasm-kernels.js';

const EPS = 2 ** -52;

/** √(a² + b²) without Math.hypot's cost; falls back to it where squaring could over- or underflow. */
function hyp(a: number, b: number): number {
  const x = Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b);
  if (x > 1e150 || x < 1e-150) return Math.hypot(a, b);
  return Math.sqrt(a * a + b * b);
}

/**
 * Working memory of one eigendecomposition: one buffer holding W (n×n), d, e, the pair-interleaved
 * eigenvector matrix V4 and the recorded QL rotations, addressed by byte offsets so that the same
 * layout serves the WebAssembly kernels and their TypeScript twins. V4 holds eigenvector rows
 * interleaved by fours: element (k, i) at V + ((k >> 2)·n + i)·32 + (k & 3)·8 bytes.
 */
interface Workspace {
  f: Float64Array;
  i32: Int32Array;
  k: EighKernels;
  n: number;
  W: number;
  d: number;
  e: number;
  V: number;
  quads: number;
  cs: number;
  ss: number;
  sw: number;
  capRot: number;
  maxSweeps: number;
}

const align16 = (x: number): number => Math.ceil(x / 16) * 16;

function layout(n: number): Omit<Workspace, 'f' | 'i32' | 'k'> & { bytes: number } {
  const W = 0;
  const d = align16(W + n * n * 8);
  const e = align16(d + n * 8);
  const V = align16(e + n * 8);
  const quads = Math.ceil(n / 8) * 2; // rows padded to a multiple of 8 (kernels take two quads at a time)
  const capRot = Math.max(64 * n, 4096);
  const cs = align16(V + quads * 4 * n * 8);
  const ss = align16(cs + capRot * 8);
  const maxSweeps = Math.ceil(capRot / 4);
  const sw = align16(ss + capRot * 8);
  const bytes = align16(sw + maxSweeps * 12);
  return { n, W, d, e, V, quads, cs, ss, sw, capRot, maxSweeps, bytes };
}

/** The TypeScript versions of the kernels, over the same byte-addressed buffer. */
export function jsKernels(f: Float64Array, i32: Int32Array): EighKernels {
  return {
    symv(w, d, e, k, k1, fv) {
      const wo = w >> 3, dO = d >> 3, eo = e >> 3;
      let g = 0;
      for (; k < k1; k++) {
        const x = f[wo + k];
        g += x * f[dO + k];
        f[eo + k] += x * fv;
      }
      return g;
    },
    rank2(w, d, e, k, k1, fv, g) {
      const wo = w >> 3, dO = d >> 3, eo = e >> 3;
      for (; k < k1; k++) f[wo + k] -= fv * f[eo + k] + g * f[dO + k];
    },
    dot(x, y, len) {
      const xo = x >> 3, yo = y >> 3;
      let s0 = 0, s1 = 0;
      let k = 0;
      for (; k + 1 < len; k += 2) {
        s0 += f[xo + k] * f[yo + k];
        s1 += f[xo + k + 1] * f[yo + k + 1];
      }
      if (k < len) s0 += f[xo + k] * f[yo + k];
      return s0 + s1;
    },
    axpy(y, x, len, alpha) {
      const xo = x >> 3, yo = y >> 3;
      for (let k = 0; k < len; k++) f[yo + k] += alpha * f[xo + k];
    },
    rot2(x, y, len, c, s) {
      const xo = x >> 3, yo = y >> 3;
      for (let k = 0; k < len; k++) {
        const a = f[xo + k], b = f[yo + k];
        f[xo + k] = c * a - s * b;
        f[yo + k] = s * a + c * b;
      }
    },
    rot(v4, n, q, q1, cs, ss, sweeps, count) {
      const cso = cs >> 3, sso = ss >> 3, swo = sweeps >> 2;
      for (; q < q1; q++) {
        const b = (v4 >> 3) + q * n * 4;
        for (let t = 0; t < count; t++) {
          const l = i32[swo + 3 * t], m = i32[swo + 3 * t + 1];
          let p = i32[swo + 3 * t + 2];
          let h0 = f[b + 4 * m], h1 = f[b + 4 * m + 1], h2 = f[b + 4 * m + 2], h3 = f[b + 4 * m + 3];
          for (let i = m - 1; i >= l; i--, p++) {
            const c = f[cso + p], s = f[sso + p];
            const o = b + 4 * i;
            const x0 = f[o], x1 = f[o + 1], x2 = f[o + 2], x3 = f[o + 3];
            f[o + 4] = s * x0 + c * h0;
            f[o + 5] = s * x1 + c * h1;
            f[o + 6] = s * x2 + c * h2;
            f[o + 7] = s * x3 + c * h3;
            h0 = c * x0 - s * h0;
            h1 = c * x1 - s * h1;
            h2 = c * x2 - s * h2;
            h3 = c * x3 - s * h3;
          }
          const o = b + 4 * l;
          f[o] = h0;
          f[o + 1] = h1;
          f[o + 2] = h2;
          f[o + 3] = h3;
        }
      }
    },
  };
}

function createWorkspace(n: number): Workspace {
  const lay = layout(n);
  const pages = Math.ceil(lay.bytes / 65536);
  if (pages <= 32768) {
    try {
      const memory = new WebAssembly.Memory({ initial: pages });
      const k = instantiateEighKernels(memory);
      if (k) return { ...lay, f: new Float64Array(memory.buffer), i32: new Int32Array(memory.buffer), k };
    } catch {
      // fall through to the TypeScript kernels
    }
  }
  const buf = new ArrayBuffer(lay.bytes);
  const f = new Float64Array(buf);
  const i32 = new Int32Array(buf);
  return { ...lay, f, i32, k: jsKernels(f, i32) };
}

/**
 * Householder reduction to tridiagonal form with accumulation of the transform (EISPACK `tred2`,
 * Bowdler, Martin, Reinsch & Wilkinson 1968), on W = Vᵀ so that every inner loop runs along a
 * contiguous row. On return d = diagonal, e[1..n-1] = sub-diagonal, W row j = column j of Q.
 */
function tridiagonalize(ws: Workspace): void {
  const { f: F, k: K, n } = ws;
  const W = ws.W >> 3, D = ws.d >> 3, E = ws.e >> 3;
  const rowB = (j: number): number => ws.W + j * n * 8;
  for (let j = 0; j < n; j++) F[D + j] = F[W + j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(F[D + k]);
    if (scale === 0) {
      F[E + i] = F[D + i - 1];
      for (let j = 0; j < i; j++) {
        F[D + j] = F[W + j * n + i - 1];
        F[W + j * n + i] = 0;
        F[W + i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        F[D + k] /= scale;
        h += F[D + k] * F[D + k];
      }
      let f = F[D + i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      F[E + i] = scale * g;
      h -= f * g;
      F[D + i - 1] = f - g;
      for (let j = 0; j < i; j++) F[E + j] = 0;
      for (let j = 0; j < i; j++) {
        f = F[D + j];
        F[W + i * n + j] = f;
        g = F[E + j] + F[W + j * n + j] * f + K.symv(rowB(j), ws.d, ws.e, j + 1, i, f);
        F[E + j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        F[E + j] /= h;
        f += F[E + j] * F[D + j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) F[E + j] -= hh * F[D + j];
      for (let j = 0; j < i; j++) {
        K.rank2(rowB(j), ws.d, ws.e, j, i, F[D + j], F[E + j]);
        F[D + j] = F[W + j * n + i - 1];
        F[W + j * n + i] = 0;
      }
    }
    F[D + i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    F[W + i * n + n - 1] = F[W + i * n + i];
    F[W + i * n + i] = 1;
    const h = F[D + i + 1];
    const rowq = W + (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) F[D + k] = F[rowq + k] / h;
      for (let j = 0; j <= i; j++) {
        const g = K.dot(rowB(i + 1), rowB(j), i + 1);
        K.axpy(rowB(j), ws.d, i + 1, -g);
      }
    }
    for (let k = 0; k <= i; k++) F[rowq + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    F[D + j] = F[W + j * n + n - 1];
    F[W + j * n + n - 1] = 0;
  }
  F[W + n * n - 1] = 1;
  F[E] = 0;
}

/**
 * Implicit QL iteration with Wilkinson-type shifts on the tridiagonal (d, e) (EISPACK `tql2`).
 * The plane rotations are recorded and applied in batches to the quad-interleaved V4, each
 * group of rows staying in cache while a whole batch passes over it.
 */
function tridiagonalQl(ws: Workspace): void {
  const { f: F, i32, k: K, n } = ws;
  const D = ws.d >> 3, E = ws.e >> 3, CS = ws.cs >> 3, SS = ws.ss >> 3, SW = ws.sw >> 2;
  for (let i = 1; i < n; i++) F[E + i - 1] = F[E + i];
  F[E + n - 1] = 0;
  let used = 0;
  let count = 0;
  const flush = (): void => {
    if (count > 0) K.rot(ws.V, n, 0, ws.quads, ws.cs, ws.ss, ws.sw, count);
    used = 0;
    count = 0;
  };
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(F[D + l]) + Math.abs(F[E + l]));
    let m = l;
    while (m < n) {
      if (Math.abs(F[E + m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new NumericalError('eigh', `QL iteration did not converge for eigenvalue ${l}`);
        let g = F[D + l];
        let p = (F[D + l + 1] - g) / (2 * F[E + l]);
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        F[D + l] = F[E + l] / (p + r);
        F[D + l + 1] = F[E + l] * (p + r);
        const dl1 = F[D + l + 1];
        let h = g - F[D + l];
        for (let i = l + 2; i < n; i++) F[D + i] -= h;
        f += h;
        p = F[D + m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = F[E + l + 1];
        if (used + (m - l) > ws.capRot || count >= ws.maxSweeps) flush();
        i32[SW + 3 * count] = l;
        i32[SW + 3 * count + 1] = m;
        i32[SW + 3 * count + 2] = used;
        count++;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * F[E + i];
          h = c * p;
          r = hyp(p, F[E + i]);
          F[E + i + 1] = s * r;
          s = F[E + i] / r;
          c = p / r;
          p = c * F[D + i] - s * g;
          F[D + i + 1] = h + s * (c * g + s * F[D + i]);
          F[CS + used] = c;
          F[SS + used] = s;
          used++;
        }
        p = (-s * s2 * c3 * el1 * F[E + l]) / dl1;
        F[E + l] = s * p;
        F[D + l] = c * p;
      } while (Math.abs(F[E + l]) > EPS * tst1);
    }
    F[D + l] += f;
    F[E + l] = 0;
  }
  flush();
}

/**
 * Symmetric eigendecomposition A = V diag(λ) Vᵀ in float64 (portable path): Householder
 * tridiagonalisation, then implicit QL with deferred, batched rotations. The hot loops run as
 * WebAssembly SIMD kernels when available, else as TypeScript. Only the lower triangle of `a`
 * is read. Eigenvalues ascending; column j of `vectors` is the unit eigenvector of λ_j.
 */
export function eighPortable(a: Matrix): EighResult {
  const n = a.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: { rows: 0, cols: 0, data: new Float64Array(0) } };
  const ws = createWorkspace(n);
  const F = ws.f;
  const W = ws.W >> 3;
  const A = a.data;
  // W = transpose of the lower triangle: W[c][r] = A[r][c] for r ≥ c.
  for (let r = 0; r < n; r++) for (let c = 0; c <= r; c++) F[W + c * n + r] = A[r * n + c];
  tridiagonalize(ws);
  // V4: element (k, i) = component k of vector i = W[i][k], rows interleaved by fours.
  const V = ws.V >> 3;
  for (let i = 0; i < n; i++) {
    const wi = W + i * n;
    for (let k = 0; k < n; k++) F[V + ((k >> 2) * n + i) * 4 + (k & 3)] = F[wi + k];
  }
  tridiagonalQl(ws);
  const D = ws.d >> 3;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(F[D + i])) throw new NumericalError('eigh', 'a non-finite eigenvalue was produced');
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => F[D + x] - F[D + y]);
  const values = new Float64Array(n);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) values[j] = F[D + order[j]];
  for (let k = 0; k < n; k++) {
    const base = V + (k >> 2) * n * 4 + (k & 3);
    const row = k * n;
    for (let j = 0; j < n; j++) out[row + j] = F[base + order[j] * 4];
  }
  return { values, vectors: { rows: n, cols: n, data: out } };
}
