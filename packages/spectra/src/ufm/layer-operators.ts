import { InvalidArgumentError } from '@nclab/backend';
import type { LinearOperator } from '../operators/linear-operator.js';
import { column } from '../internal/small.js';
import { symmetricEigen } from '../internal/symmetric-eigen.js';
import { assertLayer, deepUfmForward, outputJacobians, type DeepUfmPoint } from './deep-ufm-point.js';

/**
 * The Hessian of the MSE term of a deep UFM with respect to one weight matrix W_l, as an operator
 * on row-major vec(W_l) (size d_{l+1}·d_l). Weight decay is not included (add λ_{W_l}·I with
 * `shiftOperator`).
 *
 * ```math
 * H_l = (1/N) Σ_i (J_iᵀ J_i) ⊗ h^l_i h^lᵢᵀ,   linear model: H_l = (A_lᵀ A_l) ⊗ Σ_l,  Σ_l = (1/N) H_l H_lᵀ
 * ```
 *
 * MSE convention: (1/(2N)) ‖f(H_1) − Y‖_F². The second-order (residual) term vanishes because the
 * output is linear (or piecewise linear) in W_l, so this is also the Gauss–Newton matrix.
 *
 * @param point - the model point.
 * @param layer - 1-based layer index l ∈ 1..L.
 * @returns the operator (products cost O(N·(d_{l+1} d_l + K d_{l+1}))).
 * @throws {InvalidArgumentError} on a bad point or layer.
 * @example
 * const h3 = deepUfmLayerHessian(opt, 3);
 * (await lanczos(h3, { k: 9 })).values; // nine copies of λ_{W_3} x* /(1 − x*) at the optimum
 * @see Garrod & Keating (2024), Thm 4.1 https://arxiv.org/abs/2404.06106
 */
export function deepUfmLayerHessian(point: DeepUfmPoint, layer: number): LinearOperator {
  const fw = deepUfmForward(point);
  assertLayer(layer, fw.L);
  const W = point.weights[layer - 1];
  const dOut = W.rows;
  const dIn = W.cols;
  const N = fw.N;
  const hs = Array.from({ length: N }, (_, i) => column(fw.inputs[layer - 1], i));
  const Js = outputJacobians(point, fw, layer);
  const K = fw.K;
  return {
    size: dOut * dIn,
    label: `deepUfmLayerHessian[${layer}]`,
    matvec(v) {
      const out = new Float64Array(dOut * dIn);
      const u = new Float64Array(dOut);
      const t = new Float64Array(K);
      const s = new Float64Array(dOut);
      for (let i = 0; i < N; i++) {
        const h = hs[i];
        const J = Js[i];
        // u = V h, t = J u, s = Jᵀ t, out += s hᵀ / N
        for (let r = 0; r < dOut; r++) {
          let acc = 0;
          for (let c = 0; c < dIn; c++) acc += v[r * dIn + c] * h[c];
          u[r] = acc;
        }
        for (let k = 0; k < K; k++) {
          let acc = 0;
          for (let r = 0; r < dOut; r++) acc += J[k * dOut + r] * u[r];
          t[k] = acc;
        }
        s.fill(0);
        for (let k = 0; k < K; k++) for (let r = 0; r < dOut; r++) s[r] += J[k * dOut + r] * t[k];
        for (let r = 0; r < dOut; r++) {
          const sr = s[r] / N;
          if (sr !== 0) for (let c = 0; c < dIn; c++) out[r * dIn + c] += sr * h[c];
        }
      }
      return out;
    },
  };
}

/**
 * Extended gradients of one layer: δ_{i,c'} = ∂f_{c'}(h_i)/∂vec(W_l) = J_i[c', :] ⊗ h^l_i
 * (row-major vec), the input of {@link gaussNewtonDecomposition} (MSE: ∂²ℓ/∂f² = I).
 *
 * @param point - the model point.
 * @param layer - 1-based layer index.
 * @returns δ indexed [i][c'], each of length d_{l+1}·d_l.
 * @throws {InvalidArgumentError} on a bad point or layer.
 * @example
 * const dec = gaussNewtonDecomposition(deepUfmExtendedGradients(opt, 2), opt.labels);
 */
export function deepUfmExtendedGradients(point: DeepUfmPoint, layer: number): Float64Array[][] {
  const fw = deepUfmForward(point);
  assertLayer(layer, fw.L);
  const W = point.weights[layer - 1];
  const dOut = W.rows;
  const dIn = W.cols;
  const Js = outputJacobians(point, fw, layer);
  const out: Float64Array[][] = [];
  for (let i = 0; i < fw.N; i++) {
    const h = column(fw.inputs[layer - 1], i);
    const row: Float64Array[] = [];
    for (let c = 0; c < fw.K; c++) {
      const d = new Float64Array(dOut * dIn);
      for (let r = 0; r < dOut; r++) {
        const a = Js[i][c * dOut + r];
        if (a !== 0) for (let s = 0; s < dIn; s++) d[r * dIn + s] = a * h[s];
      }
      row.push(d);
    }
    out.push(row);
  }
  return out;
}

/** Gradient pieces of one layer, all row-major vec(W_l) of length d_{l+1}·d_l. */
export interface DeepUfmLayerGradients {
  /** MSE gradient (1/N) Σ_i J_iᵀ (f_i − y_i) h_iᵀ. */
  readonly mse: Float64Array;
  /** Label part v_l = (1/N) Σ_i J_iᵀ y_i h_iᵀ (the paper's "second term"; MSE gradient = H_l w_l − v_l for the linear model). */
  readonly label: Float64Array;
  /** The weights themselves, vec(W_l). */
  readonly weights: Float64Array;
  /** Per-sample MSE gradients g_i = J_iᵀ (f_i − y_i) h_iᵀ (for the gradient covariance / empirical Fisher). */
  readonly perSample: Float64Array[];
}

