import { NumericalError } from '../../errors/errors.js';
import type { Matrix } from '../../host/matrix.js';
import type { SvdResult } from '../types.js';
import { eighPortable, jsKernels } from './eigh.js';
import { type EighKernels, instantiateEighKernels } from './wasm-kernels.js';
import { gemmPortable, syrkPortable } from './products.js';

const EPS = 2 ** -52;

/**
 * Thin SVD on typed arrays. For m ≥ n: eigenvectors V of AᵀA give a starting basis, then
 * one-sided Jacobi (Hestenes 1958) on the columns of B = A V restores full relative accuracy
 * of the small singular values (the Gram matrix alone loses everything below √ε·σ_max).
 * Converged when every pair of columns satisfies |b_pᵀ b_q| ≤ √m·ε·‖b_p‖‖b_q‖.
 * Columns of U for exactly zero singular values are completed to an orthonormal set.
 */
export function svdPortable(a: Matrix): SvdResult {
  if (a.rows < a.cols) {
    const t = svdTall(transposeOf(a));
    // A = (Aᵀ)ᵀ = (U S Vᵀ)ᵀ = V S Uᵀ
    return { u: transposeOf(t.vt), s: t.s, vt: transposeOf(t.u) };
  }
  return svdTall(a);
}

function transposeOf(m: Matrix): Matrix {
  const { rows: r, cols: c, data } = m;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = data[i * c + j];
  return { rows: c, cols: r, data: out };
}

function svdTall(a: Matrix): SvdResult {
  const m = a.rows;
  const n = a.cols;
  if (n === 0) {
    return { u: { rows: m, cols: 0, data: new Float64Array(0) }, s: new Float64Array(0), vt: { rows: 0, cols: 0, data: new Float64Array(0) } };
  }
  const g = syrkPortable(a, { trans: true });
  const { vectors } = eighPortable(g);
  // Vt rows = eigenvectors (descending order), Bt = Vt Aᵀ (row p = column p of A V).
  const Vt = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    const src = n - 1 - p;
    for (let k = 0; k < n; k++) Vt[p * n + k] = vectors.data[k * n + src];
  }
  const BtM = gemmPortable({ rows: n, cols: n, data: Vt }, a, { transB: true }).data;
  // Bt (n×m) and Vt (n×n) live in one buffer (WebAssembly memory when available) for the sweeps.
  const ws = jacobiWorkspace((n * m + n * n) * 8);
  const Bt = ws.f.subarray(0, n * m);
  const VtW = ws.f.subarray(n * m, n * m + n * n);
  Bt.set(BtM);
  VtW.set(Vt);
  jacobiSweeps(ws.k, n, m);
  Vt.set(VtW);
  const norms = new Float64Array(n);
  for (let p = 0; p < n; p++) norms[p] = Math.sqrt(dot(Bt, p * m, p * m, m));
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const s = new Float64Array(n);
  const U = new Float64Array(m * n);
  const vt = new Float64Array(n * n);
  const Ut = new Float64Array(n * m);
  let zeroFrom = n;
  for (let j = 0; j < n; j++) {
    const p = order[j];
    s[j] = norms[p];
    vt.set(Vt.subarray(p * n, p * n + n), j * n);
    if (s[j] > 0 && Number.isFinite(1 / s[j])) {
      const inv = 1 / s[j];
      for (let k = 0; k < m; k++) Ut[j * m + k] = Bt[p * m + k] * inv;
    } else if (zeroFrom === n) {
      zeroFrom = j;
    }
  }
  if (zeroFrom < n) completeOrthonormal(Ut, m, zeroFrom, n);
  for (let j = 0; j < n; j++) for (let k = 0; k < m; k++) U[k * n + j] = Ut[j * m + k];
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(s[j])) throw new NumericalError('svd', 'a non-finite singular value was produced');
  }
  return { u: { rows: m, cols: n, data: U }, s, vt: { rows: n, cols: n, data: vt } };
}

function dot(x: Float64Array, ox: number, oy: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += x[ox + k] * x[oy + k];
    s1 += x[ox + k + 1] * x[oy + k + 1];
    s2 += x[ox + k + 2] * x[oy + k + 2];
    s3 += x[ox + k + 3] * x[oy + k + 3];
  }
  for (; k < len; k++) s0 += x[ox + k] * x[oy + k];
  return s0 + s1 + s2 + s3;
}

/** A float64 buffer of `bytes` with the dot/rotation kernels over it (WebAssembly if available). */
function jacobiWorkspace(bytes: number): { f: Float64Array; k: EighKernels } {
  const pages = Math.ceil(bytes / 65536);
  if (pages <= 32768) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, pages) });
      const k = instantiateEighKernels(memory);
      if (k) return { f: new Float64Array(memory.buffer), k };
    } catch {
      // fall back to TypeScript
    }
  }
  const buf = new ArrayBuffer(Math.max(8, bytes));
  return { f: new Float64Array(buf), k: jsKernels(new Float64Array(buf), new Int32Array(buf)) };
}

/**
 * One-sided Jacobi on the rows of Bt (n rows of length m, at byte 0), rotating the rows of
 * Vt (n×n, right after Bt) alongside. Squared norms are updated by the exact rotation formulas
 * and recomputed at each sweep.
 */
function jacobiSweeps(k: EighKernels, n: number, m: number): void {
  const tol = Math.sqrt(m) * EPS;
  const sq = new Float64Array(n);
  const rowB = (p: number): number => p * m * 8;
  const rowV = (p: number): number => (n * m + p * n) * 8;
  for (let sweep = 0; sweep < 60; sweep++) {
    for (let p = 0; p < n; p++) sq[p] = k.dot(rowB(p), rowB(p), m);
    let rotated = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const alpha = sq[p];
        const beta = sq[q];
        if (alpha === 0 || beta === 0) continue;
        const gamma = k.dot(rowB(p), rowB(q), m);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        k.rot2(rowB(p), rowB(q), m, c, s);
        k.rot2(rowV(p), rowV(q), n, c, s);
        sq[p] = alpha - t * gamma;
        sq[q] = beta + t * gamma;
        rotated++;
      }
    }
    if (rotated === 0) return;
  }
  throw new NumericalError('svd', 'one-sided Jacobi did not converge in 60 sweeps');
}

/** Fills rows from..n-1 of Ut (n×m, orthonormal rows 0..from-1) with further orthonormal rows. */
function completeOrthonormal(Ut: Float64Array, m: number, from: number, n: number): void {
  const v = new Float64Array(m);
  let basis = 0;
  for (let j = from; j < n; j++) {
    for (;;) {
      if (basis >= m) throw new NumericalError('svd', 'could not complete the orthonormal basis of U');
      v.fill(0);
      v[basis++] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < j; q++) {
          let d = 0;
          for (let k = 0; k < m; k++) d += Ut[q * m + k] * v[k];
          for (let k = 0; k < m; k++) v[k] -= d * Ut[q * m + k];
        }
      }
      let nrm = 0;
      for (let k = 0; k < m; k++) nrm += v[k] * v[k];
      nrm = Math.sqrt(nrm);
      if (nrm > 0.5) {
        for (let k = 0; k < m; k++) Ut[j * m + k] = v[k] / nrm;
        break;
      }
    }
  }
}
