/**
 * Element-wise maps of symmetric row-major matrices that touch each pair once.
 */

/**
 * Applies `fn(v, i, j)` to the lower triangle (j ≤ i) of the row-major n×n `data` (float64 or
 * float32) in place and
 * mirrors each result to (j, i), so the output is exactly symmetric and `fn` runs n(n+1)/2 times.
 * Without `fn` it copies the lower triangle onto the upper one. Tiles of 64×64 keep the transposed
 * writes in cache.
 * @param data - `[n, n]` row-major; only its lower triangle is read.
 * @example
 * mapSymmetric(k.data, n, (d2) => Math.exp(-Math.sqrt(d2) / L)); // a kernel from squared distances
 */
export function mapSymmetric(data: Float64Array | Float32Array, n: number, fn?: (v: number, i: number, j: number) => number): void {
  const B = 64;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) {
        const je = Math.min(j1, i + 1);
        if (fn) {
          for (let j = j0; j < je; j++) {
            const v = fn(data[i * n + j], i, j);
            data[i * n + j] = v;
            data[j * n + i] = v;
          }
        } else {
          for (let j = j0; j < je; j++) data[j * n + i] = data[i * n + j];
        }
      }
    }
  }
}
