import { NumericalError } from '../../errors/errors.js';
import type { Matrix } from '../../host/matrix.js';
import type { EighResult } from '../types.js';

const EPS = 2 ** -52;

/**
 * Householder reduction of a symmetric matrix to tridiagonal form, accumulating the orthogonal
 * transform (EISPACK `tred2`, Bowdler, Martin, Reinsch & Wilkinson 1968). Works on W = Vᵀ so that
 * every inner loop runs along a contiguous row. Reads only the lower triangle of `a`.
 * @returns d (diagonal), e (sub-diagonal in e[1..n-1]) and W with row j = column j of Q.
 */
function tridiagonalize(a: Matrix): { d: Float64Array; e: Float64Array; w: Float64Array } {
  const n = a.rows;
  const A = a.data;
  const W = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c <= r; c++) W[c * n + r] = A[r * n + c];
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f;
        const row = j * n;
        g = e[j] + W[row + j] * f;
        for (let k = j + 1; k < i; k++) {
          const wv = W[row + k];
          g += wv * d[k];
          e[k] += wv * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k < i; k++) W[row + k] -= f * e[k] + g * d[k];
        d[j] = W[row + i - 1];
        W[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i];
    W[i * n + i] = 1;
    const h = d[i + 1];
    const rowq = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[rowq + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[rowq + k] * W[row + k];
        for (let k = 0; k <= i; k++) W[row + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[rowq + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1];
    W[j * n + n - 1] = 0;
  }
  W[n * n - 1] = 1;
  e[0] = 0;
  return { d, e, w: W };
}

/**
 * Applies recorded QL sweeps to the rows of V (row k holds component k of every vector).
 * Sweep t rotates columns (i, i+1) for i = m_t-1 down to l_t with (c, s) stored from `start_t`.
 * Each row stays in L1 while all sweeps of the batch pass over it; two rows run together so the
 * carried value of one hides the latency of the other.
 */
function applySweeps(
  V: Float64Array,
  n: number,
  cs: Float64Array,
  ss: Float64Array,
  sweeps: Int32Array,
  count: number,
): void {
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const r0 = k * n;
    const r1 = r0 + n;
    for (let t = 0; t < count; t++) {
      const l = sweeps[3 * t];
      const m = sweeps[3 * t + 1];
      let p = sweeps[3 * t + 2];
      let h0 = V[r0 + m];
      let h1 = V[r1 + m];
      for (let i = m - 1; i >= l; i--, p++) {
        const c = cs[p];
        const s = ss[p];
        const x0 = V[r0 + i];
        const x1 = V[r1 + i];
        V[r0 + i + 1] = s * x0 + c * h0;
        V[r1 + i + 1] = s * x1 + c * h1;
        h0 = c * x0 - s * h0;
        h1 = c * x1 - s * h1;
      }
      V[r0 + l] = h0;
      V[r1 + l] = h1;
    }
  }
  for (; k < n; k++) {
    const r0 = k * n;
    for (let t = 0; t < count; t++) {
      const l = sweeps[3 * t];
      const m = sweeps[3 * t + 1];
      let p = sweeps[3 * t + 2];
      let h0 = V[r0 + m];
      for (let i = m - 1; i >= l; i--, p++) {
        const c = cs[p];
        const s = ss[p];
        const x0 = V[r0 + i];
        V[r0 + i + 1] = s * x0 + c * h0;
        h0 = c * x0 - s * h0;
      }
      V[r0 + l] = h0;
    }
  }
}

/**
 * Implicit QL iteration on the tridiagonal (d, e), rotating the columns of V (EISPACK `tql2`).
 * The rotations are recorded and applied in batches (see `applySweeps`).
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, V: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  const cap = Math.max(4 * n, 1024);
  const cs = new Float64Array(Math.max(cap, 64 * n));
  const ss = new Float64Array(cs.length);
  const maxSweeps = Math.max(64, Math.ceil(cs.length / 8));
  const sweeps = new Int32Array(3 * maxSweeps);
  let used = 0;
  let count = 0;
  const flush = (): void => {
    if (count > 0) applySweeps(V, n, cs, ss, sweeps, count);
    used = 0;
    count = 0;
  };
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new NumericalError('eigh', `QL iteration did not converge for eigenvalue ${l}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        if (used + (m - l) > cs.length || count >= maxSweeps) flush();
        sweeps[3 * count] = l;
        sweeps[3 * count + 1] = m;
        sweeps[3 * count + 2] = used;
        count++;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          cs[used] = c;
          ss[used] = s;
          used++;
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  flush();
}

/**
 * Symmetric eigendecomposition A = V diag(λ) Vᵀ in float64 on typed arrays: Householder
 * tridiagonalisation, then implicit QL with deferred, batched rotations. Only the lower triangle
 * of `a` is read. Eigenvalues ascending; column j of `vectors` is the unit eigenvector of λ_j.
 */
export function eighPortable(a: Matrix): EighResult {
  const n = a.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: { rows: 0, cols: 0, data: new Float64Array(0) } };
  const { d, e, w } = tridiagonalize(a);
  // V[k][j] = W[j][k]
  const V = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) V[k * n + j] = w[j * n + k];
  tridiagonalQl(d, e, V, n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i])) throw new NumericalError('eigh', 'a non-finite eigenvalue was produced');
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    values[j] = d[src];
    for (let k = 0; k < n; k++) out[k * n + j] = V[k * n + src];
  }
  return { values, vectors: { rows: n, cols: n, data: out } };
}
