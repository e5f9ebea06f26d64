/**
 * Pass 2 of the metric suite: everything that needs the final class means, from the residuals
 * r_i = x_i − μ_{y_i}, in O(N·d·K) and float64 (no d×d matrix unless asked for).
 */
import { InvalidArgumentError, assertFinite, assertMatrix, gemm, syrk, validateLabels } from '@nclab/backend/host';
import type { AnyMatrix, LinalgRequest, Matrix } from '@nclab/backend/host';
import type { ClassMeans } from './class-means.js';
import { ANY_ROWS, assertClassifier } from './inputs.js';

/** Options of pass 2. */
export interface ResidualOptions {
  /** Last-layer weights W, `[K, d]` (rows in class-index order): enables NC4 agreement. */
  classifier?: AnyMatrix;
  /** Last-layer bias b, `[K]`. */
  bias?: ArrayLike<number>;
  /** Unit directions v_e as rows, `[E, d]`: accumulates Σ_i (r_iᵀ v_e)² (e.g. a full-pinv basis). */
  directions?: Matrix;
  /** Also accumulate the full within-class scatter Σ_i r_i r_iᵀ (`[d, d]`, O(N·d²)). Default false. */
  fullScatter?: boolean;
  /** Float64 path of the block products (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  linalg?: LinalgRequest;
}

/** What pass 2 accumulates. */
export interface ResidualStatistics {
  /** Samples seen in pass 2. */
  readonly n: number;
  /** Σ_{i in class k} ‖x_i − μ_k‖², `[K]`. */
  readonly sumSq: Float64Array;
  /**
   * T = Σ_i (M̃ r_i)(M̃ r_i)ᵀ, `[K, K]`, with M̃ the class means centred on their plain average:
   * the within-class scatter seen through the span of the centred means (enough for tr(Σ_W Σ_B^†)).
   */
  readonly projectedScatter: Matrix;
  /** Samples whose nearest class mean (Euclidean) is the mean of their own class. */
  readonly nccCorrect: number;
  /** With a classifier: samples where argmax(Wx + b) equals the nearest-class-mean prediction. */
  readonly classifierAgree: number | null;
  /** With a classifier: samples where argmax(Wx + b) equals the label. */
  readonly classifierCorrect: number | null;
  /** With `directions`: Σ_i (r_iᵀ v_e)², `[E]`. */
  readonly directionSq: Float64Array | null;
  /** With `fullScatter`: Σ_i r_i r_iᵀ, `[d, d]`. */
  readonly scatter: Matrix | null;
}

/** Residual rows per block product (and per `syrk` when accumulating the full scatter). */
const BLOCK = 256;

/**
 * The class means centred on their plain (class-mean) average, `[K, d]`.
 * @param means - class means `[K, d]`.
 * @returns M̃ with rows μ_k − (1/K)Σ_j μ_j.
 * @example
 * centreOnClassAverage(fromRows([[2, 0], [0, 2]])); // rows [1, −1] and [−1, 1]
 */
export function centreOnClassAverage(means: Matrix): Matrix {
  const { rows: K, cols: d } = means;
  const g = new Float64Array(d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) g[j] += means.data[k * d + j] / K;
  const out = new Float64Array(K * d);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) out[k * d + j] = means.data[k * d + j] - g[j];
  return { rows: K, cols: d, data: out };
}

/**
 * out[p] = P[p, :] · r for the `rows` rows of row-major P (4 rows per sweep of r).
 * @internal
 */
function rowDots(P: Float64Array, rows: number, r: Float64Array, d: number, out: Float64Array): void {
  let p = 0;
  for (; p + 4 <= rows; p += 4) {
    const o0 = p * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const v = r[j];
      s0 += P[o0 + j] * v;
      s1 += P[o1 + j] * v;
      s2 += P[o2 + j] * v;
      s3 += P[o3 + j] * v;
    }
    out[p] = s0;
    out[p + 1] = s1;
    out[p + 2] = s2;
    out[p + 3] = s3;
  }
  for (; p < rows; p++) {
    const o = p * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += P[o + j] * r[j];
    out[p] = s;
  }
}

