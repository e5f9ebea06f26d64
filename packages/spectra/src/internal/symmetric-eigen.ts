import { eigh } from '@nclab/backend';

/**
 * Eigendecomposition of a small dense symmetric matrix (internal: Rayleigh–Ritz blocks and Kronecker
 * factors), through the backend's symmetric eigensolver (`eigh`: LAPACK `dsyevd` on the native path,
 * tridiagonal QL on the portable one). It replaces a cyclic Jacobi loop whose absolute stopping rule
 * (off² ≤ 1e-32·‖A‖²_F) never fired on matrices with a 64–100-fold degenerate eigenvalue (deep UFM at
 * its optimum, K ≥ 8).
 * @param a - n×n row-major, symmetrised as (A + Aᵀ)/2 first; not modified.
 * @param n - the matrix size.
 * @returns eigenvalues ascending and the eigenvectors as the columns of an n×n row-major array.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  const { values, vectors } = eigh({ rows: n, cols: n, data: A });
  return { values: Float64Array.from(values), vectors: new Float64Array(vectors.data) };
}
