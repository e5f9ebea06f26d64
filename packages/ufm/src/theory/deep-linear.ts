import { InvalidArgumentError, assertInteger, assertPositive, createRng, randomOrthonormalRows, type Matrix, type Rng } from '@nclab/backend/host';
import { classLayout } from '../layout.js';
import { assertOptionsObject, bisect } from './scalar.js';

/**
 * Global-threshold constant of the deep linear UFM with L weight layers:
 *
 * ```math
 * b_g(L) = (L−1)^{(L−1)/(L+1)} / L^{2L/(L+1)}   (0⁰ = 1, so b_g(1) = 1)
 * ```
 *
 * A non-zero global optimum exists iff b < b_g(L) (balanced classes), i.e. iff
 * K^L N λ_{H_1} Π_l λ_{W_l} < (L−1)^{L−1} / L^{2L}. Values for L = 1…6: 1, 0.396850, 0.272166,
 * 0.210367, 0.172355, 0.146316.
 *
 * @param L - number of weight layers, an integer ≥ 1.
 * @returns b_g(L).
 * @throws {InvalidArgumentError} when L is not an integer ≥ 1.
 * @example
 * deepLinearGlobalThreshold(2); // returns 0.3968502629920499 (= 16^{-1/3})
 * @see https://arxiv.org/abs/2404.06106 (Garrod & Keating, deep linear UFM; constant derived in the notes)
 */
export function deepLinearGlobalThreshold(L: number): number {
  assertInteger('L', L, 1);
  const p = L - 1 === 0 ? 1 : Math.pow(L - 1, (L - 1) / (L + 1));
  return p / Math.pow(L, (2 * L) / (L + 1));
}

/**
 * Existence threshold of non-zero stationary (DNC) points: the maximum of (1−x)·x^{(L−1)/(L+1)},
 * reached at x = (L−1)/(2L):
 *
 * ```math
 * b_loc(L) = ((L+1)/(2L)) · ((L−1)/(2L))^{(L−1)/(L+1)}   (b_loc(1) = 1)
 * ```
 *
 * For b_g(L) < b ≤ b_loc(L) non-zero DNC points exist but are only local minima (objective > ½).
 * Values for L = 2, 3, 4: 0.472470, 0.384900, 0.346975.
 *
 * @param L - number of weight layers, an integer ≥ 1.
 * @throws {InvalidArgumentError} when L is not an integer ≥ 1.
 * @example
 * deepLinearLocalThreshold(3); // returns 0.3849001794597505
 */
export function deepLinearLocalThreshold(L: number): number {
  assertInteger('L', L, 1);
  if (L === 1) return 1;
  const p = (L - 1) / (L + 1);
  const xm = (L - 1) / (2 * L);
  return (1 - xm) * Math.pow(xm, p);
}

/**
 * The scalar problem of one class, twice its contribution to the objective per unit weight:
 * φ(x) = (1−x)² + (L+1)·b·x^{2/(L+1)} (φ(0) = 1 is the zero solution).
 * @param x - output scale ≥ 0; @param b - the class's b_k; @param L - number of weight layers.
 * @returns φ(x).
 * @example
 * deepLinearPhi(0, 0.2, 3); // returns 1
 */
export function deepLinearPhi(x: number, b: number, L: number): number {
  return (1 - x) * (1 - x) + (L + 1) * b * Math.pow(x, 2 / (L + 1));
}

/**
 * The largest root of b = (1−x)·x^{(L−1)/(L+1)} on (0, 1), or null when b > b_loc(L) (no non-zero
 * stationary point). For L = 1 the root is 1 − b. Bisection on [(L−1)/(2L), 1], where the map decreases.
 * @param b - b ≥ 0; @param L - number of weight layers ≥ 1.
 * @returns the root x* or null.
 * @throws {InvalidArgumentError} for b < 0 or L not an integer ≥ 1.
 * @example
 * deepLinearLargestRoot(0.1765698574, 3); // returns ≈ 0.802952132955 (oracle O1)
 */
