import { InvalidArgumentError, psdPower, syrk, type Matrix } from '@nclab/backend';
import type { LayerParams } from './types.js';

/**
 * Pearson correlation of the entries of two matrices of the same shape, in float64: each matrix minus
 * its mean entry, then the cosine of the two flattened results (the convention of the NFA papers).
 * ```math
 * corr(A, B) = ⟨A − ā, B − b̄⟩_F / (‖A − ā‖_F ‖B − b̄‖_F)
 * ```
 * @param a - `[m, n]`.
 * @param b - `[m, n]`.
 * @returns a number in [−1, 1], or NaN when one matrix is constant (zero variance).
 * @throws {InvalidArgumentError} when the shapes differ.
 * @example
 * matrixCorrelation(fromRows([[1, 2], [3, 4]]), fromRows([[2, 4], [6, 8]])); // returns 1
 */
export function matrixCorrelation(a: { rows: number; cols: number; data: ArrayLike<number> }, b: { rows: number; cols: number; data: ArrayLike<number> }): number {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new InvalidArgumentError('b', `of shape [${a.rows}, ${a.cols}] like a`, `[${b.rows}, ${b.cols}]`);
  const n = a.data.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a.data[i];
    mb += b.data[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a.data[i] - ma;
    const y = b.data[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  if (saa === 0 || sbb === 0) return Number.NaN;
  return sab / Math.sqrt(saa * sbb);
}

/**
 * The neural feature matrix WᵀW of a layer `[in, in]` in float64, optionally of the change since
 * initialisation, (W − W₀)ᵀ(W − W₀).
 * @throws {InvalidArgumentError} when `initial` has another shape.
 */
export function featureMatrix(layer: LayerParams, initial?: LayerParams): Matrix {
  if (initial && (initial.outDim !== layer.outDim || initial.inDim !== layer.inDim)) {
    throw new InvalidArgumentError('initial', `a layer of shape [${layer.outDim}, ${layer.inDim}]`, `[${initial.outDim}, ${initial.inDim}]`);
  }
  const data = new Float64Array(layer.weight.length);
  for (let i = 0; i < data.length; i++) data[i] = layer.weight[i] - (initial ? initial.weight[i] : 0);
  return syrk({ rows: layer.outDim, cols: layer.inDim, data }, { trans: true });
}

/** NFA correlations of one layer. Keys follow the result JSON (snake_case). */
export interface NfaCorrelations {
  /** corr(WᵀW, AGOP) (null when undefined or not computed). */
  nfa_corr: number | null;
  /** corr(WᵀW, AGOP^{1/2}) (the paper's NFA value). */
  nfa_corr_sqrt: number | null;
  /** corr((W − W₀)ᵀ(W − W₀), AGOP^{1/2}); null at initialisation (W = W₀). */
  nfa_corr_sqrt_delta: number | null;
  /** corr(WᵀW, C^{1/2}) with C the centred AGOP (null when not computed). */
  nfa_corr_sqrt_centred: number | null;
  /** corr((W − W₀)ᵀ(W − W₀), C^{1/2}) (null when not computed or at initialisation). */
  nfa_corr_sqrt_delta_centred: number | null;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The Neural Feature Ansatz correlations of one layer: the feature matrix WᵀW (or its change since
 * initialisation) against the AGOP of the sub-network with respect to the layer's input, with α = 1
 * and α = 1/2, uncentred and centred.
 * ```math
 * NFA_α = corr(W_lᵀ W_l, AGOP_l^α)
 * ```
 * AGOP^{1/2} is the float64 PSD square root (eigenvalues clipped at 0). Note that WᵀW and AGOP are both
 * diagonally dominant for a random W at small widths, so NFA_α is already high at initialisation; the
 * init-subtracted variant `nfa_corr_sqrt_delta` is the evidence of learned features.
 * @param layer - W_l `[out, in]`.
 * @param initial - W₀ of the same layer (for the delta variants).
 * @param agop - AGOP_l `[in, in]`.
 * @param centredAgop - the centred AGOP (optional).
 * @returns the correlations; undefined values (a zero matrix) become null.
 * @see Radhakrishnan et al. 2024 (Science); Beaglehole et al. 2024, §5 and App. C.
 */
export function nfaCorrelations(layer: LayerParams, initial: LayerParams | null, agop: Matrix, centredAgop: Matrix | null): NfaCorrelations {
  if (agop.rows !== layer.inDim || agop.cols !== layer.inDim) {
    throw new InvalidArgumentError('agop', `of shape [${layer.inDim}, ${layer.inDim}]`, `[${agop.rows}, ${agop.cols}]`);
  }
  const wtw = featureMatrix(layer);
  const root = psdPower(agop, 0.5);
  const delta = initial ? featureMatrix(layer, initial) : null;
  const deltaIsZero = !delta || delta.data.every((v) => v === 0);
  const croot = centredAgop ? psdPower(centredAgop, 0.5) : null;
  return {
    nfa_corr: finiteOrNull(matrixCorrelation(wtw, agop)),
    nfa_corr_sqrt: finiteOrNull(matrixCorrelation(wtw, root)),
    nfa_corr_sqrt_delta: deltaIsZero ? null : finiteOrNull(matrixCorrelation(delta!, root)),
    nfa_corr_sqrt_centred: croot ? finiteOrNull(matrixCorrelation(wtw, croot)) : null,
    nfa_corr_sqrt_delta_centred: croot && !deltaIsZero ? finiteOrNull(matrixCorrelation(delta!, croot)) : null,
  };
}