/**
 * The layer-l gradient of the MSE term, its label part and the per-sample gradients.
 *
 * ```math
 * ∇_{W_l} MSE = (1/N) Σ_i J_iᵀ (f_i − y_i) h_iᵀ,   v_l = (1/N) Σ_i J_iᵀ y_i h_iᵀ,   y_i = e_{label(i)}
 * ```
 *
 * @param point - the model point.
 * @param layer - 1-based layer index.
 * @returns the pieces (see {@link DeepUfmLayerGradients}).
 * @throws {InvalidArgumentError} on a bad point or layer.
 * @example
 * const g = deepUfmLayerGradients(opt, 3);
 * subspaceFraction(g.label, top.vectors); // returns 1 at the optimum (Thm 4.3)
 * @see Garrod & Keating (2024), Thm 4.3 and App. E.1
 */
export function deepUfmLayerGradients(point: DeepUfmPoint, layer: number): DeepUfmLayerGradients {
  const fw = deepUfmForward(point);
  assertLayer(layer, fw.L);
  const W = point.weights[layer - 1];
  const dOut = W.rows;
  const dIn = W.cols;
  const { N, K } = fw;
  const Js = outputJacobians(point, fw, layer);
  const out = fw.inputs[fw.L];
  const mse = new Float64Array(dOut * dIn);
  const label = new Float64Array(dOut * dIn);
  const perSample: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    const h = column(fw.inputs[layer - 1], i);
    const e = new Float64Array(dOut); // J_iᵀ (f_i − y_i)
    const a = new Float64Array(dOut); // J_iᵀ y_i
    for (let k = 0; k < K; k++) {
      const resid = out.data[k * N + i] - (fw.labels[i] === k ? 1 : 0);
      for (let r = 0; r < dOut; r++) e[r] += Js[i][k * dOut + r] * resid;
    }
    for (let r = 0; r < dOut; r++) a[r] = Js[i][fw.labels[i] * dOut + r];
    const g = new Float64Array(dOut * dIn);
    for (let r = 0; r < dOut; r++) {
      for (let s = 0; s < dIn; s++) {
        g[r * dIn + s] = e[r] * h[s];
        label[r * dIn + s] += (a[r] * h[s]) / N;
      }
    }
    for (let p = 0; p < g.length; p++) mse[p] += g[p] / N;
    perSample.push(g);
  }
  return { mse, label, weights: new Float64Array(W.data), perSample };
}

/**
 * Exact spectrum of the linear-model layer Hessian from its Kronecker factors: every product of an
 * eigenvalue of A_lᵀA_l with one of Σ_l (no (d_{l+1}d_l)² matrix is formed).
 *
 * ```math
 * spec(H_l) = { eig(A_lᵀA_l)_i · eig(Σ_l)_j },  A_l = W_L ⋯ W_{l+1},  Σ_l = (1/N) H_l H_lᵀ
 * ```
 *
 * @param point - a linear deep UFM point (any parameter values, not only optima).
 * @param layer - 1-based layer index.
 * @returns all d_{l+1}·d_l eigenvalues, descending, and the two factor spectra.
 * @throws {InvalidArgumentError} for a ReLU point (no Kronecker product there), or a bad layer.
 * @example
 * deepLinearUfmLayerSpectrum(opt, 1).values.slice(0, 9); // nine copies of 0.2037454515 for oracle O1
 * @see Garrod & Keating (2024), Thm 4.1 and App. A
 */
export function deepLinearUfmLayerSpectrum(point: DeepUfmPoint, layer: number): { values: number[]; left: number[]; right: number[] } {
  if ((point.activation ?? 'linear') !== 'linear') {
    throw new InvalidArgumentError('point.activation', `'linear' (the Kronecker form needs a linear model)`, point.activation);
  }
  const fw = deepUfmForward(point);
  assertLayer(layer, fw.L);
  const dOut = point.weights[layer - 1].rows;
  const dIn = point.weights[layer - 1].cols;
  // A_l = W_L ⋯ W_{l+1}, K × d_{l+1} (the Jacobian of any sample).
  const A = outputJacobians({ ...point, activation: 'linear' }, fw, layer)[0];
  const K = fw.K;
  const left = new Float64Array(dOut * dOut);
  for (let r = 0; r < dOut; r++) for (let s = 0; s < dOut; s++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += A[k * dOut + r] * A[k * dOut + s];
    left[r * dOut + s] = acc;
  }
  const H = fw.inputs[layer - 1];
  const N = fw.N;
  const right = new Float64Array(dIn * dIn);
  for (let r = 0; r < dIn; r++) for (let s = 0; s <= r; s++) {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += H.data[r * N + i] * H.data[s * N + i];
    right[r * dIn + s] = acc / N;
    right[s * dIn + r] = acc / N;
  }
  const el = Array.from(symmetricEigen(left, dOut).values).reverse();
  const er = Array.from(symmetricEigen(right, dIn).values).reverse();
  const values: number[] = [];
  for (const a of el) for (const b of er) values.push(a * b);
  values.sort((x, y) => y - x);
  return { values, left: el, right: er };
}
