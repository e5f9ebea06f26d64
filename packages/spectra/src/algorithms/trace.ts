import { InvalidArgumentError, createRng, dot, scale } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from '../operators/linear-operator.js';
import { orthogonalize } from '../internal/vec.js';
import { gaussian, rademacher } from '../internal/random.js';
import { assertSteps } from './options.js';

/** Options of {@link hutchinsonTrace} and {@link hutchPlusPlusTrace}. */
export interface TraceOptions {
  /** Number of operator products. Default 100 (Hutch++: rounded down to a multiple of 3). */
  matvecs?: number;
  /** Probe distribution. Default `'rademacher'`. */
  distribution?: 'rademacher' | 'gaussian';
  /** Seed. Default 0. */
  seed?: number;
}

/** A stochastic trace estimate with its standard error. */
export interface TraceResult {
  /** The estimate of tr(A). */
  readonly estimate: number;
  /** Standard error of the stochastic part: sample std / √s (0 when no stochastic part remains). */
  readonly stderr: number;
  /** Operator products used. */
  readonly matvecs: number;
  /** Hutch++ only: the exact trace of the deflated top subspace, tr(QᵀAQ). */
  readonly deflatedPart?: number;
}

/**
 * Hutchinson's trace estimator.
 *
 * ```math
 * tr(A) ≈ (1/s) Σ_{i=1}^{s} z_iᵀ A z_i,  E[z zᵀ] = I,   stderr = std(z_iᵀ A z_i)/√s
 * ```
 *
 * Rademacher probes have the smaller variance, 2(‖A‖_F² − Σ A_ii²); note that for a diagonal A
 * every Rademacher probe returns tr A exactly (stderr 0).
 *
 * @param op - square operator of size n.
 * @param options - see {@link TraceOptions}.
 * @returns estimate, standard error and products used.
 * @throws {InvalidArgumentError} when `matvecs` < 2 or the distribution is unknown.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await hutchinsonTrace(denseOperator(eye(5)), { matvecs: 10 })).estimate; // returns 5
 * @see Hutchinson (1990); Avron & Toledo (2011)
 */
export async function hutchinsonTrace(op: LinearOperator, options: TraceOptions = {}): Promise<TraceResult> {
  assertOperator('op', op);
  const s = options.matvecs ?? 100;
  if (!Number.isInteger(s) || s < 2) throw new InvalidArgumentError('matvecs', 'an integer ≥ 2', s);
  const probe = probeFactory(options.distribution ?? 'rademacher', options.seed ?? 0, op.size);
  const samples = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const z = probe();
    samples[i] = dot(z, await applyOperator(op, z, `hutchinsonTrace probe ${i + 1}`));
  }
  const { mean, stderr } = meanStderr(samples);
  return Object.freeze({ estimate: mean, stderr, matvecs: s });
}

/**
 * Hutch++ trace estimator: exact trace on a sketched top subspace plus Hutchinson on the rest.
 *
 * ```math
 * Q = orth(A S),  S ∈ ℝ^{n×m/3};   tr(A) ≈ tr(QᵀAQ) + (3/m) Σ_i z_iᵀ (I−QQᵀ) A (I−QQᵀ) z_i
 * ```
 *
 * Uses m products in total (m/3 for the sketch, m/3 for QᵀAQ, m/3 probes). Much lower variance than
 * Hutchinson when the spectrum has a few large outliers (Hessians).
 *
 * @param op - symmetric operator of size n.
 * @param options - see {@link TraceOptions}; `matvecs` ≥ 6.
 * @returns estimate, standard error of the stochastic part, products used and the deflated part.
 * @throws {InvalidArgumentError} when `matvecs` < 6 or the distribution is unknown.
 * @throws {NumericalError} on a non-finite product.
 * @example
 * (await hutchPlusPlusTrace(op, { matvecs: 60, seed: 1 })).estimate;
 * @see Meyer, Musco, Musco & Woodruff (2021) https://arxiv.org/abs/2010.09649
 */
export async function hutchPlusPlusTrace(op: LinearOperator, options: TraceOptions = {}): Promise<TraceResult> {
  assertOperator('op', op);
  const m = options.matvecs ?? 102;
  if (!Number.isInteger(m) || m < 6) throw new InvalidArgumentError('matvecs', 'an integer ≥ 6', m);
  const third = Math.floor(m / 3);
  const n = op.size;
  const probe = probeFactory(options.distribution ?? 'rademacher', options.seed ?? 0, n);
  const Q: Float64Array[] = [];
  let used = 0;
  for (let i = 0; i < Math.min(third, n); i++) {
    const y = await applyOperator(op, probe(), `hutchPlusPlusTrace sketch ${i + 1}`);
    used++;
    const before = Math.sqrt(dot(y, y));
    const r = orthogonalize(y, Q);
    if (r > 1e-10 * Math.max(before, Number.MIN_VALUE)) {
      scale(1 / r, y);
      Q.push(y);
    }
  }
  let deflatedPart = 0;
  for (let i = 0; i < Q.length; i++) {
    deflatedPart += dot(Q[i], await applyOperator(op, Q[i], `hutchPlusPlusTrace QᵀAQ ${i + 1}`));
    used++;
  }
  const samples = new Float64Array(third);
  for (let i = 0; i < third; i++) {
    const z = probe();
    orthogonalize(z, Q);
    samples[i] = dot(z, await applyOperator(op, z, `hutchPlusPlusTrace probe ${i + 1}`));
    used++;
  }
  const { mean, stderr } = meanStderr(samples);
  return Object.freeze({ estimate: deflatedPart + mean, stderr, matvecs: used, deflatedPart });
}

function probeFactory(distribution: string, seed: number, n: number): () => Float64Array {
  if (distribution !== 'rademacher' && distribution !== 'gaussian') {
    throw new InvalidArgumentError('distribution', `'rademacher' or 'gaussian'`, distribution);
  }
  const rng = createRng(seed);
  return distribution === 'rademacher' ? () => rademacher(rng, n) : () => gaussian(rng, n);
}

function meanStderr(samples: Float64Array): { mean: number; stderr: number } {
  const s = samples.length;
  let mean = 0;
  for (const x of samples) mean += x;
  mean /= s;
  let v = 0;
  for (const x of samples) v += (x - mean) ** 2;
  v /= s - 1;
  return { mean, stderr: Math.sqrt(v / s) };
}

