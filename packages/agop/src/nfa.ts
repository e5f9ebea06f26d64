/**
 * Neural Feature Ansatz (NFA) correlations in float64.
 */
import { InvalidArgumentError, psdSqrt, syrk, type AnyMatrix, type Matrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix } from './checks.js';

/**
 * Pearson correlation of the entries of two equally shaped matrices, each centred by its mean entry:
 *
 * ```math
 * \rho(A, B) = \frac{\langle A - \bar a, B - \bar b\rangle_F}{\lVert A - \bar a\rVert_F\,\lVert B - \bar b\rVert_F}
 * ```
 *
 * Computed in float64 whatever the input precision.
 * @param a - any matrix.
 * @param b - a matrix of the same shape.
 * @returns ρ ∈ [−1, 1].
 * @throws {InvalidArgumentError} for different shapes, NaN entries, or a constant matrix (zero variance).
 * @example
 * matrixCorrelation(fromRows([[1, 2], [3, 4]]), fromRows([[2, 4], [6, 8]])); // returns 1
 */
export function matrixCorrelation(a: AnyMatrix, b: AnyMatrix): number {
  checkMatrix('a', a);
  checkMatrix('b', b);
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
    const u = a.data[i] - ma;
    const v = b.data[i] - mb;
    sab += u * v;
    saa += u * u;
    sbb += v * v;
  }
  if (saa === 0) throw new InvalidArgumentError('a', 'a matrix with non-constant entries', 'constant');
  if (sbb === 0) throw new InvalidArgumentError('b', 'a matrix with non-constant entries', 'constant');
  return sab / Math.sqrt(saa * sbb);
}

/** Options of {@link nfaCorrelation}. */
export interface NfaOptions {
  /** Power α of the AGOP: 1 (NFA) or 0.5 (NFA-sqrt, the paper's choice). Default 0.5. */
  readonly power?: 1 | 0.5;
  /** Initial weights W₀ `[out, in]`; when given the neural feature matrix is (W − W₀)ᵀ(W − W₀). */
  readonly initialWeights?: AnyMatrix;
}

/**
 * Neural Feature Ansatz correlation between a layer's neural feature matrix WᵀW and the AGOP of the
 * network with respect to that layer's input:
 *
 * ```math
 * \rho\big((W - W_0)^\top (W - W_0),\; \mathrm{AGOP}^{\alpha}\big), \qquad \alpha \in \{1, \tfrac12\}
 * ```
 *
 * The square root is the exact PSD root (eigendecomposition, negative eigenvalues clipped).
 * @param weights - W `[out, in]`.
 * @param agop - `[in, in]` symmetric PSD.
 * @param options - power and initial weights.
 * @returns the Pearson correlation of the entries (each matrix centred by its mean entry).
 * @throws {InvalidArgumentError} for mismatched shapes or NaN.
 * @see Radhakrishnan et al., Science 2024; Beaglehole et al. 2024 (NFA-sqrt).
 */
export function nfaCorrelation(weights: AnyMatrix, agop: AnyMatrix, options: NfaOptions = {}): number {
  checkMatrix('weights', weights);
  checkMatrix('agop', agop);
  if (agop.rows !== weights.cols || agop.cols !== weights.cols) {
    throw new InvalidArgumentError('agop', `of shape [${weights.cols}, ${weights.cols}] (the layer's input dimension)`, `[${agop.rows}, ${agop.cols}]`);
  }
  const power = options.power ?? 0.5;
  if (power !== 1 && power !== 0.5) throw new InvalidArgumentError('power', '1 or 0.5', power);
  let w = asFloat64(weights);
  if (options.initialWeights !== undefined) {
    const w0 = options.initialWeights;
    checkMatrix('initialWeights', w0);
    if (w0.rows !== w.rows || w0.cols !== w.cols) throw new InvalidArgumentError('initialWeights', `of shape [${w.rows}, ${w.cols}] like weights`, `[${w0.rows}, ${w0.cols}]`);
    const data = new Float64Array(w.data.length);
    for (let i = 0; i < data.length; i++) data[i] = w.data[i] - w0.data[i];
    w = { rows: w.rows, cols: w.cols, data };
  }
  const nfm = syrk(w, { trans: true });
  const g: Matrix = power === 1 ? asFloat64(agop) : psdSqrt(asFloat64(agop));
  return matrixCorrelation(nfm, g);
}
