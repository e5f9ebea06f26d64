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

  it('takes the second Gram–Schmidt pass when the first cancels most of the vector (DGKS)', () => {
    const n = 200;
    const rng = createRng(5);
    const block = krylovBlock(n, 3);
    for (let j = 0; j < 3; j++) {
      const v = Float64Array.from(rng.normalArray(n));
      const r = block.orthogonalize(v);
      for (let i = 0; i < n; i++) v[i] /= r;
      block.push(v);
    }
    // w = q0 + 2 q2 + 1e-9 · noise: one pass leaves ~1e-16 / 1e-9 of relative error along the rows
    const noise = Float64Array.from(rng.normalArray(n));
    const w = Float64Array.from(block.row(0), (x, i) => x + 2 * block.row(2)[i] + 1e-9 * noise[i]);
    const r = block.orthogonalize(w);
    expect(r).toBeGreaterThan(0);
    for (let j = 0; j < 3; j++) expect(Math.abs(dot(block.row(j), w)) / r).toBeLessThan(1e-14);
    // a vector already orthogonal keeps its norm (one pass, nothing to remove)
    const u = Float64Array.from(w);
    expect(block.orthogonalize(u)).toBeCloseTo(r, 12);
  });

  it('reuses the storage of a released block, never the storage of a block still in use', () => {
    const a = krylovBlock(50, 4);
    const b = krylovBlock(50, 4);
    expect(a.row(0).buffer).not.toBe(b.row(0).buffer);
    const storage = a.row(0).buffer;
    a.release();
    const c = krylovBlock(40, 5); // 200 floats: fits the released 200
    expect(c.row(0).buffer).toBe(storage);
    expect(c.count).toBe(0);
    const d = krylovBlock(40, 5); // the slot is empty while c is in use
    expect(d.row(0).buffer).not.toBe(storage);
    c.release();
    const e = krylovBlock(50, 5); // 250 floats: too large for the spare
    expect(e.row(0).buffer).not.toBe(storage);
    // a reused block behaves as a fresh one: orthogonalisation sees only the rows pushed since
    const rng = createRng(9);
    const f = krylovBlock(40, 5);
    const v = Float64Array.from(rng.normalArray(40));
    const r = f.orthogonalize(v.slice());
    expect(r).toBeCloseTo(Math.sqrt(dot(v, v)), 12);
  });
});
