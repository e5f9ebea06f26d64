/**
 * Kernel functions of the RFM family, written as functions of the (Mahalanobis) distance:
 *
 * ```math
 * d_M(x, z) = \sqrt{(x - z)^\top M (x - z)}
 * \text{laplace:}\; e^{-d/L} \quad \text{gaussian:}\; e^{-d^2/(2L^2)} \quad
 * \text{exponential:}\; e^{-d^p/L^p} \quad \text{linear:}\; x^\top M z
 * ```
 *
 * and the dot-product kernels `arccos0`, `arccos1` (Cho & Saul 2009) and `ntk` (ReLU MLP of `depth`
 * hidden layers) of `kernels/dot-product.ts`, functions of xᵀMz and the M-norms.
 *
 * @see Radhakrishnan et al., "Mechanism for feature learning in neural networks and backpropagation-free
 *   machine learning models", Science 2024; Beaglehole et al., "Average gradient outer product as a
 *   mechanism for deep neural collapse", 2024.
 */
import { InvalidArgumentError, assertPositive, mapSymmetric } from '@nclab/backend/host';

/**
 * Every kernel name `resolveKernel` accepts: the radial kernels `laplace` (e^{−d/L}), `gaussian`
 * (e^{−d²/(2L²)}), `exponential` (e^{−d^p/L^p}), the `linear` kernel xᵀz, and the dot-product kernels
 * `arccos0`, `arccos1` (Cho & Saul 2009) and `ntk` (the ReLU network's neural tangent kernel).
 */
export const KERNEL_NAMES = ['laplace', 'gaussian', 'exponential', 'linear', 'arccos0', 'arccos1', 'ntk'] as const;

/** One of {@link KERNEL_NAMES}. */
export type KernelName = (typeof KERNEL_NAMES)[number];

/** A kernel with its parameters. `bandwidth` is L; `exponent` is p (only for `exponential`, 0 < p ≤ 2). */
export interface KernelSpec {
  readonly kind: KernelName;
  /** Bandwidth L > 0 (ignored by `linear`). Default 1. */
  readonly bandwidth?: number;
  /** Exponent p ∈ (0, 2] of the `exponential` kernel. Default 1 (= Laplace). */
  readonly exponent?: number;
  /** Number of hidden ReLU layers h ≥ 1 of the `ntk` kernel. Default 1. */
  readonly depth?: number;
}

/** A validated kernel: all parameters present. */
export interface ResolvedKernel {
  readonly kind: KernelName;
  readonly bandwidth: number;
  readonly exponent: number;
  /** `ntk` only: the number of hidden layers h. */
  readonly depth?: number;
}

/** Distances below this are treated as self-pairs: their gradient weight is set to 0 (as in every RFM code). */
export const SELF_PAIR_EPS = 1e-10;


/**
 * Validates a kernel given by name or spec and fills in defaults.
 * @param kernel - a name (`'laplace'`, bandwidth 1) or a {@link KernelSpec}.
 * @returns the resolved kernel.
 * @throws {InvalidArgumentError} for an unknown kind, a non-positive bandwidth, an exponent outside (0, 2], or an
 *   `ntk` depth that is not an integer ≥ 1.
 * @example
 * resolveKernel({ kind: 'laplace', bandwidth: 2 }); // returns { kind: 'laplace', bandwidth: 2, exponent: 1 }
 */
export function resolveKernel(kernel: KernelName | KernelSpec): ResolvedKernel {
  const spec: KernelSpec = typeof kernel === 'string' ? { kind: kernel } : kernel;
  if (spec == null || !(KERNEL_NAMES as readonly string[]).includes(spec.kind)) {
    throw new InvalidArgumentError('kernel', `one of ${KERNEL_NAMES.join(', ')}`, typeof kernel === 'string' ? kernel : spec?.kind);
  }
  const bandwidth = spec.bandwidth ?? 1;
  assertPositive('bandwidth', bandwidth);
  const exponent = spec.kind === 'laplace' ? 1 : spec.kind === 'gaussian' ? 2 : spec.exponent ?? 1;
  if (spec.kind === 'exponential' && (!Number.isFinite(exponent) || exponent <= 0 || exponent > 2)) {
    throw new InvalidArgumentError('exponent', 'a number in (0, 2]', exponent);
  }
  if (spec.kind === 'ntk') {
    const depth = spec.depth ?? 1;
    if (!Number.isInteger(depth) || depth < 1) throw new InvalidArgumentError('depth', 'an integer >= 1', depth);
    return { kind: spec.kind, bandwidth, exponent, depth };
  }
  return { kind: spec.kind, bandwidth, exponent };
}

/**
 * The kernel value at squared distance `sq` (radial kernels only).
 * @param kernel - a resolved radial kernel.
 * @param sq - squared (Mahalanobis) distance ≥ 0.
 * @returns k(d).
 */
