import { InvalidArgumentError, assertInteger, assertPositive, dot } from '@nclab/backend/host';
import { UfmDivergenceError } from '../errors.js';
import { gdWorkspace } from './gd-workspace.js';
import type { ObjectiveFn, ObjectiveFnWithNorm } from '../objective.js';

/** First-order and quasi-Newton methods available to every model. */
/** The optimisers of {@link minimize}: gradient descent, heavy-ball momentum, Adam and L-BFGS. */
export const SOLVER_METHODS = ['gd', 'momentum', 'adam', 'lbfgs'] as const;

/** One of {@link SOLVER_METHODS}. */
export type SolverMethod = (typeof SOLVER_METHODS)[number];

/** Options of {@link minimize}; every field has a default. */
export interface SolverOptions {
  /** 'gd' (full-batch gradient descent, the papers' method, default), 'momentum' (heavy ball), 'adam' or 'lbfgs'. */
  method?: SolverMethod;
  /** Step size η (gd, momentum, adam) or first trial step of L-BFGS's line search. Default 0.1 (adam: 0.01, lbfgs: 1). */
  lr?: number;
  /** Maximum number of iterations. Default 10 000. */
  maxSteps?: number;
  /** Stop when ‖∇f‖₂ ≤ gradTol. Default 1e-10. */
  gradTol?: number;
  /** Stop when |f_{t−1} − f_t| ≤ objTol · max(1, |f_t|). Default 0 (off). */
  objTol?: number;
  /** Momentum coefficient μ of the heavy-ball update v ← μv − η∇f, x ← x + v. Default 0.9. */
  momentum?: number;
  /** Adam's β₁, β₂ and ε. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L-BFGS memory (pairs kept). Default 10. */
  memory?: number;
  /** Record the objective every this many steps (step 0 and the last step always). Default max(1, ⌈maxSteps/500⌉). */
  historyEvery?: number;
  /** Divergence when f > divergenceFactor · max(1, f_0) or f is not finite. Default 1e6. */
  divergenceFactor?: number;
}

/** Why a run stopped. */
/**
 * Why a run stopped: a tolerance was met ('gradTol', 'objTol'), L-BFGS's objective stopped
 * decreasing in float64 for 5 consecutive accepted steps ('stalled': converged to machine
 * precision), the budget ran out ('maxSteps'), or the line search found no decrease ('lineSearch').
 */
export type StopReason = 'gradTol' | 'objTol' | 'stalled' | 'maxSteps' | 'lineSearch';

/** One point of the objective history. */
export interface HistoryPoint {
  readonly step: number;
  readonly objective: number;
}

/** Result of {@link minimize}. */
export interface MinimizeResult {
  /** The final iterate (a new array). */
  readonly x: Float64Array;
  /** f at `x`. */
  readonly objective: number;
  /** ‖∇f(x)‖₂. */
  readonly gradNorm: number;
  /** Iterations taken. */
  readonly steps: number;
  /** True when a tolerance was met (gradTol or objTol). */
  readonly converged: boolean;
  readonly reason: StopReason;
  readonly history: HistoryPoint[];
}

/** Fully resolved solver options. */
export type ResolvedSolverOptions = Required<SolverOptions>;

/**
 * Fills in the defaults and validates solver options.
 * @throws {InvalidArgumentError} naming the offending option (`method`, `lr`, `maxSteps`, …).
 */
export function resolveSolverOptions(o: SolverOptions = {}): ResolvedSolverOptions {
  const method = o.method ?? 'gd';
  if (!['gd', 'momentum', 'adam', 'lbfgs'].includes(method)) {
    throw new InvalidArgumentError('method', "one of 'gd', 'momentum', 'adam', 'lbfgs'", method);
  }
  const lr = o.lr ?? (method === 'adam' ? 0.01 : method === 'lbfgs' ? 1 : 0.1);
  assertPositive('lr', lr);
  const maxSteps = o.maxSteps ?? 10_000;
  assertInteger('maxSteps', maxSteps, 0);
  const r: ResolvedSolverOptions = {
    method,
    lr,
    maxSteps,
    gradTol: o.gradTol ?? 1e-10,
    objTol: o.objTol ?? 0,
    momentum: o.momentum ?? 0.9,
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    epsilon: o.epsilon ?? 1e-8,
    memory: o.memory ?? 10,
    historyEvery: o.historyEvery ?? Math.max(1, Math.ceil(maxSteps / 500)),
    divergenceFactor: o.divergenceFactor ?? 1e6,
  };
  assertPositive('gradTol', r.gradTol, true);
  assertPositive('objTol', r.objTol, true);
  if (!(r.momentum >= 0 && r.momentum < 1)) throw new InvalidArgumentError('momentum', 'a number in [0, 1)', r.momentum);
  if (!(r.beta1 >= 0 && r.beta1 < 1)) throw new InvalidArgumentError('beta1', 'a number in [0, 1)', r.beta1);
  if (!(r.beta2 >= 0 && r.beta2 < 1)) throw new InvalidArgumentError('beta2', 'a number in [0, 1)', r.beta2);
  assertPositive('epsilon', r.epsilon);
  assertInteger('memory', r.memory, 1);
  assertInteger('historyEvery', r.historyEvery, 1);
  assertPositive('divergenceFactor', r.divergenceFactor);
  return r;
}