/**
 * Streaming accumulator of pass 2 (needs the finished class means of pass 1).
 *
 * Method, per block of 256 samples: R = X − M[y] in float64 and ‖r‖² per row, then one float64 GEMM
 * R·[M̃; W; V]ᵀ (native BLAS when available) gives t = M̃ r (K dots), W r and the direction dots.
 * Then T += t tᵀ; the squared distance to every class mean is
 * ‖x − μ_c‖² = ‖r‖² + 2(t_y − t_c) + ‖μ_y − μ_c‖², and the logits are W r + (W μ_y + b).
 * Cost O(N·d·K) flops; memory O(K·d + K²) (plus d² with `fullScatter`).
 *
 * @example
 * const pass1 = new ClassMeanAccumulator({ numClasses: 10, dim: 512 });
 * for (const b of batches()) pass1.update(b.features, b.labels);
 * const means = pass1.finalize();
 * const pass2 = new ResidualAccumulator(means, { classifier: W });
 * for (const b of batches()) pass2.update(b.features, b.labels);
 * const residuals = pass2.finalize();
 */
export class ResidualAccumulator {
  /** The pass-1 statistics this pass measures against. */
  readonly means: ClassMeans;
  private readonly linalg: LinalgRequest | undefined;
  private readonly hasClassifier: boolean;
  private readonly numDirections: number;
  /** Rows: centred means (K), classifier (K, optional), directions (E, optional). */
  private readonly probe: Float64Array;
  private readonly probeRows: number;
  private readonly meanSqDist: Float64Array;
  private readonly logitOffset: Float64Array;
  private readonly sumSq: Float64Array;
  private readonly T: Float64Array;
  private readonly dirSq: Float64Array;
  private readonly scatter: Float64Array | null;
  private nccCorrect = 0;
  private agree = 0;
  private correct = 0;
  private rows = 0;

