import { InvalidArgumentError, assertFinite, assertMatrix, validateLabels, type AnyMatrix, type Matrix } from '@nclab/backend';

/**
 * Hessian of linear least squares with mean squared error, in closed form.
 *
 * ```math
 * L(w) = (1/N) Σ_i (x_iᵀ w − y_i)²   ⇒   ∇²L = (2/N) Xᵀ X   (independent of w and y)
 * ```
 *
 * @param x - design matrix [N, d].
 * @returns the Hessian [d, d].
 * @throws {InvalidArgumentError} on an empty or non-finite X.
 * @example
 * linearRegressionHessian(fromRows([[1, 0], [0, 1]])); // returns [[1, 0], [0, 1]]
 */
export function linearRegressionHessian(x: AnyMatrix): Matrix {
  checkDesign(x);
  const { rows: N, cols: d } = x;
  const out = new Float64Array(d * d);
  for (let i = 0; i < N; i++) {
    const r = i * d;
    for (let a = 0; a < d; a++) {
      const xa = x.data[r + a];
      if (xa === 0) continue;
      for (let b = 0; b < d; b++) out[a * d + b] += xa * x.data[r + b];
    }
  }
  for (let i = 0; i < d * d; i++) out[i] *= 2 / N;
  return { rows: d, cols: d, data: out };
}

/**
 * Hessian of binary logistic regression with mean cross-entropy (labels in {0, 1}, no bias term;
 * append a column of ones to X for one).
 *
 * ```math
 * L(w) = −(1/N) Σ_i [y_i log σ(x_iᵀw) + (1−y_i) log(1−σ(x_iᵀw))]   ⇒   ∇²L = (1/N) Xᵀ diag(σ_i(1−σ_i)) X
 * ```
 *
 * @param x - design matrix [N, d].
 * @param w - weights, length d.
 * @returns the Hessian [d, d] (independent of the labels).
 * @throws {InvalidArgumentError} on shape mismatch or non-finite input.
 * @example
 * logisticRegressionHessian(fromRows([[1]]), [0]); // returns [[0.25]]
 */
export function logisticRegressionHessian(x: AnyMatrix, w: ArrayLike<number>): Matrix {
  checkDesign(x);
  const { rows: N, cols: d } = x;
  if (w == null || w.length !== d) throw new InvalidArgumentError('w', `of length d = ${d}`, w == null ? w : w.length);
  assertFinite('w', w);
  const out = new Float64Array(d * d);
  for (let i = 0; i < N; i++) {
    const r = i * d;
    let z = 0;
    for (let a = 0; a < d; a++) z += x.data[r + a] * w[a];
    const s = 1 / (1 + Math.exp(-z));
    const c = (s * (1 - s)) / N;
    for (let a = 0; a < d; a++) {
      const xa = c * x.data[r + a];
      for (let b = 0; b < d; b++) out[a * d + b] += xa * x.data[r + b];
    }
  }
  return { rows: d, cols: d, data: out };
}

/**
 * Hessian of multinomial (softmax) regression with mean cross-entropy, over row-major vec(W)
 * for W of shape [K, d] (logits z_i = W x_i; entry (c, j) of W sits at index c·d + j).
 *
 * ```math
 * L(W) = (1/N) Σ_i −log softmax(W x_i)_{y_i}   ⇒   ∇²L = (1/N) Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x_i x_iᵀ
 * ```
 *
 * @param x - inputs [N, d].
 * @param w - weights [K, d].
 * @returns the Hessian [K·d, K·d] (independent of the labels).
 * @throws {InvalidArgumentError} on shape mismatch or non-finite input.
 * @example
 * softmaxCrossEntropyHessian(fromRows([[1]]), fromRows([[0], [0]])); // returns [[0.25, -0.25], [-0.25, 0.25]]
 */