/**
 * Minimises a smooth objective from `x0` with full-batch gradient steps.
 *
 * ```math
 * gd:        x ← x − η ∇f(x)
 * momentum:  v ← μ v − η ∇f(x),  x ← x + v
 * adam:      m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², x ← x − η m̂ / (√ŝ + ε)
 * lbfgs:     x ← x − t H_k ∇f(x)  (two-loop recursion, backtracking Armijo line search)
 * ```
 *
 * Stops on ‖∇f‖₂ ≤ gradTol, on a relative objective change ≤ objTol, or after maxSteps.
 *
 * @param fg - objective writing its gradient into the second argument.
 * @param x0 - starting point (not modified).
 * @returns the final iterate, objective, gradient norm, stop reason and the objective history.
 * @throws {UfmDivergenceError} when f becomes NaN/Inf or exceeds divergenceFactor · max(1, f₀): use a smaller lr.
 * @throws {InvalidArgumentError} for invalid options.
 * @example
 * const r = minimize((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1), { lr: 0.25 });
 * r.x[0]; // returns 3 (to ~1e-10)
 */
export function minimize(fg: ObjectiveFn, x0: Float64Array, options: SolverOptions = {}): MinimizeResult {
  const o = resolveSolverOptions(options);
  return o.method === 'lbfgs' ? lbfgs(fg, x0, o) : firstOrder(fg, x0, o);
}

/**
 * ‖g‖₂ of the gradient `fg` just wrote: from the objective's own running sum when it reports one
 * (`makeObjective`'s do, saving a pass over g per step), else a pass over `g`.
 */
function gradNormOf(fg: ObjectiveFn): (g: Float64Array) => number {
  const own = (fg as Partial<ObjectiveFnWithNorm>).gradSumSq;
  return typeof own === 'function' ? () => Math.sqrt(own()) : (g) => Math.sqrt(dot(g, g));
}

function checkDivergence(o: ResolvedSolverOptions, step: number, f: number, f0: number): void {
  if (!Number.isFinite(f) || f > o.divergenceFactor * Math.max(1, Math.abs(f0))) {
    throw new UfmDivergenceError(o.method, step, o.lr, f);
  }
}

function firstOrder(fg: ObjectiveFn, x0: Float64Array, o: ResolvedSolverOptions): MinimizeResult {
  const n = x0.length;
  const gdw = o.method === 'gd' ? gdWorkspace(x0, o.lr, (fg as Partial<ObjectiveFnWithNorm>).gdBuffers) : null;
  let x = gdw ? gdw.x : Float64Array.from(x0);
  let g = gdw ? gdw.g : new Float64Array(n);
  const v = o.method === 'gd' ? null : new Float64Array(n);
  const s = o.method === 'adam' ? new Float64Array(n) : null;
  const history: HistoryPoint[] = [];
  let f = fg(x, g);
  const f0 = f;
  checkDivergence(o, 0, f, f0);
  history.push({ step: 0, objective: f });
  let step = 0;
  let reason: StopReason = 'maxSteps';
  const normOf = gradNormOf(fg);
  let gn = normOf(g);
  const lr = o.lr;
  const { momentum: mu, beta1, beta2, epsilon } = o;
  let b1t = 1;
  let b2t = 1;
  while (true) {
    if (gn <= o.gradTol) { reason = 'gradTol'; break; }
    if (step >= o.maxSteps) break;
    if (gdw) {
      gdw.step();
      x = gdw.x;
      g = gdw.g;
    } else if (o.method === 'momentum') {
      for (let i = 0; i < n; i++) {
        const vi = mu * v![i] - lr * g[i];
        v![i] = vi;
        x[i] += vi;
      }
    } else {
      b1t *= beta1;
      b2t *= beta2;
      const c1 = 1 / (1 - b1t);
      const c2 = 1 / (1 - b2t);
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const m = beta1 * v![i] + (1 - beta1) * gi;
        const ss = beta2 * s![i] + (1 - beta2) * gi * gi;
        v![i] = m;
        s![i] = ss;
        x[i] -= (lr * m * c1) / (Math.sqrt(ss * c2) + epsilon);
      }
    }
    step++;
    const fPrev = f;
    f = fg(x, g);
    checkDivergence(o, step, f, f0);
    gn = normOf(g);
    if (step % o.historyEvery === 0) history.push({ step, objective: f });
    if (o.objTol > 0 && Math.abs(fPrev - f) <= o.objTol * Math.max(1, Math.abs(f))) { reason = 'objTol'; break; }
  }
  if (history[history.length - 1].step !== step) history.push({ step, objective: f });
  // A view into gd's workspace is copied out, so the result does not hold the whole workspace.
  return { x: gdw ? Float64Array.from(x) : x, objective: f, gradNorm: gn, steps: step, converged: reason !== 'maxSteps', reason, history };
}

