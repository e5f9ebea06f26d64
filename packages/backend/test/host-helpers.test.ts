import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  allFinite,
  asFloat32,
  asFloat64,
  assertMatrix,
  assertMatrix32,
  assertMatrix64,
  assertSquare,
  axpy,
  createRng,
  dot,
  fromRows,
  norm,
  randomOrthonormalRows,
  scale,
  sumSq,
  symmetrize,
  unitRows,
} from '../src/index.js';

function argumentOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    return (e as InvalidArgumentError).argument;
  }
  throw new Error('expected a throw');
}

describe('matrix validation family', () => {
  const m64 = fromRows([[1, 2], [3, 4]]);
  const m32 = { rows: 2, cols: 2, data: Float32Array.of(1, 2, 3, 4) };

  it('accepts well-formed matrices of the right precision', () => {
    expect(() => assertMatrix('x', m64)).not.toThrow();
    expect(() => assertMatrix('x', m32)).not.toThrow();
    expect(() => assertMatrix64('x', m64)).not.toThrow();
    expect(() => assertMatrix32('x', m32)).not.toThrow();
    expect(() => assertMatrix('x', { rows: 0, cols: 3, data: new Float64Array(0) })).not.toThrow();
  });

  it('names the argument of every failure', () => {
    expect(argumentOf(() => assertMatrix('x', null))).toBe('x');
    expect(argumentOf(() => assertMatrix('x', { rows: 1, cols: 2, data: [1, 2] }))).toBe('x');
    expect(argumentOf(() => assertMatrix64('w', m32))).toBe('w');
    expect(argumentOf(() => assertMatrix32('w', m64))).toBe('w');
    expect(argumentOf(() => assertMatrix('x', { rows: 2, cols: 2, data: new Float64Array(3) }))).toBe('x.data');
    expect(argumentOf(() => assertMatrix('x', { rows: 1.5, cols: 2, data: new Float64Array(3) }))).toBe('x');
    expect(argumentOf(() => assertMatrix('x', { rows: 0, cols: 2, data: new Float64Array(0) }, { minRows: 1 }))).toBe('x');
    expect(argumentOf(() => assertMatrix('x', fromRows([[1, Number.NaN]])))).toBe('x');
    expect(argumentOf(() => assertSquare('a', fromRows([[1, 2]])))).toBe('a');
  });

  it('skips the finiteness scan only when asked', () => {
    expect(() => assertMatrix('x', fromRows([[Number.POSITIVE_INFINITY]]), { finite: false })).not.toThrow();
  });

  it('asFloat64 / asFloat32 return the input when already in that precision, else an exact-as-possible copy', () => {
    expect(asFloat64('x', m64)).toBe(m64);
    expect(asFloat32('x', m32)).toBe(m32);
    const up = asFloat64('x', m32);
    expect(up.data).toBeInstanceOf(Float64Array);
    expect(Array.from(up.data)).toEqual([1, 2, 3, 4]);
    const down = asFloat32('x', fromRows([[0.1]]));
    expect(down.data[0]).toBe(Math.fround(0.1));
  });
});

describe('allFinite', () => {
  it('is false exactly when an entry is NaN or ±Inf, for every array type and position', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const n of [1, 3, 4, 9]) {
        for (let at = 0; at < n; at++) {
          for (const make of [(a: number[]) => Float64Array.from(a), (a: number[]) => Float32Array.from(a), (a: number[]) => a]) {
            const a = Array.from({ length: n }, (_, i) => (i === at ? bad : -1e30 * (i % 2) + i));
            expect(allFinite(make(a))).toBe(false);
            a[at] = 0;
            expect(allFinite(make(a))).toBe(true);
          }
        }
      }
    }
    expect(allFinite(new Float32Array(0))).toBe(true);
    expect(allFinite(Float32Array.of(3.4028235e38, -3.4028235e38, 1e-45))).toBe(true);
  });
});

describe('vector kernels', () => {
  it('match their definitions', () => {
    const x = Float64Array.of(3, 4);
    const y = Float64Array.of(1, -2);
    expect(dot(x, y)).toBe(-5);
    expect(sumSq(x)).toBe(25);
    expect(norm(x)).toBe(5);
    axpy(2, x, y);
    expect(Array.from(y)).toEqual([7, 6]);
    scale(0.5, y);
    expect(Array.from(y)).toEqual([3.5, 3]);
  });

  it('unitRows scales each row to unit norm, keeps an all-zero row zero, and may write over its input', () => {
    const x = Float64Array.of(3, 4, 0, 0, -1, 0);
    const out = new Float64Array(6);
    unitRows(x, 3, 2, out);
    [0.6, 0.8, 0, 0, -1, 0].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 15)); // x · (1/‖x‖): 3 · 0.2 rounds to 0.6000000000000001
    expect([out[2], out[3]]).toEqual([0, 0]);
    expect(Array.from(x)).toEqual([3, 4, 0, 0, -1, 0]); // input untouched
    const rows = Float64Array.from({ length: 5 * 7 }, (_, i) => Math.sin(i + 0.5) * (i % 7 === 0 ? 100 : 1));
    unitRows(rows, 5, 7, rows);
    for (let i = 0; i < 5; i++) expect(norm(rows.subarray(i * 7, i * 7 + 7))).toBeCloseTo(1, 14);
  });

  it('axpy (four entries a step) gives the plain loop\'s bits at every length across the step, float64 and float32', () => {
    for (let n = 0; n <= 11; n++) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.1) / 3);
      for (const make of [(v: number[]) => Float64Array.from(v), (v: number[]) => Float32Array.from(v)]) {
        const start = Array.from({ length: n }, (_, i) => Math.cos(0.7 * i) * 1e3);
        const y = make(start);
        const ref = make(start);
        for (let i = 0; i < n; i++) ref[i] += -0.37 * x[i];
        axpy(-0.37, x, y);
        expect(Array.from(y)).toEqual(Array.from(ref));
      }
    }
  });
});

describe('symmetrize', () => {
  it('replaces A by (A + Aᵀ)/2, exactly symmetric, diagonal untouched', () => {
    const a = fromRows([[1, 2, 0], [4, 3, 1], [2, 5, 7]]);
    symmetrize(a);
    expect(a.data).toEqual(Float64Array.from([1, 3, 1, 3, 3, 3, 1, 3, 7]));
  });
});

describe('randomOrthonormalRows', () => {
  it('gives orthonormal rows (Q Qᵀ = I) and the same rows for the same seed', () => {
    const q = randomOrthonormalRows(createRng(3), 4, 9);
    expect([q.rows, q.cols]).toEqual([4, 9]);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const v = dot(q.data.subarray(i * 9, i * 9 + 9), q.data.subarray(j * 9, j * 9 + 9));
        expect(v).toBeCloseTo(i === j ? 1 : 0, 13);
      }
    }
    expect(randomOrthonormalRows(createRng(3), 4, 9).data).toEqual(q.data);
  });

  it('rejects k > d', () => {
    expect(argumentOf(() => randomOrthonormalRows(createRng(0), 3, 2))).toBe('k');
  });
});