export function softmaxCrossEntropyHessian(x: AnyMatrix, w: AnyMatrix): Matrix {
  checkDesign(x);
  const { rows: N, cols: d } = x;
  if (w == null || w.cols !== d || w.rows < 1) throw new InvalidArgumentError('w', `of shape [K, d = ${d}]`, w == null ? w : `[${w.rows}, ${w.cols}]`);
  assertFinite('w', w.data, w.cols);
  const K = w.rows;
  const P = K * d;
  const out = new Float64Array(P * P);
  const p = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const r = i * d;
    softmaxRow(w, x.data, r, d, p);
    for (let c = 0; c < K; c++) {
      for (let c2 = 0; c2 < K; c2++) {
        const m = ((c === c2 ? p[c] : 0) - p[c] * p[c2]) / N;
        if (m === 0) continue;
        for (let a = 0; a < d; a++) {
          const xa = m * x.data[r + a];
          const row = (c * d + a) * P + c2 * d;
          for (let b = 0; b < d; b++) out[row + b] += xa * x.data[r + b];
        }
      }
    }
  }
  return { rows: P, cols: P, data: out };
}

/**
 * Mean softmax cross-entropy of the linear model z_i = W x_i (for checking Hessians against finite
 * differences, and the loss convention of {@link softmaxCrossEntropyHessian}).
 *
 * @param x - inputs [N, d].
 * @param w - weights [K, d].
 * @param labels - N integers in [0, K).
 * @returns (1/N) Σ_i −log softmax(W x_i)_{y_i}.
 * @throws {InvalidArgumentError} on shape mismatch or bad labels.
 * @example
 * softmaxCrossEntropyLoss(fromRows([[1]]), fromRows([[0], [0]]), [0]); // returns log 2
 */
export function softmaxCrossEntropyLoss(x: AnyMatrix, w: AnyMatrix, labels: ArrayLike<number>): number {
  checkDesign(x);
  const { rows: N, cols: d } = x;
  if (w == null || w.cols !== d) throw new InvalidArgumentError('w', `of shape [K, d = ${d}]`, w == null ? w : `[${w.rows}, ${w.cols}]`);
  const { labels: y } = validateLabels('labels', labels, N, w.rows);
  const p = new Float64Array(w.rows);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    softmaxRow(w, x.data, i * d, d, p);
    loss -= Math.log(p[y[i]]);
  }
  return loss / N;
}

/**
 * Hessian of a loss with respect to the network output f (the middle factor of a Gauss–Newton
 * matrix Jᵀ H_ℓ J), per sample.
 *
 * ```math
 * MSE ℓ = ½‖f − y‖²: H_ℓ = I_K;    softmax CE ℓ = −log softmax(f)_y: H_ℓ = diag(p) − p pᵀ,  p = softmax(f)
 * ```
 *
 * @param loss - `'mse'` or `'cross-entropy'`.
 * @param logits - the output f, length K.
 * @returns H_ℓ as a K×K matrix.
 * @throws {InvalidArgumentError} for an unknown loss or non-finite logits.
 * @example
 * outputLossHessian('cross-entropy', [0, 0]); // returns [[0.25, -0.25], [-0.25, 0.25]]
 */
export function outputLossHessian(loss: 'mse' | 'cross-entropy', logits: ArrayLike<number>): Matrix {
  assertFinite('logits', logits);
  const K = logits.length;
  const out = new Float64Array(K * K);
  if (loss === 'mse') {
    for (let k = 0; k < K; k++) out[k * K + k] = 1;
  } else if (loss === 'cross-entropy') {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, logits[k]);
    const p = new Float64Array(K);
    let s = 0;
    for (let k = 0; k < K; k++) { p[k] = Math.exp(logits[k] - m); s += p[k]; }
    for (let k = 0; k < K; k++) p[k] /= s;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) out[a * K + b] = (a === b ? p[a] : 0) - p[a] * p[b];
  } else {
    throw new InvalidArgumentError('loss', `'mse' or 'cross-entropy'`, loss);
  }
  return { rows: K, cols: K, data: out };
}

function checkDesign(x: AnyMatrix): void {
  assertMatrix('x', x, { minRows: 1, minCols: 1 });
}

function softmaxRow(w: AnyMatrix, xd: ArrayLike<number>, r: number, d: number, p: Float64Array): void {
  const K = w.rows;
  let m = -Infinity;
  for (let c = 0; c < K; c++) {
    let z = 0;
    for (let a = 0; a < d; a++) z += w.data[c * d + a] * xd[r + a];
    p[c] = z;
    if (z > m) m = z;
  }
  let s = 0;
  for (let c = 0; c < K; c++) { p[c] = Math.exp(p[c] - m); s += p[c]; }
  for (let c = 0; c < K; c++) p[c] /= s;
}
