import { InvalidArgumentError, axpy, createRng, dot, scale } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from '../operators/linear-operator.js';
import { orthogonalize } from '../internal/vec.js';
import { rademacher } from '../internal/random.js';
import { tridiagonalEigen } from '../internal/tridiagonal.js';
import { assertSteps } from './options.js';

/** Options of {@link spectralDensity}. */
export interface SpectralDensityOptions {
  /** Independent Lanczos runs (random Rademacher start vectors). Default 10. */
  runs?: number;
  /** Lanczos steps per run (capped at n). Default 80. */
  steps?: number;
  /** Grid points of the smoothed density. Default 1000. */
  gridPoints?: number;
  /** Gaussian kernel standard deviation. Default (θ_max − θ_min)/steps (or 1e-3·max(1,|θ|) when all nodes coincide). */
  sigma?: number;
  /** Grid padding on each side, as a fraction of the node spread (at least 5σ is always added). Default 0.1. */
  padding?: number;
  /** Seed; run r uses an independent stream forked from it. Default 0. */
  seed?: number;
}

/** One run's Gauss quadrature: nodes θ_i (Ritz values) and weights τ_i² (summing to 1). */
export interface QuadratureRun {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Result of {@link spectralDensity}. */
export interface SpectralDensityResult {
  /** Grid t_j, ascending, evenly spaced. */
  readonly grid: Float64Array;
  /** Density ρ(t_j), normalised so that the trapezoid integral over the grid is 1. */
  readonly density: Float64Array;
  /** Trapezoid integral of the smoothed density before normalisation (≈ 1 when the grid covers the mass). */
  readonly massBeforeNormalisation: number;
  /** Kernel standard deviation used. */
  readonly sigma: number;
  /** Per-run quadrature (nodes and weights), for outlier counting without smoothing. */
  readonly runs: readonly QuadratureRun[];
  /** Operator size n: n·weight estimates an eigenvalue count. */
  readonly size: number;
}

/**
 * Stochastic Lanczos quadrature (SLQ) estimate of the spectral density of a symmetric operator.
 *
 * ```math
 * ρ(t) ≈ (1/R) Σ_r Σ_i τ_{r,i}² · N(t; θ_{r,i}, σ²),   τ_{r,i} = e_1ᵀ s_{r,i}   (T_r = S_r Θ_r S_rᵀ)
 * ```
 *
 * Each run starts Lanczos (full re-orthogonalisation) from a normalised Rademacher vector; the
 * squared first components of T's eigenvectors are the quadrature weights (they sum to 1, so the
 * density has unit mass). Eigenvalue counts are n·Σ τ² over an interval.
 * Convention: density of the eigenvalue distribution (1/n)Σ δ(t − λ_i), integrating to 1.
 *
 * @param op - symmetric operator of size n.
 * @param options - see {@link SpectralDensityOptions}.
 * @returns grid, density and the raw quadrature of every run.
 * @throws {InvalidArgumentError} when `runs`, `steps` or `gridPoints` is not a positive integer, or `sigma` ≤ 0.
 * @throws {NumericalError} on a non-finite product (the message gives run and step).
 * @example
 * const d = await spectralDensity(op, { runs: 5, steps: 40, seed: 0 });
 * // d.grid, d.density: plot; the trapezoid integral of d.density is 1
 * @see Ghorbani, Krishnan & Xiao (2019) https://arxiv.org/abs/1901.10159; Lin, Saad & Yang (2016)
 */
export async function spectralDensity(op: LinearOperator, options: SpectralDensityOptions = {}): Promise<SpectralDensityResult> {
  assertOperator('op', op);
  const n = op.size;
  const runsCount = options.runs ?? 10;
  assertSteps('runs', runsCount);
  const steps = options.steps ?? 80;
  assertSteps('steps', steps);
  const gridPoints = options.gridPoints ?? 1000;
  if (!Number.isInteger(gridPoints) || gridPoints < 2) throw new InvalidArgumentError('gridPoints', 'an integer ≥ 2', gridPoints);
  if (options.sigma !== undefined && !(options.sigma > 0 && Number.isFinite(options.sigma))) {
    throw new InvalidArgumentError('sigma', 'a positive finite number', options.sigma);
  }
  const padding = options.padding ?? 0.1;
  const root = createRng(options.seed ?? 0);
  const runs: QuadratureRun[] = [];
  for (let r = 0; r < runsCount; r++) {
    const rng = root.fork();
    const v0 = rademacher(rng, n);
    scale(1 / Math.sqrt(n), v0);
    runs.push(await lanczosQuadrature(op, v0, Math.min(steps, n), r));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const run of runs) for (const t of run.nodes) { lo = Math.min(lo, t); hi = Math.max(hi, t); }
  const spread = hi - lo;
  const sigma = options.sigma ?? (spread > 1e-12 * Math.max(1, Math.abs(hi)) ? spread / steps : 1e-3 * Math.max(1, Math.abs(hi)));
  const pad = Math.max(padding * spread, 5 * sigma);
  const a = lo - pad;
  const b = hi + pad;
  const grid = new Float64Array(gridPoints);
  const h = (b - a) / (gridPoints - 1);
  for (let j = 0; j < gridPoints; j++) grid[j] = a + j * h;
  const density = new Float64Array(gridPoints);
  const c = 1 / (runsCount * sigma * Math.sqrt(2 * Math.PI));
  for (const run of runs) {
    for (let i = 0; i < run.nodes.length; i++) {
      const w = run.weights[i] * c;
      if (w === 0) continue;
      const t0 = run.nodes[i];
      // only evaluate within 8σ of the node
      const j0 = Math.max(0, Math.floor((t0 - 8 * sigma - a) / h));
      const j1 = Math.min(gridPoints - 1, Math.ceil((t0 + 8 * sigma - a) / h));
      for (let j = j0; j <= j1; j++) {
        const z = (grid[j] - t0) / sigma;
        density[j] += w * Math.exp(-0.5 * z * z);
      }
    }
  }
  let mass = 0;
  for (let j = 0; j < gridPoints - 1; j++) mass += 0.5 * h * (density[j] + density[j + 1]);
  if (mass > 0) for (let j = 0; j < gridPoints; j++) density[j] /= mass;
  return Object.freeze({ grid, density, massBeforeNormalisation: mass, sigma, runs, size: n });
}

/** m Lanczos steps from unit v0 (full re-orthogonalisation, stops early on exhaustion). */
async function lanczosQuadrature(op: LinearOperator, v0: Float64Array, m: number, run: number): Promise<QuadratureRun> {
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = v0;
  let scaleEstimate = 0;
  for (let j = 0; j < m; j++) {
    Q.push(q);
    const w = await applyOperator(op, q, `spectralDensity run ${run + 1} step ${j + 1}`);
    const a = dot(q, w);
    alpha.push(a);
    axpy(-a, q, w);
    if (j > 0) axpy(-beta[j - 1], Q[j - 1], w);
    const b = orthogonalize(w, Q);
    scaleEstimate = Math.max(scaleEstimate, Math.abs(a) + b);
    if (j === m - 1 || b <= 1e-10 * Math.max(scaleEstimate, Number.MIN_VALUE)) break;
    scale(1 / b, w);
    q = w;
    beta.push(b);
  }
  const { values, vectors } = tridiagonalEigen(alpha, beta);
  const k = alpha.length;
  const weights = new Float64Array(k);
  for (let i = 0; i < k; i++) weights[i] = vectors[i] ** 2; // first row, column i
  return { nodes: values, weights };
}