export function radialValue(kernel: ResolvedKernel, sq: number): number {
  const L = kernel.bandwidth;
  switch (kernel.kind) {
    case 'laplace':
      return Math.exp(-Math.sqrt(sq) / L);
    case 'gaussian':
      return Math.exp(-sq / (2 * L * L));
    case 'exponential':
      return Math.exp(-Math.pow(Math.sqrt(sq) / L, kernel.exponent));
    default:
      throw new InvalidArgumentError('kernel', 'a radial kernel (laplace, gaussian, exponential)', kernel.kind);
  }
}

/**
 * The gradient weight g with ∇ₓ k(x, z) = g · M (z − x), given the kernel value `k` and squared distance `sq`:
 *
 * ```math
 * g = -\frac{1}{d}\frac{\partial k}{\partial d}:\quad \text{laplace } \frac{k}{L d},\;
 * \text{gaussian } \frac{k}{L^2},\; \text{exponential } \frac{p\, d^{p-2} k}{L^p}
 * ```
 *
 * Self-pairs (d < {@link SELF_PAIR_EPS}) get weight 0.
 */
export function radialGradientWeight(kernel: ResolvedKernel, sq: number, k: number): number {
  const d = Math.sqrt(sq);
  if (d < SELF_PAIR_EPS) return 0;
  const L = kernel.bandwidth;
  switch (kernel.kind) {
    case 'laplace':
      return k / (L * d);
    case 'gaussian':
      return k / (L * L);
    case 'exponential': {
      const p = kernel.exponent;
      return (p * Math.pow(d, p - 2) * k) / Math.pow(L, p);
    }
    default:
      throw new InvalidArgumentError('kernel', 'a radial kernel (laplace, gaussian, exponential)', kernel.kind);
  }
}

/**
 * The gradient weight g (see {@link radialGradientWeight}) recovered from the kernel value alone, using
 * d = L·(−ln k)^{1/p}; used to turn a training kernel matrix into gradient weights in place.
 * k = 1 (distance 0: self-pairs and duplicates) gives 0.
 */
export function radialGradientWeightFromValue(kernel: ResolvedKernel, k: number): number {
  if (!(k < 1) || k <= 0) return 0;
  const L = kernel.bandwidth;
  const t = -Math.log(k); // (d/L)^p for laplace (p = 1) and exponential; d²/(2L²) for gaussian
  switch (kernel.kind) {
    case 'laplace': {
      const d = L * t;
      return d < SELF_PAIR_EPS ? 0 : k / (L * d);
    }
    case 'gaussian': {
      const d = L * Math.sqrt(2 * t);
      return d < SELF_PAIR_EPS ? 0 : k / (L * L);
    }
    case 'exponential': {
      const p = kernel.exponent;
      const d = L * Math.pow(t, 1 / p);
      return d < SELF_PAIR_EPS ? 0 : (p * Math.pow(d, p - 2) * k) / Math.pow(L, p);
    }
    default:
      throw new InvalidArgumentError('kernel', 'a radial kernel (laplace, gaussian, exponential)', kernel.kind);
  }
}

/**
 * Turns a symmetric training kernel matrix K(X, X) into gradient weights in place, entry by entry as
 * {@link radialGradientWeightFromValue}: one monomorphic loop per kernel over the lower triangle (half
 * the logarithms), then mirrored.
 * @param kernel - a resolved radial kernel.
 * @param data - `[n, n]` kernel values k(x_i, x_j), overwritten with g_ij; k = 1 (self-pairs, duplicates) gives 0.
 * @param n - the matrix size.
 */
export function gradientWeightsFromValuesInPlace(kernel: ResolvedKernel, data: Float64Array, n: number): void {
  const L = kernel.bandwidth;
  if (kernel.kind === 'laplace') {
    // g = k / (L d) with d = L t, t = −ln k
    const c = 1 / (L * L);
    const tMin = SELF_PAIR_EPS / L;
    for (let i = 0; i < n; i++) {
      for (let p = i * n, end = p + i + 1; p < end; p++) {
        const k = data[p];
        if (!(k < 1) || k <= 0) {
          data[p] = 0;
          continue;
        }
        const t = -Math.log(k);
        data[p] = t < tMin ? 0 : (k * c) / t;
      }
    }
  } else if (kernel.kind === 'gaussian') {
    // g = k / L² for d = L √(2t) ≥ ε
    const c = 1 / (L * L);
    const tMin = (SELF_PAIR_EPS / L) ** 2 / 2;
    for (let i = 0; i < n; i++) {
      for (let p = i * n, end = p + i + 1; p < end; p++) {
        const k = data[p];
        data[p] = !(k < 1) || k <= 0 || -Math.log(k) < tMin ? 0 : k * c;
      }
    }
  } else {
    for (let i = 0; i < n; i++) for (let p = i * n, end = p + i + 1; p < end; p++) data[p] = radialGradientWeightFromValue(kernel, data[p]);
  }
  mapSymmetric(data, n);
}
