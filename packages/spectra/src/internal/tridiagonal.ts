import { NumericalError } from '@nclab/backend';

/** Eigendecomposition of a symmetric tridiagonal matrix (internal; Lanczos and SLQ use it). */
export interface TridiagonalEigen {
  /** Eigenvalues, ascending, length m. */
  values: Float64Array;
  /** m×m row-major; column j is the unit eigenvector of `values[j]`. */
  vectors: Float64Array;
}

/**
 * √(a² + b²) without overflow or harmful underflow, as LAPACK's `dlapy2`: the larger magnitude times
 * √(1 + (smaller/larger)²). `Math.hypot` takes any number of arguments and is several times slower;
 * the QL sweep calls this O(m²) times per decomposition.
 */
function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  const small = x > y ? y : x;
  if (big === 0 || big === Infinity) return big + small; // NaN stays NaN
  const r = small / big;
  return big * Math.sqrt(1 + r * r);
}

/**
 * Implicit QL with Wilkinson shifts (the EISPACK `tql2` scheme) on the tridiagonal matrix with
 * diagonal `alpha` (length m) and off-diagonal `beta` (length m − 1, `beta[i] = T[i+1, i]`).
 * O(m³) with eigenvectors; m is the number of Lanczos steps. Each row of the eigenvector matrix is
 * rotated independently, so `firstRow` = m − 1 accumulates only the last row (what Lanczos' residual
 * bounds |β_m s_{m,i}| need): O(m²), and rows above `firstRow` are left zero.
 */
export function tridiagonalEigen(alpha: ArrayLike<number>, beta: ArrayLike<number>, firstRow = 0): TridiagonalEigen {
  const n = alpha.length;
  const d = Float64Array.from(alpha);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = beta[i];
  // only rows firstRow..n−1 of the eigenvector matrix are accumulated, so only they are stored:
  // V[(k − firstRow)·n + j] is entry (k, j)
  const base = firstRow * n;
  const V = new Float64Array((n - firstRow) * n);
  for (let i = firstRow; i < n; i++) V[i * n + i - base] = 1;
  ql(d, e, V, firstRow);
  // sort ascending, carrying the vectors along
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => d[a] - d[b]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    values[j] = d[order[j]];
    for (let k = firstRow; k < n; k++) vectors[k * n + j] = V[k * n - base + order[j]];
  }
  return { values, vectors };
}

/**
 * The QL sweeps of {@link tridiagonalEigen} in place: `d` (diagonal) becomes the eigenvalues, `e`
 * (off-diagonal, `e[n−1]` = 0) is destroyed, rows `firstRow..n−1` of the eigenvector matrix are
 * accumulated in `V` (`(n − firstRow) × n`). A function of its own so that V8 compiles its loops once
 * instead of entering them on-stack and deoptimising at the sort that followed, every call (the OSR
 * code lacked feedback there; a fixed-step Lanczos run spent 3 ms a call in the interpreter).
 */
function ql(d: Float64Array, e: Float64Array, V: Float64Array, firstRow: number): void {
  const n = d.length;
  const base = firstRow * n;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 200) throw new NumericalError('tridiagonalEigen', `QL iteration did not converge for eigenvalue ${l}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot2(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot2(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = firstRow; k < n; k++) {
            const row = k * n - base;
            h = V[row + i + 1];
            V[row + i + 1] = s * V[row + i] + c * h;
            V[row + i] = c * V[row + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
