/**
 * Names the critical point a deep-linear UFM solver reached by comparing its objective with the closed
 * form's rank-r objectives (the best DNC point with r classes at their non-zero stationary scale and the
 * others collapsed to 0; r = 0 is the all-zero point, the global optimum is one of them).
 *
 * Small initialisations fall into these low-rank local minima and gradient methods stall there with a
 * small gradient, so "converged" alone does not say "global".
 * @see Garrod & Keating (2024), deep linear UFM; the rank objectives of {@link deepLinearUfmTheory}.
 */
import { InvalidArgumentError } from '@nclab/backend/host';
import type { UfmTheory } from './index.js';
import { assertOptionsObject } from './scalar.js';

/** Input of {@link classifyCriticalPoint}. */
export interface ClassifyCriticalOptions {
  /** The solver's final objective (same scaling as the theory's). */
  readonly objective: number;
  /** The closed-form global objective. */
  readonly globalObjective: number;
  /** Objectives of the rank-r DNC points, r = 0 … K (null where that rank has no stationary point). */
  readonly rankObjectives: readonly (number | null)[];
  /** Relative tolerance of a match: |a − b| ≤ rtol·max(1, |b|). Default 1e-6. */
  readonly rtol?: number;
}

/** What {@link classifyCriticalPoint} reports. */
export interface CriticalPointClass {
  /** The objective is the global optimum's (within `rtol`). */
  readonly global: boolean;
  /** The rank r whose DNC objective is nearest to the solver's objective. */
  readonly rank: number;
  /** Whether the objective matches that rank-r objective within `rtol` (false: not at any DNC point, e.g. still moving). */
  readonly matched: boolean;
  /** The rank-r objective nearest to the solver's. */
  readonly rankObjective: number;
  /** objective − globalObjective (≥ 0 up to rounding at a feasible point). */
  readonly gapToGlobal: number;
  /** objective / globalObjective (e.g. 2.34 at the rank-1 point of K = 3, n = 4, L = 3, λ = 0.02). */
  readonly ratioToGlobal: number;
  /** The rank of the global optimum (the rank r whose objective equals the global one). */
  readonly globalRank: number;
}

/**
 * Classifies a solver's objective against the closed form's rank-r objectives.
 * @param options - the solver's objective, the global objective, the rank objectives and a tolerance.
 * @returns whether the point is global, the nearest rank, the gap to the global value.
 * @throws {InvalidArgumentError} for a non-finite objective, an empty or all-null rank list or a bad tolerance.
 * @example
 * classifyCriticalPoint({ objective: 0.38865, globalObjective: 0.16594, rankObjectives: [0.5, 0.38865, 0.27729, 0.16594] });
 * // { global: false, rank: 1, matched: true, gapToGlobal: 0.2227, ratioToGlobal: 2.34, globalRank: 3, ... }
 */
export function classifyCriticalPoint(options: ClassifyCriticalOptions): CriticalPointClass {
  assertOptionsObject('options', options);
  const { objective, globalObjective, rankObjectives } = options;
  const rtol = options.rtol ?? 1e-6;
  if (!Number.isFinite(objective)) throw new InvalidArgumentError('objective', 'a finite number', objective);
  if (!Number.isFinite(globalObjective)) throw new InvalidArgumentError('globalObjective', 'a finite number', globalObjective);
  if (!(rtol >= 0) || !Number.isFinite(rtol)) throw new InvalidArgumentError('rtol', 'a finite number >= 0', rtol);
  if (!Array.isArray(rankObjectives) || !rankObjectives.some((v) => typeof v === 'number')) {
    throw new InvalidArgumentError('rankObjectives', 'an array with at least one number', rankObjectives);
  }
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b));
  let rank = -1;
  let globalRank = -1;
  rankObjectives.forEach((v, r) => {
    if (typeof v !== 'number') return;
    if (rank < 0 || Math.abs(v - objective) < Math.abs((rankObjectives[rank] as number) - objective)) rank = r;
    if (globalRank < 0 || Math.abs(v - globalObjective) < Math.abs((rankObjectives[globalRank] as number) - globalObjective)) globalRank = r;
  });
  const rankObjective = rankObjectives[rank] as number;
  return {
    global: close(objective, globalObjective),
    rank,
    matched: close(objective, rankObjective),
    rankObjective,
    gapToGlobal: objective - globalObjective,
    ratioToGlobal: objective / globalObjective,
    globalRank,
  };
}

/**
 * {@link classifyCriticalPoint} for a UFM solve: null where the theory has no rank objectives (no
 * closed form, or a closed form other than the deep-linear family's).
 * @param objective - the solver's final objective (model's own scaling, as `solveUfm(...).objective`).
 * @param theory - `solveUfm(...).theory`.
 * @param rtol - relative tolerance of a match. Default 1e-6.
 * @returns the classification or null.
 * @example
 * const r = solveUfm({ model: 'deep-linear', K: 3, n: 4, d: 6, depth: 3, lambdaW: 0.02, lambdaH: 0.02, initScale: 0.3 });
 * classifyUfmSolution(r.objective, r.theory)?.rank; // 1: a rank-1 local minimum, 2.34× the global objective
 */
export function classifyUfmSolution(objective: number, theory: UfmTheory | null, rtol?: number): CriticalPointClass | null {
  if (theory === null || theory.kind !== 'deep-linear') return null;
  return classifyCriticalPoint({ objective, globalObjective: theory.objective, rankObjectives: theory.deepLinear.rankObjectives, rtol });
}
