import type { Rng } from '@nclab/backend';

/** A random ±1 vector (Rademacher), length n. */
export function rademacher(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < 0.5 ? -1 : 1;
  return out;
}

/** A standard normal vector, length n. */
export function gaussian(rng: Rng, n: number): Float64Array {
  return rng.normalArray(n) as Float64Array;
}

/** A random unit vector (normalised Gaussian). */
export function randomUnit(rng: Rng, n: number): Float64Array {
  const v = gaussian(rng, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] * v[i];
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) v[i] *= inv;
  return v;
}
