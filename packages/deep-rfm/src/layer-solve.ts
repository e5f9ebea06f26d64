/**
 * The kernel solve of one Deep RFM layer on the route that fits the memory budget: exact float64
 * Cholesky, the float32 kernel factored in place with float64 refinement, or Nyström-preconditioned
 * block CG over recomputed kernel rows.
 */
import { InvalidArgumentError, NclabError, gemm, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { kernelMatrix, mixedSolveBytes, solveKernelBudgeted, solveKernelMixed, solveKernelSystem, solveKernelSystemInPlace, type RidgeFallback, type ResolvedKernel } from '@nclab/agop';

/** Values of the layer `precision` option. */
export const LAYER_PRECISIONS = ['auto', 'float64', 'mixed'] as const;
/** One of {@link LAYER_PRECISIONS}. */
export type LayerPrecision = (typeof LAYER_PRECISIONS)[number];

/** The solver a layer used: `'cholesky'` (float64), `'mixed'` (float32 factor + float64 refinement), `'cg'` (Nyström block CG). */
export type LayerSolver = 'cholesky' | 'mixed' | 'cg';

/**
 * Peak bytes of a float64 layer at N points: about 22·N² (the kernel, which the solve factors over and
 * restores, and the AGOP's Gram product, with the AGOP's row blocks and the process around them: peak RSS
 * 2.05 GB at N = 10,000 on the reference machine, 2026-12-05; 27·N² while the solve factored a copy of K).
 */
export function float64LayerBytes(n: number): number {
  return 22 * n * n;
}

/** Peak bytes of a mixed layer: the float32 kernel (4·N²), one 128 MiB row block and the AGOP's float32 Z (4·N·K·d). */
export function mixedLayerBytes(n: number, k: number, d: number): number {
  return mixedSolveBytes(n, k) + 4 * n * k * d;
}

/**
 * The route of a run's layers: with `precision` `'float64'` or `'mixed'` that one when it fits
 * `budget`, with `'auto'` float64 when it fits and N < {@link MIXED_FROM_N}, else mixed when that fits;
 * otherwise block CG (which needs ridge > 0).
 * @param n - training points N. @param k - outputs K. @param d - largest feature dimension of the run.
 * @param precision - the requested precision. @param budget - bytes (Infinity: no limit). @param ridge - μ.
 * @returns the route and why.
 * @throws {InvalidArgumentError} when only CG fits and the ridge is 0.
 */
export function chooseLayerRoute(n: number, k: number, d: number, precision: LayerPrecision, budget: number, ridge: number): { route: LayerSolver; reason: string } {
  const f64 = float64LayerBytes(n);
  const mix = mixedLayerBytes(n, k, d);
  const fits64 = f64 <= budget;
  const fitsMixed = mix <= budget;
  if (precision === 'float64' && fits64) return { route: 'cholesky', reason: 'precision float64' };
  if (precision === 'mixed' && fitsMixed) return { route: 'mixed', reason: 'precision mixed' };
  if (precision === 'auto') {
    if (fits64 && n < MIXED_FROM_N) return { route: 'cholesky', reason: `auto: N < ${MIXED_FROM_N} and the float64 layer (~${gb(f64)}) fits the budget` };
    if (fitsMixed) return { route: 'mixed', reason: fits64 ? `auto: N ≥ ${MIXED_FROM_N}` : `auto: the float64 layer (~${gb(f64)}) exceeds the budget (${gb(budget)})` };
  }
  if (!(ridge > 0)) {
    throw new InvalidArgumentError('ridge', `a positive ridge: the ${precision === 'float64' ? 'float64' : 'mixed'} layer (~${gb(precision === 'float64' ? f64 : mix)}) exceeds the memory budget (${gb(budget)}) and the block CG fallback needs μ > 0`, ridge);
  }
  return { route: 'cg', reason: `the ${precision === 'float64' ? 'float64' : 'mixed'} layer (~${gb(precision === 'float64' ? f64 : mix)}) exceeds the memory budget (${gb(budget)})` };
}

/** From this N the `'auto'` precision takes the mixed route even when float64 fits (memory ≈ 22·N² → 4·N²). */
export const MIXED_FROM_N = 16_384;

function gb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : 'unlimited';
}

/** A layer's solve. */
export interface LayerSolveResult {
  readonly alpha: Matrix;
  readonly ridgeUsed: number;
  readonly fallback?: RidgeFallback;
  /** The float64 kernel matrix (float64 route only: the AGOP consumes it in place). */
  readonly k?: Matrix;
  readonly solver: LayerSolver;
  /** Refinement steps (mixed) or CG iterations; null for Cholesky. */
  readonly iterations: number | null;
  /** Final relative residual ‖Y − (K + μI)α‖_F/‖Y‖_F (CG: the largest over columns). */
  readonly residual: number;
  /** Seconds of the float64 kernel matrix (float64 route; the mixed and CG routes build kernel rows inside the solve). */
  readonly kernelSeconds?: number;
  /** Why a mixed solve fell back to float64 or CG, when it did. */
  readonly solverFallback?: string;
}

/** Options of {@link solveLayer}. */
export interface SolveLayerOptions {
  readonly linalg?: LinalgRequest;
  /** Memory budget in bytes (CG row blocks use at most a quarter of it, at most 256 MiB). */
  readonly budget: number;
  /** N² float32 buffer reused by the mixed solves of a run. */
  readonly workspace?: Float32Array;
}