  /**
   * @param means - the finished pass-1 statistics.
   * @param options - classifier, bias, directions, fullScatter (see {@link ResidualOptions}).
   * @throws {InvalidArgumentError} when the classifier, bias or directions have the wrong shape or are not finite.
   */
  constructor(means: ClassMeans, options: ResidualOptions = {}) {
    this.means = means;
    this.linalg = options.linalg;
    const { K, d } = means;
    const { classifier, bias, directions, fullScatter } = options;
    if (classifier !== undefined) assertClassifier(classifier, bias, K, d);
    else if (bias !== undefined) throw new InvalidArgumentError('bias', 'given only together with a classifier', 'a bias without classifier');
    if (directions !== undefined) {
      assertMatrix('directions', directions, ANY_ROWS);
      if (directions.cols !== d) throw new InvalidArgumentError('directions', `of shape [E, ${d}]`, `[${directions.rows}, ${directions.cols}]`);
    }
    this.hasClassifier = classifier !== undefined;
    this.numDirections = directions?.rows ?? 0;
    const centred = centreOnClassAverage(means.means);
    this.probeRows = K + (this.hasClassifier ? K : 0) + this.numDirections;
    this.probe = new Float64Array(this.probeRows * d);
    this.probe.set(centred.data, 0);
    if (classifier) this.probe.set(classifier.data, K * d);
    if (directions) this.probe.set(directions.data, (this.hasClassifier ? 2 : 1) * K * d);
    const M = means.means.data;
    this.meanSqDist = new Float64Array(K * K);
    for (let a = 0; a < K; a++) {
      for (let c = 0; c < K; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = M[a * d + j] - M[c * d + j];
          s += v * v;
        }
        this.meanSqDist[a * K + c] = s;
      }
    }
    this.logitOffset = new Float64Array(K * K);
    if (classifier) {
      const W = classifier.data;
      for (let y = 0; y < K; y++) {
        for (let c = 0; c < K; c++) {
          let s = bias ? Number(bias[c]) : 0;
          for (let j = 0; j < d; j++) s += W[c * d + j] * M[y * d + j];
          this.logitOffset[y * K + c] = s;
        }
      }
    }
    this.sumSq = new Float64Array(K);
    this.T = new Float64Array(K * K);
    this.dirSq = new Float64Array(this.numDirections);
    this.scatter = fullScatter ? new Float64Array(d * d) : null;
  }

  /** Samples seen so far. */
  get count(): number {
    return this.rows;
  }

  /**
   * Adds a batch (the same data as pass 1, in any order and batching).
   * @param features - `[B, d]` float32 or float64 rows.
   * @param labels - `[B]` labels, in the original numbering of pass 1.
   * @returns this accumulator.
   * @throws {InvalidArgumentError} on a wrong shape, NaN/Inf, a bad label, or a label of a class
   *   that had no sample in pass 1.
   */
  update(features: AnyMatrix, labels: ArrayLike<number>): this {
    const { K, d, labelToClass } = this.means;
    assertMatrix('features', features, ANY_ROWS);
    if (features.cols !== d) throw new InvalidArgumentError('features', `of shape [B, ${d}]`, `[${features.rows}, ${features.cols}]`);
    const b = features.rows;
    const lab = validateLabels('labels', labels, b, labelToClass.length).labels;
    for (let i = 0; i < b; i++) {
      const y = labelToClass[lab[i]];
      if (y < 0) throw new InvalidArgumentError('labels', 'labels of classes that had samples in pass 1', lab[i], `at row ${this.rows + i}`);
      lab[i] = y;
    }
    // The scatter is updated block by block, so scan first; otherwise NaN/Inf shows up in the
    // batch-local sums below and the scan runs only then (nothing is committed before the check).
    if (this.scatter) assertFinite('features', features.data, features.cols, this.rows);
    const x = features.data;
    const M = this.means.means.data;
    const rows = this.probeRows;
    const probe: Matrix = { rows, cols: d, data: this.probe };
    const D = this.meanSqDist;
    const off = this.logitOffset;
    const wBase = K;
    const vBase = this.hasClassifier ? 2 * K : K;
    const E = this.numDirections;
    const sumSq = new Float64Array(K);
    const T = new Float64Array(K * K);
    const dirSq = new Float64Array(E);
    let nccCorrect = 0;
    let agree = 0;
    let correct = 0;
    const R = new Float64Array(Math.min(b, BLOCK) * d);
    const ss = new Float64Array(BLOCK);
    for (let start = 0; start < b; start += BLOCK) {
      const nb = Math.min(BLOCK, b - start);
      for (let t = 0; t < nb; t++) {
        const xo = (start + t) * d;
        const mo = lab[start + t] * d;
        const ro = t * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = x[xo + j] - M[mo + j];
          R[ro + j] = v;
          s += v * v;
        }
        ss[t] = s;
      }
      const block: Matrix = { rows: nb, cols: d, data: nb * d === R.length ? R : R.subarray(0, nb * d) };
      // every dot product of the block at once: [nb, d] × [rows, d]ᵀ (BLAS dgemm on the native path)
      const dots = gemm(block, probe, { transB: true, linalg: this.linalg }).data;
      if (this.scatter) {
        const add = syrk(block, { trans: true, linalg: this.linalg }).data;
        for (let k = 0; k < add.length; k++) this.scatter[k] += add[k];
      }
      for (let t = 0; t < nb; t++) {
        const y = lab[start + t];
        const o = t * rows;
        sumSq[y] += ss[t];
        for (let a = 0; a < K; a++) {
          const ta = dots[o + a];
          const ao = a * K;
          for (let c = a; c < K; c++) T[ao + c] += ta * dots[o + c];
        }
        const ty = dots[o + y];
        let best = 0;
        let bestDist = Infinity;
        for (let c = 0; c < K; c++) {
          const dist = ss[t] + 2 * (ty - dots[o + c]) + D[y * K + c];
          if (dist < bestDist) {
            bestDist = dist;
            best = c;
          }
        }
        if (best === y) nccCorrect++;
        if (this.hasClassifier) {
          let arg = 0;
          let top = -Infinity;
          for (let c = 0; c < K; c++) {
            const z = dots[o + wBase + c] + off[y * K + c];
            if (z > top) {
              top = z;
              arg = c;
            }
          }
          if (arg === best) agree++;
          if (arg === y) correct++;
        }
        for (let e = 0; e < E; e++) {
          const v = dots[o + vBase + e];
          dirSq[e] += v * v;
        }
      }
    }
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(sumSq[k])) {
        assertFinite('features', features.data, features.cols, this.rows);
        throw new InvalidArgumentError('features', 'of moderate magnitude (squared residual norms overflow float64)', 'entries beyond ±1e150');
      }
    }
    for (let k = 0; k < K; k++) this.sumSq[k] += sumSq[k];
    for (let k = 0; k < T.length; k++) this.T[k] += T[k];
    for (let e = 0; e < E; e++) this.dirSq[e] += dirSq[e];
    this.nccCorrect += nccCorrect;
    this.agree += agree;
    this.correct += correct;
    this.rows += b;
    return this;
  }

  /**
   * Adds another pass-2 accumulator (built on the same class means and options) into this one.
   * @param other - a partial accumulator.
   * @returns this accumulator.
   * @throws {InvalidArgumentError} when it was built on other means or options.
   */
  merge(other: ResidualAccumulator): this {
    if (!(other instanceof ResidualAccumulator) || other.means !== this.means || other.probeRows !== this.probeRows || (other.scatter === null) !== (this.scatter === null)) {
      throw new InvalidArgumentError('other', 'a ResidualAccumulator built on the same ClassMeans object and options', other);
    }
    for (let k = 0; k < this.sumSq.length; k++) this.sumSq[k] += other.sumSq[k];
    for (let k = 0; k < this.T.length; k++) this.T[k] += other.T[k];
    for (let k = 0; k < this.dirSq.length; k++) this.dirSq[k] += other.dirSq[k];
    if (this.scatter && other.scatter) for (let k = 0; k < this.scatter.length; k++) this.scatter[k] += other.scatter[k];
    this.nccCorrect += other.nccCorrect;
    this.agree += other.agree;
    this.correct += other.correct;
    this.rows += other.rows;
    return this;
  }

  /**
   * The accumulated residual statistics.
   * @returns see {@link ResidualStatistics}.
   * @throws {InvalidArgumentError} when pass 2 did not see exactly the N samples of pass 1.
   */
  finalize(): ResidualStatistics {
    const { K, d, n } = this.means;
    if (this.rows !== n) {
      throw new InvalidArgumentError('pass 2', `to see the same N = ${n} samples as pass 1`, this.rows);
    }
    const T = Float64Array.from(this.T);
    for (let a = 0; a < K; a++) for (let c = 0; c < a; c++) T[a * K + c] = T[c * K + a];
    const scatter: Matrix | null = this.scatter ? { rows: d, cols: d, data: Float64Array.from(this.scatter) } : null;
    return {
      n: this.rows,
      sumSq: Float64Array.from(this.sumSq),
      projectedScatter: { rows: K, cols: K, data: T },
      nccCorrect: this.nccCorrect,
      classifierAgree: this.hasClassifier ? this.agree : null,
      classifierCorrect: this.hasClassifier ? this.correct : null,
      directionSq: this.numDirections > 0 ? Float64Array.from(this.dirSq) : null,
      scatter,
    };
  }
}
