import { InvalidArgumentError } from '../errors/errors.js';

/**
 * A seeded pseudo-random generator whose streams are identical on every engine and platform:
 * numbers are produced on the host (xoshiro128** seeded through SplitMix32) and only then copied
 * to an engine, so `wasm`, `cpu` and `tensorflow` runs with the same seed see the same data.
 */
export interface Rng {
  /** The seed this generator was created with. */
  readonly seed: number;
  /** Uniform on [0, 1) with 2^-53 resolution. */
  uniform(): number;
  /** Standard normal (Box–Muller, both values of each pair used). */
  normal(): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
  /** `n` uniforms on [lo, hi) in a new array (float64 unless `Float32Array` is passed as `type`). */
  uniformArray(n: number, lo?: number, hi?: number, type?: Float64ArrayConstructor | Float32ArrayConstructor): Float64Array | Float32Array;
  /** `n` normals with the given mean and standard deviation. */
  normalArray(n: number, mean?: number, std?: number, type?: Float64ArrayConstructor | Float32ArrayConstructor): Float64Array | Float32Array;
  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array;
  /** An independent child generator (e.g. one per layer), derived deterministically from this one's state. */
  fork(): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator.
 * @param seed - any finite number; non-integers are truncated, negatives wrapped to uint32.
 * @throws {InvalidArgumentError} when `seed` is not finite.
 * @example
 * const rng = createRng(0);
 * rng.normalArray(3); // the same three numbers on every machine
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', 'a finite number', seed);
  const sm = splitmix32(Math.trunc(seed) >>> 0);
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return r;
  };
  let spare: number | null = null;
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  const normal = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const rng: Rng = {
    seed,
    uniform,
    normal,
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('n', 'a positive integer', n);
      return Math.floor(uniform() * n);
    },
    uniformArray(n, lo = 0, hi = 1, type = Float64Array) {
      const out = new type(n);
      const w = hi - lo;
      for (let i = 0; i < n; i++) out[i] = lo + w * uniform();
      return out;
    },
    normalArray(n, mean = 0, std = 1, type = Float64Array) {
      const out = new type(n);
      for (let i = 0; i < n; i++) out[i] = mean + std * normal();
      return out;
    },
    permutation(n) {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const t = p[i]; p[i] = p[j]; p[j] = t;
      }
      return p;
    },
    fork() {
      return createRng(next32());
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