/**
 * Solves (K + μI)α = Y for the layer's kernel on `route`; a mixed solve that fails (float32 factor
 * not positive definite, or refinement stalling) falls back to float64 when that fits the budget,
 * else to CG (ridge > 0), and says so in `solverFallback`.
 * @param x - normalised `[N, d]` features. @param y - `[N, K]` targets. @param kernel - resolved kernel.
 * @param ridge - μ. @param route - from {@link chooseLayerRoute}. @param options - path, budget, workspace.
 * @returns α with the solver record.
 * @throws {NumericalError} when no ridge stabilises the float64 solve.
 */
export function solveLayer(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, route: LayerSolver, options: SolveLayerOptions): LayerSolveResult {
  const linalg = options.linalg;
  const n = x.rows;
  if (route === 'mixed') {
    try {
      const s = solveKernelMixed(x, kernel, y, ridge, { linalg, workspace: options.workspace });
      return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, solver: 'mixed', iterations: s.refinement.iterations, residual: s.refinement.residual };
    } catch (e) {
      if (!(e instanceof NclabError)) throw e;
      const why = `mixed solve failed (${e.message})`;
      if (float64LayerBytes(n) <= options.budget) return { ...solveFloat64(x, y, kernel, ridge, linalg), solverFallback: why };
      if (ridge > 0) return { ...solveCg(x, y, kernel, ridge, options), solverFallback: why };
      throw e;
    }
  }
  if (route === 'cg') return solveCg(x, y, kernel, ridge, options);
  return solveFloat64(x, y, kernel, ridge, linalg);
}

/** What a run's last solve (the final kernel regression) reports: α, the ridge used, the solver and a one-line account. */
export interface FinalSolveResult {
  readonly alpha: Matrix;
  readonly ridgeUsed: number;
  readonly fallback?: RidgeFallback;
  readonly solver: LayerSolver;
  /** e.g. `cholesky (in place)`, `mixed, 4 refinement steps, residual 1.2e-12`. */
  readonly detail: string;
}

/**
 * The solve of the final kernel regression, where nothing needs K afterwards (training predictions are
 * Y − μα, test predictions recompute kernel rows): on the float64 route K + μI is factored in place
 * (`solveKernelSystemInPlace`), which saves the N×N copy {@link solveLayer} makes (200 MB at
 * N = 5,000) and its residual product. A singular system rebuilds K and takes {@link solveLayer}'s
 * route with its ridge fallback; the mixed and CG routes are {@link solveLayer}'s.
 * @param x - normalised `[N, d]` features. @param y - `[N, K]` targets. @param kernel - resolved kernel.
 * @param ridge - μ. @param route - from {@link chooseLayerRoute}. @param options - path, budget, workspace.
 * @returns α with the solver and its account.
 */
export function solveFinal(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, route: LayerSolver, options: SolveLayerOptions): FinalSolveResult {
  if (route === 'cholesky') {
    const s = solveKernelSystemInPlace(kernelMatrix(x, undefined, { kernel, linalg: options.linalg }), y, ridge, options.linalg);
    if (s) return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, solver: 'cholesky', detail: 'cholesky (in place)' };
  }
  const s = solveLayer(x, y, kernel, ridge, route, options);
  return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, ...(s.fallback ? { fallback: s.fallback } : {}), solver: s.solver, detail: solveDetail(s) };
}

/** The solver with its steps and residual when it iterates, e.g. `mixed, 4 refinement steps, residual 1.2e-12`. */
export function solveDetail(s: LayerSolveResult): string {
  const steps = s.iterations === null ? '' : `, ${s.iterations} ${s.solver === 'mixed' ? 'refinement steps' : 'iterations'}, residual ${s.residual.toExponential(1)}`;
  return `${s.solver}${steps}`;
}

function solveFloat64(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, linalg?: LinalgRequest): LayerSolveResult {
  const t = performance.now();
  const k = kernelMatrix(x, undefined, { kernel, linalg });
  const kernelSeconds = (performance.now() - t) / 1000;
  const s = solveKernelSystem(k, y, ridge, 'fallback', 'float64', linalg);
  // residual of the float64 solve, before the AGOP consumes K
  const ka = gemm(k, s.alpha, { linalg }).data;
  let rn = 0;
  let yn = 0;
  for (let i = 0; i < ka.length; i++) {
    rn += (y.data[i] - ka[i] - s.ridgeUsed * s.alpha.data[i]) ** 2;
    yn += y.data[i] ** 2;
  }
  return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, fallback: s.fallback, k, kernelSeconds, solver: 'cholesky', iterations: null, residual: Math.sqrt(rn / (yn || 1)) };
}

function solveCg(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, options: SolveLayerOptions): LayerSolveResult {
  const blockBytes = Math.max(8 * x.rows, Math.min(2 ** 28, Math.floor(options.budget / 4)));
  const s = solveKernelBudgeted(x, kernel, y, ridge, { budgetBytes: blockBytes, linalg: options.linalg });
  return { alpha: s.alpha, ridgeUsed: ridge, solver: 'cg', iterations: s.iterations, residual: s.residual };
}
