import { describe, expect, it } from 'vitest';
import { createRng, dot } from '@nclab/backend';
import { krylovBlock } from '../src/internal/krylov-block.js';

describe('krylovBlock (contiguous basis, BLAS-2 re-orthogonalisation)', () => {
  it('leaves a vector orthogonal to every row and combine equals the explicit sum', () => {
    const n = 37;
    const rng = createRng(3);
    const block = krylovBlock(n, 5);
    for (let j = 0; j < 5; j++) {
      const v = Float64Array.from(rng.normalArray(n));
      const r = block.orthogonalize(v);
      for (let i = 0; i < n; i++) v[i] /= r;
      block.push(v);
    }
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) expect(dot(block.row(a), block.row(b))).toBeCloseTo(a === b ? 1 : 0, 12);
    const w = Float64Array.from(rng.normalArray(n));
    block.orthogonalize(w);
    for (let j = 0; j < 5; j++) expect(Math.abs(dot(block.row(j), w))).toBeLessThan(1e-13);
    const coef = Float64Array.of(0.5, -2, 0, 1, 3);
    const y = block.combine(coef);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < 5; j++) s += coef[j] * block.row(j)[i];
      expect(y[i]).toBeCloseTo(s, 13);
    }
  });
});
