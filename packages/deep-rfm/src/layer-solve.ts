/**
 * The kernel solve of one Deep RFM layer on the route that fits the memory budget: exact float64
 * Cholesky, a float32 factor of the float64 kernel refined in float64 against it, the float32 kernel
 * factored in place with float64 refinement, or Nyström-preconditioned block CG over recomputed
 * kernel rows.
 */
import { InvalidArgumentError, NclabError, gemm, type LinalgPath, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { kernelMatrix, mixedSolveBytes, solveKernelBudgeted, solveKernelMixed, solveKernelSystem, solveKernelSystemInPlace, type KernelSolve, type RidgeFallback, type ResolvedKernel } from '@nclab/agop';

/** Values of the layer `precision` option. */
export const LAYER_PRECISIONS = ['auto', 'float64', 'refined', 'mixed'] as const;
/** One of {@link LAYER_PRECISIONS}. */
export type LayerPrecision = (typeof LAYER_PRECISIONS)[number];

/**
 * The solver a layer used: `'cholesky'` (float64), `'refined'` (the float64 kernel, a float32 factor
 * of it, float64 refinement against it), `'mixed'` (the kernel stored in float32 only, factored in
 * place, float64 refinement against recomputed kernel rows), `'cg'` (Nyström block CG).
 */
export type LayerSolver = 'cholesky' | 'refined' | 'mixed' | 'cg';

/**
 * Peak bytes of a float64 layer at N points: about 22·N² (the kernel, which the solve factors over and
 * restores, and the AGOP's Gram product, with the AGOP's row blocks and the process around them: peak RSS
 * 2.05 GB at N = 10,000 on the reference machine, 2026-12-05; 27·N² while the solve factored a copy of K).
 */
export function float64LayerBytes(n: number): number {
  return 22 * n * n;
}

/** Peak bytes of a refined layer: the float64 layer's and the float32 factor's storage, which the run keeps for its solves (4·N²). */
export function refinedLayerBytes(n: number): number {
  return float64LayerBytes(n) + 4 * n * n;
}

/** Peak bytes of a mixed layer: the float32 kernel (4·N²), one 128 MiB row block and the AGOP's float32 Z (4·N·K·d). */
export function mixedLayerBytes(n: number, k: number, d: number): number {
  return mixedSolveBytes(n, k) + 4 * n * k * d;
}

/**
 * The route of a run's layers: with `precision` `'float64'`, `'refined'` or `'mixed'` that one when it
 * fits `budget`; with `'auto'`, below {@link MIXED_FROM_N} points the refined solve from `refinedFrom`
 * points (when it fits) and float64 Cholesky under it (when that fits), else mixed when that fits;
 * otherwise block CG (which needs ridge > 0). The refined route keeps the float64 layer's kernel and
 * AGOP and answers the float64 system (relative residual ≤ 1e-13); only the factorisation runs in
 * float32, at about twice the float64 rate, into a 4·N² float32 array the run keeps.
 * @param n - training points N. @param k - outputs K. @param d - largest feature dimension of the run.
 * @param precision - the requested precision. @param budget - bytes (Infinity: no limit). @param ridge - μ.
 * @param refinedFrom - the N from which `'auto'` takes the refined route (see {@link refinedFromN}).
 * @returns the route and why.
 * @throws {InvalidArgumentError} when only CG fits and the ridge is 0.
 */
export function chooseLayerRoute(n: number, k: number, d: number, precision: LayerPrecision, budget: number, ridge: number, refinedFrom = refinedFromN('native')): { route: LayerSolver; reason: string } {
  const f64 = float64LayerBytes(n);
  const refined = refinedLayerBytes(n);
  const mix = mixedLayerBytes(n, k, d);
  const fits64 = f64 <= budget;
  const fitsRefined = refined <= budget;
  const fitsMixed = mix <= budget;
  if (precision === 'float64' && fits64) return { route: 'cholesky', reason: 'precision float64' };
  if (precision === 'refined' && fitsRefined) return { route: 'refined', reason: 'precision refined' };
  if (precision === 'mixed' && fitsMixed) return { route: 'mixed', reason: 'precision mixed' };
  if (precision === 'auto') {
    if (n < MIXED_FROM_N && n >= refinedFrom && fitsRefined) return { route: 'refined', reason: `auto: ${refinedFrom} ≤ N < ${MIXED_FROM_N} and the refined layer (~${gb(refined)}) fits the budget` };
    if (n < MIXED_FROM_N && fits64) {
      const why = n >= refinedFrom ? `the refined layer (~${gb(refined)}) exceeds the budget (${gb(budget)})` : `N < ${Math.min(refinedFrom, MIXED_FROM_N)}`;
      return { route: 'cholesky', reason: `auto: ${why} and the float64 layer (~${gb(f64)}) fits it` };
    }
    if (fitsMixed) return { route: 'mixed', reason: fits64 ? `auto: N ≥ ${MIXED_FROM_N}` : `auto: the float64 layer (~${gb(f64)}) exceeds the budget (${gb(budget)})` };
  }
  const asked = precision === 'auto' ? 'mixed' : precision;
  const need = asked === 'float64' ? f64 : asked === 'refined' ? refined : mix;
  if (!(ridge > 0)) {
    throw new InvalidArgumentError('ridge', `a positive ridge: the ${asked} layer (~${gb(need)}) exceeds the memory budget (${gb(budget)}) and the block CG fallback needs μ > 0`, ridge);
  }
  return { route: 'cg', reason: `the ${asked} layer (~${gb(need)}) exceeds the memory budget (${gb(budget)})` };
}

/** From this N the `'auto'` precision takes the mixed route even when float64 fits (memory ≈ 22·N² → 4·N²). */
export const MIXED_FROM_N = 16_384;

/**
 * The N from which the `'auto'` precision solves the float64 layer with a float32 factor refined in
 * float64 (`'refined'`), by path: 4,096 on the portable path, where the float32 factor runs at twice
 * the float64 rate (0.82 s against 1.5–1.8 s at N = 5,000 on the reference machine), and a 5,000-point
 * `nclab deep-rfm` process took 13.3–14.1 s against 14.4–14.8 s for float64 Cholesky (three
 * alternating runs; 2026-12-05); never elsewhere (Infinity): with OpenBLAS the refinement
 * passes and the float32 array's first touch cost about what `spotrf` saves (N = 10,000: 19.3–20.3 s
 * against 19.8–20.2 s, peak memory 2.35 GB against 1.96 GB). Below it, runs stay bit-identical to
 * float64 Cholesky (the project's main job, N = 1,000, among them). `precision: 'refined'` asks for
 * the route on any path.
 * @param path - the float64 path the run computes on.
 * @returns the smallest N of the refined route under `'auto'`.
 */
export function refinedFromN(path: LinalgPath): number {
  return path === 'portable' ? 4_096 : Infinity;
}

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
  /** Refinement steps (refined, mixed) or CG iterations; null for Cholesky. */
  readonly iterations: number | null;
  /** Final relative residual ‖Y − (K + μI)α‖_F/‖Y‖_F (CG: the largest over columns). */
  readonly residual: number;
  /** Seconds of the float64 kernel matrix (float64 route; the mixed and CG routes build kernel rows inside the solve). */
  readonly kernelSeconds?: number;
  /** Why a refined or mixed solve fell back to float64 or CG, when it did. */
  readonly solverFallback?: string;
}