export function deepLinearLargestRoot(b: number, L: number): number | null {
  assertPositive('b', b, true);
  assertInteger('L', L, 1);
  if (L === 1) return b < 1 ? 1 - b : null;
  if (b === 0) return 1;
  const p = (L - 1) / (L + 1);
  const xm = (L - 1) / (2 * L);
  const g = (x: number): number => (1 - x) * Math.pow(x, p) - b;
  if (g(xm) < 0) return null;
  return bisect(g, xm, 1);
}

/** Which kind of optimum the scalar problem of a class has. */
export type DeepLinearRegime = 'nonzero-global' | 'zero-global-nonzero-local' | 'zero-only';

/** Options of {@link deepLinearUfmTheory} and {@link deepLinearUfmOptimum} (deep-linear-UFM scaling). */
export interface DeepLinearUfmConfig {
  /** Number of classes, ≥ 2. */
  K: number;
  /** Samples per class: a number, or K numbers (class imbalance). */
  n: number | readonly number[];
  /** Number of weight layers L ≥ 1. */
  L: number;
  /** Input widths [d_1, …, d_L] of W_1 … W_L (a number: every layer), each ≥ K. */
  widths: number | readonly number[];
  /** λ_{W_l} for W_1 … W_L (a number: every layer), each > 0. */
  lambdaW: number | readonly number[];
  /** λ_{H_1} > 0. */
  lambdaH: number;
}

/** Closed-form constants of the deep linear UFM. Per-class arrays have length K. */
export interface DeepLinearUfmConstants {
  /** Number of weight layers. */
  readonly L: number;
  /** b_k = N (λ_{H_1} Π λ_{W_l})^{1/(L+1)} n_k^{−L/(L+1)}; balanced: b = K (n λ_{H_1} Π λ_{W_l})^{1/(L+1)}. */
  readonly b: number[];
  /** Largest root of b_k = (1−x)x^{(L−1)/(L+1)} (null when no non-zero stationary point exists). */
  readonly xLargestRoot: (number | null)[];
  /** Output scale of the global optimum per class: class mean of the output = x_k e_k (0 where zero is global). */
  readonly xStar: number[];
  readonly regime: DeepLinearRegime[];
  /** Common scale γ_k = (n_k x_k² λ_{H_1} Π λ_{W_l})^{1/(L+1)} = x_k(1−x_k) n_k/N (τ of the paper when balanced). */
  readonly tau: number[];
  /** Squared singular values of W_l: layer l (0-based) holds K values τ_k/λ_{W_l}, descending (rank K). */
  readonly weightSqSingularValues: number[][];
  /** Squared singular values of H_1: τ_k/λ_{H_1}, descending. */
  readonly featureSqSingularValues: number[];
  /** ‖μ^l_k‖² for layers l = 1 … L+1 (index 0 = H_1, index L = output): ‖μ^{l+1}‖² = ‖μ^l‖² τ/λ_{W_l}. */
  readonly classMeanSqNorms: number[][];
  /** Global objective Σ_k (n_k/2N)·φ_k(x_k). */
  readonly objective: number;
  /** Its MSE part Σ_k (n_k/2N)(1−x_k)². */
  readonly mse: number;
  /** Objective of the non-zero DNC point (all classes at their largest root), null when it does not exist. */
  readonly stationaryObjective: number | null;
  /**
   * Objective of the best DNC point of rank r (r classes at their largest root, the others at 0),
   * r = 0 … K: the low-rank local minima small initialisations fall into. Entries are null where
   * fewer than r classes have a non-zero stationary point.
   */
  readonly rankObjectives: (number | null)[];
  /** b_g(L) and b_loc(L). */
  readonly thresholds: { readonly global: number; readonly local: number };
}

interface ResolvedDeep {
  K: number;
  counts: number[];
  N: number;
  L: number;
  widths: number[];
  lambdaW: number[];
  lambdaH: number;
}

function perLayer(name: string, v: number | readonly number[], L: number): number[] {
  if (typeof v !== 'number' && !Array.isArray(v)) throw new InvalidArgumentError(name, `a number or an array of L = ${L} numbers`, v);
  const arr = typeof v === 'number' ? new Array(L).fill(v) : Array.from(v);
  if (arr.length !== L) throw new InvalidArgumentError(name, `a number or an array of L = ${L} numbers`, v);
  return arr;
}

