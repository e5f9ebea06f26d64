/**
 * Numerical solution of the relaxed unconstrained kernel model (Problem 3, Theorem 4.4) over PSD kernel
 * matrices with unit diagonal, compared with the closed form k* = I_K ⊗ 1_n1_nᵀ, f(k*) = n/(n + μ).
 *
 * Method: k = VᵀV with V `[N, N]` of unit-norm columns v_i (every PSD unit-diagonal k has this form),
 * Riemannian gradient ascent on the product of spheres: Euclidean gradient E = 2 V ∂f/∂k, tangent part
 * R_i = E_i − (v_iᵀE_i) v_i per column, step V ← normalise_columns(V + t R) with Armijo backtracking
 * (accept when f rises by ≥ 1e-4·t·‖R‖²_F; t doubles after an accepted step). Converged when
 * ‖R‖_F ≤ `gradTol`. Several seeded Gaussian starts; the best is reported.
 */
import { assertInteger, assertPositive, createRng, gemm, InvalidArgumentError, type Matrix } from '@nclab/backend/host';
import { classIndicators, gramDistance, kernelModelObjective } from './objective.js';

/** Options of {@link solveKernelModel}. */
export interface KernelModelOptions {
  /** Number of classes K ≥ 2. */
  readonly K: number;
  /** Samples per class n ≥ 1. */
  readonly n: number;
  /** Ridge μ > 0. */
  readonly ridge: number;
  /** Seed of the first start (start r uses seed + r). Default 0. */
  readonly seed?: number;
  /** Number of seeded random starts. Default 3. */
  readonly restarts?: number;
  /** Maximum ascent steps per start. Default 5000. */
  readonly maxSteps?: number;
  /** Stop when the Riemannian gradient norm ‖R‖_F is at most this. Default 1e-8 (about √ε: the objective is flat to rounding below it). */
  readonly gradTol?: number;
}

/** One start of {@link solveKernelModel}. */
export interface KernelModelStart {
  readonly seed: number;
  readonly objective: number;
  readonly gramError: number;
  readonly steps: number;
  readonly gradNorm: number;
  readonly converged: boolean;
}

/** Result of {@link solveKernelModel}. */
export interface KernelModelResult {
  /** f(k) of the best start (normalised objective, maximised). */
  readonly objective: number;
  /** The closed form n/(n + μ). */
  readonly theoryObjective: number;
  /** ‖k − I_K ⊗ 11ᵀ‖_F / ‖I_K ⊗ 11ᵀ‖_F of the best start. */
  readonly gramError: number;
  /** Whether the best start met `gradTol`. */
  readonly converged: boolean;
  readonly steps: number;
  readonly gradNorm: number;
  /** The best start's kernel matrix `[K·n, K·n]` (samples in class blocks). */
  readonly gram: Matrix;
  /** Every start. */
  readonly starts: readonly KernelModelStart[];
  /** Index of the best start in `starts`. */
  readonly best: number;
}

function normaliseColumns(v: Float64Array, N: number): void {
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += v[i * N + j] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < N; i++) v[i * N + j] *= inv;
  }
}

function gramOfColumns(v: Float64Array, N: number): Matrix {
  const m: Matrix = { rows: N, cols: N, data: v };
  const k = gemm(m, m, { transA: true });
  for (let i = 0; i < N; i++) k.data[i * N + i] = 1; // exact unit diagonal
  return k;
}

/** Riemannian gradient on the sphere product at V, given ∂f/∂k. */
function riemannianGradient(v: Float64Array, g: Matrix, N: number): Float64Array {
  const e = gemm({ rows: N, cols: N, data: v }, g).data; // V G (times 2 below)
  for (let p = 0; p < e.length; p++) e[p] *= 2;
  for (let j = 0; j < N; j++) {
    let d = 0;
    for (let i = 0; i < N; i++) d += v[i * N + j] * e[i * N + j];
    for (let i = 0; i < N; i++) e[i * N + j] -= d * v[i * N + j];
  }
  return e;
}

/**
 * Solves the relaxed kernel model numerically from seeded random starts and compares with Theorem 4.4.
 * @param options - K, n, the ridge μ, starts and stopping rule.
 * @returns the best objective, the closed form n/(n+μ), the Gram error, convergence and every start.
 * @throws {InvalidArgumentError} for K < 2, n < 1, μ ≤ 0 or bad solver settings.
 * @example
 * const r = solveKernelModel({ K: 3, n: 4, ridge: 0.5 });
 * r.objective; // ≈ 0.888889 = 4/4.5 = r.theoryObjective; r.gramError ≈ 0
 */
export function solveKernelModel(options: KernelModelOptions): KernelModelResult {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'an options object', options);
  const { K, n, ridge } = options;
  assertInteger('K', K, 2);
  assertInteger('n', n, 1);
  assertPositive('ridge', ridge);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', 'an integer', seed);
  const restarts = options.restarts ?? 3;
  assertInteger('restarts', restarts, 1);
  const maxSteps = options.maxSteps ?? 5000;
  assertInteger('maxSteps', maxSteps, 0);
  const gradTol = options.gradTol ?? 1e-8;
  assertPositive('gradTol', gradTol);
  const N = K * n;
  const y = classIndicators(K, n);
  const starts: KernelModelStart[] = [];
  const grams: Matrix[] = [];
  for (let r = 0; r < restarts; r++) {
    let v = Float64Array.from(createRng(seed + r).normalArray(N * N));
    normaliseColumns(v, N);
    let k = gramOfColumns(v, N);
    let { value, grad } = kernelModelObjective(k, y, ridge);
    let t = 1;
    let steps = 0;
    let gnorm = Infinity;
    for (; steps <= maxSteps; steps++) {
      const rg = riemannianGradient(v, grad, N);
      let g2 = 0;
      for (let p = 0; p < rg.length; p++) g2 += rg[p] * rg[p];
      gnorm = Math.sqrt(g2);
      if (gnorm <= gradTol || steps === maxSteps) break;
      let accepted = false;
      for (let tries = 0; tries < 60; tries++) {
        const w = new Float64Array(v.length);
        for (let p = 0; p < w.length; p++) w[p] = v[p] + t * rg[p];
        normaliseColumns(w, N);
        const kw = gramOfColumns(w, N);
        const next = kernelModelObjective(kw, y, ridge);
        if (next.value >= value + 1e-4 * t * g2) {
          v = w;
          k = kw;
          value = next.value;
          grad = next.grad;
          accepted = true;
          t *= 2;
          break;
        }
        t /= 2;
      }
      if (!accepted) break; // no ascent step found: at a maximum to working precision
    }
    starts.push({ seed: seed + r, objective: value, gramError: gramDistance(k, K, n), steps, gradNorm: gnorm, converged: gnorm <= gradTol });
    grams.push(k);
  }
  let best = 0;
  starts.forEach((s, i) => { if (s.objective > starts[best].objective) best = i; });
  const b = starts[best];
  return {
    objective: b.objective,
    theoryObjective: n / (n + ridge),
    gramError: b.gramError,
    converged: b.converged,
    steps: b.steps,
    gradNorm: b.gradNorm,
    gram: grams[best],
    starts,
    best,
  };
}