function lbfgs(fg: ObjectiveFn, x0: Float64Array, o: ResolvedSolverOptions): MinimizeResult {
  const n = x0.length;
  const m = o.memory;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const spareS: Float64Array[] = [];
  const spareY: Float64Array[] = [];
  const alpha = new Float64Array(m);
  const history: HistoryPoint[] = [];
  let f = fg(x, g);
  const f0 = f;
  checkDivergence(o, 0, f, f0);
  history.push({ step: 0, objective: f });
  const normOf = gradNormOf(fg);
  let gn = normOf(g);
  let step = 0;
  let reason: StopReason = 'maxSteps';
  let stalls = 0;
  while (true) {
    if (gn <= o.gradTol) { reason = 'gradTol'; break; }
    if (step >= o.maxSteps) break;
    // Two-loop recursion: d = −H g.
    d.set(g);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(S[i], d);
      for (let j = 0; j < n; j++) d[j] -= alpha[i] * Y[i][j];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let j = 0; j < n; j++) d[j] *= gamma;
    }
    for (let i = 0; i < S.length; i++) {
      const beta = rho[i] * dot(Y[i], d);
      for (let j = 0; j < n; j++) d[j] += S[i][j] * (alpha[i] - beta);
    }
    for (let j = 0; j < n; j++) d[j] = -d[j];
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      spareS.push(...S); spareY.push(...Y);
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j];
      slope = -gn * gn;
    }
    let t = S.length === 0 ? Math.min(1, 1 / gn) * o.lr : o.lr;
    let fNew = NaN;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let j = 0; j < n; j++) xNew[j] = x[j] + t * d[j];
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * t * slope) { accepted = true; break; }
      t *= 0.5;
    }
    if (!accepted) { reason = 'lineSearch'; break; }
    step++;
    // Curvature pair in recycled buffers: at most m + 1 pairs are ever allocated per solve.
    const sVec = spareS.pop() ?? new Float64Array(n);
    const yVec = spareY.pop() ?? new Float64Array(n);
    for (let j = 0; j < n; j++) { sVec[j] = xNew[j] - x[j]; yVec[j] = gNew[j] - g[j]; }
    const sy = dot(sVec, yVec);
    if (sy > 1e-12 * Math.sqrt(dot(sVec, sVec) * dot(yVec, yVec))) {
      if (S.length === m) { spareS.push(S.shift()!); spareY.push(Y.shift()!); rho.shift(); }
      S.push(sVec); Y.push(yVec); rho.push(1 / sy);
    } else {
      spareS.push(sVec);
      spareY.push(yVec);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    const fPrev = f;
    f = fNew;
    checkDivergence(o, step, f, f0);
    gn = normOf(g); // g is gNew, the line search's last (accepted) evaluation
    if (step % o.historyEvery === 0) history.push({ step, objective: f });
    if (o.objTol > 0 && Math.abs(fPrev - f) <= o.objTol * Math.max(1, Math.abs(f))) { reason = 'objTol'; break; }
    stalls = f < fPrev ? 0 : stalls + 1;
    if (stalls >= 5) { reason = 'stalled'; break; }
  }
  if (history[history.length - 1].step !== step) history.push({ step, objective: f });
  return { x, objective: f, gradNorm: gn, steps: step, converged: reason !== 'maxSteps' && reason !== 'lineSearch', reason, history };
}
