import { InvalidArgumentError, psdPower, svd, syrk, type Matrix } from '@nclab/backend';
import { matrixCorrelation } from '@nclab/agop';
import type { LayerParams } from './types.js';

/**
 * Pearson correlation of the entries of two same-shape matrices (each minus its mean entry), float64,
 * by `matrixCorrelation` of `@nclab/agop`; null when a matrix is constant (e.g. a dead layer), so a
 * long run's probe never stops on it. The constant case is decided here, before the call, not by
 * reading the error `matrixCorrelation` would throw.
 */
export function correlationOrNull(a: Matrix, b: Matrix): number | null {
  if (isConstant(a) || isConstant(b)) return null;
  const v = matrixCorrelation(a, b);
  return Number.isFinite(v) ? v : null;
}

function isConstant(m: Matrix): boolean {
  const d = m.data;
  for (let i = 1; i < d.length; i++) if (d[i] !== d[0]) return false;
  return true;
}

/**
 * The neural feature matrix WᵀW of a layer `[in, in]` in float64, optionally of the change since
 * initialisation, (W − W₀)ᵀ(W − W₀).
 * @throws {InvalidArgumentError} when `initial` has another shape.
 * @returns `[in, in]` float64.
 * @example
 * featureMatrix(layer, initialLayer); // (W − W₀)ᵀ(W − W₀)
 */
export function featureMatrix(layer: LayerParams, initial?: LayerParams): Matrix {
  if (initial && (initial.outDim !== layer.outDim || initial.inDim !== layer.inDim)) {
    throw new InvalidArgumentError('initial', `a layer of shape [${layer.outDim}, ${layer.inDim}]`, `[${initial.outDim}, ${initial.inDim}]`);
  }
  const data = new Float64Array(layer.weight.length);
  for (let i = 0; i < data.length; i++) data[i] = layer.weight[i] - (initial ? initial.weight[i] : 0);
  return syrk({ rows: layer.outDim, cols: layer.inDim, data }, { trans: true });
}

/**
 * A basis of the row space of W `[out, in]` when the layer narrows (out < in): the `vt` `[out, in]` of
 * its thin SVD (float64), orthonormal rows. Undefined when out ≥ in (the row space may be everything).
 * The gradient of anything downstream with respect to the layer's input is Wᵀ times its gradient
 * with respect to the pre-activation, so a network AGOP of the layer lies in this row space.
 */
export function rowSpaceBasis(layer: LayerParams): Matrix | undefined {
  if (layer.outDim >= layer.inDim) return undefined;
  return svd({ rows: layer.outDim, cols: layer.inDim, data: Float64Array.from(layer.weight) }).vt;
}

/**
 * AGOP^{1/2} (float64 PSD square root, eigenvalues clipped at 0). With a row-space `basis` of the layer
 * ({@link rowSpaceBasis}), the root is taken on that subspace (`psdPower`'s `subspace`): for a 784 → 256
 * layer a 256×256 eigendecomposition instead of 784×784, and none of the square roots of the 528
 * rounding-level eigenvalues the full route adds (~1e-8 relative). `psdPower` checks that the AGOP's
 * trace lies in the subspace and takes the full route otherwise (an AGOP computed elsewhere).
 * @param agop - `[in, in]`.
 * @param basis - from {@link rowSpaceBasis}, or undefined for the full route.
 * @returns `[in, in]`.
 */
export function agopRoot(agop: Matrix, basis: Matrix | undefined): Matrix {
  return psdPower(agop, 0.5, basis ? { subspace: basis } : {});
}

/** NFA correlations of one layer (camelCase; `result.json` spells them `nfa_corr_sqrt_centred`, … through nclab's `toJsonKeys`). */
export interface NfaCorrelations {
  /** corr(WᵀW, AGOP) (null when undefined or not computed). */
  nfaCorr: number | null;
  /** corr(WᵀW, AGOP^{1/2}) (the paper's NFA value). */
  nfaCorrSqrt: number | null;
  /** corr((W − W₀)ᵀ(W − W₀), AGOP^{1/2}); null at initialisation (W = W₀). */
  nfaCorrSqrtDelta: number | null;
  /** corr(WᵀW, C^{1/2}) with C the centred AGOP (null when not computed). */
  nfaCorrSqrtCentered: number | null;
  /** corr((W − W₀)ᵀ(W − W₀), C^{1/2}) (null when not computed or at initialisation). */
  nfaCorrSqrtDeltaCentered: number | null;
}

/**
 * The Neural Feature Ansatz correlations of one layer (Pearson correlation of the entries, each matrix
 * minus its mean, float64; `matrixCorrelation` of `@nclab/agop`): the feature matrix WᵀW (or its change since
 * initialisation) against the AGOP of the sub-network with respect to the layer's input, with α = 1
 * and α = 1/2, uncentred and centred.
 * ```math
 * NFA_α = corr(W_lᵀ W_l, AGOP_l^α)
 * ```
 * AGOP^{1/2} is the float64 PSD square root (eigenvalues clipped at 0), on the layer's row space when
 * it narrows ({@link agopRoot}). Note that WᵀW and AGOP are both
 * diagonally dominant for a random W at small widths, so NFA_α is already high at initialisation; the
 * init-subtracted variant `nfaCorrSqrtDelta` is the evidence of learned features.
 * @param layer - W_l `[out, in]`.
 * @param initial - W₀ of the same layer (for the delta variants).
 * @param agop - AGOP_l `[in, in]`.
 * @param centeredAgop - the centered AGOP (optional).
 * @returns the correlations; undefined values (a zero matrix) become null.
 * @see Radhakrishnan et al. 2024 (Science); Beaglehole et al. 2024, §5 and App. C.
 * @throws {InvalidArgumentError} when the AGOP is not `[in, in]`.
 * @example
 * const { agop, centered } = await networkAgops(net, x, n);
 * nfaCorrelations(net.layers[0], w0.layers[0], agop[0], centered![0]).nfaCorrSqrtDelta;
 */
export function nfaCorrelations(layer: LayerParams, initial: LayerParams | null, agop: Matrix, centeredAgop: Matrix | null): NfaCorrelations {
  if (agop.rows !== layer.inDim || agop.cols !== layer.inDim) {
    throw new InvalidArgumentError('agop', `of shape [${layer.inDim}, ${layer.inDim}]`, `[${agop.rows}, ${agop.cols}]`);
  }
  const wtw = featureMatrix(layer);
  const basis = rowSpaceBasis(layer);
  const root = agopRoot(agop, basis);
  const delta = initial ? featureMatrix(layer, initial) : null;
  const deltaIsZero = !delta || delta.data.every((v) => v === 0);
  const croot = centeredAgop ? agopRoot(centeredAgop, basis) : null;
  return {
    nfaCorr: correlationOrNull(wtw, agop),
    nfaCorrSqrt: correlationOrNull(wtw, root),
    nfaCorrSqrtDelta: deltaIsZero ? null : correlationOrNull(delta!, root),
    nfaCorrSqrtCentered: croot ? correlationOrNull(wtw, croot) : null,
    nfaCorrSqrtDeltaCentered: croot && !deltaIsZero ? correlationOrNull(delta!, croot) : null,
  };
}