function resolveDeep(c: DeepLinearUfmConfig): ResolvedDeep {
  assertOptionsObject('config', c);
  assertInteger('L', c.L, 1);
  const cl = classLayout(c.K, c.n);
  const widths = perLayer('widths', c.widths, c.L);
  widths.forEach((w, i) => {
    if (!Number.isInteger(w) || w < c.K) {
      throw new InvalidArgumentError(`widths[${i}]`, `an integer ≥ K = ${c.K} (collapse to an orthogonal frame needs d ≥ K)`, w);
    }
  });
  const lambdaW = perLayer('lambdaW', c.lambdaW, c.L);
  lambdaW.forEach((l, i) => assertPositive(`lambdaW[${i}]`, l));
  assertPositive('lambdaH', c.lambdaH);
  return { K: c.K, counts: [...cl.counts], N: cl.N, L: c.L, widths, lambdaW, lambdaH: c.lambdaH };
}

/**
 * The closed-form global optimum of the deep linear UFM in the deep-linear-UFM paper's scaling:
 *
 * ```math
 * F = 1/(2N) ‖W_L ⋯ W_1 H_1 − Y‖_F² + Σ_l λ_{W_l}/2 ‖W_l‖_F² + λ_{H_1}/2 ‖H_1‖_F²
 * ```
 *
 * Minimising the weight decay over all factorisations of Z = W_L⋯W_1H_1 gives
 * ((L+1)/2)(λ_{H_1}Πλ_{W_l})^{1/(L+1)} Σ_i σ_i(Z)^{2/(L+1)}, so each class k solves the scalar
 * problem min_x φ_k(x) = (1−x)² + (L+1) b_k x^{2/(L+1)}: x_k is the largest root of
 * b_k = (1−x)x^{(L−1)/(L+1)} when φ_k there is below φ_k(0) = 1, else 0. With n_k = n this is the
 * paper's b = K(nλ_{H_1}Πλ_{W_l})^{1/(L+1)}, τ = x*(1−x*)/K, W_l singular values² τ/λ_{W_l};
 * with unequal n_k it generalises per class (classes with large b_k collapse to zero: minority collapse).
 *
 * @param config - K, n (number or per-class counts), L, widths [d_1…d_L], lambdaW (per layer), lambdaH.
 * @returns the constants: b, x*, τ, squared singular values per factor, class-mean norms per layer, objective.
 * @throws {InvalidArgumentError} for K < 2, n < 1, L < 1, a width below K or a non-positive λ.
 * @example
 * const t = deepLinearUfmTheory({ K: 3, n: 10, L: 4, widths: 20, lambdaW: 0.01, lambdaH: 0.01 });
 * t.xStar[0]; // returns 0.95099803649 (oracle O2)
 * t.objective; // returns 0.117702523918
 * @see https://arxiv.org/abs/2404.06106 (Garrod & Keating 2024, Thm 3.1 after Dang et al. 2023)
 */
export function deepLinearUfmTheory(config: DeepLinearUfmConfig): DeepLinearUfmConstants {
  return constantsOf(resolveDeep(config));
}

