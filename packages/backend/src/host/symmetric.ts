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
  if (fn) {
    forEachLowerTileRow(n, (i, j0, j1) => {
      for (let j = j0; j < j1; j++) {
        const v = fn(data[i * n + j], i, j);
        data[i * n + j] = v;
        data[j * n + i] = v;
      }
    });
  } else {
    forEachLowerTileRow(n, (i, j0, j1) => {
      for (let j = j0; j < j1; j++) data[j * n + i] = data[i * n + j];
    });
  }
}

/**
 * Walks the lower triangle (j ≤ i) of an n×n matrix in 64×64 tiles, one row segment at a time:
 * `visit(i, j0, j1)` covers the entries (i, j) with j0 ≤ j < j1 ≤ i + 1. A visitor that also writes
 * the mirrored entries (j, i) finds them in cache (they lie in one 64×64 tile), and its own loop over j
 * stays monomorphic (one call per segment, not per entry).
 * @param n - the matrix size.
 * @param visit - called for each row segment of each tile, tiles row by row.
 * @example
 * forEachLowerTileRow(n, (i, j0, j1) => { for (let j = j0; j < j1; j++) out[j * n + i] = out[i * n + j] = f(i, j); });
 */
export function forEachLowerTileRow(n: number, visit: (i: number, j0: number, j1: number) => void): void {
  const B = 64;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) visit(i, j0, Math.min(j1, i + 1));
    }
  }
}
