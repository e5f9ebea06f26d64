/**
 * The infinite-width neural tangent kernel of a depth-h ReLU MLP (h hidden layers, no biases, linear
 * output, NTK parametrisation with c_σ = 2, i.e. weights N(0, 2/width) in the hidden layers), as a
 * function of the input cosine. Standard recursion (Jacot et al. 2018; Arora et al. 2019):
 *
 * ```math
 * \Sigma^{(0)}(x, y) = x^\top y,\quad
 * \Sigma^{(l)} = \sqrt{\Sigma^{(l-1)}_{xx}\Sigma^{(l-1)}_{yy}}\;\kappa_1(\rho_{l-1}),\quad
 * \dot\Sigma^{(l)} = \kappa_0(\rho_{l-1}),\quad
 * \Theta^{(0)} = \Sigma^{(0)},\quad \Theta^{(l)} = \Theta^{(l-1)}\dot\Sigma^{(l)} + \Sigma^{(l)}
 * ```
 *
 * with ρ_{l−1} = Σ^{(l−1)}_{xy}/√(Σ^{(l−1)}_{xx}Σ^{(l−1)}_{yy}). Inputs enter unscaled (Σ⁽⁰⁾ = xᵀy, or
 * xᵀMy with a Mahalanobis metric; no 1/d). With c_σ = 2 the diagonal is preserved, Σ^{(l)}(x, x) = ‖x‖²,
 * so Θ^{(h)}(x, y) = ‖x‖‖y‖·τ_h(ρ₀) with
 * ρ_l = κ₁(ρ_{l−1}), τ₀ = ρ₀, τ_l = τ_{l−1}κ₀(ρ_{l−1}) + ρ_l; Θ^{(h)}(x, x) = (h + 1)‖x‖².
 * @see Jacot, Gabriel & Hongler, NeurIPS 2018; Arora et al., "On exact computation with an infinitely
 *   wide neural net", NeurIPS 2019.
 */
import { arccos0Profile, arccos0Slope, arccos1Profile, clampCosine } from './arccos.js';

/**
 * τ_h(ρ) and its derivative τ_h′(ρ) (see the module comment).
 * dτ_l = dτ_{l−1}·κ₀(ρ_{l−1}) + τ_{l−1}·κ₀′(ρ_{l−1})·dρ_{l−1} + dρ_l, dρ_l = κ₀(ρ_{l−1})·dρ_{l−1} (κ₁′ = κ₀).
 * The slope is unbounded as ρ → ±1 (κ₀′ is): the NTK has a cusp at x ∥ y, like the Laplace kernel.
 * @param rho - input cosine ρ₀ (clamped to [−1, 1]).
 * @param depth - h ≥ 1 hidden layers.
 * @returns `{ value: τ_h(ρ), slope: τ_h′(ρ) }` (slope +∞ at |ρ| = 1).
 * @example
 * ntkProfile(1, 2).value; // 3 = h + 1
 */
export function ntkProfile(rho: number, depth: number): { value: number; slope: number } {
  let r = clampCosine(rho);
  let dr = 1;
  let tau = r;
  let dtau = 1;
  for (let l = 1; l <= depth; l++) {
    const k0 = arccos0Profile(r);
    const next = arccos1Profile(r);
    const dk0 = arccos0Slope(r);
    const dnext = k0 * dr;
    dtau = dtau * k0 + (tau === 0 ? 0 : tau * dk0 * dr) + dnext;
    tau = tau * k0 + next;
    r = clampCosine(next);
    dr = dnext;
  }
  return { value: tau, slope: dtau };
}