function constantsOf(r: ResolvedDeep): DeepLinearUfmConstants {
  const { K, counts, N, L, lambdaW, lambdaH } = r;
  let logProd = Math.log(lambdaH);
  for (const l of lambdaW) logProd += Math.log(l);
  const A = Math.exp(logProd / (L + 1));
  const b = counts.map((nk) => N * A * Math.pow(nk, -L / (L + 1)));
  const xLargestRoot = b.map((bk) => deepLinearLargestRoot(bk, L));
  const regime: DeepLinearRegime[] = [];
  const xStar = b.map((bk, k) => {
    const x = xLargestRoot[k];
    if (x === null) { regime.push('zero-only'); return 0; }
    if (deepLinearPhi(x, bk, L) < 1) { regime.push('nonzero-global'); return x; }
    regime.push('zero-global-nonzero-local');
    return 0;
  });
  const tau = xStar.map((x, k) => (x * (1 - x) * counts[k]) / N);
  const desc = (a: number[]): number[] => [...a].sort((p, q) => q - p);
  const weightSqSingularValues = lambdaW.map((lw) => desc(tau.map((t) => t / lw)));
  const featureSqSingularValues = desc(tau.map((t) => t / lambdaH));
  const classMeanSqNorms: number[][] = [];
  let norms = tau.map((t, k) => t / (lambdaH * counts[k]));
  classMeanSqNorms.push(norms);
  for (let l = 0; l < L; l++) {
    norms = norms.map((m, k) => (m * tau[k]) / lambdaW[l]);
    classMeanSqNorms.push(norms);
  }
  let objective = 0;
  let mse = 0;
  let stationary: number | null = 0;
  for (let k = 0; k < K; k++) {
    const w = counts[k] / (2 * N);
    objective += w * deepLinearPhi(xStar[k], b[k], L);
    mse += w * (1 - xStar[k]) ** 2;
    const xr = xLargestRoot[k];
    stationary = stationary === null || xr === null ? null : stationary + w * deepLinearPhi(xr, b[k], L);
  }
  // Rank-r points: keep the r classes whose non-zero point lowers the objective most.
  const gains = xLargestRoot
    .map((xr, k) => (xr === null ? null : (counts[k] / (2 * N)) * (deepLinearPhi(xr, b[k], L) - 1)))
    .map((g, k) => ({ g, k }))
    .filter((e): e is { g: number; k: number } => e.g !== null)
    .sort((p, q) => p.g - q.g);
  const rankObjectives: (number | null)[] = [];
  let acc = 0.5;
  rankObjectives.push(acc);
  for (let r = 1; r <= K; r++) {
    if (r <= gains.length) {
      acc += gains[r - 1].g;
      rankObjectives.push(acc);
    } else {
      rankObjectives.push(null);
    }
  }
  return {
    L, b, xLargestRoot, xStar, regime, tau, weightSqSingularValues, featureSqSingularValues, classMeanSqNorms,
    objective, mse, stationaryObjective: stationary, rankObjectives,
    thresholds: { global: deepLinearGlobalThreshold(L), local: deepLinearLocalThreshold(L) },
  };
}

/** Options of {@link deepLinearUfmOptimum} on top of the model configuration. */
export interface DeepLinearUfmOptimumOptions extends DeepLinearUfmConfig {
  /**
   * Orthonormal frames R_l ∈ R^{d_l×K} the class means live on: 'canonical' (the first K coordinate
   * axes, so every factor is entry-wise non-negative and the point is also a ReLU DUFM point) or
   * 'random' (Haar-like, from `seed`). Default 'canonical'.
   */
  frame?: 'canonical' | 'random';
  /** Seed of the random frames. Default 0. */
  seed?: number;
  /**
   * 'global' (default): the global optimum (zero classes stay zero). 'stationary': every class at its
   * largest root even when that point is only a local minimum (b_g < b ≤ b_loc); throws when a class
   * has no non-zero stationary point.
   */
  point?: 'global' | 'stationary';
}

/** Explicit factors of a deep linear UFM optimum plus its constants. */
export interface DeepLinearUfmOptimum {
  /** W_1 … W_L: W_l of shape [d_{l+1}, d_l], W_L of shape [K, d_L]. */
  readonly weights: Matrix[];
  /** H_1 of shape [d_1, N], columns class-major (n_1 columns of class 0 first). */
  readonly h: Matrix;
  /** Class of each column of H_1. */
  readonly labels: Int32Array;
  /** The output scale used per class (x_k: the global x* or, with point 'stationary', the largest root). */
  readonly x: number[];
  /** The objective of this point in the deep-linear scaling. */
  readonly objective: number;
  readonly constants: DeepLinearUfmConstants;
}

/** K orthonormal vectors of length d, stored one per row (q[k*d + i]): canonical e_k or random (backend). */
function orthonormalFrame(d: number, K: number, kind: 'canonical' | 'random', rng: Rng): Float64Array {
  if (kind === 'random') return randomOrthonormalRows(rng, K, d).data;
  const q = new Float64Array(K * d);
  for (let k = 0; k < K; k++) q[k * d + k] = 1;
  return q;
}

