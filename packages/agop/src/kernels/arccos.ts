/**
 * The arc-cosine kernels of degree 0 and 1 (Cho & Saul 2009) as functions of the cosine ρ = cos θ
 * between the inputs:
 *
 * ```math
 * k_0(x, y) = \kappa_0(\rho) = 1 - \frac{\theta}{\pi}, \qquad
 * k_1(x, y) = \|x\|\,\|y\|\,\kappa_1(\rho),\quad \kappa_1(\rho) = \frac{\sin\theta + (\pi - \theta)\cos\theta}{\pi}
 * ```
 *
 * κ₁ is Proposition A.1 of Beaglehole et al. (2024): for unit x, y with xᵀy = r and W `[D, d]` with
 * N(0, 2/D) entries, E[σ(Wx)ᵀσ(Wy)] = (1−r²)^{3/2}/π + r²√(1−r²)/π + r/2 + (r/π)·arctan(r/√(1−r²)),
 * which simplifies to κ₁(r) (so k₁(x, x) = ‖x‖²). k₀ = 2·E[H(wᵀx)H(wᵀy)] for w ~ N(0, I), with
 * Heaviside H, is the derivative kernel: κ₁′ = κ₀. ρ is clamped to [−1, 1] (rounding of xᵀy/(‖x‖‖y‖)).
 * @see Cho & Saul, "Kernel methods for deep learning", NeurIPS 2009.
 */

/** Clamps a cosine computed in floating point to [−1, 1]. */
export function clampCosine(rho: number): number {
  return rho > 1 ? 1 : rho < -1 ? -1 : rho;
}

/**
 * κ₀(ρ) = 1 − arccos(ρ)/π, the degree-0 arc-cosine kernel of unit vectors (ρ clamped to [−1, 1]).
 * @example
 * arccos0Profile(0); // 0.5
 */
export function arccos0Profile(rho: number): number {
  return 1 - Math.acos(clampCosine(rho)) / Math.PI;
}

/**
 * κ₁(ρ) = (√(1 − ρ²) + (π − arccos ρ)·ρ)/π, the degree-1 arc-cosine kernel of unit vectors.
 * @example
 * arccos1Profile(1); // 1; arccos1Profile(0); // 1/π
 */
export function arccos1Profile(rho: number): number {
  const r = clampCosine(rho);
  return (Math.sqrt(Math.max(0, 1 - r * r)) + (Math.PI - Math.acos(r)) * r) / Math.PI;
}

/**
 * κ₀′(ρ) = 1/(π√(1 − ρ²)): unbounded as ρ → ±1 (θ → 0 or π), where k₀ has a cusp in x. Callers
 * drop the term it multiplies there (see `ANGLE_EPS` in dot-kernels.ts); here it returns +∞ at |ρ| = 1.
 */
export function arccos0Slope(rho: number): number {
  const r = clampCosine(rho);
  return 1 / (Math.PI * Math.sqrt(Math.max(0, (1 - r) * (1 + r))));
}