/** Options of {@link solveLayer}. */
export interface SolveLayerOptions {
  readonly linalg?: LinalgRequest;
  /** Memory budget in bytes (CG row blocks use at most a quarter of it, at most 256 MiB). */
  readonly budget: number;
  /** N² float32 buffer reused by the refined and mixed solves of a run (see backend's `factorWorkspace`). */
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
  if (route === 'refined') return solveRefined(x, y, kernel, ridge, linalg, options.workspace);
  return solveFloat64(x, y, kernel, ridge, linalg);
}

/** What a run's last solve (the final kernel regression) reports: α, the ridge used, the solver and a one-line account. */
export interface FinalSolveResult {
  readonly alpha: Matrix;
  readonly ridgeUsed: number;
  readonly fallback?: RidgeFallback;
  readonly solver: LayerSolver;
  /** e.g. `cholesky (in place)`, `refined, 3 refinement steps, residual 6.3e-14`. */
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
  const detail = s.solverFallback ? `${solveDetail(s)} (${s.solverFallback})` : solveDetail(s);
  return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, ...(s.fallback ? { fallback: s.fallback } : {}), solver: s.solver, detail };
}

/** The solver with its steps and residual when it iterates, e.g. `mixed, 4 refinement steps, residual 1.2e-12`. */
export function solveDetail(s: LayerSolveResult): string {
  const steps = s.iterations === null ? '' : `, ${s.iterations} ${s.solver === 'cg' ? 'iterations' : 'refinement steps'}, residual ${s.residual.toExponential(1)}`;
  return `${s.solver}${steps}`;
}

/**
 * The float64 kernel with a float32 factor refined in float64 (`solveKernelSystem`'s `'mixed'`); a
 * refinement that does not converge falls back to the float64 Cholesky and says why.
 */
function solveRefined(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, linalg?: LinalgRequest, workspace?: Float32Array): LayerSolveResult {
  const t = performance.now();
  const k = kernelMatrix(x, undefined, { kernel, linalg });
  const kernelSeconds = (performance.now() - t) / 1000;
  const s = solveKernelSystem(k, y, ridge, 'fallback', 'mixed', linalg, workspace);
  if (s.refinement) return { alpha: s.alpha, ridgeUsed: s.ridgeUsed, k, kernelSeconds, solver: 'refined', iterations: s.refinement.iterations, residual: s.refinement.residual };
  return { ...float64Record(k, y, s, kernelSeconds, linalg), solverFallback: `refined solve failed (${s.refinementFailure ?? 'no refinement'})` };
}

function solveFloat64(x: Matrix, y: Matrix, kernel: ResolvedKernel, ridge: number, linalg?: LinalgRequest): LayerSolveResult {
  const t = performance.now();
  const k = kernelMatrix(x, undefined, { kernel, linalg });
  const kernelSeconds = (performance.now() - t) / 1000;
  return float64Record(k, y, solveKernelSystem(k, y, ridge, 'fallback', 'float64', linalg), kernelSeconds, linalg);
}

/** The record of a float64 Cholesky solve, with its residual measured before the AGOP consumes K. */
function float64Record(k: Matrix, y: Matrix, s: KernelSolve, kernelSeconds: number, linalg?: LinalgRequest): LayerSolveResult {
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