/**
 * Builds W_1 … W_L and H_1 at the global optimum of the deep linear UFM (scaling of
 * {@link deepLinearUfmTheory}) from the closed form: with orthonormal frames R_l (R_{L+1} = I_K),
 *
 * ```math
 * H_1 = Σ_k √(τ_k/λ_{H_1}) R_1 e_k v_kᵀ,   W_l = Σ_k √(τ_k/λ_{W_l}) R_{l+1} e_k (R_l e_k)ᵀ,   v_k = 1_{class k}/√n_k
 * ```
 *
 * so every class mean is an orthogonal frame, W_l maps class mean to class mean
 * (W_l = H̄_{l+1}H̄_lᵀ/‖μ^l‖²), the factors are balanced and W_L⋯W_1H_1 = diag(x) Y.
 *
 * @param options - the model (K, n, L, widths, lambdaW, lambdaH) plus frame, seed and point.
 * @returns explicit host matrices, labels, the x used per class, the objective and all constants.
 * @throws {InvalidArgumentError} for invalid model arguments, or point 'stationary' when a class has no
 *   non-zero stationary point (b_k > b_loc(L)).
 * @example
 * const opt = deepLinearUfmOptimum({ K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 });
 * opt.objective; // returns 0.335853941229 (oracle O1)
 * opt.weights[0].rows; // returns 5 (W_1 is [d_2, d_1])
 */
export function deepLinearUfmOptimum(options: DeepLinearUfmOptimumOptions): DeepLinearUfmOptimum {
  const r = resolveDeep(options);
  const constants = constantsOf(r);
  const { K, counts, N, L, widths, lambdaW, lambdaH } = r;
  const point = options.point ?? 'global';
  if (point !== 'global' && point !== 'stationary') throw new InvalidArgumentError('point', "'global' or 'stationary'", point);
  const frame = options.frame ?? 'canonical';
  if (frame !== 'canonical' && frame !== 'random') throw new InvalidArgumentError('frame', "'canonical' or 'random'", frame);
  let x = constants.xStar;
  if (point === 'stationary') {
    x = constants.xLargestRoot.map((v, k) => {
      if (v === null) {
        throw new InvalidArgumentError('point', `'global' here: class ${k} has no non-zero stationary point (b = ${constants.b[k]} > b_loc(${L}) = ${constants.thresholds.local})`, point);
      }
      return v;
    });
  }
  let logProd = Math.log(lambdaH);
  for (const l of lambdaW) logProd += Math.log(l);
  const gamma = x.map((xk, k) => Math.exp((Math.log(counts[k]) + 2 * Math.log(xk) + logProd) / (L + 1)));
  const g = x.map((xk, k) => (xk === 0 ? 0 : gamma[k]));
  const rng = createRng(options.seed ?? 0);
  const frames = widths.map((d) => orthonormalFrame(d, K, frame, rng));
  // H_1 column j of class k: √(γ_k/(λ_H n_k)) R_1 e_k.
  const d1 = widths[0];
  const h = new Float64Array(d1 * N);
  let col = 0;
  for (let k = 0; k < K; k++) {
    const s = Math.sqrt(g[k] / (lambdaH * counts[k]));
    for (let i = 0; i < counts[k]; i++, col++) {
      for (let r1 = 0; r1 < d1; r1++) h[r1 * N + col] = s * frames[0][k * d1 + r1];
    }
  }
  const weights: Matrix[] = [];
  for (let l = 0; l < L; l++) {
    const rows = l + 1 < L ? widths[l + 1] : K;
    const cols = widths[l];
    const w = new Float64Array(rows * cols);
    for (let k = 0; k < K; k++) {
      const s = Math.sqrt(g[k] / lambdaW[l]);
      if (s === 0) continue;
      const right = frames[l].subarray(k * cols, (k + 1) * cols);
      for (let i = 0; i < rows; i++) {
        const li = l + 1 < L ? frames[l + 1][k * rows + i] : i === k ? 1 : 0;
        if (li === 0) continue;
        for (let j = 0; j < cols; j++) w[i * cols + j] += s * li * right[j];
      }
    }
    weights.push({ rows, cols, data: w });
  }
  let objective = 0;
  for (let k = 0; k < K; k++) {
    objective += (counts[k] / (2 * N)) * (x[k] === 0 ? 1 : deepLinearPhi(x[k], constants.b[k], L));
  }
  const labels = classLayout(K, counts).labels;
  return { weights, h: { rows: d1, cols: N, data: h }, labels, x: [...x], objective, constants };
}
