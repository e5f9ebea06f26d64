import { NumericalError } from '@nclab/backend';

/**
 * Cyclic Jacobi eigendecomposition of a small symmetric matrix (internal: Rayleigh–Ritz blocks
 * and Kronecker factors of a few dozen rows). `a` is n×n row-major and is not modified.
 * Returns eigenvalues ascending and the eigenvectors as the columns of an n×n row-major array.
 */
export function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const m = 0.5 * (A[i * n + j] + A[j * n + i]);
    A[i * n + j] = m;
    A[j * n + i] = m;
  }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i] * A[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j] ** 2;
    if (off <= 1e-32 * total || off === 0) {
      const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[x * n + x] - A[y * n + y]);
      const values = new Float64Array(n);
      const vectors = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        values[j] = A[order[j] * n + order[j]];
        for (let k = 0; k < n; k++) vectors[k * n + j] = V[k * n + order[j]];
      }
      return { values, vectors };
    }
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  throw new NumericalError('jacobiEigen', `no convergence after 100 sweeps (n = ${n})`);
}
